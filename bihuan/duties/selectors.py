"""Reads of the duties app: the lists as published, the checks waiting for 准入审批, and the
burden report (tasks pushed to villages per assigning unit and period)."""

from dataclasses import dataclass

from django.db.models import Count, Q, Value
from django.db.models.functions import ExtractMonth, ExtractQuarter

from bihuan.org.models import Unit

from .gate import approver_role
from .models import KIND_ORDER, DutyAssignment, DutyEntry, DutyKind, DutyLevel, DutyState


@dataclass(frozen=True)
class DutyList:
    level: str
    kind: str
    entries: list[DutyEntry]

    @property
    def title(self) -> str:
        return f"{DutyLevel(self.level).label}{DutyKind(self.kind).label}"


def duty_lists(*, include_stopped: bool = False) -> list[DutyList]:
    """The eight lists (two levels, four kinds) in the order they are published."""
    entries = DutyEntry.objects.all() if include_stopped else DutyEntry.objects.active()
    grouped: dict[tuple[str, str], list[DutyEntry]] = {}
    for entry in entries.order_by("number", "pk"):
        grouped.setdefault((entry.level, entry.kind), []).append(entry)
    return [
        DutyList(level, kind, grouped.get((level, kind), []))
        for level in DutyLevel
        for kind in KIND_ORDER
    ]


def entry_choices(levels) -> list[tuple[str, list[tuple[str, str]]]]:
    """The active entries of `levels` as select option groups, one per list."""
    groups = []
    for duty_list in duty_lists():
        if duty_list.level not in levels or not duty_list.entries:
            continue
        title = duty_list.title
        if duty_list.kind == DutyKind.NEGATIVE:
            title += "（不得交由村·社区承担）"
        options = [(str(entry.pk), _option_label(entry)) for entry in duty_list.entries]
        groups.append((title, options))
    return groups


def _option_label(entry: DutyEntry) -> str:
    return f"{entry.number}. {entry.name}" if entry.number else entry.name


ROW_RELATIONS = ("assigning_unit", "unit", "entry", "requested_by", "decided_by")


def checks_to_approve(user):
    """Tasks outside the lists waiting for 准入审批 by this user, oldest first."""
    if not user.has_role(approver_role()):
        return DutyAssignment.objects.none()
    units = Unit.objects.visible_to(user).order_by().values("pk")
    return (
        DutyAssignment.objects.filter(state=DutyState.PENDING, assigning_unit__in=units)
        .select_related(*ROW_RELATIONS)
        .order_by("requested_at", "pk")
    )


def recent_checks(user, *, limit: int = 50):
    """The latest checks of tasks pushed by or to the units the user sees."""
    return DutyAssignment.objects.visible_to(user).select_related(*ROW_RELATIONS)[:limit]


PERIODS = [("month", "按月"), ("quarter", "按季度"), ("year", "按年")]


@dataclass(frozen=True)
class BurdenRow:
    """Tasks one unit pushed to villages in one period, and how many were outside the lists."""

    unit: Unit | None
    period: str
    pushed: int
    listed: int
    outside: int
    approved: int
    refused: int
    pending: int

    @property
    def outside_rate(self) -> float | None:
        return self.outside / self.pushed if self.pushed else None


COUNTS = {
    "pushed": Count("pk"),
    "listed": Count("pk", filter=Q(state=DutyState.LISTED)),
    "outside": Count("pk", filter=~Q(state=DutyState.LISTED)),
    "approved": Count("pk", filter=Q(state=DutyState.APPROVED)),
    "refused": Count("pk", filter=Q(state=DutyState.REFUSED)),
    "pending": Count("pk", filter=Q(state=DutyState.PENDING)),
}


def burden_report(*, user, year: int, period: str = "month") -> tuple[list[BurdenRow], BurdenRow]:
    """Per assigning unit and period of `year`, the tasks pushed to villages and communities
    (a task counts once, however often it was tried) and those outside the lists; one query."""
    bucket = {"month": ExtractMonth("requested_at"), "quarter": ExtractQuarter("requested_at")}
    groups = (
        DutyAssignment.objects.visible_to(user)
        .filter(requested_at__year=year)
        .order_by()
        .annotate(bucket=bucket.get(period, Value(0)))
        .values("assigning_unit", "bucket")
        .annotate(**COUNTS)
    )
    groups = list(groups)
    units = Unit.objects.in_bulk({group["assigning_unit"] for group in groups})
    rows = [
        BurdenRow(
            unit=units[group["assigning_unit"]],
            period=_period_label(year, period, group["bucket"]),
            **{name: group[name] for name in COUNTS},
        )
        for group in groups
    ]
    rows.sort(key=lambda row: (row.unit.path, row.period))
    total = BurdenRow(
        unit=None,
        period=f"{year}年",
        **{name: sum(getattr(row, name) for row in rows) for name in COUNTS},
    )
    return rows, total


def _period_label(year: int, period: str, bucket: int) -> str:
    if period == "month":
        return f"{year}年{bucket:02d}月"
    if period == "quarter":
        return f"{year}年第{bucket}季度"
    return f"{year}年"
