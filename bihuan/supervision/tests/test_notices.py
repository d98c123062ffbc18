"""Each workflow step reaches whoever must act next: 交办 the lead and partner units, 申请办结 and
延期申请 the assigning unit's supervisors, 初审 its leaders, 退回 and decisions the lead."""

import datetime as dt

from bihuan.notify.models import Kind, Notification
from bihuan.supervision.services import (
    extension_decide,
    extension_request,
    extension_review,
    item_transition,
    partner_report,
)
from bihuan.workflow.states import Action

from .conftest import fresh, part_of


def told(kind) -> list[str]:
    notes = Notification.objects.filter(kind=kind).order_by("recipient__username")
    return list(notes.values_list("recipient__username", flat=True))


def test_assignment_tells_the_lead_and_the_partners(item, world, feng):
    assert told(Kind.ASSIGNED) == ["feng", "li", "wang"]
    note = Notification.objects.get(recipient=world.li)
    assert note.text == (
        "周督查交办督办事项“背街小巷环境整治”，时限2024年10月23日，请在1个工作日内签收。"
    )
    assert note.link == f"/supervision/{item.pk}/"


def test_submission_tells_the_assigning_units_supervisors_and_a_return_the_lead(
    item, world, feng, now, calendar
):
    item_transition(item=item, action=Action.ACKNOWLEDGE, by=world.li, now=now, calendar=calendar)
    for unit, person in ((world.hexi, world.wang), (world.office, feng)):
        partner_report(part=part_of(item, unit), by=person, now=now, calendar=calendar, text="好")
    Notification.objects.all().delete()

    item_transition(item=fresh(item), action=Action.SUBMIT, by=world.li, now=now, calendar=calendar)
    # The county assigned it: 周督查 reviews, not 城关镇's own 钱书记.
    assert told(Kind.REVIEW) == ["zhou"]
    assert Notification.objects.get().text == "督办事项“背街小巷环境整治”已申请办结，请审核。"

    item_transition(
        item=fresh(item), action=Action.RETURN, by=world.zhou, now=now, calendar=calendar,
        comment="照片不全",
    )  # fmt: skip
    assert told(Kind.RETURNED) == ["li"]
    assert Notification.objects.get(kind=Kind.RETURNED).text == (
        "督办事项“背街小巷环境整治”被退回，理由：照片不全。请修改后重新申请办结。"
    )


def test_an_extension_goes_to_the_supervisor_then_the_leader_then_back(item, world, now, calendar):
    item_transition(item=item, action=Action.ACKNOWLEDGE, by=world.li, now=now, calendar=calendar)
    Notification.objects.all().delete()
    request = extension_request(
        item=fresh(item),
        by=world.li,
        now=now,
        new_deadline=dt.date(2024, 11, 15),
        reason="雨季施工受阻",
    )
    assert told(Kind.REVIEW) == ["zhou"]
    assert "申请延期至2024年11月15日（雨季施工受阻），请审批" in Notification.objects.get().text

    extension_review(request=request, by=world.zhou, now=now, approve=True)
    assert told(Kind.REVIEW) == ["zhao", "zhou"]

    extension_decide(request=request, by=world.zhao, now=now, approve=True)
    assert told(Kind.DECIDED) == ["li"]
    assert Notification.objects.get(kind=Kind.DECIDED).text == (
        "督办事项“背街小巷环境整治”的延期申请已同意，时限改为2024年11月15日。"
    )


def test_a_refusal_at_the_first_step_ends_the_request_and_tells_the_lead(
    item, world, now, calendar
):
    item_transition(item=item, action=Action.ACKNOWLEDGE, by=world.li, now=now, calendar=calendar)
    request = extension_request(
        item=fresh(item), by=world.li, now=now, new_deadline=dt.date(2024, 11, 15), reason="忙"
    )

    extension_review(request=request, by=world.zhou, now=now, approve=False, comment="理由不足")

    request.refresh_from_db()
    assert (request.state, request.reviewed_by, request.decided_by) == (
        "refused",
        world.zhou,
        world.zhou,
    )
    assert told(Kind.DECIDED) == ["li"]
    assert fresh(item).deadline == item.deadline
