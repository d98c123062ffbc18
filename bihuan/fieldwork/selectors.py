"""Field research reads: each person's days at the grassroots against their role's target, and
each village's household coverage (走访全覆盖) in a period."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from bihuan.org.models import RoleGrant, Unit, UnitKind, User

from .models import DEFAULT_TARGET_DAYS, DaysTarget, Households, Visit, target_days


def year_targets(year: int) -> dict[str, Decimal]:
    """Each role's target for the year: its own row, else the default (leaders 90 days)."""
    targets = {role: Decimal(days) for role, days in DEFAULT_TARGET_DAYS.items()}
    targets |= dict(DaysTarget.objects.filter(year=year).values_list("role", "days"))
    return {role: days for role, days in targets.items() if days > 0}


@dataclass(frozen=True)
class DaysProgress:
    person: User
    days: Decimal
    target: Decimal | None

    @property
    def share(self) -> float | None:
        return float(self.days / self.target) if self.target else None

    @property
    def percent(self) -> int | None:
        """Width of the progress bar, at most 100."""
        return min(round(self.share * 100), 100) if self.share is not None else None

    @property
    def met(self) -> bool:
        return self.target is not None and self.days >= self.target

    @property
    def short(self) -> Decimal:
        return max(self.target - self.days, Decimal(0)) if self.target else Decimal(0)


def person_days(people_ids, year: int) -> dict[int, Decimal]:
    """Days counted for each person in visits that started in the year; one query."""
    rows = (
        Visit.people.through.objects.filter(
            user_id__in=people_ids,
            visit__starts_on__gte=dt.date(year, 1, 1),
            visit__starts_on__lte=dt.date(year, 12, 31),
        )
        .values("user_id")
        .annotate(days=Sum("visit__days"))
        .order_by()
    )
    return {row["user_id"]: row["days"] for row in rows}


def days_progress(*, user, year: int, unit: Unit | None = None) -> list[DaysProgress]:
    """The people the user sees (in `unit`'s subtree, if given) whose roles have a target, with
    their days this year; those furthest behind first."""
    targets = year_targets(year)
    units = Unit.objects.visible_to(user)
    if unit is not None:
        units = units.filter(path__startswith=unit.path)
    people = list(
        User.objects.filter(
            unit__in=units.order_by().values("pk"), is_active=True, role_grants__role__in=targets
        )
        .distinct()
        .select_related("unit")
    )
    roles: dict[int, set[str]] = defaultdict(set)
    for user_id, role in RoleGrant.objects.filter(user__in=people).values_list("user_id", "role"):
        roles[user_id].add(role)
    days = person_days([person.pk for person in people], year)
    rows = [
        DaysProgress(
            person=person,
            days=days.get(person.pk, Decimal(0)),
            target=target_days(targets, roles[person.pk]),
        )
        for person in people
    ]
    return sorted(rows, key=lambda row: (row.share or 0, row.person.unit.path, row.person.pk))


@dataclass(frozen=True)
class VillageCoverage:
    village: Unit
    households: int | None  # None: the count was never given
    visited: int

    @property
    def share(self) -> float | None:
        if not self.households:
            return None
        return min(self.visited / self.households, 1.0)

    @property
    def percent(self) -> int | None:
        return round(self.share * 100) if self.share is not None else None

    @property
    def covered(self) -> bool:
        return bool(self.households) and self.visited >= self.households


@dataclass(frozen=True)
class Coverage:
    start: dt.date
    end: dt.date
    villages: list[VillageCoverage]

    @property
    def uncovered(self) -> list[VillageCoverage]:
        return [row for row in self.villages if not row.covered]

    @property
    def households(self) -> int:
        return sum(row.households or 0 for row in self.villages)

    @property
    def visited(self) -> int:
        """Households visited, each village's counted up to its own number of households."""
        return sum(min(row.visited, row.households or 0) for row in self.villages)

    @property
    def share(self) -> float | None:
        return self.visited / self.households if self.households else None


def village_coverage(*, user, start: dt.date, end: dt.date, unit: Unit | None = None) -> Coverage:
    """For each village the user sees: households, households visited by visits that started
    between `start` and `end` (both included), and whether all were visited. Households are
    counted as the visits report them: a household visited twice counts twice, so the share
    stops at 100 %. Three queries."""
    villages = Unit.objects.visible_to(user).filter(kind=UnitKind.VILLAGE, is_active=True)
    if unit is not None:
        villages = villages.filter(path__startswith=unit.path)
    villages = list(villages.select_related("parent").order_by("path"))
    ids = [village.pk for village in villages]
    counts = dict(Households.objects.filter(unit_id__in=ids).values_list("unit_id", "count"))
    visited = dict(
        Visit.objects.filter(place_unit_id__in=ids, starts_on__gte=start, starts_on__lte=end)
        .values_list("place_unit_id")
        .annotate(total=Sum("households"))
        .order_by()
    )
    rows = [
        VillageCoverage(village=v, households=counts.get(v.pk), visited=visited.get(v.pk) or 0)
        for v in villages
    ]
    return Coverage(start=start, end=end, villages=rows)
