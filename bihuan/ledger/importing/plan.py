"""Planning an import: every parsed row matched to units, people and existing rows; no writes."""

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from bihuan.errors import DomainError, NotAllowed
from bihuan.org.models import Role, Unit
from bihuan.tabular.records import (
    ParsedLedger,
    ParsedMeasure,
    ParsedProblem,
    RowIssue,
    Status,
)
from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.states import DeadlineKind, State

from ..models import (
    Category,
    Measure,
    Problem,
    Progress,
    Source,
)
from ..names import PersonMatcher, UnitMatcher, split_names

STATE_OF_STATUS = {
    Status.DRAFT: State.DRAFT,
    Status.ASSIGNED: State.PENDING,
    Status.IN_PROGRESS: State.IN_PROGRESS,
    # Bihuan's extension request needs a new date the file does not give: the work goes on.
    Status.EXTENSION_REQUESTED: State.IN_PROGRESS,
    Status.SUBMITTED: State.SUBMITTED,
    Status.CLOSED: State.CLOSED,
    Status.CANCELLED: State.CANCELLED,
}
# How far along the loop a state is; a file only ever moves a measure forward.
STATE_RANK = {
    State.DRAFT: 0,
    State.PENDING: 1,
    State.IN_PROGRESS: 2,
    State.SUBMITTED: 3,
    State.CLOSED: 4,
}

_NUMBERING = re.compile(
    r"^\s*(?:[(（]?[0-9一二三四五六七八九十]+[)）]|[0-9]+[.．、]|[一二三四五六七八九十]+[、.．]|[①-⑳])\s*"
)


def text_key(text: str) -> str:
    """What makes two texts the same problem or measure: numbering, spacing and width aside."""
    text = unicodedata.normalize("NFKC", text)
    text = _NUMBERING.sub("", text)
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class ImportOptions:
    unit: Unit  # 责任主体 of the problems the file adds
    source: str
    category: Category  # when the file has no category, or one not on the list
    file_name: str = ""
    batch_id: int | None = None  # the uploaded batch being committed, for the audit entry


@dataclass
class MeasurePlan:
    parsed: ParsedMeasure
    state: State
    owner_unit: Unit | None
    owner: object | None = None
    owner_name: str = ""
    existing: Measure | None = None
    changes: dict = field(default_factory=dict)
    change_notes: list[str] = field(default_factory=list)
    new_progress: str = ""

    @property
    def action(self) -> str:
        if self.existing is None:
            return "new"
        return "update" if self.changes or self.new_progress else "unchanged"


@dataclass
class ProblemPlan:
    parsed: ParsedProblem
    category: Category
    source: str
    existing: Problem | None
    measures: list[MeasurePlan]
    last_seq: int = 0  # the existing problem's highest measure number


@dataclass
class ImportPlan:
    ledger: ParsedLedger
    problems: list[ProblemPlan]
    issues: list[RowIssue]
    # Names no unit or account answers to, with the (sheet, row) places the file writes them.
    unmatched_units: dict[str, list[tuple[str, int]]]
    unmatched_people: dict[str, list[tuple[str, int]]]

    @property
    def is_committable(self) -> bool:
        return bool(self.problems) and not any(issue.blocking for issue in self.issues)

    def counts(self) -> dict[str, int]:
        measures = [m for p in self.problems for m in p.measures]
        return {
            "problems_new": sum(p.existing is None for p in self.problems),
            "measures_new": sum(m.action == "new" for m in measures),
            "measures_updated": sum(m.action == "update" for m in measures),
            "measures_unchanged": sum(m.action == "unchanged" for m in measures),
        }


def _category_for(text: str, categories: list[Category]) -> Category | None:
    text = text_key(text).removesuffix("方面")
    if not text:
        return None
    for category in categories:
        if category.name == text:
            return category
    for category in categories:
        if category.name in text or text in category.name:
            return category
    return None


def _source_for(text: str, default: str) -> str:
    text = text_key(text)
    for value, label in Source.choices:
        if text and (text == label or text in label or label.split("(")[0] in text):
            return value
    return default


def _latest_progress():
    return Subquery(
        Progress.objects.filter(measure=OuterRef("pk")).order_by("-at", "-pk").values("text")[:1]
    )


def _require_importer(by, unit: Unit) -> None:
    if not by.has_role(Role.SUPERVISOR):
        raise NotAllowed("只有督查员可以导入台账。")
    if not unit.is_visible_to(by):
        raise DomainError(f"责任主体“{unit}”不在您的管理范围内。", field="unit")


def import_plan(
    *, ledger: ParsedLedger, by, options: ImportOptions, now: dt.datetime, calendar: WorkCalendar
) -> ImportPlan:
    """Match every row of `ledger` to units, people and existing rows; writes nothing."""
    _require_importer(by, options.unit)
    units, people = UnitMatcher.for_user(by), PersonMatcher.for_user(by)
    categories = list(Category.objects.all())
    issues = list(ledger.issues)
    unmatched_units: dict[str, list[tuple[str, int]]] = defaultdict(list)
    unmatched_people: dict[str, list[tuple[str, int]]] = defaultdict(list)

    existing_problems: dict[str, Problem] = {}
    for problem in Problem.objects.visible_to(by).order_by("pk").only("pk", "description"):
        existing_problems.setdefault(text_key(problem.description), problem)
    matched_ids = {
        existing_problems[key].pk
        for key in {text_key(p.text) for p in ledger.problems}
        if key in existing_problems
    }
    existing_measures: dict[tuple[int, str], Measure] = {}
    last_seq: dict[int, int] = defaultdict(int)
    for measure in (
        Measure.objects.filter(problem_id__in=matched_ids)
        .annotate(latest_progress=_latest_progress())
        .select_related("owner_unit", "problem__unit")
        .order_by("pk")
    ):
        existing_measures.setdefault((measure.problem_id, text_key(measure.text)), measure)
        last_seq[measure.problem_id] = max(last_seq[measure.problem_id], measure.seq)

    plans: dict[str, ProblemPlan] = {}
    for parsed in ledger.problems:
        key = text_key(parsed.text)
        plan = plans.get(key)
        if plan is None:
            category = _category_for(parsed.category, categories)
            if parsed.category and category is None:
                issues.append(
                    RowIssue(
                        parsed.sheet,
                        parsed.row,
                        "问题类别",
                        f"问题类别“{parsed.category}”不在类别清单中，按“{options.category}”导入。",
                        blocking=False,
                    )
                )
            existing_problem = existing_problems.get(key)
            plan = plans[key] = ProblemPlan(
                parsed=parsed,
                category=category or options.category,
                source=_source_for(parsed.source, options.source),
                existing=existing_problem,
                measures=[],
                last_seq=last_seq[existing_problem.pk] if existing_problem else 0,
            )
        seen = {text_key(m.parsed.text) for m in plan.measures}
        for parsed_measure in parsed.measures:
            measure_key = text_key(parsed_measure.text)
            if measure_key in seen:
                issues.append(
                    RowIssue(
                        parsed_measure.sheet,
                        parsed_measure.row,
                        "整改措施",
                        "与同一问题下的另一条措施重复，只导入一次。",
                        blocking=False,
                    )
                )
                continue
            seen.add(measure_key)
            measure_plan = _plan_measure(
                parsed_measure,
                options=options,
                units=units,
                people=people,
                unmatched_units=unmatched_units,
                unmatched_people=unmatched_people,
                issues=issues,
            )
            if plan.existing is not None:
                existing = existing_measures.get((plan.existing.pk, measure_key))
                if existing is not None:
                    _plan_update(measure_plan, existing, now=now)
            plan.measures.append(measure_plan)

    for name, places in unmatched_units.items():
        sheet, row = places[0]
        issues.append(
            RowIssue(
                sheet,
                row,
                "责任单位",
                f"找不到单位“{name}”（{len(places)} 行）：请在下方对应到已有单位或新建单位。",
            )
        )
    return ImportPlan(
        ledger=ledger,
        problems=list(plans.values()),
        issues=issues,
        unmatched_units=dict(unmatched_units),
        unmatched_people=dict(unmatched_people),
    )


def _plan_measure(
    parsed: ParsedMeasure,
    *,
    options: ImportOptions,
    units: UnitMatcher,
    people: PersonMatcher,
    unmatched_units: dict,
    unmatched_people: dict,
    issues: list[RowIssue],
) -> MeasurePlan:
    owner_unit = options.unit
    if parsed.owner_unit.strip():
        owner_unit = units.match(parsed.owner_unit)
        if owner_unit is None:
            unmatched_units[parsed.owner_unit.strip()].append((parsed.sheet, parsed.row))
    names = split_names(parsed.owner)
    matched = [people.match(name, unit=owner_unit) for name in names]
    for name, person in zip(names, matched, strict=True):
        if person is None:
            unmatched_people[name].append((parsed.sheet, parsed.row))
    accounts = [person for person in matched if person is not None]
    # One name that is one account needs no text; anything else keeps the file's wording.
    owner_name = "" if len(names) == 1 and accounts else parsed.owner.strip()[:100]
    state = STATE_OF_STATUS[parsed.status]
    if parsed.deadline.is_unset and state not in (State.DRAFT, State.CANCELLED):
        issues.append(
            RowIssue(
                parsed.sheet,
                parsed.row,
                "整改时限",
                f"整改时限“{parsed.deadline.text}”只能用于待交办的措施；请填写具体时限。",
            )
        )
    return MeasurePlan(
        parsed=parsed,
        state=state,
        owner_unit=owner_unit,
        owner=accounts[0] if accounts else None,
        owner_name=owner_name,
    )


def state_fields(state: State, *, deadline: dt.date | None, now: dt.datetime) -> dict:
    """Timestamps a measure carries in `state` when it arrives there by import.

    When it was acknowledged or closed is not in the file: those on-time flags stay unknown
    (None), so an imported row never counts as late acknowledgement in the figures.
    """
    if state in (State.DRAFT, State.CANCELLED):
        return {}
    fields: dict = {"assigned_at": now}
    if STATE_RANK[state] >= STATE_RANK[State.IN_PROGRESS]:
        fields["last_feedback_at"] = now
    if STATE_RANK[state] >= STATE_RANK[State.SUBMITTED]:
        on_time = deadline is None or timezone.localdate(now) <= deadline
        fields |= {"submitted_at": now, "submitted_on_time": on_time}
    if state == State.CLOSED:
        fields |= {"closed_at": now, "closed_on_time": fields["submitted_on_time"]}
    return fields


def _plan_update(plan: MeasurePlan, existing: Measure, *, now: dt.datetime) -> None:
    plan.existing = existing
    deadline = plan.parsed.deadline
    if (
        existing.deadline_kind == DeadlineKind.DATE
        and deadline.date is not None
        and deadline.date != existing.deadline
    ):
        plan.changes["deadline"] = deadline.date
        plan.change_notes.append(
            f"整改时限 {existing.deadline_label()} → {deadline.date.year}年"
            f"{deadline.date.month}月{deadline.date.day}日"
        )
    target, current = plan.state, State(existing.state)
    if target == State.CANCELLED and current not in (State.CLOSED, State.CANCELLED):
        plan.changes["state"] = target
    elif (
        target in STATE_RANK and current in STATE_RANK and STATE_RANK[target] > STATE_RANK[current]
    ):
        plan.changes["state"] = target
        deadline_then = plan.changes.get("deadline", existing.deadline)
        moved = state_fields(target, deadline=deadline_then, now=now)
        plan.changes |= {
            name: value for name, value in moved.items() if getattr(existing, name) is None
        }
    if "state" in plan.changes:
        plan.change_notes.append(f"状态 {current.label} → {target.label}")
    progress = plan.parsed.progress.strip()
    if progress and progress != (existing.latest_progress or "").strip():
        plan.new_progress = progress
        plan.change_notes.append("新增整改进展")
