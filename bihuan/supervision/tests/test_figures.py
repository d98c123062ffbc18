"""反馈及时率, days overdue and the per-unit table, each from SQL."""

import datetime as dt

import pytest

from bihuan.conftest import at
from bihuan.supervision.figures import Feedback, feedback_by_unit, item_figures, supervision_by_unit
from bihuan.supervision.models import SupervisionItem
from bihuan.supervision.services import progress_post
from bihuan.workflow.models import LightCutoffs
from bihuan.workflow.states import DeadlineKind, FeedbackCycle

from .conftest import fresh


def figures_on(item, day: dt.date) -> tuple[int, int, int]:
    row = SupervisionItem.objects.annotate(**item_figures(day)).get(pk=item.pk)
    return row.feedback_due, row.feedback_met, row.overdue_days


@pytest.fixture
def weekly(make_item, world, calendar):
    """Ongoing, weekly feedback, acknowledged on Monday 23 September: the weeks run Monday to
    Sunday from then on."""
    item = make_item(
        deadline_kind=DeadlineKind.ONGOING, deadline=None, feedback_cycle=FeedbackCycle.WEEKLY
    )
    item.acknowledge(by=world.li, now=at(2024, 9, 23, 10), calendar=calendar)
    return item


def test_feedback_counts_the_weeks_ended_and_those_with_a_report(weekly, world):
    progress_post(item=fresh(weekly), by=world.li, now=at(2024, 9, 25), text="第一周")
    # Nothing in the week of 30 September.
    progress_post(item=fresh(weekly), by=world.li, now=at(2024, 10, 8), text="第三周")
    progress_post(item=fresh(weekly), by=world.li, now=at(2024, 10, 9), text="第三周又一次")

    assert figures_on(weekly, dt.date(2024, 10, 13)) == (2, 1, 0)
    assert figures_on(weekly, dt.date(2024, 10, 14)) == (3, 2, 0)


def test_a_report_in_the_running_week_counts_once_the_week_ends(weekly, world):
    progress_post(item=fresh(weekly), by=world.li, now=at(2024, 9, 24), text="本周")

    assert figures_on(weekly, dt.date(2024, 9, 26)) == (0, 0, 0)
    assert figures_on(weekly, dt.date(2024, 9, 30)) == (1, 1, 0)


def test_feedback_stops_being_due_once_the_item_is_submitted(weekly, world, calendar):
    progress_post(item=fresh(weekly), by=world.li, now=at(2024, 9, 24), text="本周")
    fresh(weekly).submit(by=world.li, now=at(2024, 10, 2))

    assert figures_on(weekly, dt.date(2024, 12, 1)) == (1, 1, 0)


def test_items_with_a_deadline_report_once_and_count_days_overdue(make_item, world, calendar):
    open_late = make_item(deadline=dt.date(2024, 9, 30))
    closed_late = make_item(deadline=dt.date(2024, 9, 25))
    closed_late.acknowledge(by=world.li, now=at(2024, 9, 23, 10), calendar=calendar)
    closed_late.submit(by=world.li, now=at(2024, 9, 27))
    closed_late.close(by=world.zhou, now=at(2024, 9, 29))

    assert figures_on(open_late, dt.date(2024, 10, 8)) == (0, 0, 8)
    assert figures_on(closed_late, dt.date(2024, 10, 8)) == (0, 0, 2)


def test_the_unit_table_sums_each_units_subtree_in_two_queries(
    make_item, weekly, world, calendar, django_assert_num_queries
):
    progress_post(item=fresh(weekly), by=world.li, now=at(2024, 9, 25), text="第一周")
    make_item(owner_unit=world.hexi, deadline=dt.date(2024, 9, 30))
    cutoffs = LightCutoffs(now=at(2024, 10, 8), calendar=calendar)

    with django_assert_num_queries(2):
        table = supervision_by_unit(
            SupervisionItem.objects.all(),
            units=[world.chengguan, world.hexi],
            cutoffs=cutoffs,
            own_items_of=world.county,
        )

    chengguan, hexi = table.rows
    assert (chengguan.unit, chengguan.feedback.feedback_due, chengguan.feedback.feedback_met) == (
        world.chengguan,
        2,
        1,
    )
    assert chengguan.feedback.feedback_rate == 0.5
    assert (hexi.timeliness.assigned, hexi.timeliness.overdue) == (1, 1)
    assert hexi.feedback == Feedback(overdue_days=8, overdue_days_max=8)
    assert table.own.timeliness.assigned == 0
    assert table.total_timeliness.assigned == 2
    assert table.total_feedback.feedback_due == 2


def test_a_unit_without_items_has_no_rate(world):
    own, rows, total = feedback_by_unit(
        SupervisionItem.objects.all(), units=[world.hexi], today=dt.date(2024, 10, 8)
    )
    assert (own, rows[world.hexi.pk].feedback_rate, total) == (None, None, Feedback())
