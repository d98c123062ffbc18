import datetime as dt

import pytest

from bihuan.conftest import at
from bihuan.ledger.models import Measure
from bihuan.ledger.services import MeasureSpec
from bihuan.workflow.models import LightCutoffs
from bihuan.workflow.states import DeadlineKind, FeedbackCycle, Light

from . import sample_ledger


def light_of(measure, now, calendar):
    cutoffs = LightCutoffs(now=now, calendar=calendar)
    return Measure.objects.with_light(cutoffs).get(pk=measure.pk).light


def due(make_problem, world, deadline, when):
    return make_problem(
        when=when,
        measures=[MeasureSpec(text="整改", owner_unit=world.chengguan, deadline=deadline)],
    ).measures.get()


def test_a_draft_has_no_light(measure, now, calendar):
    assert light_of(measure, now, calendar) == Light.NONE


def test_acknowledged_with_time_to_spare_is_green(in_progress, now, calendar):
    assert light_of(in_progress, now, calendar) == Light.GREEN


def test_overdue_is_red(in_progress, now, calendar):
    assert light_of(in_progress, now + dt.timedelta(days=31), calendar) == Light.RED


def test_due_within_three_working_days_is_yellow_counting_the_holiday(
    make_problem, world, calendar
):
    measure = due(make_problem, world, dt.date(2024, 10, 9), at(2024, 9, 20))
    measure.assign(by=world.zhou, now=at(2024, 9, 20), calendar=calendar)
    measure.acknowledge(by=world.li, now=at(2024, 9, 20), calendar=calendar)
    # 2024-09-27 plus three working days is 2024-10-08: still green on the 27th.
    assert light_of(measure, at(2024, 9, 27), calendar) == Light.GREEN
    # On the 30th, three working days reach 10-10, past the deadline of 10-09.
    assert light_of(measure, at(2024, 9, 30), calendar) == Light.YELLOW


def test_not_acknowledged_within_one_working_day_is_yellow(assigned, calendar):
    # Assigned Monday 2024-09-23: Tuesday is still in time, Wednesday is late.
    assert light_of(assigned, at(2024, 9, 24, 17), calendar) == Light.GREEN
    assert light_of(assigned, at(2024, 9, 25, 9), calendar) == Light.YELLOW


def test_ongoing_measure_with_late_feedback_is_yellow(make_problem, world, now, calendar):
    measure = make_problem(
        measures=[
            MeasureSpec(
                text="常态化开展作风巡查",
                owner_unit=world.chengguan,
                deadline_kind=DeadlineKind.ONGOING,
                feedback_cycle=FeedbackCycle.WEEKLY,
            )
        ]
    ).measures.get()
    measure.assign(by=world.zhou, now=now, calendar=calendar)
    measure.acknowledge(by=world.li, now=now, calendar=calendar)
    assert light_of(measure, now + dt.timedelta(days=6), calendar) == Light.GREEN
    assert light_of(measure, now + dt.timedelta(days=8), calendar) == Light.YELLOW
    # And the yellow filter, which reads only the candidates an index finds, finds it.
    late = LightCutoffs(now=now + dt.timedelta(days=8), calendar=calendar)
    yellow = Measure.objects.with_light(late).lit(Light.YELLOW, late)
    assert list(yellow.values_list("pk", flat=True)) == [measure.pk]


def test_submitted_on_time_is_not_red_while_waiting_for_review(submitted, now, calendar):
    assert light_of(submitted, now + dt.timedelta(days=40), calendar) == Light.GREEN


def test_closed_measures_have_no_light(submitted, world, now, calendar):
    submitted.close(by=world.zhou, now=now)
    assert light_of(submitted, now + dt.timedelta(days=40), calendar) == Light.NONE


@pytest.mark.parametrize("days_late", [1, 30])
def test_overdue_filter_matches_the_red_light(in_progress, now, calendar, days_late):
    later = now + dt.timedelta(days=30 + days_late)
    assert Measure.objects.overdue(today=later.date()).get() == in_progress
    assert light_of(in_progress, later, calendar) == Light.RED


@pytest.mark.parametrize("day", [1, 8, 30])
@pytest.mark.parametrize("light", list(Light))
def test_lit_finds_exactly_the_items_under_that_light(world, make_problem, calendar, light, day):
    sample_ledger.build(world=world, make_problem=make_problem, calendar=calendar)
    cutoffs = LightCutoffs(now=at(2024, 10, day), calendar=calendar)
    measures = Measure.objects.with_light(cutoffs)

    found = set(measures.lit(light, cutoffs).values_list("pk", flat=True))

    assert found == {m.pk for m in measures if m.light == light}
