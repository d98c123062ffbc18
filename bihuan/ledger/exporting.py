"""The 整改台账 as an Excel file: ledger rows turned into the writer's records, streamed."""

import datetime as dt
from collections.abc import Iterator
from itertools import groupby
from operator import attrgetter
from typing import IO

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record
from bihuan.errors import DomainError
from bihuan.tabular.deadlines import format_deadline
from bihuan.tabular.writer import ExportMeasure, ExportProblem, write_ledger
from bihuan.workflow.models import LightCutoffs, load_calendar
from bihuan.workflow.states import DeadlineKind

from .models import Measure, Progress
from .selectors import LedgerFilters, filter_measures, ledger_measures

CHUNK_SIZE = 2000


def export_title(filters: LedgerFilters) -> str:
    return f"{filters.unit.name}整改台账" if filters.unit is not None else "整改台账"


def export_problems(measures) -> Iterator[ExportProblem]:
    """One ExportProblem per problem of `measures`, oldest first, its measures in their order.

    The queryset keeps its filters; it is re-ordered so a problem's measures are adjacent, and
    read in chunks with everything a row shows fetched alongside it.
    """
    latest_progress = (
        Progress.objects.filter(measure=OuterRef("pk")).order_by("-at", "-pk").values("text")[:1]
    )
    rows = (
        measures.select_related("problem__category", "owner_unit", "owner")
        .annotate(latest_progress=Subquery(latest_progress))
        .order_by("problem_id", "seq", "pk")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for _, group in groupby(rows, key=attrgetter("problem_id")):
        siblings = list(group)
        problem = siblings[0].problem
        yield ExportProblem(
            category=problem.category.name,
            text=problem.description,
            measures=tuple(_export_measure(measure) for measure in siblings),
        )


def _export_measure(measure: Measure) -> ExportMeasure:
    return ExportMeasure(
        text=measure.text,
        lead=measure.lead,
        owner_unit=measure.owner_unit.name,
        owner=measure.owner_label,
        deadline=export_deadline(measure),
        status=measure.get_state_display(),
        progress=measure.latest_progress or "",
    )


def export_deadline(measure: Measure) -> str:
    """整改时限 as the ledger writes it: the date, 长期坚持（每月反馈）, or a draft's
    交办后N个工作日 (assignment turns working days into a date)."""
    return format_deadline(
        date=measure.deadline,
        ongoing=measure.deadline_kind == DeadlineKind.ONGOING,
        working_days=measure.deadline_working_days if measure.deadline is None else None,
        feedback_cycle=measure.feedback_cycle,
    )


def ledger_export(
    *,
    user,
    filters: LedgerFilters,
    now: dt.datetime,
    out: str | IO[bytes],
    max_rows: int | None = None,
) -> int:
    """Write what `user` sees of the ledger with `filters` as a workbook (the whole ledger
    when `user` is None: the command line); return the measure rows written. Over `max_rows`
    measures, nothing is written."""
    cutoffs = LightCutoffs(now=now, calendar=load_calendar())
    if user is None:
        measures = filter_measures(Measure.objects.all(), filters=filters, cutoffs=cutoffs)
    else:
        measures = ledger_measures(user=user, filters=filters, cutoffs=cutoffs)
    counts = measures.aggregate(measures=Count("pk"), problems=Count("problem", distinct=True))
    if max_rows is not None and counts["measures"] > max_rows:
        raise DomainError(
            f"筛选出 {counts['measures']} 条整改措施，超过网页导出上限 {max_rows} 条。"
            "请缩小筛选范围，或用命令行 bihuan ledger export 导出全部。"
        )
    today = timezone.localdate(now)
    subtitle = (
        f"导出时间：{today.year}年{today.month}月{today.day}日  "
        f"共 {counts['problems']} 个问题、{counts['measures']} 条措施"
    )
    rows = write_ledger(
        out, title=export_title(filters), subtitle=subtitle, problems=export_problems(measures)
    )
    audit_record(
        AuditAction.EXPORT,
        actor=user,
        object_type="ledger.measure",
        object_repr=export_title(filters),
        changes={"filters": filters, "rows": rows, "problems": counts["problems"]},
        now=now,
    )
    return rows
