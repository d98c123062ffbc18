"""Timeliness figures (签收及时率, 按期办结率, 逾期数, 销号率) and counts for any Tracked queryset.

Each function runs one grouped aggregate in SQL; only the few resulting groups are handled in
Python, never the items themselves.
"""

from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields

from django.db.models import Count, Q

from bihuan.org.models import Unit

from .models import LightCutoffs, TrackedQuerySet
from .states import OPEN_STATES, Light, State

# Assigned means it reached the owner: drafts were never sent, cancelled ones no longer count.
NOT_ASSIGNED = (State.DRAFT, State.CANCELLED)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Timeliness:
    """The counts behind one unit's figures; the rates are derived so each stays traceable."""

    assigned: int = 0
    acknowledged: int = 0
    acknowledged_on_time: int = 0
    # Still waiting for acknowledgement past the one-working-day limit: already late.
    acknowledge_late: int = 0
    closed: int = 0
    closed_on_time: int = 0
    overdue: int = 0

    def __add__(self, other: "Timeliness") -> "Timeliness":
        return Timeliness(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    @property
    def acknowledge_due(self) -> int:
        return self.acknowledged + self.acknowledge_late

    @property
    def acknowledge_rate(self) -> float | None:
        """签收及时率."""
        return _rate(self.acknowledged_on_time, self.acknowledge_due)

    @property
    def close_due(self) -> int:
        """Closed, or open past the deadline: the ones whose 按期办结 is decided."""
        return self.closed + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        """按期办结率."""
        return _rate(self.closed_on_time, self.close_due)

    @property
    def closed_rate(self) -> float | None:
        """销号率."""
        return _rate(self.closed, self.assigned)


@dataclass(frozen=True)
class UnitTimeliness:
    unit: Unit
    # False: only the items the unit owns itself (本级), not those of the units below it.
    subtree: bool
    figures: Timeliness


@dataclass(frozen=True)
class TimelinessTable:
    own: UnitTimeliness | None
    rows: tuple[UnitTimeliness, ...]
    # The sum of `own` and `rows`: the whole of the parent's subtree when rows are its children.
    total: Timeliness


def _timeliness_aggregates(cutoffs: LightCutoffs) -> dict:
    conditions = {
        "acknowledged": Q(acknowledged_at__isnull=False),
        "acknowledged_on_time": Q(acknowledged_on_time=True),
        "acknowledge_late": Q(state=State.PENDING, assigned_at__lt=cutoffs.acknowledge_by),
        "closed": Q(state=State.CLOSED),
        "closed_on_time": Q(state=State.CLOSED, closed_on_time=True),
        "overdue": TrackedQuerySet.overdue_q(cutoffs.today),
    }
    return {
        "assigned": Count("pk"),
        **{name: Count("pk", filter=condition) for name, condition in conditions.items()},
    }


def timeliness_by_unit(
    items, *, units: Sequence[Unit], cutoffs: LightCutoffs, own_items_of: Unit | None = None
) -> TimelinessTable:
    """Figures of each of `units` over its subtree, and of `own_items_of`'s own items.

    `items` is any Tracked queryset, already scoped to what the viewer may see.
    """
    groups = (
        items.exclude(state__in=NOT_ASSIGNED)
        .order_by()
        .values("owner_unit_id", "owner_unit__path")
        .annotate(**_timeliness_aggregates(cutoffs))
    )
    names = [f.name for f in fields(Timeliness)]
    by_owner = [
        (
            group["owner_unit_id"],
            group["owner_unit__path"],
            Timeliness(**{name: group[name] for name in names}),
        )
        for group in groups
    ]

    def figures_of(unit: Unit, *, subtree: bool) -> UnitTimeliness:
        figures = sum(
            (
                figures
                for owner_id, path, figures in by_owner
                if (path.startswith(unit.path) if subtree else owner_id == unit.pk)
            ),
            Timeliness(),
        )
        return UnitTimeliness(unit=unit, subtree=subtree, figures=figures)

    own = figures_of(own_items_of, subtree=False) if own_items_of is not None else None
    rows = tuple(figures_of(unit, subtree=True) for unit in units)
    total = sum((row.figures for row in rows), own.figures if own else Timeliness())
    return TimelinessTable(own=own, rows=rows, total=total)


@dataclass(frozen=True)
class Counts:
    """How many items are in each state and under each light; every key present, zeros included."""

    by_state: dict[str, int]
    by_light: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_state.values())

    @property
    def open(self) -> int:
        return sum(self.by_state[state] for state in OPEN_STATES)


def counts_by_state_and_light(items, *, cutoffs: LightCutoffs) -> Counts:
    by_state = dict.fromkeys(State.values, 0)
    by_light = dict.fromkeys(Light.values, 0)
    groups = (
        items.with_light(cutoffs).order_by().values("state", "light").annotate(count=Count("pk"))
    )
    for group in groups:
        by_state[group["state"]] += group["count"]
        by_light[group["light"]] += group["count"]
    return Counts(by_state=by_state, by_light=by_light)
