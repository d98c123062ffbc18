"""精文减会 figures: this year against last year for a unit and each unit below it, with the
targets that apply. A unit without targets of its own for the year has its nearest superior's
(a county's −30 % holds for every township that set none)."""

import datetime as dt
import math
from dataclasses import dataclass, field

from bihuan.org.models import Unit

from .models import Document, Meeting, Target


@dataclass
class Figures:
    meetings: int = 0
    minutes: int = 0
    long_meetings: int = 0  # longer than the target's limit
    merged: int = 0
    by_video: int = 0
    documents: int = 0
    chars: int = 0

    @property
    def average_minutes(self) -> int | None:
        return round(self.minutes / self.meetings) if self.meetings else None

    @property
    def average_chars(self) -> int | None:
        return round(self.chars / self.documents) if self.documents else None

    @property
    def merged_share(self) -> float | None:
        """The share of meetings merged with another (合并召开)."""
        return self.merged / self.meetings if self.meetings else None

    @property
    def video_share(self) -> float | None:
        return self.by_video / self.meetings if self.meetings else None


def change(now: int, before: int) -> float | None:
    """Relative change: −0.3 is 30 % fewer; None when there was nothing before."""
    return (now - before) / before if before else None


@dataclass
class UnitYear:
    """A unit (with the units below it) this year to date, the same days of last year, and
    all of last year; the targets that apply and where they stand."""

    unit: Unit
    this_year: Figures = field(default_factory=Figures)
    same_days: Figures = field(default_factory=Figures)
    last_year: Figures = field(default_factory=Figures)
    target: Target | None = None

    @property
    def documents_change(self) -> float | None:
        return change(self.this_year.documents, self.same_days.documents)

    @property
    def meetings_change(self) -> float | None:
        return change(self.this_year.meetings, self.same_days.meetings)

    def _allowed(self, percent: int | None, last: int) -> int | None:
        """Last year's count less the cut; none when there is no target or nothing to cut."""
        if percent is None or not last:
            return None
        return math.floor(last * (100 - percent) / 100)

    @property
    def documents_allowed(self) -> int | None:
        """At most this many documents this year: last year's, less the target's cut."""
        percent = self.target.documents_cut_percent if self.target else None
        return self._allowed(percent, self.last_year.documents)

    @property
    def meetings_allowed(self) -> int | None:
        percent = self.target.meetings_cut_percent if self.target else None
        return self._allowed(percent, self.last_year.meetings)

    @property
    def documents_over(self) -> bool:
        allowed = self.documents_allowed
        return allowed is not None and self.this_year.documents > allowed

    @property
    def meetings_over(self) -> bool:
        allowed = self.meetings_allowed
        return allowed is not None and self.this_year.meetings > allowed


@dataclass(frozen=True)
class YearOnYear:
    year: int
    through: dt.date  # the last day of `year` counted: today in the current year
    rows: list[UnitYear]  # the unit itself first, then each unit directly below it

    @property
    def total(self) -> UnitYear:
        return self.rows[0]


def _targets(units: list[Unit], year: int) -> dict[int, Target]:
    """The target that applies to each unit: its own, else its nearest superior's."""
    ancestors = {int(pk) for unit in units for pk in unit.path.strip("/").split("/")}
    own = {t.unit_id: t for t in Target.objects.filter(year=year, unit_id__in=ancestors)}
    found = {}
    for unit in units:
        chain = [int(pk) for pk in unit.path.strip("/").split("/")]
        found[unit.pk] = next((own[pk] for pk in reversed(chain) if pk in own), None)
    return found


def a_year_earlier(day: dt.date) -> dt.date:
    """The same day of the year before; 29 February's is the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def year_on_year(*, unit: Unit, year: int, today: dt.date) -> YearOnYear:
    """The unit's figures and its children's; the caller has checked the unit is in scope.
    Five queries whatever the number of records."""
    through = min(today, dt.date(year, 12, 31))
    same_day = a_year_earlier(through)
    last_start, this_start = dt.date(year - 1, 1, 1), dt.date(year, 1, 1)
    children = list(unit.children.filter(is_active=True).order_by("order", "path"))
    rows = [UnitYear(unit), *(UnitYear(child) for child in children)]
    targets = _targets([row.unit for row in rows], year)
    for row in rows:
        row.target = targets[row.unit.pk]
    subtree = dict(Unit.objects.filter(path__startswith=unit.path).values_list("pk", "path"))

    def rows_of(unit_id: int) -> list[UnitYear]:
        path = subtree[unit_id]
        return [row for row in rows if path.startswith(row.unit.path)]

    def periods(day: dt.date, row: UnitYear) -> list[Figures]:
        if this_start <= day <= through:
            return [row.this_year]
        if last_start <= day <= dt.date(year - 1, 12, 31):
            return [row.last_year, *([row.same_days] if day <= same_day else [])]
        return []

    meetings = Meeting.objects.filter(
        unit_id__in=subtree, held_on__gte=last_start, held_on__lte=through
    ).values_list("unit_id", "held_on", "minutes", "merged", "by_video")
    for unit_id, held_on, minutes, merged, by_video in meetings.order_by():
        for row in rows_of(unit_id):
            limit = row.target.meeting_max_minutes if row.target else None
            for figures in periods(held_on, row):
                figures.meetings += 1
                figures.minutes += minutes
                figures.long_meetings += limit is not None and minutes > limit
                figures.merged += merged
                figures.by_video += by_video
    documents = Document.objects.filter(
        unit_id__in=subtree, issued_on__gte=last_start, issued_on__lte=through
    ).values_list("unit_id", "issued_on", "chars")
    for unit_id, issued_on, chars in documents.order_by():
        for row in rows_of(unit_id):
            for figures in periods(issued_on, row):
                figures.documents += 1
                figures.chars += chars
    return YearOnYear(year=year, through=through, rows=rows)
