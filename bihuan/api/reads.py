"""The reads the endpoints answer with, each in a fixed number of queries however long."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from bihuan.ledger.models import (
    ExtensionRequest,
    Measure,
    MeasureEvent,
    Problem,
    Progress,
)
from bihuan.ledger.selectors import LedgerFilters, contains_lookup, ledger_measures
from bihuan.org.models import Unit

from .clock import clock


def problem_rows(
    *,
    user,
    unit: Unit | None,
    category: int | None,
    source: str,
    keyword: str,
    campaign: int | None = None,
):
    """Problems the user sees, newest first: a problem list's filters, like the ledger's."""
    problems = Problem.objects.visible_to(user).select_related(
        "category", "unit", "person", "campaign"
    )
    if unit is not None:
        problems = problems.filter(unit__path__startswith=unit.path)
    if category:
        problems = problems.filter(category_id=category)
    if source:
        problems = problems.filter(source=source)
    if campaign:
        problems = problems.filter(campaign_id=campaign)
    if keyword := keyword.strip():
        problems = problems.filter(**{f"description__{contains_lookup(keyword)}": keyword})
    return problems


def problem_detail(request, pk: int) -> Problem:
    """The problem with its causes and the measures the caller sees, in their order."""
    user = request.auth
    problem = get_object_or_404(
        Problem.objects.visible_to(user)
        .select_related("category", "unit", "person", "created_by", "campaign")
        .prefetch_related("causes"),
        pk=pk,
    )
    measures = ledger_measures(
        user=user, filters=LedgerFilters(problem=pk), cutoffs=clock(request).cutoffs
    )
    problem.visible_measures = list(measures.order_by("seq", "pk"))
    return problem


def measure_detail(request, pk: int) -> Measure:
    """The measure with its light, history, progress with evidence, and extension requests."""
    measures = ledger_measures(
        user=request.auth, filters=LedgerFilters(), cutoffs=clock(request).cutoffs
    )
    return get_object_or_404(
        measures.prefetch_related(
            Prefetch("events", queryset=MeasureEvent.objects.select_related("actor")),
            Prefetch(
                "progress_updates",
                queryset=Progress.objects.select_related("author").prefetch_related("evidence"),
            ),
            Prefetch(
                "extension_requests",
                queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by"),
            ),
        ),
        pk=pk,
    )


def visible_extensions(user):
    return ExtensionRequest.objects.visible_to(user).select_related(
        "measure__owner_unit", "measure__problem__unit", "requested_by", "decided_by"
    )
