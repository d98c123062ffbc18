"""The issue's "done when", tried through the pages as its people would: a leader's instruction
closes after two partners and the lead report; an item left unacknowledged turns yellow after
one working day and its owner hears of it in the app and through the township's WeCom robot
(a local server stands in for it); the duty lists refuse a negative-list task for a village and
route an unlisted one for approval."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bihuan.conftest import at
from bihuan.duties.gate import UNLISTED
from bihuan.duties.models import DutyAssignment, DutyEntry
from bihuan.notify.models import Kind, Notification
from bihuan.notify.tests.conftest import robot  # noqa: F401 - the local robot server
from bihuan.supervision.models import SupervisionItem

from .conftest import part_of


@pytest.fixture
def clock(monkeypatch):
    """The time every page reads; a test moves it on."""
    moment = {"now": at(2024, 9, 23, 9)}
    monkeypatch.setattr(timezone, "now", lambda: moment["now"])
    return moment


@pytest.fixture(autouse=True)
def _links(settings):
    settings.BIHUAN_BASE_URL = "http://127.0.0.1:8000"


def as_user(client, user):
    client.force_login(user)
    return client


def register(client, world, **fields) -> SupervisionItem:
    response = as_user(client, world.zhou).post(
        reverse("supervision:create"),
        {
            "source": "instruction",
            "title": "背街小巷环境整治",
            "instruction": "请城关镇牵头，河西乡、县委办配合，月底前整治到位。",
            "instructed_by": "县委书记张三",
            "owner_unit": world.chengguan.pk,
            "deadline_kind": "date",
            "deadline": "2024-10-31",
            "assign": "on",
            **fields,
        },
    )
    assert response.status_code == 302, response.text
    return SupervisionItem.objects.get(title=fields.get("title", "背街小巷环境整治"))


def light(client, user, item) -> str:
    """The light the 督办台账 shows this user for the item."""
    table = as_user(client, user).get(
        reverse("supervision:list"), {"keyword": item.title}, headers={"HX-Request": "true"}
    )
    return table.context["page"][0].light


def test_an_instruction_is_reported_by_two_partners_and_the_lead_and_closes(
    client, clock, world, feng
):
    item = register(client, world, partner_units=[world.hexi.pk, world.office.pk])
    assert item.state == "pending"

    step = "supervision:transition"
    as_user(client, world.li).post(reverse(step, args=[item.pk, "acknowledge"]))
    clock["now"] = at(2024, 9, 25, 10)
    for person, unit, text in (
        (world.wang, world.hexi, "河西乡段已清运"),
        (feng, world.office, "经费已拨付"),
    ):
        part = part_of(item, unit)
        as_user(client, person).post(
            reverse("supervision:partner_report", args=[item.pk, part.pk]), {"text": text}
        )
    lead = as_user(client, world.li)
    lead.post(
        reverse("supervision:progress_post", args=[item.pk]),
        {"text": "主街已整治", "files": [SimpleUploadedFile("现场.pdf", b"%PDF-1.4 photo")]},
    )
    lead.post(reverse(step, args=[item.pk, "submit"]), {"comment": "全部整治到位"})
    assert Notification.objects.filter(recipient=world.zhou, kind=Kind.REVIEW).exists()
    as_user(client, world.zhao).post(reverse(step, args=[item.pk, "close"]), {"comment": "同意"})

    item.refresh_from_db()
    assert (item.state, item.acknowledged_on_time, item.closed_on_time) == ("closed", True, True)
    assert set(item.partner_parts.values_list("state", flat=True)) == {"reported"}
    page = as_user(client, world.li).get(item.get_absolute_url())
    assert "已办结" in page.text
    assert "现场.pdf" in page.text


def test_an_item_left_unacknowledged_turns_yellow_and_its_owner_is_reminded(
    client,
    clock,
    world,
    robot,  # noqa: F811
):
    admin = as_user(client, world.wu)
    admin.post(
        reverse("notify:channels"),
        {"unit": world.chengguan.pk, "kind": "wecom", "webhook_url": robot.url()},
    )
    item = register(client, world, title="城区停车秩序整治")  # Monday 23 September
    call_command("deliver", "--once", stdout=StringIO())  # the notice of its assignment
    assert "交办督办事项“城区停车秩序整治”" in robot.texts[0]
    robot.received.clear()

    clock["now"] = at(2024, 9, 24, 16)  # Tuesday: still within its one working day
    assert light(client, world.li, item) == "green"
    clock["now"] = at(2024, 9, 25, 8, 30)  # Wednesday: a working day has passed
    assert light(client, world.li, item) == "yellow"

    out = StringIO()
    call_command("remind", "--now", "2024-09-25T08:30", stdout=out)

    reminder = Notification.objects.get(recipient=world.li, kind=Kind.ACK_LATE)
    assert reminder.text == "督办事项“城区停车秩序整治”交办已超过1个工作日仍未签收，请及时签收。"
    bell = as_user(client, world.li).get(reverse("notify:list"))
    assert reminder.text in bell.text
    [message] = robot.received
    assert message.body["msgtype"] == "text"
    assert message.body["text"]["content"] == (
        f"【闭环】{reminder.text}\nhttp://127.0.0.1:8000/supervision/{item.pk}/"
    )
    assert "签收超时 1 项" in out.getvalue()
    assert "发送：成功 1" in out.getvalue()


def test_the_duty_lists_refuse_a_negative_task_and_route_an_unlisted_one_for_approval(
    client, clock, world
):
    admin = as_user(client, world.wu)
    for kind, name in (("autonomy", "村规民约制定和修订"), ("negative", "招商引资任务")):
        admin.post(reverse("duties:entry_create"), {"level": "village", "kind": kind, "name": name})
    negative = DutyEntry.objects.get(kind="negative")

    village_task = {"owner_unit": world.dongguan.pk, "deadline": "2024-10-31"}
    refused = as_user(client, world.zhou).post(
        reverse("supervision:create"),
        {**village_task, "source": "higher_up", "title": "招商项目摸排", "duty": negative.pk,
         "deadline_kind": "date", "assign": "on"},
    )  # fmt: skip
    assert refused.status_code == 400
    assert "该任务属于负面清单事项“招商引资任务”，不得交由东关村承担。" in refused.text
    assert not SupervisionItem.objects.exists()

    item = register(client, world, title="全民健身月活动组织", duty=UNLISTED, **village_task)

    assert item.state == "draft"
    check = DutyAssignment.objects.get()
    assert (check.state, check.unit) == ("pending", world.dongguan)
    assert not Notification.objects.filter(recipient=world.chen).exists()
    leader = as_user(client, world.zhao)
    assert "全民健身月活动组织" in leader.get(reverse("duties:approvals")).text
    leader.post(reverse("duties:approval_decide", args=[check.pk]), {"approve": "yes"})
    item.refresh_from_db()
    assert item.state == "pending"
    assert Notification.objects.filter(recipient=world.chen, kind=Kind.ASSIGNED).exists()
