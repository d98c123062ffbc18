"""What the 查重 report pages read: the materials above the 复制比 threshold per campaign, and
the problems that came back per unit, each within the viewer's scope."""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from bihuan.ledger.models import Measure, Problem
from bihuan.org.models import Unit
from bihuan.workflow.states import FINAL_STATES, State

from .groups import Group, group_counts, group_of
from .models import DuplicateCheck, Material, ProblemRecurrence


@dataclass(frozen=True)
class CampaignCopies:
    """One campaign: its materials checked, and the latest checks at or above the threshold,
    highest 复制比 first (of equals, the first uploaded first)."""

    group: Group
    checked: int
    checks: list[DuplicateCheck]


def copied_by_campaign(user, *, percent: int, condition: Q) -> list[CampaignCopies]:
    """Per campaign (newest first), the materials `user` sees whose latest check found at least
    `percent` % of their text elsewhere; `condition` on Material chooses the campaigns."""
    materials = Material.objects.visible_to(user).filter(condition)
    newer = DuplicateCheck.objects.filter(material=OuterRef("material")).filter(
        Q(checked_at__gt=OuterRef("checked_at"))
        | Q(checked_at=OuterRef("checked_at"), pk__gt=OuterRef("pk"))
    )
    checks = (
        DuplicateCheck.objects.filter(material__in=materials.values("pk"))
        .alias(copied_percent=F("copied_chars") * 100)
        .filter(chars__gt=0, copied_percent__gte=F("chars") * percent)
        .filter(~Exists(newer))
        .select_related("material__author", "material__unit", "material__campaign")
    )
    grouped: dict[Group, list[DuplicateCheck]] = {}
    for check in checks:
        grouped.setdefault(group_of(check.material), []).append(check)
    checked = group_counts(
        materials.filter(Exists(DuplicateCheck.objects.filter(material=OuterRef("pk"))))
    )
    return [
        CampaignCopies(
            group,
            checked.get(group, len(found)),
            sorted(found, key=lambda c: (-c.copy_ratio, c.material.uploaded_at, c.material_id)),
        )
        for group, found in sorted(grouped.items())
    ]


def recurrences_visible(
    user, *, unit: Unit | None = None, year: int | None = None, closed_only: bool = False
) -> QuerySet[ProblemRecurrence]:
    """The recurrences of problems `user` sees, per unit (in the unit tree's order), newest
    first; `unit` narrows them to its subtree, `year` to problems registered that year, and
    `closed_only` to those whose earlier problem had been 销号."""
    links = ProblemRecurrence.objects.filter(
        problem__in=Problem.objects.visible_to(user).values("pk")
    )
    if unit is not None:
        links = links.filter(problem__unit__path__startswith=unit.path)
    if year is not None:
        links = links.filter(problem__created_at__year=year)
    if closed_only:
        measures = Measure.objects.filter(problem=OuterRef("earlier"))
        links = links.filter(
            Exists(measures.filter(state=State.CLOSED)),
            ~Exists(measures.exclude(state__in=FINAL_STATES)),
        )
    return links.select_related(
        "problem__unit", "problem__person", "earlier__unit", "earlier__person"
    ).order_by("problem__unit__path", "-problem__created_at", "-problem_id", "-similarity")
