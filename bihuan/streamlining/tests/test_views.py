import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bihuan.streamlining.models import Document, Meeting, Target
from bihuan.streamlining.services import document_register

D = dt.date


@pytest.fixture(autouse=True)
def _today(monkeypatch, now):
    monkeypatch.setattr(timezone, "now", lambda: now)


@pytest.fixture
def notice(world, now):
    return document_register(
        unit=world.chengguan,
        number="城发〔2024〕15号",
        title="",
        issued_on=D(2024, 9, 20),
        data="关于精简会议的通知".encode(),
        filename="通知.txt",
        by=world.li,
        now=now,
    )


def test_the_page_shows_this_year_against_last_year_for_the_users_unit(client, world, notice):
    client.force_login(world.li)

    page = client.get("/streamlining/")

    figures = page.context["figures"]
    assert figures.total.unit == world.chengguan
    assert (figures.total.this_year.documents, figures.total.same_days.documents) == (1, 0)
    assert "与2023年同期相比" in page.content.decode()
    assert page.context["target_form"] is None


def test_a_unit_outside_scope_is_not_shown(client, world, notice):
    client.force_login(world.wang)

    page = client.get(f"/streamlining/?unit={world.chengguan.pk}")

    assert page.context["figures"].total.unit == world.hexi
    assert page.context["figures"].total.this_year.documents == 0


def test_a_handler_registers_a_meeting_and_a_document(client, world):
    client.force_login(world.li)

    client.post(
        "/streamlining/meetings/",
        {
            "unit": world.chengguan.pk,
            "held_on": "2024-09-20",
            "title": "镇党委会",
            "kind": "work",
            "level": "township",
            "minutes": "45",
            "attendees": "9",
            "by_video": "on",
        },
    )
    response = client.post(
        "/streamlining/documents/",
        {
            "unit": world.chengguan.pk,
            "number": "城发〔2024〕16号",
            "issued_on": "2024-09-20",
            "file": SimpleUploadedFile("通知.txt", "关于精简会议的通知".encode()),
        },
        follow=True,
    )

    meeting = Meeting.objects.get()
    assert (meeting.minutes, meeting.by_video, meeting.merged) == (45, True, False)
    assert Document.objects.get().chars == 9
    assert "已登记发文“城发〔2024〕16号 关于精简会议的通知”，9 字。" in response.content.decode()


def test_a_supervisor_sets_the_targets_from_the_page(client, world):
    client.force_login(world.zhou)

    client.post(
        "/streamlining/targets/",
        {
            "unit": world.county.pk,
            "year": 2024,
            "documents_cut_percent": 30,
            "meeting_max_minutes": 90,
        },
    )

    target = Target.objects.get()
    assert (target.unit, target.documents_cut_percent, target.meeting_max_minutes) == (
        world.county,
        30,
        90,
    )


def test_a_document_is_downloaded_in_scope_and_not_found_outside(client, world, notice):
    client.force_login(world.qian)
    assert b"".join(client.get(f"/streamlining/documents/{notice.pk}/file/").streaming_content) == (
        "关于精简会议的通知".encode()
    )

    client.force_login(world.wang)
    assert client.get(f"/streamlining/documents/{notice.pk}/file/").status_code == 404
