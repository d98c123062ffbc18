"""The .xlsx annex of a 整改落实情况报告: the rows behind its figures, sheet by sheet."""

import datetime as dt

from django.db.models import Case, Q, Value, When
from django.utils import timezone

from bihuan.ledger.exporting import export_deadline
from bihuan.officedoc.writer import date_text

from .notices import percent
from .summary import (
    Group,
    RectificationReport,
    audit_report,
    days_late,
    overdue_measures,
    report_conditions,
    report_measures,
    report_title,
    returned_events,
)
from .workbook import Sheet, write_sheets

MEASURE_HEADER = (
    "序号", "问题类别", "问题", "整改措施", "责任单位", "整改时限", "状态", "销号时间", "按期办结",
    "统计截至时逾期", "本期被退回",
)  # fmt: skip


def flag(condition: Q):
    """A yes/no column from a condition, for the rows behind a count."""
    return Case(When(condition, then=Value(True)), default=Value(False))


def _measure_rows(report: RectificationReport, measures):
    found = report_conditions(report.window)
    rows = (
        measures.select_related("problem__category", "owner_unit")
        .annotate(is_overdue=flag(found["overdue"]), was_returned=flag(found["returned"]))
        .order_by("owner_unit__path", "problem_id", "seq", "pk")
    )
    for n, m in enumerate(rows.iterator(chunk_size=2000), start=1):
        yield (
            n,
            m.problem.category.name,
            m.problem.description,
            m.text,
            m.owner_unit.name,
            export_deadline(m),
            m.get_state_display(),
            date_text(timezone.localdate(m.closed_at)) if m.closed_at else "",
            {True: "是", False: "否"}.get(m.closed_on_time, ""),
            "是" if m.is_overdue else "",
            "是" if m.was_returned else "",
        )


def _group_rows(groups, *, with_problems: bool):
    for group in groups:
        c = group.counts
        yield (
            group.label,
            *((group.problems,) if with_problems else ()),
            c.measures, c.closed, percent(c.closed_rate), c.closed_on_time, c.on_track, c.overdue,
            c.drafts, c.returned,
        )  # fmt: skip


GROUP_HEADER = ("措施", "已销号", "销号率", "按期办结", "正在整改", "逾期", "待交办", "本期被退回")


def report_sheets(*, user, report: RectificationReport, title: str) -> list[Sheet]:
    """The rows behind a report's figures: every measure counted, with the figure each one is
    counted in, the overdue ones, the returns, and the figures by category and by unit."""
    window = report.window
    measures = report_measures(user=user, unit=report.unit, window=window)
    total = Group("合计", report.counts, problems=report.problems)
    return [
        Sheet(
            "分类统计",
            f"{title}：分类统计",
            ("问题类别", "问题", *GROUP_HEADER),
            _group_rows((*report.by_category, total), with_problems=True),
        ),
        Sheet(
            "单位统计",
            f"{title}：各单位统计",
            ("单位", *GROUP_HEADER),
            _group_rows((*report.by_unit, total), with_problems=False),
        ),
        Sheet(
            "措施明细",
            f"{title}：整改措施明细（统计截至{date_text(window.as_of)}）",
            MEASURE_HEADER,
            _measure_rows(report, measures),
            widths=(6, 12, 40, 40, 16, 14, 10, 14, 10, 12, 12),
        ),
        Sheet(
            "逾期措施",
            f"{title}：逾期未完成的整改措施",
            ("序号", "责任单位", "问题", "整改措施", "整改时限", "逾期天数"),
            (
                (
                    n,
                    m.owner_unit.name,
                    m.problem.description,
                    m.text,
                    date_text(m.deadline),
                    days_late(m, window),
                )
                for n, m in enumerate(overdue_measures(measures, window).iterator(), start=1)
            ),
            widths=(6, 16, 40, 40, 14, 10),
        ),
        Sheet(
            "退回记录",
            f"{title}：本期退回记录",
            ("序号", "责任单位", "问题", "整改措施", "退回时间", "退回理由"),
            (
                (
                    n,
                    e.measure.owner_unit.name,
                    e.measure.problem.description,
                    e.measure.text,
                    date_text(timezone.localdate(e.at)),
                    e.comment,
                )
                for n, e in enumerate(returned_events(measures, window).iterator(), start=1)
            ),
            widths=(6, 16, 40, 40, 14, 30),
        ),
    ]


def annex_write(*, user, report: RectificationReport, now: dt.datetime, out) -> dict[str, int]:
    """The 整改落实情况报告's annex: `report_sheets`."""
    written = write_sheets(out, report_sheets(user=user, report=report, title=report_title(report)))
    audit_report(user, report, now, "整改落实情况报告附件", rows=written)
    return written
