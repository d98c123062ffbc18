"""清单制 on 交办: a task for a village names its list entry; the negative list refuses it; a task
on no list waits for 准入审批 and reaches the village only once approved."""

import pytest

from bihuan.audit.models import AuditEntry
from bihuan.duties.gate import UNLISTED
from bihuan.duties.models import DutyAssignment, DutyState
from bihuan.duties.services import approval_decide
from bihuan.errors import DomainError, NotAllowed
from bihuan.ledger.models import Measure
from bihuan.ledger.services import MeasureSpec, measure_transition, problem_assign
from bihuan.notify.models import Kind, Notification
from bihuan.supervision.models import SupervisionItem
from bihuan.supervision.services import ItemSpec, item_create
from bihuan.workflow.states import Action, State


def assign(measure, world, now, calendar, duty=""):
    return measure_transition(
        measure=measure, action=Action.ASSIGN, by=world.zhou, now=now, calendar=calendar, duty=duty
    )


def state_of(measure) -> str:
    return Measure.objects.get(pk=measure.pk).state


def test_a_task_for_a_village_must_name_its_list_entry(
    lists, village_measure, world, now, calendar
):
    with pytest.raises(DomainError) as refusal:
        assign(village_measure, world, now, calendar)

    assert refusal.value.field == "duty"
    assert refusal.value.message.startswith("任务交由东关村承担，请选择其所属的清单事项")
    assert state_of(village_measure) == State.DRAFT
    assert not DutyAssignment.objects.exists()


def test_a_negative_list_task_is_refused_with_the_entry_named(
    lists, village_measure, world, now, calendar
):
    with pytest.raises(DomainError) as refusal:
        assign(village_measure, world, now, calendar, duty=str(lists.investment.pk))

    assert refusal.value.message == "该任务属于负面清单事项“招商引资任务”，不得交由东关村承担。"
    assert state_of(village_measure) == State.DRAFT
    assert not DutyAssignment.objects.exists()
    assert not Notification.objects.exists()


def test_a_listed_task_is_assigned_and_its_entry_recorded(
    lists, village_measure, world, now, calendar
):
    assert assign(village_measure, world, now, calendar, duty=str(lists.census.pk)) is True

    assert state_of(village_measure) == State.PENDING
    check = DutyAssignment.objects.get()
    assert (check.state, check.entry, check.unit, check.assigning_unit, check.measure) == (
        DutyState.LISTED,
        lists.census,
        world.dongguan,
        world.county,
        village_measure,
    )
    assert AuditEntry.objects.filter(object_type="duties.dutyassignment").count() == 1
    # The village clerk hears of the new task.
    assert list(Notification.objects.values_list("recipient__username", "kind")) == [
        ("chen", Kind.ASSIGNED)
    ]


def test_an_unlisted_task_waits_for_approval_and_does_not_reach_the_village(
    lists, village_measure, world, now, calendar
):
    assert assign(village_measure, world, now, calendar, duty=UNLISTED) is False

    assert state_of(village_measure) == State.DRAFT
    check = DutyAssignment.objects.get()
    assert (check.state, check.entry, check.requested_by) == (DutyState.PENDING, None, world.zhou)
    note = Notification.objects.get()
    assert (note.recipient, note.kind, note.link) == (
        world.zhao,
        Kind.APPROVAL,
        "/duties/approvals/",
    )
    assert "不在村（社区）职责清单内，请进行准入审批" in note.text
    with pytest.raises(DomainError, match="已提交准入审批"):
        assign(Measure.objects.get(pk=village_measure.pk), world, now, calendar, duty=UNLISTED)
    assert DutyAssignment.objects.count() == 1


def test_approval_assigns_the_task_in_the_assigners_name(
    lists, village_measure, world, now, calendar
):
    assign(village_measure, world, now, calendar, duty=UNLISTED)
    check = DutyAssignment.objects.get()

    decision = approval_decide(check=check, by=world.zhao, now=now, calendar=calendar, approve=True)

    assert (decision.approved, decision.assigned) == (True, True)
    measure = Measure.objects.get(pk=village_measure.pk)
    assert measure.state == State.PENDING
    event = measure.events.get(action=Action.ASSIGN)
    assert (event.actor, event.comment) == (world.zhou, "准入审批同意（赵县长）")
    assert DutyAssignment.objects.get().state == DutyState.APPROVED
    told = set(Notification.objects.values_list("recipient__username", "kind"))
    assert {("chen", Kind.ASSIGNED), ("zhou", Kind.APPROVAL)} <= told


def test_a_refusal_keeps_the_task_a_draft_and_tells_the_assigner_why(
    lists, village_measure, world, now, calendar
):
    assign(village_measure, world, now, calendar, duty=UNLISTED)
    check = DutyAssignment.objects.get()
    with pytest.raises(DomainError, match="不同意须填写理由"):
        approval_decide(check=check, by=world.zhao, now=now, calendar=calendar, approve=False)

    approval_decide(
        check=check, by=world.zhao, now=now, calendar=calendar, approve=False,
        comment="属乡镇职责，不得下派",
    )  # fmt: skip

    assert state_of(village_measure) == State.DRAFT
    note = Notification.objects.get(recipient=world.zhou)
    assert note.text.endswith("准入审批不同意，理由：属乡镇职责，不得下派。")
    # Refused, it may be assigned under a list entry after all.
    assign(Measure.objects.get(pk=village_measure.pk), world, now, calendar, str(lists.charter.pk))
    assert state_of(village_measure) == State.PENDING


def test_only_the_configured_role_over_the_assigning_unit_approves(
    lists, village_measure, world, now, calendar, settings
):
    assign(village_measure, world, now, calendar, duty=UNLISTED)
    check = DutyAssignment.objects.get()
    for outsider in (world.zhou, world.qian):  # a supervisor; a leader below the county
        with pytest.raises(NotAllowed, match="只有交办单位的领导"):
            approval_decide(check=check, by=outsider, now=now, calendar=calendar, approve=True)
    assert DutyAssignment.objects.get().state == DutyState.PENDING

    settings.BIHUAN_DUTY_APPROVER_ROLE = "supervisor"
    approval_decide(check=check, by=world.zhou, now=now, calendar=calendar, approve=True)
    assert state_of(village_measure) == State.PENDING


def test_an_entry_of_the_other_level_is_refused(lists, village_measure, world, now, calendar):
    with pytest.raises(
        DomainError, match="“居民公约制定和修订”是社区的清单事项，本任务应从村的清单中选择"
    ):
        assign(village_measure, world, now, calendar, duty=str(lists.covenant.pk))
    with pytest.raises(DomainError, match="所选清单事项不存在或已停用"):
        assign(village_measure, world, now, calendar, duty="x1")
    assert state_of(village_measure) == State.DRAFT


def test_a_community_is_checked_against_the_community_lists(
    lists, make_problem, nanjie, world, now, calendar
):
    spec = MeasureSpec(text="更新居民公约", owner_unit=nanjie, deadline=now.date().replace(day=30))
    measure = make_problem(unit=nanjie, measures=[spec]).measures.get()

    with pytest.raises(DomainError, match="本任务应从社区的清单中选择"):
        assign(measure, world, now, calendar, duty=str(lists.charter.pk))
    assign(measure, world, now, calendar, duty=str(lists.covenant.pk))

    assert state_of(measure) == State.PENDING


def test_a_level_without_lists_and_a_township_are_not_checked(
    village_measure, make_problem, world, now, calendar
):
    assign(village_measure, world, now, calendar)
    township = make_problem().measures.get()
    assign(township, world, now, calendar)

    assert (state_of(village_measure), state_of(township)) == (State.PENDING, State.PENDING)
    assert not DutyAssignment.objects.exists()


def test_a_problem_assigned_at_once_checks_each_village_measure(
    lists, make_problem, world, now, calendar
):
    day = now.date().replace(day=30)
    problem = make_problem(
        unit=world.chengguan,
        measures=[
            MeasureSpec(text="镇里整改", owner_unit=world.chengguan, deadline=day),
            MeasureSpec(text="村里公示", owner_unit=world.dongguan, deadline=day),
        ],
    )
    with pytest.raises(DomainError, match="任务交由东关村承担"):
        problem_assign(problem=problem, by=world.zhou, now=now, calendar=calendar)
    assert set(problem.measures.values_list("state", flat=True)) == {State.DRAFT}

    village = problem.measures.get(owner_unit=world.dongguan)
    count = problem_assign(
        problem=problem, by=world.zhou, now=now, calendar=calendar, duties={village.pk: UNLISTED}
    )

    assert count == 1
    assert dict(problem.measures.values_list("text", "state")) == {
        "镇里整改": State.PENDING,
        "村里公示": State.DRAFT,
    }


def test_a_supervision_item_with_a_village_partner_is_checked(lists, world, now, calendar):
    spec = ItemSpec(
        source="instruction",
        title="人居环境整治",
        owner_unit=world.chengguan,
        partner_units=(world.dongguan,),
        deadline=now.date().replace(day=30),
    )
    with pytest.raises(DomainError, match="任务交由东关村承担"):
        item_create(spec=spec, by=world.zhou, now=now, calendar=calendar, assign=True)
    assert not SupervisionItem.objects.exists()

    with pytest.raises(DomainError, match="负面清单事项“招商引资任务”"):
        item_create(
            spec=spec, by=world.zhou, now=now, calendar=calendar, assign=True,
            duty=str(lists.investment.pk),
        )  # fmt: skip
    assert not SupervisionItem.objects.exists()

    item = item_create(
        spec=spec, by=world.zhou, now=now, calendar=calendar, assign=True, duty=UNLISTED
    )

    assert item.state == State.DRAFT
    check = DutyAssignment.objects.get()
    assert (check.supervision_item, check.unit, check.state) == (item, world.dongguan, "pending")
    approval_decide(check=check, by=world.zhao, now=now, calendar=calendar, approve=True)
    assert SupervisionItem.objects.get(pk=item.pk).state == State.PENDING
