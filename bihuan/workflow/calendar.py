"""Working days that know China's statutory holidays and make-up workdays (调休).

Plain Python: `chinesecalendar` knows the years the State Council has published; admins add the
days of a newer year as overrides; for a year nobody knows yet, weekends are the only rest days and
the result says it was estimated.
"""

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

import chinese_calendar


# The package's years are fixed for the life of the process; asked for every deadline a page shows.
@functools.cache
def published_by_package(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@dataclass(frozen=True)
class WorkCalendar:
    # date -> True for a make-up workday, False for a holiday, entered by an admin.
    overrides: Mapping[dt.date, bool] = field(default_factory=dict)
    # Years the package does not know, whose holidays an admin has entered.
    admin_years: frozenset[int] = frozenset()

    def is_known(self, year: int) -> bool:
        return year in self.admin_years or published_by_package(year)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year not in self.admin_years:
            try:
                return chinese_calendar.is_workday(day)
            except NotImplementedError:
                pass
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The day on which the `days`-th working day after `start` falls (start not counted)."""
        return self._step(start, days, +1)

    def subtract_working_days(self, end: dt.date, days: int) -> dt.date:
        return self._step(end, days, -1)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end`; negative when end is earlier."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            self.is_workday(start + dt.timedelta(days=offset))
            for offset in range(1, (end - start).days + 1)
        )

    def is_estimated(self, *days: dt.date | None) -> bool:
        """True when any of the days falls in a year whose holidays are not yet known."""
        return any(day is not None and not self.is_known(day.year) for day in days)

    def _step(self, day: dt.date, days: int, direction: int) -> dt.date:
        if days < 0:
            raise ValueError("days must not be negative")
        counted = 0
        while counted < days:
            day += dt.timedelta(days=direction)
            if self.is_workday(day):
                counted += 1
        return day
