"""The ledger's reads: the filters of the 整改台账 and the 我的待办 inbox, shared by UI and API."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from bihuan.org.models import Role, Unit
from bihuan.workflow.models import LightCutoffs, local_midnight
from bihuan.workflow.states import Light, State

from .models import ExtensionRequest, ExtensionState, Measure, Problem

# What a ledger or inbox row shows, fetched with the row so rendering runs no queries.
ROW_RELATIONS = ("problem__category", "problem__unit", "owner_unit", "owner")

# The columns the ledger and inbox tables show. Building a row from these alone costs a third of
# building it from every column of the measure, its problem, its unit and its owner's account,
# and at fifty rows a page that was a fifth of the page's time.
TABLE_COLUMNS = (
    "problem_id",
    "seq",
    "text",
    "state",
    "deadline_kind",
    "deadline",
    "deadline_working_days",
    "feedback_cycle",
    "owner_name",
    "problem__description",
    "problem__category__name",
    "owner_unit__name",
    "owner__name",
    "owner__username",
)
TABLE_RELATIONS = ("problem__category", "owner_unit", "owner")

SORT_ORDERS = {
    "new": ("-problem_id", "seq", "pk"),
    "deadline": ("deadline", "pk"),
    # Sorting by a computed light reads every matching row: fine for a filtered list.
    "urgency": ("light_rank", "deadline", "pk"),
}
SORT_CHOICES = [("new", "最新登记在前"), ("deadline", "时限最近在前"), ("urgency", "红黄灯在前")]


@dataclass(frozen=True)
class LedgerFilters:
    """Every filter is optional; an empty one means "all"."""

    unit: Unit | None = None  # the owner unit's subtree
    unit_only: bool = False  # the owner unit itself, not the units below it
    category: int | None = None
    source: str = ""
    state: str = ""
    light: str = ""
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    # Registered (登记) and closed (销号) on these local dates, both ends included.
    created_from: dt.date | None = None
    created_to: dt.date | None = None
    closed_from: dt.date | None = None
    closed_to: dt.date | None = None
    keyword: str = ""
    problem: int | None = None
    campaign: int | None = None  # 专项活动: the measures of the problems found in it
    sort: str = "new"


def ledger_measures(*, user, filters: LedgerFilters, cutoffs: LightCutoffs):
    """Measures the user sees, filtered, with their light, in the order asked for."""
    return filter_measures(Measure.objects.visible_to(user), filters=filters, cutoffs=cutoffs)


def filter_measures(measures, *, filters: LedgerFilters, cutoffs: LightCutoffs):
    """The ledger's filters on an already scoped queryset (the command line's is the whole
    ledger: whoever runs it holds the database)."""
    measures = measures.with_light(cutoffs).select_related(*ROW_RELATIONS)
    if filters.unit is not None and filters.unit_only:
        measures = measures.filter(owner_unit=filters.unit)
    elif filters.unit is not None:
        subtree = Unit.objects.subtree_of(filters.unit).order_by().values("pk")
        measures = measures.filter(owner_unit__in=subtree)
    if filters.category:
        measures = measures.filter(problem__category_id=filters.category)
    if filters.source:
        measures = measures.filter(problem__source=filters.source)
    if filters.state:
        measures = measures.filter(state=filters.state)
    if filters.light:
        measures = measures.lit(filters.light, cutoffs)
    if filters.deadline_from:
        measures = measures.filter(deadline__gte=filters.deadline_from)
    if filters.deadline_to:
        measures = measures.filter(deadline__lte=filters.deadline_to)
    measures = _on_days(measures, "created_at", filters.created_from, filters.created_to)
    measures = _on_days(measures, "closed_at", filters.closed_from, filters.closed_to)
    if filters.problem:
        measures = measures.filter(problem_id=filters.problem)
    if filters.campaign:
        measures = measures.filter(problem__campaign_id=filters.campaign)
    if keyword := filters.keyword.strip():
        contains = contains_lookup(keyword)
        # The problems matching on their own, so that counting needs no join.
        problems = Problem.objects.filter(**{f"description__{contains}": keyword})
        measures = measures.filter(
            Q(**{f"text__{contains}": keyword}) | Q(problem__in=problems.order_by().values("pk"))
        )
    return measures.order_by(*SORT_ORDERS.get(filters.sort, SORT_ORDERS["new"]))


def _on_days(measures, field: str, first: dt.date | None, last: dt.date | None):
    """Measures whose moment `field` falls on the local days from `first` to `last`."""
    if first:
        measures = measures.filter(**{f"{field}__gte": local_midnight(first)})
    if last:
        measures = measures.filter(**{f"{field}__lt": local_midnight(last + dt.timedelta(days=1))})
    return measures


def contains_lookup(keyword: str) -> str:
    """`contains` for a keyword without upper or lower case (Chinese), which matches exactly
    what `icontains` would, without PostgreSQL upper-casing every row it reads."""
    return "icontains" if keyword.lower() != keyword.upper() else "contains"


def table_rows(measures):
    """`measures` fetched for the ledger and inbox tables: only what a row shows."""
    return measures.select_related(None).select_related(*TABLE_RELATIONS).only(*TABLE_COLUMNS)


def inbox_measures(*, user, cutoffs: LightCutoffs):
    """我的待办: what waits for this user to act on, most urgent first.

    The owner acknowledges, reports and submits; supervisors assign; reviewers close.
    """
    waiting = Q(pk__in=[])
    if user.unit_id is not None and user.has_role(Role.HANDLER):
        subtree = Unit.objects.subtree_of(user.unit).order_by().values("pk")
        waiting |= Q(owner_unit__in=subtree, state__in=[State.PENDING, State.IN_PROGRESS])
    waiting |= Q(owner=user, state__in=[State.PENDING, State.IN_PROGRESS])
    if user.has_role(Role.SUPERVISOR):
        waiting |= Q(state__in=[State.DRAFT, State.SUBMITTED])
    elif user.has_role(Role.LEADER):
        waiting |= Q(state=State.SUBMITTED)
    return (
        Measure.objects.visible_to(user)
        .filter(waiting)
        .with_light(cutoffs)
        .select_related(*ROW_RELATIONS)
        .order_by("light_rank", "deadline", "pk")
    )


def pending_extensions(*, user):
    """Extension requests waiting for this user's decision."""
    if not user.has_role(Role.SUPERVISOR, Role.LEADER):
        return ExtensionRequest.objects.none()
    return (
        ExtensionRequest.objects.visible_to(user)
        .filter(state=ExtensionState.PENDING)
        .select_related("measure__problem", "measure__owner_unit", "requested_by")
        .order_by("requested_at")
    )


LIGHT_CHOICES = [(light.value, light.label) for light in Light if light != Light.NONE]
