import datetime as dt

import pytest

from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.models import CalendarDay, load_calendar

D = dt.date


def test_three_working_days_after_national_day_eve_skip_the_holiday():
    assert WorkCalendar().add_working_days(D(2024, 9, 30), 3) == D(2024, 10, 10)


def test_make_up_saturday_is_a_working_day():
    calendar = WorkCalendar()
    assert calendar.is_workday(D(2024, 10, 12))
    assert calendar.add_working_days(D(2024, 10, 11), 1) == D(2024, 10, 12)


def test_subtracting_working_days_walks_back_over_the_holiday():
    assert WorkCalendar().subtract_working_days(D(2024, 10, 8), 1) == D(2024, 9, 30)


def test_working_days_between_counts_only_working_days_and_is_signed():
    calendar = WorkCalendar()
    assert calendar.working_days_between(D(2024, 9, 30), D(2024, 10, 10)) == 3
    assert calendar.working_days_between(D(2024, 10, 10), D(2024, 9, 30)) == -3


def test_a_year_the_package_does_not_know_falls_back_to_weekends_and_says_so():
    calendar = WorkCalendar()
    # 2030-01-01 is a Tuesday; with no published holidays it counts as a working day.
    assert calendar.add_working_days(D(2029, 12, 31), 1) == D(2030, 1, 1)
    assert calendar.is_estimated(D(2030, 1, 1))
    assert not calendar.is_estimated(D(2024, 10, 10), None)


def test_admin_entered_days_override_the_weekend_fallback():
    calendar = WorkCalendar(
        overrides={D(2030, 1, 1): False, D(2029, 12, 29): True}, admin_years=frozenset({2030})
    )
    assert calendar.add_working_days(D(2029, 12, 31), 1) == D(2030, 1, 2)
    assert not calendar.is_estimated(D(2030, 6, 3))


def test_negative_day_counts_are_refused():
    with pytest.raises(ValueError):
        WorkCalendar().add_working_days(D(2024, 1, 1), -1)


@pytest.mark.django_db
def test_load_calendar_marks_every_year_with_an_entry_as_known():
    CalendarDay.objects.create(date=D(2031, 1, 1), is_workday=False, name="元旦")
    calendar = load_calendar()
    assert not calendar.is_workday(D(2031, 1, 1))
    assert calendar.is_known(2031)
    assert not calendar.is_known(2032)
