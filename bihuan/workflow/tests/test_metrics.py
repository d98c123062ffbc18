import pytest

from bihuan.conftest import at
from bihuan.ledger.models import Measure
from bihuan.workflow.metrics import Timeliness, counts_by_state_and_light, timeliness_by_unit
from bihuan.workflow.models import LightCutoffs

from . import sample_ledger


@pytest.fixture
def ledger(world, make_problem, calendar):
    return sample_ledger.build(world=world, make_problem=make_problem, calendar=calendar)


def cutoffs_on(day, calendar):
    return LightCutoffs(now=at(2024, 10, day), calendar=calendar)


def county_table(world, calendar, day=8):
    return timeliness_by_unit(
        Measure.objects.all(),
        units=[world.chengguan, world.hexi],
        own_items_of=world.county,
        cutoffs=cutoffs_on(day, calendar),
    )


def test_each_unit_counts_its_whole_subtree(ledger, world, calendar):
    table = county_table(world, calendar)

    chengguan, hexi = table.rows
    assert chengguan.unit == world.chengguan
    assert chengguan.subtree
    assert chengguan.figures == Timeliness(
        assigned=5,
        acknowledged=4,
        acknowledged_on_time=3,
        acknowledge_late=0,
        closed=2,
        closed_on_time=1,
        overdue=1,
    )
    assert hexi.figures == Timeliness(
        assigned=2,
        acknowledged=1,
        acknowledged_on_time=1,
        acknowledge_late=1,
        closed=0,
        closed_on_time=0,
        overdue=0,
    )


def test_the_rates_follow_from_the_counts(ledger, world, calendar):
    chengguan, hexi = county_table(world, calendar).rows

    assert chengguan.figures.acknowledge_rate == 3 / 4
    assert chengguan.figures.on_time_rate == 1 / 3
    assert chengguan.figures.closed_rate == 2 / 5
    # The unacknowledged measure is late, so it counts against 河西乡's 签收及时率.
    assert hexi.figures.acknowledge_rate == 1 / 2
    assert hexi.figures.closed_rate == 0.0


def test_a_rate_with_nothing_to_judge_is_none(ledger, world, calendar):
    # 河西乡's only past-deadline measure was submitted on time: nothing closed, nothing overdue.
    hexi = county_table(world, calendar).rows[1]
    assert hexi.figures.close_due == 0
    assert hexi.figures.on_time_rate is None


def test_the_own_row_counts_only_the_units_own_items(ledger, world, calendar):
    table = timeliness_by_unit(
        Measure.objects.all(),
        units=[world.dongguan],
        own_items_of=world.chengguan,
        cutoffs=cutoffs_on(8, calendar),
    )

    assert not table.own.subtree
    assert table.own.figures == Timeliness(
        assigned=3, acknowledged=2, acknowledged_on_time=1, closed=1, closed_on_time=1
    )
    assert table.rows[0].figures == Timeliness(
        assigned=2, acknowledged=2, acknowledged_on_time=2, closed=1, overdue=1
    )
    assert table.total.assigned == 5


def test_drafts_and_cancelled_measures_are_not_counted(ledger, world, calendar):
    table = county_table(world, calendar)
    assert table.own.figures == Timeliness()
    assert table.total.assigned == 7
    assert Measure.objects.count() == 9


def test_acknowledgement_due_after_the_holiday_is_late_only_the_day_after(ledger, world, calendar):
    # Assigned on 09-30, the eve of National Day: the next working day is 10-08.
    on_the_8th = county_table(world, calendar, day=8).rows[0].figures
    on_the_9th = county_table(world, calendar, day=9).rows[0].figures

    assert on_the_8th.acknowledge_late == 0
    assert on_the_9th.acknowledge_late == 1
    assert on_the_9th.acknowledge_rate == 3 / 5


def test_acknowledging_on_the_first_working_day_after_the_holiday_is_on_time(
    ledger, world, calendar
):
    ledger.awaiting.acknowledge(by=world.li, now=at(2024, 10, 8, 17), calendar=calendar)

    figures = county_table(world, calendar, day=9).rows[0].figures
    assert figures.acknowledged_on_time == 4
    assert figures.acknowledge_rate == 4 / 5


def test_a_measure_becomes_overdue_the_day_after_its_deadline(ledger, world, calendar):
    dongguan = timeliness_by_unit(
        Measure.objects.all(), units=[world.dongguan], cutoffs=cutoffs_on(8, calendar)
    ).rows[0]
    assert dongguan.figures.overdue == 1

    on_deadline = timeliness_by_unit(
        Measure.objects.all(),
        units=[world.dongguan],
        cutoffs=LightCutoffs(now=at(2024, 9, 30), calendar=calendar),
    ).rows[0]
    assert on_deadline.figures.overdue == 0


def test_figures_cover_only_the_queryset_given(ledger, world, calendar):
    table = timeliness_by_unit(
        Measure.objects.visible_to(world.wang),
        units=[world.chengguan, world.hexi],
        cutoffs=cutoffs_on(8, calendar),
    )
    assert table.rows[0].figures == Timeliness()
    assert table.rows[1].figures.assigned == 2


def test_the_table_is_one_query_however_many_units(
    ledger, world, calendar, django_assert_num_queries
):
    units = [world.county, world.chengguan, world.dongguan, world.hexi, world.xihe]
    with django_assert_num_queries(1):
        timeliness_by_unit(Measure.objects.all(), units=units, cutoffs=cutoffs_on(8, calendar))


def test_counts_by_state_and_light(ledger, calendar, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = counts_by_state_and_light(Measure.objects.all(), cutoffs=cutoffs_on(8, calendar))

    assert counts.by_state == sample_ledger.BY_STATE_ON_OCT_8
    assert counts.by_light == sample_ledger.BY_LIGHT_ON_OCT_8
    assert counts.total == 9


def test_counts_of_an_empty_queryset_are_all_zero(db, calendar):
    counts = counts_by_state_and_light(Measure.objects.none(), cutoffs=cutoffs_on(8, calendar))
    assert set(counts.by_state.values()) == {0}
    assert set(counts.by_light.values()) == {0}
