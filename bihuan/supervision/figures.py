"""The figures a 督办事项 adds to the workflow's (workflow.metrics): periodic feedback on time
(反馈及时率) and days overdue, per item as annotations and per unit in one grouped query.

Feedback periods of an ongoing item run from its acknowledgement, one cycle long each (7, 31 or
92 days, as the lights count them). A period is due once it has ended while the item was with
its owner (before it was submitted for close-out), and met when a progress report fell in it.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Max,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from bihuan.org.models import Unit
from bihuan.workflow.metrics import NOT_ASSIGNED, Timeliness, timeliness_by_unit
from bihuan.workflow.models import LightCutoffs, TrackedQuerySet
from bihuan.workflow.states import FEEDBACK_CYCLE_DAYS, DeadlineKind, State

INT = IntegerField()


class DaysBetween(Func):
    """Whole calendar days from the date `start` to the date `end` (negative when earlier)."""

    output_field = IntegerField()

    def __init__(self, start, end) -> None:
        super().__init__(start, end)

    def _sides(self, compiler):
        start, end = (compiler.compile(side) for side in self.get_source_expressions())
        return start[0], end[0], (*end[1], *start[1])

    def as_sql(self, compiler, connection, **extra):
        start, end, params = self._sides(compiler)
        # PostgreSQL: one date minus another is an integer number of days.
        return f"(CAST({end} AS date) - CAST({start} AS date))", params

    def as_sqlite(self, compiler, connection, **extra):
        start, end, params = self._sides(compiler)
        return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)", params


def _cycle_days() -> Case:
    days = (When(feedback_cycle=cycle, then=Value(n)) for cycle, n in FEEDBACK_CYCLE_DAYS.items())
    return Case(*days, default=Value(None), output_field=IntegerField())


def feedback_period_of(item, day: dt.date) -> int:
    """The feedback period `day` falls in, for an acknowledged ongoing item; the arithmetic of
    `_ended_periods` below, for the one item a progress report is written to."""
    started = timezone.localdate(item.acknowledged_at)
    return (day - started).days // FEEDBACK_CYCLE_DAYS[item.feedback_cycle]


def _ended_periods(today: dt.date):
    until = Coalesce(TruncDate("submitted_at"), Value(today, output_field=DateField()))
    return DaysBetween(TruncDate("acknowledged_at"), until) / _cycle_days()


def item_figures(today: dt.date) -> dict:
    """Annotations for each item: `feedback_due`, `feedback_met` and `overdue_days` (open past
    its deadline, or closed late: the days by which it was late)."""
    counted = Q(deadline_kind=DeadlineKind.ONGOING, acknowledged_at__isnull=False) & ~Q(
        state__in=NOT_ASSIGNED
    )
    ended = _ended_periods(today)
    return {
        "feedback_due": Case(When(counted, then=ended), default=Value(0), output_field=INT),
        # A report in the period still running counts once that period has ended.
        "feedback_met": Case(
            When(counted & Q(feedback_period=ended), then=F("feedback_periods_met") - 1),
            When(counted, then=F("feedback_periods_met")),
            default=Value(0),
            output_field=INT,
        ),
        "overdue_days": Case(
            When(
                TrackedQuerySet.overdue_q(today),
                then=DaysBetween(F("deadline"), Value(today, output_field=DateField())),
            ),
            When(
                Q(state=State.CLOSED, closed_on_time=False, deadline__isnull=False),
                then=DaysBetween(F("deadline"), TruncDate("submitted_at")),
            ),
            default=Value(0),
            output_field=INT,
        ),
    }


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Feedback:
    """One unit's periodic feedback, days overdue and escalations, as counts."""

    feedback_due: int = 0
    feedback_met: int = 0
    # Over the items open past their deadline today.
    overdue_days: int = 0
    overdue_days_max: int = 0
    # 三色督办: items of the unit escalated to any level, and the points it loses for them.
    escalated: int = 0
    deduction: Decimal = Decimal(0)

    def __add__(self, other: "Feedback") -> "Feedback":
        summed = {
            field.name: getattr(self, field.name) + getattr(other, field.name)
            for field in fields(self)
        }
        return Feedback(
            **summed | {"overdue_days_max": max(self.overdue_days_max, other.overdue_days_max)}
        )

    @property
    def feedback_rate(self) -> float | None:
        """反馈及时率."""
        return _rate(self.feedback_met, self.feedback_due)


def feedback_by_unit(
    items, *, units: Sequence[Unit], today: dt.date, own_items_of: Unit | None = None
) -> tuple[Feedback | None, dict[int, Feedback], Feedback]:
    """The figures of `own_items_of` alone (本级), of each unit's subtree by unit id, and their
    sum, from one query grouped by lead unit."""
    annotations = item_figures(today)
    overdue_now = Case(
        When(TrackedQuerySet.overdue_q(today), then=annotations["overdue_days"]),
        default=Value(0),
        output_field=INT,
    )
    groups = (
        items.exclude(state__in=NOT_ASSIGNED)
        .order_by()
        .values("owner_unit_id", "owner_unit__path")
        .annotate(
            feedback_due=Sum(annotations["feedback_due"]),
            feedback_met=Sum(annotations["feedback_met"]),
            overdue_days=Sum(overdue_now),
            overdue_days_max=Max(overdue_now),
            escalated=Count("pk", filter=~Q(escalation_level="")),
            deduction=Sum("deduction"),
        )
    )
    by_owner = [
        (
            group["owner_unit_id"],
            group["owner_unit__path"],
            Feedback(
                **{field.name: group[field.name] or field.default for field in fields(Feedback)}
            ),
        )
        for group in groups
    ]

    def figures_of(unit: Unit, *, subtree: bool) -> Feedback:
        return sum(
            (
                figures
                for owner_id, path, figures in by_owner
                if (path.startswith(unit.path) if subtree else owner_id == unit.pk)
            ),
            Feedback(),
        )

    own = figures_of(own_items_of, subtree=False) if own_items_of is not None else None
    rows = {unit.pk: figures_of(unit, subtree=True) for unit in units}
    total = sum(rows.values(), own or Feedback())
    return own, rows, total


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    # False: only the items the unit leads itself (本级), not those of the units below it.
    subtree: bool
    timeliness: Timeliness
    feedback: Feedback


@dataclass(frozen=True)
class UnitTable:
    own: UnitRow | None
    rows: tuple[UnitRow, ...]
    total_timeliness: Timeliness
    total_feedback: Feedback


def supervision_by_unit(
    items, *, units: Sequence[Unit], cutoffs: LightCutoffs, own_items_of: Unit | None = None
) -> UnitTable:
    """Per lead unit: the workflow's figures (签收及时率, 按期办结率, 逾期) and the feedback ones,
    in two grouped queries however many items and units."""
    timeliness = timeliness_by_unit(items, units=units, cutoffs=cutoffs, own_items_of=own_items_of)
    own_feedback, feedback, total = feedback_by_unit(
        items, units=units, today=cutoffs.today, own_items_of=own_items_of
    )
    own = None
    if timeliness.own is not None:
        own = UnitRow(own_items_of, False, timeliness.own.figures, own_feedback)
    rows = tuple(
        UnitRow(row.unit, True, row.figures, feedback[row.unit.pk]) for row in timeliness.rows
    )
    return UnitTable(own=own, rows=rows, total_timeliness=timeliness.total, total_feedback=total)


def deductions_by_unit(
    items, *, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> dict[int, Decimal]:
    """三色督办 points lost by each lead unit (its own items, not those of units below it), by
    unit id, for the items escalated in [since, until): what a ranking subtracts. One query."""
    escalated = items.exclude(escalation_level="")
    if since is not None:
        escalated = escalated.filter(escalated_at__gte=since)
    if until is not None:
        escalated = escalated.filter(escalated_at__lt=until)
    groups = escalated.order_by().values("owner_unit_id").annotate(points=Sum("deduction"))
    return {group["owner_unit_id"]: group["points"] or Decimal(0) for group in groups}
