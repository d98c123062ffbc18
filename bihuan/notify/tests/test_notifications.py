import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bihuan.ledger.models import Measure
from bihuan.notify.context_processors import bell
from bihuan.notify.models import Kind, Notification
from bihuan.notify.services import urge
from bihuan.org.models import ApiToken

PROCESSOR = "bihuan.notify.context_processors.bell"


def _bell(page: str) -> str:
    return re.search(r'<a [^>]*id="bell"[^>]*>(.*?)</a>', page, re.S).group(1)


@pytest.fixture
def urged(assigned, world, now):
    urge(items=[assigned], by=world.zhou, now=now, message="请签收")
    return Notification.objects.get()


def test_the_bell_shows_the_unread_count(client, urged, world):
    client.force_login(world.li)

    page = client.get("/ledger/").text

    assert 'aria-label="1 条未读">1</span>' in _bell(page)


def test_the_bell_shows_nothing_when_all_is_read(client, assigned, world):
    client.force_login(world.li)

    assert _bell(client.get("/ledger/").text) == "通知"


def test_the_bell_stops_counting_at_99(client, assigned, world, now):
    content_type = ContentType.objects.get_for_model(Measure)
    Notification.objects.bulk_create(
        Notification(
            recipient=world.li,
            kind=Kind.URGE,
            content_type=content_type,
            object_id=assigned.pk,
            text="催办",
            link="/",
            created_at=now,
        )
        for _ in range(120)
    )
    client.force_login(world.li)

    assert ">99+</span>" in _bell(client.get("/ledger/").text)


def _queries(client, path: str) -> int:
    client.get(path)  # the session and caches settle on a first visit
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries)


@pytest.mark.parametrize("path", ["/ledger/", "/notify/", "/dashboard/"])
def test_the_bell_adds_at_most_one_query_to_a_page(client, urged, world, settings, path):
    client.force_login(world.li)
    with_bell = _queries(client, path)
    engine = settings.TEMPLATES[0]
    processors = [name for name in engine["OPTIONS"]["context_processors"] if name != PROCESSOR]
    settings.TEMPLATES = [
        {**engine, "OPTIONS": {**engine["OPTIONS"], "context_processors": processors}}
    ]

    without_bell = _queries(client, path)

    assert with_bell - without_bell <= 1


def test_the_bell_queries_nothing_for_a_visitor(db, rf, django_assert_num_queries):
    request = rf.get("/accounts/login/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert bell(request) == {}


def test_the_notifications_page_lists_mine_newest_first(client, urged, world, now, assigned):
    urge(items=[assigned], by=world.zhou, now=now.replace(hour=15), message="再次催办")
    client.force_login(world.li)

    page = client.get("/notify/").text

    assert page.index("再次催办") < page.index("：请签收")
    assert "2 条未读" in page


def test_opening_a_notification_marks_it_read_and_goes_to_the_item(client, urged, world, assigned):
    client.force_login(world.li)

    response = client.post(f"/notify/{urged.pk}/read/", {"open": "1"})

    assert response["Location"] == assigned.get_absolute_url()
    urged.refresh_from_db()
    assert urged.read_at is not None
    assert _bell(client.get("/ledger/").text) == "通知"


def test_all_can_be_marked_read_at_once(client, urged, world, assigned, now):
    urge(items=[assigned], by=world.zhou, now=now)
    client.force_login(world.li)

    client.post("/notify/read-all/")

    assert not Notification.objects.unread().exists()


def test_someone_elses_notification_is_not_found_and_stays_unread(client, urged, world):
    client.force_login(world.wang)

    response = client.post(f"/notify/{urged.pk}/read/")

    assert response.status_code == 404
    urged.refresh_from_db()
    assert urged.read_at is None


def test_the_api_lists_and_marks_my_notifications(client, urged, world, now, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: now)
    headers = {"Authorization": f"Bearer {ApiToken.issue(user=world.li, now=now)}"}

    listing = client.get("/api/notifications", {"unread": "true"}, headers=headers).json()
    read = client.post(f"/api/notifications/{urged.pk}/read", headers=headers).json()
    after = client.get("/api/notifications", {"unread": "true"}, headers=headers).json()

    assert listing["count"] == 1
    item = listing["results"][0]
    assert (item["kind"], item["kind_label"], item["item_type"]) == (
        "urge",
        "催办",
        "ledger.measure",
    )
    assert item["url"].startswith("http://127.0.0.1:8000/ledger/problems/")
    assert read["read_at"] is not None
    assert after["count"] == 0


def test_the_api_hides_someone_elses_notification(client, urged, world, now):
    headers = {"Authorization": f"Bearer {ApiToken.issue(user=world.wang, now=now)}"}

    response = client.post(f"/api/notifications/{urged.pk}/read", headers=headers)

    assert response.status_code == 404
    urged.refresh_from_db()
    assert urged.read_at is None
