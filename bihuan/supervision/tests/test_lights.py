"""An item left unacknowledged turns yellow after one working day, by China's calendar."""

import datetime as dt

import pytest

from bihuan.conftest import at
from bihuan.supervision.models import SupervisionItem
from bihuan.workflow.models import LightCutoffs


def light_on(item, when, calendar) -> str:
    cutoffs = LightCutoffs(now=when, calendar=calendar)
    return SupervisionItem.objects.with_light(cutoffs).get(pk=item.pk).light


@pytest.fixture
def far_deadline():
    return {"deadline": dt.date(2024, 12, 31)}


def test_an_unacknowledged_item_turns_yellow_after_one_working_day(
    make_item, calendar, far_deadline
):
    item = make_item(when=at(2024, 9, 23, 9), **far_deadline)  # a Monday

    assert light_on(item, at(2024, 9, 24, 17), calendar) == "green"
    assert light_on(item, at(2024, 9, 25, 8), calendar) == "yellow"


def test_a_make_up_workday_counts_as_the_working_day(make_item, calendar, far_deadline):
    """Assigned on Friday 27 September 2024; Sunday the 29th is a 调休 workday."""
    item = make_item(when=at(2024, 9, 27, 16), **far_deadline)

    assert light_on(item, at(2024, 9, 29, 18), calendar) == "green"
    assert light_on(item, at(2024, 9, 30, 8), calendar) == "yellow"


def test_the_national_day_holiday_does_not_count(make_item, calendar, far_deadline):
    """Assigned on Monday 30 September: 1–7 October are holidays, the 8th is the working day."""
    item = make_item(when=at(2024, 9, 30, 10), **far_deadline)

    assert light_on(item, at(2024, 10, 7, 12), calendar) == "green"
    assert light_on(item, at(2024, 10, 8, 17), calendar) == "green"
    assert light_on(item, at(2024, 10, 9, 8), calendar) == "yellow"


def test_acknowledging_in_time_keeps_it_green(make_item, world, calendar, far_deadline):
    item = make_item(when=at(2024, 9, 30, 10), **far_deadline)
    item.acknowledge(by=world.li, now=at(2024, 10, 8, 16), calendar=calendar)

    assert item.acknowledged_on_time is True
    assert light_on(item, at(2024, 10, 9, 8), calendar) == "green"
