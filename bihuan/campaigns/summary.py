"""The figures of a campaign's summary (活动总结), counted from what was recorded once: the
meetings, materials, visits and problems tagged with the campaign, in the reader's scope and,
for one unit's summary, that unit's subtree. The same querysets list the rows behind each count
(the summary's .xlsx annex), so a figure and its rows cannot disagree."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from bihuan.fieldwork.models import Visit
from bihuan.ledger.models import Measure, Problem
from bihuan.materials.models import Material, MaterialKind
from bihuan.org.models import Unit
from bihuan.streamlining.models import Meeting, MeetingKind
from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.states import FINAL_STATES, State

from .models import Campaign, Requirement, Stage
from .status import Cell, Status, campaign_status


@dataclass(frozen=True)
class SummaryFigures:
    meetings: int
    study_sessions: int
    meeting_minutes: int
    materials: int
    materials_by_kind: dict[str, int]  # label → count, in MaterialKind's order
    visits: int
    visit_days: Decimal  # person-days: a visit of two people for one day counts two
    households: int
    problems: int
    problems_closed: int  # every measure ended, at least one closed (整改完成)
    measures: int
    measures_closed: int

    @property
    def problems_open(self) -> int:
        return self.problems - self.problems_closed

    @property
    def closed_percent(self) -> str:
        return f"{self.problems_closed / self.problems:.0%}" if self.problems else "—"


def _in_unit(rows, unit: Unit | None, field: str = "unit"):
    if unit is None:
        return rows
    return rows.filter(**{f"{field}__in": Unit.objects.subtree_of(unit).order_by().values("pk")})


def campaign_meetings(campaign: Campaign, user, *, unit: Unit | None = None):
    return _in_unit(Meeting.objects.visible_to(user).filter(campaign=campaign), unit)


def campaign_materials(campaign: Campaign, user, *, unit: Unit | None = None):
    return _in_unit(Material.objects.visible_to(user).filter(campaign=campaign), unit)


def campaign_visits(campaign: Campaign, user, *, unit: Unit | None = None):
    """Visits tagged with the campaign; for a unit, those it organised (its subtree's)."""
    return _in_unit(Visit.objects.visible_to(user).filter(campaign=campaign), unit)


def campaign_problems(campaign: Campaign, user, *, unit: Unit | None = None):
    """Problems tagged with the campaign, annotated with whether each is 整改完成: every
    measure ended, at least one closed."""
    problems = _in_unit(Problem.objects.visible_to(user).filter(campaign=campaign), unit)
    return problems.annotate(
        unended=Count("measures", filter=~Q(measures__state__in=FINAL_STATES)),
        closed_measures=Count("measures", filter=Q(measures__state=State.CLOSED)),
    )


def problem_is_closed() -> Q:
    return Q(unended=0, closed_measures__gt=0)


def campaign_summary_figures(
    campaign: Campaign, user, *, unit: Unit | None = None
) -> SummaryFigures:
    """Meetings held, materials submitted, visits and households, problems found and closed:
    what the user's scope holds of the campaign (of `unit`'s subtree, given one). Eight queries
    whatever its size."""
    meetings = campaign_meetings(campaign, user, unit=unit).aggregate(
        count=Count("pk"),
        study=Count("pk", filter=Q(kind=MeetingKind.STUDY)),
        minutes=Sum("minutes"),
    )
    kinds = dict(
        campaign_materials(campaign, user, unit=unit)
        .order_by()
        .values_list("kind")
        .annotate(count=Count("pk"))
    )
    visits = campaign_visits(campaign, user, unit=unit)
    visit_figures = visits.aggregate(count=Count("pk"), households=Sum("households"))
    person_days = Visit.people.through.objects.filter(visit__in=visits.values("pk")).aggregate(
        days=Sum("visit__days")
    )
    problems = campaign_problems(campaign, user, unit=unit)
    plain = _in_unit(Problem.objects.visible_to(user).filter(campaign=campaign), unit)
    measures = Measure.objects.filter(problem__in=plain.values("pk")).aggregate(
        count=Count("pk"), closed=Count("pk", filter=Q(state=State.CLOSED))
    )
    return SummaryFigures(
        meetings=meetings["count"],
        study_sessions=meetings["study"],
        meeting_minutes=meetings["minutes"] or 0,
        materials=sum(kinds.values()),
        materials_by_kind={kind.label: kinds[kind] for kind in MaterialKind if kind in kinds},
        visits=visit_figures["count"],
        visit_days=person_days["days"] or Decimal(0),
        households=visit_figures["households"] or 0,
        problems=plain.count(),
        problems_closed=problems.filter(problem_is_closed()).count(),
        measures=measures["count"],
        measures_closed=measures["closed"],
    )


@dataclass(frozen=True)
class RequirementProgress:
    """One requirement of a stage against the units or cadres it asks, in the reader's scope."""

    requirement: Requirement
    due: dt.date
    cells: tuple[Cell, ...]

    def count(self, status: str) -> int:
        return sum(1 for cell in self.cells if cell.status == status)

    @property
    def total(self) -> int:
        return len(self.cells)

    @property
    def done(self) -> int:
        return self.count(Status.DONE)

    @property
    def late(self) -> int:
        return self.count(Status.LATE)

    @property
    def missing(self) -> int:
        return self.count(Status.MISSING)

    @property
    def pending(self) -> int:
        return self.count(Status.PENDING)


@dataclass(frozen=True)
class StageProgress:
    stage: Stage
    requirements: tuple[RequirementProgress, ...]


def campaign_stage_progress(
    campaign: Campaign, user, *, today: dt.date, calendar: WorkCalendar, unit: Unit | None = None
) -> tuple[StageProgress, ...]:
    """Each stage with its dates and each of its requirements' completion (status.py's cells),
    for the campaign's units the user sees (within `unit`'s subtree, given one)."""
    status = campaign_status(campaign=campaign, user=user, today=today, calendar=calendar)
    by_requirement: dict[int, list[Cell]] = {r.pk: [] for r in status.requirements}
    for cell in status.cells:
        if unit is None or cell.unit.path.startswith(unit.path):
            by_requirement[cell.requirement.pk].append(cell)
    return tuple(
        StageProgress(
            stage,
            tuple(
                RequirementProgress(r, r.due_date(calendar), tuple(by_requirement[r.pk]))
                for r in status.requirements
                if r.stage_id == stage.pk
            ),
        )
        for stage in campaign.stages.order_by("order")
    )
