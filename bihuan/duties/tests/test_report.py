"""The burden report: per assigning unit and period, tasks pushed to villages and how many were
outside the lists."""

import datetime as dt

from bihuan.conftest import at
from bihuan.duties.gate import UNLISTED
from bihuan.duties.models import DutyAssignment
from bihuan.duties.selectors import burden_report
from bihuan.duties.services import approval_decide
from bihuan.ledger.services import MeasureSpec, measure_transition
from bihuan.workflow.states import Action


def push(make_problem, world, calendar, *, when, duty, by=None, unit=None):
    by = by or world.zhou
    unit = unit or world.dongguan
    spec = MeasureSpec(text="整改", owner_unit=unit, deadline=when.date() + dt.timedelta(days=40))
    measure = make_problem(unit=unit, measures=[spec], when=when, by=by).measures.get()
    measure_transition(
        measure=measure, action=Action.ASSIGN, by=by, now=when, calendar=calendar, duty=duty
    )
    return measure


def test_tasks_are_counted_per_unit_and_month_with_those_outside_the_lists(
    lists, make_problem, world, calendar
):
    september, october = at(2024, 9, 23), at(2024, 10, 9)
    push(make_problem, world, calendar, when=september, duty=str(lists.census.pk))
    push(make_problem, world, calendar, when=september, duty=UNLISTED)
    push(make_problem, world, calendar, when=october, duty=UNLISTED)
    # 城关镇's own supervisor pushes one too.
    push(make_problem, world, calendar, when=october, duty=str(lists.charter.pk), by=world.qian)
    first_unlisted = DutyAssignment.objects.filter(state="pending").order_by("pk").first()
    approval_decide(
        check=first_unlisted, by=world.zhao, now=september, calendar=calendar, approve=True
    )

    rows, total = burden_report(user=world.zhao, year=2024, period="month")

    assert [
        (row.unit.name, row.period, row.pushed, row.listed, row.outside, row.approved, row.pending)
        for row in rows
    ] == [
        ("青山县", "2024年09月", 2, 1, 1, 1, 0),
        ("青山县", "2024年10月", 1, 0, 1, 0, 1),
        ("城关镇", "2024年10月", 1, 1, 0, 0, 0),
    ]
    assert (total.pushed, total.outside, total.outside_rate) == (4, 2, 0.5)
    quarters, _ = burden_report(user=world.zhao, year=2024, period="quarter")
    assert [(row.unit.name, row.period, row.pushed) for row in quarters] == [
        ("青山县", "2024年第3季度", 2),
        ("青山县", "2024年第4季度", 1),
        ("城关镇", "2024年第4季度", 1),
    ]
    # 河西乡 sees none of it; 城关镇 sees what was pushed by it or to its village.
    assert burden_report(user=world.wang, year=2024)[0] == []
    assert len(burden_report(user=world.qian, year=2024, period="year")[0]) == 2
