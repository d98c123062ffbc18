import pytest

from bihuan.conftest import at
from bihuan.ledger.models import Measure
from bihuan.rankings.figures import (
    FIGURE_NAMES,
    UnitFigures,
    figure_items,
    figures_by_unit,
    window_for,
)
from bihuan.rankings.periods import parse_period
from bihuan.supervision.models import SupervisionItem
from bihuan.workflow.models import LightCutoffs

from .conftest import SEPTEMBER


@pytest.fixture
def window(october_8, calendar):
    return window_for(
        parse_period(SEPTEMBER), cutoffs=LightCutoffs(now=october_8, calendar=calendar)
    )


def test_each_townships_september_is_counted_with_its_villages(world, september, window):
    figures = figures_by_unit(
        user=world.zhou, units=[world.chengguan, world.hexi], parent=world.county, window=window
    )

    assert figures[world.chengguan.pk] == UnitFigures(
        acknowledge_due=2, acknowledged_on_time=1, close_due=2, closed_on_time=1,
        live=2, closed=1, overdue=1, submitted=1, returned=0,
    )  # fmt: skip
    assert figures[world.hexi.pk] == UnitFigures(
        acknowledge_due=2, acknowledged_on_time=2, close_due=1, closed_on_time=1,
        live=2, closed=1, overdue=0, submitted=1, returned=1,
    )  # fmt: skip


def test_the_rows_behind_every_number_are_as_many_as_the_number(world, september, window):
    figures = figures_by_unit(
        user=world.zhou, units=[world.chengguan, world.hexi], parent=world.county, window=window
    )

    for unit in (world.chengguan, world.hexi):
        for name in FIGURE_NAMES:
            if name == "deduction":
                continue
            found = sum(
                figure_items(model, user=world.zhou, unit=unit, figure=name, window=window).count()
                for model in (Measure, SupervisionItem)
            )
            assert found == getattr(figures[unit.pk], name), (unit, name)


def test_the_overdue_measure_is_the_villages_late_one(world, september, window):
    overdue = figure_items(
        Measure, user=world.zhou, unit=world.chengguan, figure="overdue", window=window
    )

    assert list(overdue) == [september.b]


def test_a_measure_closed_after_the_period_was_overdue_at_its_end(
    world, september, calendar, october_8
):
    b = september.b
    b.submit(by=world.chen, now=at(2024, 10, 8, 9))
    b.close(by=world.zhou, now=at(2024, 10, 8, 9, 30))
    window = window_for(
        parse_period(SEPTEMBER), cutoffs=LightCutoffs(now=october_8, calendar=calendar)
    )

    figures = figures_by_unit(
        user=world.zhou, units=[world.chengguan], parent=world.county, window=window
    )

    assert figures[world.chengguan.pk].overdue == 1
    assert figures[world.chengguan.pk].closed == 1  # closed in October, not in September
    assert figures[world.chengguan.pk].close_due == 2
    assert figures[world.chengguan.pk].closed_on_time == 1


def test_a_village_clerk_counts_only_what_the_village_sees(world, september, window):
    figures = figures_by_unit(
        user=world.chen, units=[world.dongguan], parent=world.dongguan, window=window
    )

    assert figures[world.dongguan.pk].live == 1
