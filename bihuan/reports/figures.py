"""The dashboard's counts beyond the workflow's figures (workflow.metrics): one query per chart,
grouped or aggregated in SQL, whatever the number of measures.

Every function takes querysets already scoped to what the viewer may see.
"""

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise

from django.db.models import Case, Count, Func, IntegerField, Q, Subquery, Value, When

from bihuan.ledger.models import Category
from bihuan.supervision.models import Level
from bihuan.workflow.models import local_midnight

TREND_MONTHS = 12
# Days late, both ends included; None: no upper end.
AGE_BUCKETS: tuple[tuple[int, int | None], ...] = ((1, 7), (8, 30), (31, 90), (91, None))


def month_starts(today: dt.date, months: int = TREND_MONTHS) -> list[dt.date]:
    """The first days of the last `months` months up to today's, oldest first, and of the
    month after: each month is from one start up to the next."""
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    starts.reverse()
    last = starts[-1]
    starts.append(dt.date(last.year + last.month // 12, last.month % 12 + 1, 1))
    return starts


@dataclass(frozen=True)
class Trend:
    months: tuple[dt.date, ...]  # the first day of each month
    registered: tuple[int, ...]
    closed: tuple[int, ...]


class _Count(Func):
    """COUNT(*) of a subquery's rows, as its one selected value."""

    template = "COUNT(*)"
    output_field = IntegerField()


# Each line of the trend and the moment it counts.
TREND_LINES = {"registered": "created_at", "closed": "closed_at"}


def closure_trend(measures, *, today: dt.date, unscoped: bool) -> Trend:
    """Measures registered and closed in each of the last twelve months (local time).

    Without a scope condition each month is one range of the created_at and closed_at indexes,
    counted without reading a row. With one, the scope's indexes pick the few rows it allows and
    one pass over them sorts them into months: a range count per month would read them again
    for every month.
    """
    starts = month_starts(today)
    bounds = [local_midnight(day) for day in starts]
    counts = {line: [0] * TREND_MONTHS for line in TREND_LINES}
    if unscoped:
        counted = measures.order_by().annotate(n=_Count()).values("n")
        months = {
            f"{line}_{i}": Subquery(counted.filter(**{f"{field}__gte": start, f"{field}__lt": end}))
            for line, field in TREND_LINES.items()
            for i, (start, end) in enumerate(pairwise(bounds))
        }
        row = measures.order_by().annotate(**months).values(*months).first() or {}
        for key, n in row.items():
            line, _, i = key.rpartition("_")
            counts[line][int(i)] = n
    else:
        groups = (
            measures.order_by()
            .values(**{line: _month_index(field, bounds) for line, field in TREND_LINES.items()})
            .annotate(n=Count("pk"))
        )
        for group in groups:
            for line in TREND_LINES:
                if group[line] is not None:
                    counts[line][group[line]] += group["n"]
    return Trend(
        months=tuple(starts[:-1]),
        registered=tuple(counts["registered"]),
        closed=tuple(counts["closed"]),
    )


def _month_index(field: str, bounds: list[dt.datetime]) -> Case:
    """Which month of `bounds` the moment `field` falls in; NULL outside them all."""
    latest_first = reversed(list(enumerate(bounds[:-1])))
    return Case(
        When(**{f"{field}__gte": bounds[-1]}, then=Value(None)),
        *(When(**{f"{field}__gte": start}, then=Value(i)) for i, start in latest_first),
        default=Value(None),
        output_field=IntegerField(),
    )


def age_range(today: dt.date, bucket: tuple[int, int | None]) -> tuple[dt.date | None, dt.date]:
    """The deadlines of the measures `bucket` days late today: (earliest or None, latest)."""
    fewest, most = bucket
    earliest = today - dt.timedelta(days=most) if most is not None else None
    return earliest, today - dt.timedelta(days=fewest)


def overdue_ageing(measures, *, today: dt.date) -> tuple[int, ...]:
    """Overdue (red) measures by how many days late they are, one count per AGE_BUCKETS."""
    buckets = {}
    for i, bucket in enumerate(AGE_BUCKETS):
        earliest, latest = age_range(today, bucket)
        within = Q(deadline__lte=latest)
        if earliest is not None:
            within &= Q(deadline__gte=earliest)
        buckets[f"b{i}"] = Count("pk", filter=within)
    counts = measures.overdue(today=today).order_by().aggregate(**buckets)
    return tuple(counts[f"b{i}"] for i in range(len(AGE_BUCKETS)))


def problems_by_category(problems, *, unscoped: bool) -> list[tuple[Category, int]]:
    """Each category with problems, or still in use, and how many problems it has.

    Without a scope condition the category index counts them all. With one, the scope's indexes
    pick the problems first: grouped directly, SQLite would walk the category index and read
    every problem to test its scope.
    """
    if not unscoped:
        problems = problems.model._base_manager.filter(pk__in=problems.order_by().values("pk"))
    groups = problems.order_by().values("category_id").annotate(n=Count("pk"))
    counts = {group["category_id"]: group["n"] for group in groups}
    categories = Category.objects.filter(Q(is_active=True) | Q(pk__in=list(counts)))
    return [(category, counts.get(category.pk, 0)) for category in categories]


def supervision_by_level(items) -> dict[tuple[str, str], int]:
    """督办事项 escalated to a level (三色督办), counted per level and state."""
    groups = (
        items.exclude(escalation_level=Level.NONE)
        .order_by()
        .values_list("escalation_level", "state")
        .annotate(n=Count("pk"))
    )
    return {(level, state): n for level, state, n in groups}
