"""整改落实情况报告: the figures of a unit's rectification over a period, the overdue and returned
measures, the typical cases the user picked, as an official document (.docx); summary_annex.py writes the
.xlsx annex with the rows behind every figure.

The figures are counted in SQL, grouped by problem category and owner unit in one query; every
number in the text is one of them. The measures are those owned by the unit and the units below
it, that the user sees, registered by the end of the period and not cancelled; for a campaign's
period, only those of the problems tagged with the campaign.

The document is made of parts (`overall_sentence`, `category_lines`, `unit_table`,
`overdue_lines`, `returned_lines`, `case_lines`) that campaign_summary.py (活动总结) reuses.
"""

import datetime as dt
from dataclasses import dataclass, fields, replace
from typing import IO

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from bihuan import officedoc
from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record
from bihuan.errors import DomainError, NotAllowed
from bihuan.ledger.models import Category, Measure, MeasureEvent, Problem, Progress
from bihuan.officedoc.text import heading_level
from bihuan.officedoc.writer import date_text
from bihuan.org.models import Role, Unit
from bihuan.workflow.models import LightCutoffs
from bihuan.workflow.states import Action, State

from .figures import Window, conditions, period_items, window_for
from .letterhead import Letterhead
from .notices import percent
from .periods import Period

REPORT_ROLES = (Role.SUPERVISOR, Role.LEADER, Role.HANDLER)
# The document lists this many overdue and returned measures; the annex lists them all.
LISTED = 30


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Counts:
    measures: int = 0
    measures_new: int = 0
    drafts: int = 0
    open: int = 0
    overdue: int = 0
    closed: int = 0
    closed_new: int = 0
    closed_on_time: int = 0
    returned: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(getattr(self, n) + getattr(other, n) for n in COUNT_NAMES))

    @property
    def assigned(self) -> int:
        return self.open + self.closed

    @property
    def on_track(self) -> int:
        return self.open - self.overdue

    @property
    def closed_rate(self) -> float | None:
        """销号率: closed of assigned, as the dashboard counts it."""
        return _rate(self.closed, self.assigned)

    @property
    def on_time_rate(self) -> float | None:
        """按期办结率: closed on time of closed and overdue, as the dashboard counts it."""
        return _rate(self.closed_on_time, self.closed + self.overdue)


COUNT_NAMES = tuple(f.name for f in fields(Counts))


@dataclass(frozen=True)
class Group:
    label: str
    counts: Counts
    problems: int = 0
    unit: Unit | None = None


@dataclass(frozen=True)
class TypicalCase:
    measure: Measure
    progress: str


@dataclass(frozen=True)
class RectificationReport:
    unit: Unit
    period: Period
    window: Window
    problems: int
    problems_new: int
    counts: Counts
    by_category: tuple[Group, ...]
    by_unit: tuple[Group, ...]
    overdue: tuple[Measure, ...]
    overdue_count: int
    returns: tuple[MeasureEvent, ...]
    cases: tuple[TypicalCase, ...]


def report_conditions(window: Window) -> dict[str, Q]:
    """Each count's condition on a measure registered by the end of the window."""
    ranking = conditions(Measure, window)
    start, end = window.start, window.end
    assigned_by_end = Q(assigned_at__lt=end)
    closed = Q(closed_at__lt=end)
    return {
        "measures": Q(pk__isnull=False),
        "measures_new": Q(created_at__gte=start),
        "drafts": Q(assigned_at__isnull=True) | Q(assigned_at__gte=end),
        "open": assigned_by_end & (Q(closed_at__isnull=True) | Q(closed_at__gte=end)),
        "overdue": ranking["overdue"],
        "closed": closed,
        "closed_new": closed & Q(closed_at__gte=start),
        "closed_on_time": closed & Q(closed_on_time=True),
        "returned": ranking["returned"],
    }


def report_measures(*, user, unit: Unit, window: Window):
    """The measures a report counts: the unit's subtree's, seen by the user, registered by the
    end of the window and not cancelled."""
    subtree = Unit.objects.subtree_of(unit).order_by().values("pk")
    return (
        period_items(Measure, user=user, period=window.period)
        .filter(owner_unit__in=subtree, created_at__lt=window.end)
        .exclude(state=State.CANCELLED)
    )


def _check(user, unit: Unit, period: Period, today: dt.date) -> None:
    if user is not None and not (user.has_role(*REPORT_ROLES) and unit.is_visible_to(user)):
        raise NotAllowed(f"“{unit}”不在您的管理范围内，或您的角色不能生成报告。")
    if not period.has_begun(today):
        raise DomainError(f"{period.label}尚未开始，无法统计。", field="period")


def _groups(measures, window: Window) -> list[dict]:
    counts = {name: Count("pk", filter=cond) for name, cond in report_conditions(window).items()}
    return list(
        measures.order_by()
        .values("problem__category_id", "owner_unit_id", "owner_unit__path")
        .annotate(**counts)
    )


def _counts(group: dict) -> Counts:
    return Counts(**{name: group[name] for name in COUNT_NAMES})


def _problems(*, user, unit: Unit, window: Window) -> dict:
    """Problems of the unit's subtree registered by the end of the window, by category."""
    problems = (Problem.objects.all() if user is None else Problem.objects.visible_to(user)).filter(
        unit__in=Unit.objects.subtree_of(unit).order_by().values("pk"), created_at__lt=window.end
    )
    if window.period.campaign_id is not None:
        problems = problems.filter(campaign_id=window.period.campaign_id)
    return {
        row["category_id"]: row
        for row in problems.order_by()
        .values("category_id")
        .annotate(total=Count("pk"), new=Count("pk", filter=Q(created_at__gte=window.start)))
    }


def _by_unit(unit: Unit, groups: list[dict], *, user) -> tuple[Group, ...]:
    children = Unit.objects.filter(parent=unit, is_active=True).order_by("order", "path")
    if user is not None:
        children = children.filter(pk__in=Unit.objects.visible_to(user).values("pk"))
    own = sum((_counts(g) for g in groups if g["owner_unit_id"] == unit.pk), Counts())
    rows = [Group(f"{unit.name}（本级）", own, unit=unit)] if own.measures else []
    for child in children:
        counts = sum(
            (_counts(g) for g in groups if g["owner_unit__path"].startswith(child.path)), Counts()
        )
        if counts.measures:
            rows.append(Group(child.name, counts, unit=child))
    return tuple(rows)


def _cases(measures, case_ids) -> tuple[TypicalCase, ...]:
    if not case_ids:
        return ()
    latest = Progress.objects.filter(measure=OuterRef("pk")).order_by("-at", "-pk").values("text")
    found = {
        m.pk: m
        for m in measures.filter(pk__in=case_ids)
        .select_related("problem__category", "owner_unit")
        .annotate(latest_progress=Subquery(latest[:1]))
    }
    missing = [str(pk) for pk in case_ids if pk not in found]
    if missing:
        raise DomainError(
            f"典型案例（措施 id={'、'.join(missing)}）不在本报告统计的整改措施中。", field="cases"
        )
    return tuple(
        TypicalCase(found[pk], found[pk].latest_progress or "") for pk in dict.fromkeys(case_ids)
    )


def overdue_measures(measures, window: Window):
    return (
        measures.filter(report_conditions(window)["overdue"])
        .select_related("problem__category", "owner_unit")
        .order_by("deadline", "pk")
    )


def returned_events(measures, window: Window):
    return (
        MeasureEvent.objects.filter(
            action=Action.RETURN,
            at__gte=window.start,
            at__lt=window.end,
            measure__in=measures.order_by().values("pk"),
        )
        .select_related("measure__owner_unit", "measure__problem")
        .order_by("at", "pk")
    )


def report_data(
    *, user, unit: Unit, period: Period, cutoffs: LightCutoffs, case_ids=()
) -> RectificationReport:
    _check(user, unit, period, cutoffs.today)
    window = window_for(period, cutoffs=cutoffs)
    measures = report_measures(user=user, unit=unit, window=window)
    groups = _groups(measures, window)
    problems = _problems(user=user, unit=unit, window=window)
    categories = Category.objects.filter(
        pk__in={g["problem__category_id"] for g in groups} | set(problems)
    )
    by_category = tuple(
        Group(
            category.name,
            sum((_counts(g) for g in groups if g["problem__category_id"] == category.pk), Counts()),
            problems=problems.get(category.pk, {}).get("total", 0),
        )
        for category in categories
    )
    overdue = overdue_measures(measures, window)
    return RectificationReport(
        unit=unit,
        period=period,
        window=window,
        problems=sum(row["total"] for row in problems.values()),
        problems_new=sum(row["new"] for row in problems.values()),
        counts=sum((_counts(g) for g in groups), Counts()),
        by_category=by_category,
        by_unit=_by_unit(unit, groups, user=user),
        overdue=tuple(overdue[:LISTED]),
        overdue_count=sum(g["overdue"] for g in groups),
        returns=tuple(returned_events(measures, window)[:LISTED]),
        cases=_cases(measures, list(case_ids)),
    )


def case_choices(*, user, unit: Unit, period: Period, cutoffs: LightCutoffs, limit: int = 200):
    """Measures a user may pick as typical cases: closed ones first, then the latest."""
    window = window_for(period, cutoffs=cutoffs)
    return (
        report_measures(user=user, unit=unit, window=window)
        .select_related("problem", "owner_unit")
        .order_by(F("closed_at").desc(nulls_last=True), "-pk")[:limit]
    )


# -- the document ---------------------------------------------------------------------------


def days_late(measure: Measure, window: Window) -> int:
    return (window.as_of - measure.deadline).days


def overall_sentence(report: RectificationReport) -> str:
    c, unit = report.counts, report.unit
    return (
        f"截至{date_text(report.window.as_of)}，{unit.name}（含下属单位）累计查摆问题{report.problems}个，"
        f"其中本期新查摆{report.problems_new}个；制定整改措施{c.measures}条，其中本期新增{c.measures_new}条。"
        f"已销号{c.closed}条，销号率{percent(c.closed_rate)}，其中本期销号{c.closed_new}条；"
        f"按期办结{c.closed_on_time}条，按期办结率{percent(c.on_time_rate)}；"
        f"正在整改{c.on_track}条，逾期未完成{c.overdue}条，待交办{c.drafts}条。"
        f"本期申请销号后被退回重新整改{c.returned}条。"
    )


def category_lines(report: RectificationReport) -> list[str]:
    lines = [
        f"{group.label}方面：查摆问题{group.problems}个，制定整改措施{group.counts.measures}条，"
        f"已销号{group.counts.closed}条，正在整改{group.counts.on_track}条，逾期{group.counts.overdue}条。"
        for group in report.by_category
    ]
    return lines or ["本期没有登记的问题和整改措施。"]


def unit_table(report: RectificationReport) -> officedoc.Table:
    return officedoc.Table(
        header=("单位", "措施", "已销号", "销号率", "按期办结", "逾期"),
        rows=tuple(
            (
                group.label,
                str(group.counts.measures),
                str(group.counts.closed),
                percent(group.counts.closed_rate),
                str(group.counts.closed_on_time),
                str(group.counts.overdue),
            )
            for group in report.by_unit
        ),
        centred=frozenset({1, 2, 3, 4, 5}),
    )


def unit_lines(report: RectificationReport) -> list[officedoc.Block]:
    if not report.by_unit:
        return ["各单位均没有需统计的整改措施。"]
    return ["各单位整改措施落实情况见下表。", unit_table(report)]


def overdue_lines(report: RectificationReport) -> list[str]:
    window = report.window
    if not report.overdue_count:
        return [f"截至{date_text(window.as_of)}，没有逾期未完成的整改措施。"]
    more = (
        f"以下列出逾期最久的{len(report.overdue)}条，其余见附件"
        if report.overdue_count > len(report.overdue)
        else "具体如下"
    )
    return [
        f"截至{date_text(window.as_of)}，逾期未完成的整改措施{report.overdue_count}条，{more}：",
        *(
            f"{n}．{m.owner_unit.name}：{m.text}（整改时限{date_text(m.deadline)}，逾期{days_late(m, window)}天）。"
            for n, m in enumerate(report.overdue, start=1)
        ),
    ]


def returned_lines(report: RectificationReport) -> list[str]:
    if not report.counts.returned:
        return ["本期没有经审核退回重新整改的整改措施。"]
    return [
        f"本期经审核退回重新整改的整改措施{report.counts.returned}条：",
        *(
            f"{n}．{e.measure.owner_unit.name}：{e.measure.text}（{date_text(timezone.localdate(e.at))}退回，"
            f"理由：{e.comment or '未注明'}）。"
            for n, e in enumerate(report.returns, start=1)
        ),
    ]


def case_lines(report: RectificationReport) -> list[str]:
    lines = []
    for n, case in enumerate(report.cases, start=1):
        m = case.measure
        lines.append(f"（{ordinal(n)}）{m.problem.description[:30]}")
        lines.append(f"存在问题：{m.problem.description}")
        lines.append(
            f"整改措施：{m.text}（责任单位：{m.owner_unit.name}，{m.get_state_display()}）"
        )
        if case.progress:
            lines.append(f"整改成效：{case.progress}")
    return lines


def ordinal(n: int) -> str:
    digits = "一二三四五六七八九十"
    return digits[n - 1] if n <= len(digits) else str(n)


def numbered(sections: list[tuple[str, list]]) -> tuple[officedoc.Block, ...]:
    """The sections (heading, lines) with 一、二、… before each heading, an empty section left
    out; a line is a paragraph at the level its own number gives it, a Table stays a table."""
    blocks: list[officedoc.Block] = []
    n = 0
    for heading, lines in sections:
        if not lines:
            continue
        if heading:
            n += 1
            blocks.append(officedoc.Paragraph(f"{ordinal(n)}、{heading}", 1))
        for line in lines:
            is_text = isinstance(line, str)
            blocks.append(officedoc.Paragraph(line, heading_level(line)) if is_text else line)
    return tuple(blocks)


NEXT_STEPS = (
    "坚持问题导向，对已销号的整改措施开展“回头看”，巩固整改成效；对逾期和被退回的整改措施"
    "逐项明确责任和时限，加强跟踪督办，确保按期整改到位。"
)


def report_title(report: RectificationReport) -> str:
    return f"{report.unit.name}关于{report.period.label}整改落实情况的报告"


def report_document(
    report: RectificationReport,
    *,
    recipients: str,
    issuer: str,
    today: dt.date,
    letterhead: Letterhead | None = None,
) -> officedoc.Document:
    unit, period = report.unit, report.period
    intro = (
        f"按照问题整改工作部署，{unit.name}对照问题清单和整改台账逐项推进整改落实。"
        f"现将{period.label}整改落实情况报告如下。"
    )
    blocks = numbered(
        [
            ("", [intro]),
            ("总体情况", [overall_sentence(report)]),
            ("分类整改情况", category_lines(report)),
            ("各单位整改情况", unit_lines(report)),
            ("逾期和退回情况", overdue_lines(report) + returned_lines(report)),
            ("典型案例", case_lines(report)),
            ("下一步工作", [NEXT_STEPS]),
        ]
    )
    return with_letterhead(
        officedoc.Document(
            title=report_title(report),
            recipients=recipients,
            blocks=blocks,
            issuer=issuer or unit.name,
            date=today,
        ),
        letterhead,
    )


def with_letterhead(document: officedoc.Document, letterhead: Letterhead | None):
    if letterhead is None:
        return document
    return replace(
        document,
        masthead=letterhead.masthead(),
        colophon=letterhead.colophon(issuer=document.issuer, printed_on=document.date),
    )


def default_recipients(unit: Unit) -> str:
    return unit.parent.name if unit.parent_id else ""


def report_write(
    *,
    user,
    report: RectificationReport,
    now: dt.datetime,
    out: str | IO[bytes],
    recipients: str,
    issuer: str,
    letterhead: Letterhead | None = None,
) -> None:
    document = report_document(
        report,
        recipients=recipients,
        issuer=issuer,
        today=report.window.cutoffs.today,
        letterhead=letterhead,
    )
    officedoc.write_document(document, out)
    audit_report(user, report, now, "整改落实情况报告", counts=report.counts)


def audit_report(
    user, report: RectificationReport, now, document: str, *, title: str = "", **extra
) -> None:
    audit_record(
        AuditAction.EXPORT,
        actor=user,
        obj=report.unit,
        object_repr=title or report_title(report),
        now=now,
        changes={"document": document, "period": report.period.key, **extra},
    )
