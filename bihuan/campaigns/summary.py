"""The figures of a campaign's summary (活动总结), counted from what was recorded once: the
meetings, materials, visits and problems tagged with the campaign, in the reader's scope."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from bihuan.fieldwork.models import Visit
from bihuan.ledger.models import Measure, Problem
from bihuan.materials.models import Material, MaterialKind
from bihuan.streamlining.models import Meeting, MeetingKind
from bihuan.workflow.states import FINAL_STATES, State

from .models import Campaign


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


def campaign_summary_figures(campaign: Campaign, user) -> SummaryFigures:
    """Meetings held, materials submitted, visits and households, problems found and closed:
    what the user's scope holds of the campaign. Eight queries whatever its size."""
    meetings = (
        Meeting.objects.visible_to(user)
        .filter(campaign=campaign)
        .aggregate(
            count=Count("pk"),
            study=Count("pk", filter=Q(kind=MeetingKind.STUDY)),
            minutes=Sum("minutes"),
        )
    )
    kinds = dict(
        Material.objects.visible_to(user)
        .filter(campaign=campaign)
        .order_by()
        .values_list("kind")
        .annotate(count=Count("pk"))
    )
    visits = Visit.objects.visible_to(user).filter(campaign=campaign)
    visit_figures = visits.aggregate(count=Count("pk"), households=Sum("households"))
    person_days = Visit.people.through.objects.filter(visit__in=visits.values("pk")).aggregate(
        days=Sum("visit__days")
    )
    problems = Problem.objects.visible_to(user).filter(campaign=campaign)
    closed = (
        problems.annotate(
            unended=Count("measures", filter=~Q(measures__state__in=FINAL_STATES)),
            closed=Count("measures", filter=Q(measures__state=State.CLOSED)),
        )
        .filter(unended=0, closed__gt=0)
        .count()
    )
    measures = Measure.objects.filter(problem__in=problems.values("pk")).aggregate(
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
        problems=problems.count(),
        problems_closed=closed,
        measures=measures["count"],
        measures_closed=measures["closed"],
    )
