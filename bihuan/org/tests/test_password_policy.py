import datetime as dt
import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from bihuan.conftest import PASSWORD
from bihuan.demo import DEMO_PASSWORD
from bihuan.demo.county import County
from bihuan.org.models import ApiToken, PasswordHistory, Role, User
from bihuan.org.passwords import character_classes, temporary_password
from bihuan.org.services import user_change_password, user_create

TOO_SIMPLE = "密码至少 8 位，并包含大写字母、小写字母、数字、符号中的至少 3 类。"
REUSED = "不能使用最近 5 次用过的密码。"
FORCED_API = "请先在网页上修改密码：初始密码、重置的密码和已过期的密码须先修改。"


def change(client: Client, old: str, new: str, again: str | None = None):
    return client.post(
        "/accounts/password/",
        {"old_password": old, "new_password": new, "new_password_again": again or new},
    )


@pytest.mark.parametrize("password", ["Qingshan2024", "qingshan#2024", "QINGSHAN#2024", "Qs#2024x"])
def test_eight_characters_from_three_of_the_four_classes_pass(world, password):
    validate_password(password, world.li)


@pytest.mark.parametrize(
    "password", ["qingshan2024", "Qs#2024", "QINGSHANXIAN", "青山县城关镇办公室"]
)
def test_shorter_or_simpler_passwords_are_refused_in_chinese(world, password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, world.li)
    assert TOO_SIMPLE in refused.value.messages


def test_character_classes_counts_upper_lower_digits_and_symbols():
    assert character_classes("aB3#") == 4
    assert character_classes("abc123") == 2
    assert character_classes("青山县") == 0


def test_a_temporary_password_meets_the_policy(world):
    for _ in range(20):
        validate_password(temporary_password(), world.li)


def test_the_owner_changes_the_password_and_keeps_this_session(client, world):
    client.force_login(world.li)

    response = change(client, PASSWORD, "Chengguan#2025")

    assert response.status_code == 302
    assert response["Location"] == "/"
    world.li.refresh_from_db()
    assert world.li.check_password("Chengguan#2025")
    assert world.li.password_changed_at is not None
    assert client.get("/").status_code == 200


def test_changing_the_password_ends_the_other_sessions(world):
    laptop, phone = Client(), Client()
    laptop.force_login(world.li)
    phone.force_login(world.li)

    change(laptop, PASSWORD, "Chengguan#2025")

    assert phone.get("/")["Location"] == "/accounts/login/?next=/"
    assert laptop.get("/").status_code == 200


def test_a_wrong_current_password_changes_nothing(client, world):
    client.force_login(world.li)
    before = world.li.password

    response = change(client, "Wrong#2024x", "Chengguan#2025")

    assert response.status_code == 400
    assert "当前密码不正确。" in response.text
    world.li.refresh_from_db()
    assert world.li.password == before
    assert not PasswordHistory.objects.exists()


def test_two_different_new_passwords_change_nothing(client, world):
    client.force_login(world.li)

    response = change(client, PASSWORD, "Chengguan#2025", "Chengguan#2026")

    assert response.status_code == 400
    assert "两次输入的新密码不一致。" in response.text
    world.li.refresh_from_db()
    assert world.li.check_password(PASSWORD)


def test_the_current_password_may_not_come_back(client, world):
    client.force_login(world.li)

    response = change(client, PASSWORD, PASSWORD)

    assert response.status_code == 400
    assert REUSED in response.text


def test_none_of_the_last_five_passwords_may_come_back(client, world, now):
    passwords = [f"Chengguan#{year}" for year in range(2020, 2024)]
    for day, password in enumerate(passwords):
        user_change_password(user=world.li, password=password, now=now + dt.timedelta(days=day))
    client.force_login(world.li)
    before = world.li.password

    response = change(client, "Chengguan#2023", PASSWORD)

    assert response.status_code == 400
    assert REUSED in response.text
    world.li.refresh_from_db()
    assert world.li.password == before
    assert PasswordHistory.objects.filter(user=world.li).count() == 4


def test_the_sixth_password_back_may_be_used_again(world, now):
    for day, year in enumerate(range(2020, 2025)):
        user_change_password(
            user=world.li, password=f"Chengguan#{year}", now=now + dt.timedelta(days=day)
        )

    user_change_password(user=world.li, password=PASSWORD, now=now + dt.timedelta(days=9))

    world.li.refresh_from_db()
    assert world.li.check_password(PASSWORD)


def test_an_initial_password_must_be_changed_before_anything_else(log_in, world):
    user_create(
        username="zheng", name="郑承办", unit=world.xihe, roles=[Role.HANDLER], password=PASSWORD
    )
    client = Client()

    assert log_in(client, "zheng")["Location"] == "/"
    page = client.get("/ledger/")
    assert page.status_code == 302
    assert page["Location"] == "/accounts/password/?next=%2Fledger%2F"
    form = client.get(page["Location"])
    assert "初始密码或重置的密码须修改后才能使用系统。" in form.text

    done = client.post(
        "/accounts/password/?next=/ledger/",
        {
            "old_password": PASSWORD,
            "new_password": "Xihe#2025new",
            "new_password_again": "Xihe#2025new",
            "next": "/ledger/",
        },
    )

    assert done["Location"] == "/ledger/"
    assert User.objects.get(username="zheng").must_change_password is False
    assert client.get("/ledger/").status_code == 200


def test_an_expired_password_must_be_changed(client, world, settings):
    settings.BIHUAN_PASSWORD_MAX_AGE_DAYS = 90
    world.li.password_changed_at = timezone.now() - dt.timedelta(days=91)
    world.li.save(update_fields=["password_changed_at"])
    client.force_login(world.li)

    page = client.get("/")

    assert page["Location"] == "/accounts/password/?next=%2F"
    assert "密码已使用超过 90 天，请修改。" in client.get(page["Location"]).text


def test_a_password_younger_than_the_maximum_age_is_not_forced(client, world, settings):
    settings.BIHUAN_PASSWORD_MAX_AGE_DAYS = 90
    world.li.password_changed_at = timezone.now() - dt.timedelta(days=89)
    world.li.save(update_fields=["password_changed_at"])
    client.force_login(world.li)

    assert client.get("/").status_code == 200


def test_a_maximum_age_of_zero_never_expires(client, world, settings):
    settings.BIHUAN_PASSWORD_MAX_AGE_DAYS = 0
    world.li.password_changed_at = timezone.now() - dt.timedelta(days=3650)
    world.li.save(update_fields=["password_changed_at"])
    client.force_login(world.li)

    assert client.get("/").status_code == 200


def test_logging_out_stays_possible_while_a_change_is_pending(client, world):
    world.li.must_change_password = True
    world.li.save(update_fields=["must_change_password"])
    client.force_login(world.li)

    response = client.post("/accounts/logout/")

    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_an_htmx_request_is_sent_to_the_change_page_by_header(client, world):
    world.li.must_change_password = True
    world.li.save(update_fields=["must_change_password"])
    client.force_login(world.li)

    response = client.get("/ledger/", headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == "/accounts/password/?next=%2Fledger%2F"


def test_the_api_refuses_the_session_while_a_change_is_pending(client, world, now):
    world.li.must_change_password = True
    world.li.save(update_fields=["must_change_password"])
    client.force_login(world.li)

    response = client.get("/api/me")

    assert response.status_code == 403
    assert response.json() == {"detail": FORCED_API, "field": None}


def test_a_token_is_judged_by_itself_while_a_change_is_pending(world, now):
    key = ApiToken.issue(user=world.li, now=now)
    world.li.must_change_password = True
    world.li.save(update_fields=["must_change_password"])

    response = Client().get("/api/me", headers={"Authorization": f"Bearer {key}"})

    assert response.status_code == 200
    assert response.json()["username"] == "li"


def test_the_demo_accounts_log_in_without_being_sent_elsewhere(db, log_in):
    County().set_password(DEMO_PASSWORD)

    for username in ("ducha", "chengguan", "secadmin"):
        client = Client()
        assert log_in(client, username, DEMO_PASSWORD)["Location"] == "/"
        assert client.get("/accounts/profile/").status_code == 200


def test_the_length_and_classes_are_settings(world, settings):
    settings.BIHUAN_PASSWORD_MIN_LENGTH = 12
    settings.BIHUAN_PASSWORD_MIN_CLASSES = 4

    with pytest.raises(ValidationError) as refused:
        validate_password("Qingshan#24", world.li)

    assert refused.value.messages == [
        "密码至少 12 位，并包含大写字母、小写字母、数字、符号中的至少 4 类。"
    ]
    validate_password("Qingshan#245", world.li)


def test_quickstart_forces_a_change_of_a_printed_admin_password_only(world, monkeypatch):
    monkeypatch.delenv("BIHUAN_ADMIN_PASSWORD", raising=False)
    call_command("quickstart", "--no-serve", stdout=io.StringIO())
    assert User.objects.get(username="admin").must_change_password is True

    monkeypatch.setenv("BIHUAN_ADMIN_PASSWORD", "Admin#Pass1")
    call_command("quickstart", "--no-serve", stdout=io.StringIO())

    admin = User.objects.get(username="admin")
    assert (admin.must_change_password, admin.check_password("Admin#Pass1")) == (False, True)
