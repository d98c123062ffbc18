"""Entries for what happens over HTTP: the address and client come from the request."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bihuan.audit.models import AuditAction, AuditEntry
from bihuan.conftest import PASSWORD
from bihuan.ledger.services import progress_post

from .conftest import latest

BROWSER = {"REMOTE_ADDR": "198.51.100.7", "HTTP_USER_AGENT": "Mozilla/5.0 (测试浏览器)"}


def test_a_login_is_recorded_with_the_address_and_client(client, world):
    client.post(reverse("login"), {"username": "zhou", "password": PASSWORD}, **BROWSER)

    entry = latest()
    assert entry.action == AuditAction.LOGIN
    assert entry.actor == world.zhou
    assert (entry.ip, entry.user_agent) == ("198.51.100.7", "Mozilla/5.0 (测试浏览器)")


def test_a_failed_login_records_the_name_tried_and_never_the_password(client, world):
    tried = "Wrong#Password1"

    client.post(reverse("login"), {"username": "zhou", "password": tried}, **BROWSER)

    entry = latest()
    assert entry.action == AuditAction.LOGIN_FAILED
    assert entry.actor is None
    assert (entry.object_repr, entry.ip) == ("zhou", "198.51.100.7")
    stored = b"".join(e.canonical() for e in AuditEntry.objects.all()).decode()
    assert tried not in stored and PASSWORD not in stored and "password" not in stored


def test_a_logout_is_recorded(client, world):
    client.force_login(world.zhou)

    client.post(reverse("logout"), **BROWSER)

    entry = latest()
    assert (entry.action, entry.actor, entry.ip) == (AuditAction.LOGOUT, world.zhou, "198.51.100.7")


def test_a_transition_over_http_records_where_it_came_from(client, world, assigned):
    client.force_login(world.li)

    client.post(
        reverse("ledger:transition", args=[assigned.pk, "acknowledge"]),
        {"comment": ""},
        **BROWSER,
    )

    entry = latest()
    assert (entry.action, entry.changes["step"]) == (AuditAction.TRANSITION, "acknowledge")
    assert (entry.actor, entry.ip) == (world.li, "198.51.100.7")


def test_an_evidence_download_is_recorded(client, world, in_progress, now):
    photo = SimpleUploadedFile("公示照片.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
    progress = progress_post(
        measure=in_progress, by=world.li, now=now, text="已公示", files=[photo]
    )
    evidence = progress.evidence.get()
    client.force_login(world.zhou)

    response = client.get(reverse("ledger:evidence_download", args=[evidence.pk]), **BROWSER)

    entry = latest()
    assert response.status_code == 200
    assert (entry.action, entry.object_type, entry.object_id) == (
        AuditAction.DOWNLOAD,
        "ledger.evidence",
        str(evidence.pk),
    )
    assert (entry.object_repr, entry.actor, entry.ip) == (
        "公示照片.jpg",
        world.zhou,
        "198.51.100.7",
    )


def test_a_download_refused_by_scope_records_nothing(client, world, in_progress, now):
    photo = SimpleUploadedFile("公示照片.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
    evidence = progress_post(
        measure=in_progress, by=world.li, now=now, text="已公示", files=[photo]
    ).evidence.get()
    client.force_login(world.wang)
    before = AuditEntry.objects.count()

    response = client.get(reverse("ledger:evidence_download", args=[evidence.pk]))

    assert response.status_code == 404
    assert AuditEntry.objects.count() == before


def test_an_api_download_is_recorded_for_the_token_holder(client, world, in_progress, now):
    from bihuan.org.models import ApiToken

    photo = SimpleUploadedFile("公示照片.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
    evidence = progress_post(
        measure=in_progress, by=world.li, now=now, text="已公示", files=[photo]
    ).evidence.get()
    key = ApiToken.issue(user=world.li, now=now)

    response = client.get(
        f"/api/evidence/{evidence.pk}", HTTP_AUTHORIZATION=f"Bearer {key}", **BROWSER
    )

    entry = latest()
    assert response.status_code == 200
    assert (entry.action, entry.actor, entry.ip) == (AuditAction.DOWNLOAD, world.li, "198.51.100.7")


def test_an_export_over_http_is_recorded(client, world, make_problem):
    make_problem()
    client.force_login(world.zhou)

    response = client.get(reverse("ledger:export"), {"unit": world.chengguan.pk}, **BROWSER)

    entry = latest()
    assert response.status_code == 200
    assert (entry.action, entry.changes["rows"], entry.ip) == (
        AuditAction.EXPORT,
        1,
        "198.51.100.7",
    )
