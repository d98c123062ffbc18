import datetime as dt

import pytest

from bihuan.conftest import at
from bihuan.errors import Conflict, DomainError, NotAllowed
from bihuan.ledger.models import Measure
from bihuan.ledger.services import MeasureSpec
from bihuan.workflow.states import Action, DeadlineKind, State


def history(measure):
    return list(measure.events.values_list("action", "from_state", "to_state"))


def unchanged(measure, **expected):
    fresh = Measure.objects.get(pk=measure.pk)
    return all(getattr(fresh, name) == value for name, value in expected.items())


def test_the_whole_loop_writes_one_history_entry_per_step(measure, world, now, calendar):
    measure.assign(by=world.zhou, now=now, calendar=calendar)
    measure.acknowledge(by=world.li, now=now, calendar=calendar)
    measure.submit(by=world.li, now=now, comment="已公示")
    measure.close(by=world.zhou, now=now)

    fresh = Measure.objects.get(pk=measure.pk)
    assert fresh.state == State.CLOSED
    assert fresh.closed_on_time is True
    assert history(fresh) == [
        (Action.CREATE, State.DRAFT, State.DRAFT),
        (Action.ASSIGN, State.DRAFT, State.PENDING),
        (Action.ACKNOWLEDGE, State.PENDING, State.IN_PROGRESS),
        (Action.SUBMIT, State.IN_PROGRESS, State.SUBMITTED),
        (Action.CLOSE, State.SUBMITTED, State.CLOSED),
    ]


def test_return_needs_a_reason_and_sends_the_measure_back(submitted, world, now):
    with pytest.raises(DomainError, match="须填写理由"):
        submitted.return_to_owner(by=world.zhou, now=now, comment="  ")
    assert unchanged(submitted, state=State.SUBMITTED)

    submitted.return_to_owner(by=world.zhou, now=now, comment="佐证材料不全")

    fresh = Measure.objects.get(pk=submitted.pk)
    assert fresh.state == State.IN_PROGRESS
    assert fresh.submitted_at is None
    assert fresh.events.last().comment == "佐证材料不全"


def test_a_leader_may_close_but_not_assign(submitted, measure, world, now, calendar):
    submitted.close(by=world.zhao, now=now)
    assert unchanged(submitted, state=State.CLOSED)


def test_a_handler_cannot_assign_and_nothing_changes(measure, world, now, calendar):
    with pytest.raises(NotAllowed, match="只有督查员可以交办"):
        measure.assign(by=world.li, now=now, calendar=calendar)
    assert unchanged(measure, state=State.DRAFT, assigned_at=None)
    assert measure.events.count() == 1


def test_a_handler_of_another_township_cannot_acknowledge(assigned, world, now, calendar):
    with pytest.raises(NotAllowed):
        assigned.acknowledge(by=world.wang, now=now, calendar=calendar)
    assert unchanged(assigned, state=State.PENDING)


def test_a_village_clerk_cannot_acknowledge_for_the_township(assigned, world, now, calendar):
    with pytest.raises(NotAllowed):
        assigned.acknowledge(by=world.chen, now=now, calendar=calendar)


def test_a_supervisor_cannot_submit_for_the_owner(in_progress, world, now):
    with pytest.raises(NotAllowed):
        in_progress.submit(by=world.zhou, now=now)
    assert unchanged(in_progress, state=State.IN_PROGRESS)


def test_the_owner_person_may_act_without_the_handler_role(make_problem, world, now, calendar):
    problem = make_problem(
        measures=[
            MeasureSpec(
                text="系统学习条例",
                owner_unit=world.chengguan,
                owner=world.sun,
                deadline=now.date() + dt.timedelta(days=10),
            )
        ]
    )
    measure = problem.measures.get()
    measure.assign(by=world.zhou, now=now, calendar=calendar)
    measure.acknowledge(by=world.sun, now=now, calendar=calendar)
    assert unchanged(measure, state=State.IN_PROGRESS)


def test_a_step_out_of_order_is_refused(assigned, world, now):
    with pytest.raises(DomainError, match="当前状态为“待签收”，不能销号"):
        assigned.close(by=world.zhou, now=now)
    assert unchanged(assigned, state=State.PENDING)


def test_closing_twice_is_refused(submitted, world, now):
    submitted.close(by=world.zhou, now=now)
    with pytest.raises(DomainError):
        submitted.close(by=world.zhou, now=now)
    assert submitted.events.filter(action=Action.CLOSE).count() == 1


def test_a_stale_copy_cannot_overwrite_a_newer_change(submitted, world, now):
    stale = Measure.objects.get(pk=submitted.pk)
    submitted.close(by=world.zhou, now=now)

    with pytest.raises(Conflict):
        stale.return_to_owner(by=world.zhao, now=now, comment="再改改")
    assert unchanged(submitted, state=State.CLOSED)


def test_cancel_needs_a_reason_and_a_supervisor(in_progress, world, now):
    with pytest.raises(NotAllowed):
        in_progress.cancel(by=world.li, now=now, comment="不想做")
    with pytest.raises(DomainError, match="须填写理由"):
        in_progress.cancel(by=world.zhou, now=now, comment="")
    in_progress.cancel(by=world.zhou, now=now, comment="问题重复登记")
    assert unchanged(in_progress, state=State.CANCELLED)


def test_system_admin_sees_no_business_data_and_cannot_act(measure, world, now, calendar):
    assert not Measure.objects.visible_to(world.wu).exists()
    with pytest.raises(NotAllowed):
        measure.assign(by=world.wu, now=now, calendar=calendar)


def test_working_day_deadline_is_fixed_at_assignment_across_national_day(
    make_problem, world, calendar
):
    problem = make_problem(
        measures=[
            MeasureSpec(
                text="限期答复群众诉求",
                owner_unit=world.chengguan,
                deadline_kind=DeadlineKind.WORKING_DAYS,
                deadline_working_days=3,
            )
        ]
    )
    measure = problem.measures.get()
    assert measure.deadline is None

    measure.assign(by=world.zhou, now=at(2024, 9, 30), calendar=calendar)

    assert unchanged(
        measure, deadline=dt.date(2024, 10, 10), original_deadline=dt.date(2024, 10, 10)
    )


def test_assigning_after_the_deadline_has_passed_is_refused(measure, world, calendar):
    late = at(2024, 12, 1)
    with pytest.raises(DomainError, match="早于交办日期") as error:
        measure.assign(by=world.zhou, now=late, calendar=calendar)
    assert error.value.field == "deadline"
    assert unchanged(measure, state=State.DRAFT)


@pytest.mark.parametrize(
    ("acknowledged", "on_time"),
    [
        (at(2024, 9, 30, 17), True),  # the first working day after assignment
        (at(2024, 10, 8, 9), False),  # after the holiday
    ],
)
def test_acknowledgement_within_one_working_day_is_timely(
    make_problem, world, calendar, acknowledged, on_time
):
    measure = make_problem(when=at(2024, 9, 27)).measures.get()
    measure.assign(by=world.zhou, now=at(2024, 9, 29, 10), calendar=calendar)  # make-up Sunday
    measure.acknowledge(by=world.li, now=acknowledged, calendar=calendar)
    assert unchanged(measure, acknowledged_on_time=on_time)


def test_submitting_after_the_deadline_counts_as_late(make_problem, world, calendar):
    measure = make_problem(when=at(2024, 9, 2)).measures.get()  # due 2024-10-02
    measure.assign(by=world.zhou, now=at(2024, 9, 2), calendar=calendar)
    measure.acknowledge(by=world.li, now=at(2024, 9, 2), calendar=calendar)
    measure.submit(by=world.li, now=at(2024, 10, 8))
    measure.close(by=world.zhou, now=at(2024, 10, 8))
    assert unchanged(measure, submitted_on_time=False, closed_on_time=False)


def test_allowed_actions_follow_role_and_state(in_progress, world):
    assert set(in_progress.allowed_actions(world.li)) == {
        Action.SUBMIT,
        Action.PROGRESS,
        Action.EXTENSION_REQUEST,
    }
    assert in_progress.allowed_actions(world.zhou) == [Action.CANCEL]
    assert in_progress.allowed_actions(world.wang) == []
