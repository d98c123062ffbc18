"""年年提、年年改: problems that come back.

When a problem is registered (by hand, through the API, from a material, from a visit or from
an imported ledger), `recurrences_record` compares its description with those of the earlier
problems of the same unit or the same person from an earlier campaign: when both problems were
found in a 专项活动, one that started before the new problem's; otherwise one registered at
least BIHUAN_RECURRENCE_GAP_DAYS before it. A sibling raised at the same meeting, or in the
same campaign, is no recurrence. The closest, when they resemble it at least
BIHUAN_RECURRENCE_SIMILARITY_PERCENT, are recorded. A page then shows the old problem with its
closing record, for a problem that was 销号 and came back is what a supervisor must see.
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Q

from bihuan.ledger.models import Measure, MeasureEvent, Problem
from bihuan.text.dupcheck import ShortTexts
from bihuan.workflow.states import Action, State

from .models import ProblemRecurrence

__all__ = ["Closing", "Linked", "closings_of", "recurrences_of", "recurrences_record"]

# Earlier problems recorded for one new problem, most resembling first.
LIMIT = 3


def _campaign_starts(problems: list[Problem]) -> dict[int, int]:
    """Each new problem's campaign: its id and the day it started, as (id, ordinal)."""
    tagged = [p.pk for p in problems if p.campaign_id]
    if not tagged:
        return {}
    rows = Problem.objects.filter(pk__in=tagged).values_list("pk", "campaign__starts_on")
    return {pk: starts_on.toordinal() for pk, starts_on in rows}


def recurrences_record(*, problems: list[Problem], now: dt.datetime) -> list[ProblemRecurrence]:
    """Find and record the earlier problems each of `problems` (just registered) resembles.
    A query or two for the whole batch, however many problems an import brings."""
    if not problems:
        return []
    gap = dt.timedelta(days=settings.BIHUAN_RECURRENCE_GAP_DAYS).total_seconds()
    units = {p.unit_id for p in problems}
    persons = {p.person_id for p in problems} - {None}
    rows = list(
        Problem.objects.filter(
            Q(unit_id__in=units) | Q(person_id__in=persons),
            created_at__lt=max(p.created_at for p in problems),
        )
        .order_by("-created_at", "-pk")  # among equals, the latest first
        .values_list(
            "pk",
            "unit_id",
            "person_id",
            "created_at",
            "description",
            "campaign_id",
            "campaign__starts_on",
        )
    )
    if not rows:
        return []
    earlier = ShortTexts([row[4] for row in rows])
    unit_of = np.array([row[1] for row in rows])
    person_of = np.array([row[2] or 0 for row in rows])
    registered = np.array([row[3].timestamp() for row in rows])
    campaign_of = np.array([row[5] or 0 for row in rows])
    started = np.array([row[6].toordinal() if row[6] else 0 for row in rows])
    starts = _campaign_starts(problems)
    threshold = settings.BIHUAN_RECURRENCE_SIMILARITY_PERCENT / 100
    found = []
    for problem in problems:
        at = problem.created_at.timestamp()
        long_before = registered <= at - gap
        if problem.campaign_id:
            long_before &= campaign_of == 0
            long_before |= (
                (registered < at)
                & (campaign_of != 0)
                & (campaign_of != problem.campaign_id)
                & (started < starts[problem.pk])
            )
        among = (unit_of == problem.unit_id) | (person_of == (problem.person_id or -1))
        for number, similarity in earlier.resembling(
            problem.description, threshold=threshold, among=among & long_before, limit=LIMIT
        ):
            found.append(
                ProblemRecurrence(
                    problem=problem,
                    earlier_id=rows[number][0],
                    similarity=round(similarity, 4),
                    found_at=now,
                )
            )
    return ProblemRecurrence.objects.bulk_create(found, ignore_conflicts=True)


@dataclass(frozen=True)
class Closing:
    """Where a problem's measures stand: `label` 已销号 (all closed or cancelled, one at least
    closed), 已撤销, 整改中 or 待交办; `closed_at`, `by` and `comment` of the last 销号, and the
    measure it closed, to link to its history."""

    label: str
    closed: int
    total: int
    closed_at: dt.datetime | None = None
    by: str = ""
    comment: str = ""
    measure_id: int | None = None

    @property
    def is_closed(self) -> bool:
        return self.label == State.CLOSED.label


def _closing(measures: list[dict], events: dict[int, MeasureEvent]) -> Closing:
    states = [m["state"] for m in measures]
    closed = [m for m in measures if m["state"] == State.CLOSED]
    if not measures:
        return Closing("—", 0, 0)
    if all(state == State.DRAFT for state in states):
        return Closing(State.DRAFT.label, 0, len(measures))
    if not all(state in (State.CLOSED, State.CANCELLED) for state in states):
        return Closing(State.IN_PROGRESS.label, len(closed), len(measures))
    if not closed:
        return Closing(State.CANCELLED.label, 0, len(measures))
    last = max(closed, key=lambda m: (m["closed_at"], m["pk"]))
    event = events.get(last["pk"])
    return Closing(
        State.CLOSED.label,
        len(closed),
        len(measures),
        closed_at=last["closed_at"],
        by=str(event.actor) if event else "",
        comment=event.comment if event else "",
        measure_id=last["pk"],
    )


def closings_of(problem_ids) -> dict[int, Closing]:
    """The closing record of each problem, in two queries whatever their number."""
    measures: dict[int, list[dict]] = {pk: [] for pk in problem_ids}
    rows = Measure.objects.filter(problem_id__in=measures).values(
        "pk", "problem_id", "state", "closed_at"
    )
    for row in rows:
        measures[row["problem_id"]].append(row)
    closed = [row["pk"] for row in rows if row["state"] == State.CLOSED]
    events: dict[int, MeasureEvent] = {}
    for event in (
        MeasureEvent.objects.filter(measure_id__in=closed, action=Action.CLOSE)
        .select_related("actor")
        .order_by("at", "pk")
    ):
        events[event.measure_id] = event  # the latest 销号 of each measure wins
    return {pk: _closing(found, events) for pk, found in measures.items()}


@dataclass(frozen=True)
class Linked:
    """The other side of a recurrence as one viewer sees it: the problem and its closing
    record, or None for both when it lies outside the viewer's scope."""

    link: ProblemRecurrence
    problem: Problem | None
    closing: Closing | None


def linked(links: list[ProblemRecurrence], user, *, other) -> list[Linked]:
    """Each link's other problem (`other(link)`) for `user`; the links come with both
    problems selected. Three queries, however many links."""
    ids = {other(link).pk for link in links}
    visible = set(Problem.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    closings = closings_of(visible) if visible else {}
    return [
        Linked(link, other(link), closings[other(link).pk])
        if other(link).pk in visible
        else Linked(link, None, None)
        for link in links
    ]


def recurrences_of(problem: Problem, user) -> tuple[list[Linked], list[Linked]]:
    """The earlier problems `problem` resembled when it was registered, and the later ones
    that resembled it, as `user` may see them."""
    links = list(
        ProblemRecurrence.objects.filter(Q(problem=problem) | Q(earlier=problem))
        .select_related("problem", "earlier")
        .order_by("-similarity", "pk")
    )
    if not links:
        return [], []
    found = linked(
        links,
        user,
        other=lambda link: link.earlier if link.problem_id == problem.pk else link.problem,
    )
    return (
        [seen for seen in found if seen.link.problem_id == problem.pk],
        [seen for seen in found if seen.link.earlier_id == problem.pk],
    )
