import datetime as dt

import pytest

from bihuan.errors import Conflict, DomainError, NotAllowed
from bihuan.supervision.models import (
    PartnerPart,
    PartnerState,
    Source,
    SupervisionEvent,
    SupervisionItem,
)
from bihuan.supervision.services import (
    ItemSpec,
    extension_decide,
    extension_request,
    extension_review,
    item_create,
    item_transition,
    partner_acknowledge,
    partner_report,
    partner_waive,
    progress_post,
)
from bihuan.workflow.states import Action, State

from .conftest import fresh, part_of


def snapshot() -> tuple:
    return (
        list(SupervisionItem.objects.values_list("pk", "state", "version", "deadline")),
        list(PartnerPart.objects.values_list("pk", "state", "version", "report")),
        SupervisionEvent.objects.count(),
    )


@pytest.fixture
def acknowledged(item, world, now, calendar):
    item_transition(item=item, action=Action.ACKNOWLEDGE, by=world.li, now=now, calendar=calendar)
    return item


def test_creating_registers_the_item_with_its_partners_and_assigns_it(item, world):
    assert (item.state, item.assigning_unit, item.owner_unit) == (
        State.PENDING,
        world.county,
        world.chengguan,
    )
    assert set(item.partner_parts.values_list("unit", "state")) == {
        (world.hexi.pk, PartnerState.PENDING),
        (world.office.pk, PartnerState.PENDING),
    }
    assert item.original_deadline == item.deadline


def test_a_draft_waits_for_assignment(make_item):
    assert make_item(assign=False).state == State.DRAFT


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": " "}, "title", "请填写督办事项。"),
        ({"source": "rumour"}, "source", "未知的事项来源“rumour”。"),
        ({"deadline": dt.date(2024, 9, 1)}, "deadline", "办结时限2024-09-01早于今天，请重新填写。"),
        (
            {"deadline_kind": "ongoing", "deadline": None},
            "feedback_cycle",
            "长期坚持的事项须选择反馈周期。",
        ),
    ],
)
def test_creating_refuses_what_is_incomplete_and_writes_nothing(make_item, fields, field, message):
    with pytest.raises(DomainError) as refused:
        make_item(**fields)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert snapshot() == ([], [], 0)


def test_the_lead_cannot_also_be_a_partner(make_item, world):
    with pytest.raises(DomainError, match="已是牵头单位"):
        make_item(partners=[world.chengguan])
    assert snapshot() == ([], [], 0)


def test_a_township_supervisor_cannot_name_a_unit_outside_the_township(make_item, world, now):
    with pytest.raises(DomainError, match="河西乡"):
        make_item(by=world.qian, partners=[world.hexi])
    assert snapshot() == ([], [], 0)


def test_only_supervisors_register_items(world, now):
    spec = ItemSpec(
        source=Source.MEETING, title="会议事项", owner_unit=world.chengguan, deadline=now.date()
    )
    with pytest.raises(NotAllowed):
        item_create(spec=spec, by=world.li, now=now)
    assert snapshot() == ([], [], 0)


def test_the_lead_may_not_ask_to_close_before_every_partner_reported(
    acknowledged, world, now, calendar
):
    partner_report(
        part=part_of(acknowledged, world.hexi),
        by=world.wang,
        now=now,
        calendar=calendar,
        text="完成",
    )
    before = snapshot()

    with pytest.raises(DomainError) as refused:
        item_transition(
            item=fresh(acknowledged), action=Action.SUBMIT, by=world.li, now=now, calendar=calendar
        )

    assert refused.value.message == (
        "配合单位中共青山县委办公室尚未反馈，不能申请办结；确实无须其反馈的，请督查员免予反馈。"
    )
    assert snapshot() == before


def test_a_supervisor_may_excuse_a_partner_with_a_reason_so_the_lead_can_submit(
    acknowledged, world, feng, now, calendar
):
    partner_report(
        part=part_of(acknowledged, world.hexi),
        by=world.wang,
        now=now,
        calendar=calendar,
        text="完成",
    )
    with pytest.raises(DomainError, match="须填写理由"):
        partner_waive(part=part_of(acknowledged, world.office), by=world.zhou, now=now, reason=" ")
    with pytest.raises(NotAllowed):
        partner_waive(part=part_of(acknowledged, world.office), by=world.li, now=now, reason="无")

    partner_waive(
        part=part_of(acknowledged, world.office), by=world.zhou, now=now, reason="经费已另行解决"
    )
    item_transition(
        item=fresh(acknowledged), action=Action.SUBMIT, by=world.li, now=now, calendar=calendar
    )

    assert fresh(acknowledged).state == State.SUBMITTED
    office = part_of(acknowledged, world.office)
    assert (office.state, office.report, office.reported_by) == (
        PartnerState.WAIVED,
        "经费已另行解决",
        world.zhou,
    )


def test_a_partner_acts_only_for_its_own_unit(item, world, feng, now, calendar):
    before = snapshot()
    with pytest.raises(NotAllowed):
        partner_report(
            part=part_of(item, world.office), by=world.wang, now=now, calendar=calendar, text="x"
        )
    with pytest.raises(NotAllowed):
        partner_acknowledge(part=part_of(item, world.hexi), by=world.li, now=now, calendar=calendar)
    with pytest.raises(NotAllowed):
        item_transition(
            item=item, action=Action.ACKNOWLEDGE, by=world.wang, now=now, calendar=calendar
        )
    assert snapshot() == before


def test_partners_act_only_while_the_item_is_with_its_units(make_item, world, now, calendar):
    draft = make_item(assign=False, partners=[world.hexi])
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        partner_report(
            part=part_of(draft, world.hexi), by=world.wang, now=now, calendar=calendar, text="x"
        )
    assert refused.value.message == "督办事项当前状态为“待交办”，不能再反馈。"
    assert snapshot() == before


def test_a_partner_acknowledging_after_a_working_day_is_late(item, world, calendar):
    from bihuan.conftest import at

    # Assigned Monday 23 September: Tuesday is the last day on time.
    partner_acknowledge(
        part=part_of(item, world.hexi), by=world.wang, now=at(2024, 9, 25), calendar=calendar
    )
    assert part_of(item, world.hexi).acknowledged_on_time is False


def test_a_partner_may_correct_its_report_until_the_lead_submits(
    acknowledged, world, now, calendar
):
    part = part_of(acknowledged, world.hexi)
    partner_report(part=part, by=world.wang, now=now, calendar=calendar, text="初稿")
    partner_report(part=part, by=world.wang, now=now, calendar=calendar, text="定稿")
    assert part_of(acknowledged, world.hexi).report == "定稿"


def test_a_step_on_a_stale_copy_is_refused_and_writes_nothing(item, world, now, calendar):
    stale = part_of(item, world.hexi)
    partner_acknowledge(part=part_of(item, world.hexi), by=world.wang, now=now, calendar=calendar)
    before = snapshot()
    with pytest.raises(Conflict):
        partner_report(part=stale, by=world.wang, now=now, calendar=calendar, text="x")
    assert snapshot() == before


def test_only_the_assigning_units_people_review(acknowledged, make_item, world, now, calendar):
    """钱书记 leads 城关镇 and is a supervisor there, but the county office assigned the item."""
    item = make_item(partners=[])
    item_transition(item=item, action=Action.ACKNOWLEDGE, by=world.li, now=now, calendar=calendar)
    item_transition(item=item, action=Action.SUBMIT, by=world.li, now=now, calendar=calendar)
    before = snapshot()
    for action in (Action.CLOSE, Action.RETURN, Action.CANCEL):
        with pytest.raises(NotAllowed):
            item_transition(
                item=item, action=action, by=world.qian, now=now, calendar=calendar, comment="x"
            )
    assert snapshot() == before
    assert item.is_visible_to(world.qian)


def test_refused_steps_speak_of_items_and_write_nothing(acknowledged, world, now, calendar):
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        item_transition(
            item=acknowledged, action=Action.CLOSE, by=world.zhou, now=now, calendar=calendar
        )
    assert refused.value.message == "当前状态为“办理中”，不能办结。"
    with pytest.raises(DomainError, match="撤销须填写理由"):
        item_transition(
            item=acknowledged, action=Action.CANCEL, by=world.zhou, now=now, calendar=calendar
        )
    assert snapshot() == before


def test_progress_is_the_leads_and_counts_as_feedback(acknowledged, world, now):
    with pytest.raises(NotAllowed):
        progress_post(item=acknowledged, by=world.wang, now=now, text="x")
    progress_post(item=acknowledged, by=world.li, now=now, text="已完成摸排")
    item = fresh(acknowledged)
    assert item.last_feedback_at == now
    assert list(item.progress_updates.values_list("text", flat=True)) == ["已完成摸排"]


def test_an_extension_is_reviewed_by_a_supervisor_then_approved_by_a_leader(
    acknowledged, world, now
):
    old_date = acknowledged.deadline
    new_date = old_date + dt.timedelta(days=10)
    request = extension_request(
        item=acknowledged, by=world.li, now=now, new_deadline=new_date, reason="雨季施工受阻"
    )
    with pytest.raises(DomainError, match="该督办事项已有待审批的延期申请。"):
        extension_request(
            item=fresh(acknowledged), by=world.li, now=now, new_deadline=new_date, reason="再申请"
        )
    with pytest.raises(DomainError, match="须先经督查员初审"):
        extension_decide(request=request, by=world.zhao, now=now, approve=True)
    with pytest.raises(NotAllowed):
        extension_review(request=request, by=world.qian, now=now, approve=True)

    extension_review(request=request, by=world.zhou, now=now, approve=True, comment="情况属实")
    with pytest.raises(NotAllowed, match="只有交办单位的领导"):
        extension_decide(request=request, by=world.zhou, now=now, approve=True)
    extension_decide(request=request, by=world.zhao, now=now, approve=True, comment="同意")

    item = fresh(acknowledged)
    assert (item.deadline, item.original_deadline) == (new_date, old_date)
    request.refresh_from_db()
    assert (request.reviewed_by, request.decided_by, request.state) == (
        world.zhou,
        world.zhao,
        "approved",
    )


def test_cancelling_lapses_a_pending_extension(acknowledged, world, now):
    request = extension_request(
        item=acknowledged,
        by=world.li,
        now=now,
        new_deadline=acknowledged.deadline + dt.timedelta(days=3),
        reason="等待批复",
    )
    item_transition(
        item=fresh(acknowledged), action=Action.CANCEL, by=world.zhou, now=now,
        calendar=None, comment="已并入其他事项",
    )  # fmt: skip
    request.refresh_from_db()
    assert (request.state, request.decision_comment) == ("lapsed", "督办事项已撤销，申请自动失效")
