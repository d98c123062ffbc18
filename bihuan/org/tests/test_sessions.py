import datetime as dt

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from bihuan.org.models import ApiToken
from bihuan.org.sessions import SEEN


def stored(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_sessions_end_after_thirty_idle_minutes_or_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_a_login_session_expires_thirty_minutes_on_and_sets_no_lasting_cookie(log_in, world):
    client = Client()

    response = log_in(client, "li")

    remaining = stored(client).expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert (cookie["max-age"], cookie["expires"]) == ("", "")


def test_activity_moves_the_expiry_on(client, world):
    client.force_login(world.li)
    session = client.session
    session[SEEN] = 0
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=5)
    )

    client.get("/")

    remaining = stored(client).expire_date - timezone.now()
    assert remaining > dt.timedelta(minutes=29)


def test_an_idle_session_past_its_time_is_logged_out(client, world):
    client.force_login(world.li)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )

    response = client.get("/ledger/")

    assert response["Location"] == "/accounts/login/?next=/ledger/"


def test_logging_out_everywhere_ends_every_session_and_keeps_the_token(world, now):
    office, home = Client(), Client()
    office.force_login(world.li)
    home.force_login(world.li)
    key = ApiToken.issue(user=world.li, now=now)

    response = office.post("/accounts/sessions/end/")

    assert response["Location"] == "/accounts/login/"
    assert home.get("/")["Location"] == "/accounts/login/?next=/"
    assert office.get("/")["Location"] == "/accounts/login/?next=/"
    token_call = Client().get("/api/me", headers={"Authorization": f"Bearer {key}"})
    assert token_call.json()["username"] == "li"


def test_logging_out_everywhere_leaves_other_users_logged_in(world):
    li, wang = Client(), Client()
    li.force_login(world.li)
    wang.force_login(world.wang)

    li.post("/accounts/sessions/end/")

    assert wang.get("/").status_code == 200


def test_a_new_login_after_logging_out_everywhere_works(log_in, world):
    client = Client()
    log_in(client, "li")
    client.post("/accounts/sessions/end/")

    assert log_in(client, "li").status_code == 302
    assert client.get("/").status_code == 200


def test_the_profile_page_offers_logging_out_everywhere(client, world):
    client.force_login(world.li)

    page = client.get("/accounts/profile/")

    assert "退出所有设备" in page.text
    assert 'action="/accounts/sessions/end/"' in page.text
