"""Timeliness figures (签收及时率, 按期办结率, 逾期数, 销号率) and counts for any Tracked queryset.

Every figure comes from one grouped aggregate in SQL (per owner unit and state); only the few
resulting groups are handled in Python, never the items themselves.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, fields

from django.db.models import Count, OuterRef, Q, Subquery

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
        # Field by field: `astuple` deep-copies, which made summing a county's groups slow.
        return Timeliness(*(getattr(self, n) + getattr(other, n) for n in _TIMELINESS_FIELDS))

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


_TIMELINESS_FIELDS = tuple(field.name for field in fields(Timeliness))


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


def timeliness_by_unit(
    items, *, units: Sequence[Unit], cutoffs: LightCutoffs, own_items_of: Unit | None = None
) -> TimelinessTable:
    """Figures of each of `units` over its subtree, and of `own_items_of`'s own items.

    `items` is any Tracked queryset, already scoped to what the viewer may see.
    """
    return ledger_figures(items, units=units, cutoffs=cutoffs, own_items_of=own_items_of).table


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
    return ledger_figures(items, units=(), cutoffs=cutoffs).counts


@dataclass(frozen=True)
class Figures:
    counts: Counts
    table: TimelinessTable
    # Open items under each light, per owner unit's path: what a chart of lights by unit adds
    # up over each unit's subtree, from the same query.
    lights_by_path: dict[str, dict[str, int]] = field(default_factory=dict)


class _GroupedSubquery(Subquery):
    """A subquery on columns the query already groups by: left out of GROUP BY, so that the
    database can group in the order of an index instead of sorting every item."""

    def get_group_by_cols(self):
        return []


def _groups(items, cutoffs: LightCutoffs):
    """Per owner unit and state, the counts every figure is made of. Grouping by state keeps
    each row's conditions simple; the light is computed only where red and green leave a doubt."""
    owner_path = Unit.objects.filter(pk=OuterRef("owner_unit_id")).order_by().values("path")
    return (
        items.with_light(cutoffs)
        .order_by()
        .values("owner_unit_id", "state")
        .annotate(
            path=_GroupedSubquery(owner_path),
            count=Count("pk"),
            acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
            acknowledged_on_time=Count("pk", filter=Q(acknowledged_on_time=True)),
            assigned_before=Count("pk", filter=Q(assigned_at__lt=cutoffs.acknowledge_by)),
            closed_on_time=Count("pk", filter=Q(closed_on_time=True)),
            # The red light is exactly "overdue".
            red=Count("pk", filter=TrackedQuerySet.overdue_q(cutoffs.today)),
            yellow=Count("pk", filter=Q(light=Light.YELLOW)),
        )
    )


def _timeliness(group: dict) -> Timeliness:
    """The figures of one group of assigned items in one state."""
    state = group["state"]
    return Timeliness(
        assigned=group["count"],
        acknowledged=group["acknowledged"],
        acknowledged_on_time=group["acknowledged_on_time"],
        acknowledge_late=group["assigned_before"] if state == State.PENDING else 0,
        closed=group["count"] if state == State.CLOSED else 0,
        closed_on_time=group["closed_on_time"] if state == State.CLOSED else 0,
        overdue=group["red"],
    )


def ledger_figures(
    items, *, units: Sequence[Unit], cutoffs: LightCutoffs, own_items_of: Unit | None = None
) -> Figures:
    """The counts by state and light and the timeliness table of `timeliness_by_unit`, from
    one grouped query over `items`."""
    by_state = dict.fromkeys(State.values, 0)
    by_light = dict.fromkeys(Light.values, 0)
    by_owner: dict[tuple[int, str], Timeliness] = {}
    lights_by_path: dict[str, dict[str, int]] = {}
    for group in _groups(items, cutoffs):
        count, state = group["count"], group["state"]
        by_state[state] += count
        if state in OPEN_STATES:
            lights = {
                Light.RED: group["red"],
                Light.YELLOW: group["yellow"],
                Light.GREEN: count - group["red"] - group["yellow"],
            }
            owner_lights = lights_by_path.setdefault(group["path"], dict.fromkeys(lights, 0))
            for light, lit in lights.items():
                by_light[light] += lit
                owner_lights[light] += lit
        else:
            by_light[Light.NONE] += count
        if state not in NOT_ASSIGNED:
            owner = (group["owner_unit_id"], group["path"])
            by_owner[owner] = by_owner.get(owner, Timeliness()) + _timeliness(group)

    def figures_of(unit: Unit, *, subtree: bool) -> UnitTimeliness:
        figures = sum(
            (
                figures
                for (owner_id, path), figures in by_owner.items()
                if (path.startswith(unit.path) if subtree else owner_id == unit.pk)
            ),
            Timeliness(),
        )
        return UnitTimeliness(unit=unit, subtree=subtree, figures=figures)

    own = figures_of(own_items_of, subtree=False) if own_items_of is not None else None
    rows = tuple(figures_of(unit, subtree=True) for unit in units)
    total = sum((row.figures for row in rows), own.figures if own else Timeliness())
    table = TimelinessTable(own=own, rows=rows, total=total)
    counts = Counts(by_state=by_state, by_light=by_light)
    return Figures(counts=counts, table=table, lights_by_path=lights_by_path)
