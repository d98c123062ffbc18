"""The holiday calendar an admin keeps: which years are published, and entering their days."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import chinese_calendar
from chinese_calendar.constants import Holiday
from django.db import transaction

from .calendar import WorkCalendar
from .models import CalendarDay

# Knows only what the chinesecalendar package publishes: no admin entries.
PACKAGE_ONLY = WorkCalendar()


@dataclass(frozen=True)
class DayEntry:
    date: dt.date
    is_workday: bool
    name: str

    @property
    def kind_label(self) -> str:
        return "上班" if self.is_workday else "放假"


@dataclass(frozen=True)
class YearStatus:
    year: int
    admin_days: int
    published: bool  # by the chinesecalendar package
    admin_entered: bool  # the year's rules come from the admin's entries, not the package

    @property
    def source(self) -> str:
        if self.admin_entered:
            return "admin"
        return "package" if self.published else "estimated"

    @property
    def label(self) -> str:
        return {
            "admin": "管理员录入",
            "package": "已发布（chinesecalendar）",
            "estimated": "未公布，按周末推算",
        }[self.source]


def year_statuses(years, calendar: WorkCalendar) -> list[YearStatus]:
    admin_days = Counter(day.year for day in calendar.overrides)
    return [
        YearStatus(
            year=year,
            admin_days=admin_days[year],
            published=PACKAGE_ONLY.is_known(year),
            admin_entered=year in calendar.admin_years,
        )
        for year in years
    ]


def package_days(year: int) -> list[DayEntry]:
    """The package's own holidays and make-up days of a year, shown for reference."""

    def chinese(name: str) -> str:
        return Holiday(name).chinese if name in Holiday._value2member_map_ else name

    holidays = chinese_calendar.constants.holidays
    workdays = chinese_calendar.constants.workdays
    days = [DayEntry(d, False, chinese(n)) for d, n in holidays.items() if d.year == year]
    days += [DayEntry(d, True, chinese(n)) for d, n in workdays.items() if d.year == year]
    return sorted(days, key=lambda entry: entry.date)


def calendar_days_add(entries: list[DayEntry]) -> None:
    # All or nothing: the date is unique, so a day someone else just added aborts the lot.
    with transaction.atomic():
        CalendarDay.objects.bulk_create(
            CalendarDay(date=entry.date, is_workday=entry.is_workday, name=entry.name)
            for entry in entries
        )
