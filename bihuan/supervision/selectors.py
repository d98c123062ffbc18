"""The 督办台账's reads and the supervision part of 我的待办, shared by the pages and the API."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from bihuan.ledger.selectors import contains_lookup
from bihuan.org.models import Role, Unit
from bihuan.workflow.models import LightCutoffs
from bihuan.workflow.states import State

from .figures import item_figures
from .models import (
    PARTNER_OPEN,
    PartnerPart,
    SupervisionEvent,
    SupervisionExtensionRequest,
    SupervisionItem,
    SupervisionProgress,
)

# What a row shows, fetched with the rows so that rendering runs no queries.
ROW_RELATIONS = ("owner_unit", "owner", "assigning_unit")
PARTS = Prefetch(
    "partner_parts", queryset=PartnerPart.objects.select_related("unit", "reported_by")
)

SORT_ORDERS = {
    "new": ("-created_at", "-pk"),
    "deadline": ("deadline", "pk"),
    "urgency": ("light_rank", "deadline", "pk"),
}
SORT_CHOICES = [("new", "最新登记在前"), ("deadline", "时限最近在前"), ("urgency", "红黄灯在前")]
OWNER_STATES = (State.PENDING, State.IN_PROGRESS)


@dataclass(frozen=True)
class ItemFilters:
    """Every filter is optional; an empty one means "all"."""

    unit: Unit | None = None  # the lead's or a partner's subtree
    state: str = ""
    light: str = ""
    source: str = ""
    level: str = ""
    keyword: str = ""
    sort: str = "new"


def _rows(items, cutoffs: LightCutoffs):
    return (
        items.with_light(cutoffs)
        .annotate(**item_figures(cutoffs.today))
        .select_related(*ROW_RELATIONS)
        .prefetch_related(PARTS)
    )


def supervision_items(*, user, filters: ItemFilters, cutoffs: LightCutoffs):
    """Items the user sees, filtered, with their light and figures, in the order asked for."""
    items = _rows(SupervisionItem.objects.visible_to(user), cutoffs)
    if filters.unit is not None:
        subtree = Unit.objects.subtree_of(filters.unit).order_by().values("pk")
        partnered = PartnerPart.objects.filter(unit__in=subtree).order_by().values("item_id")
        items = items.filter(Q(owner_unit__in=subtree) | Q(pk__in=partnered))
    if filters.state:
        items = items.filter(state=filters.state)
    if filters.light:
        items = items.lit(filters.light, cutoffs)
    if filters.source:
        items = items.filter(source=filters.source)
    if filters.level:
        items = items.filter(escalation_level=filters.level)
    if keyword := filters.keyword.strip():
        contains = contains_lookup(keyword)
        items = items.filter(
            Q(**{f"title__{contains}": keyword})
            | Q(**{f"instruction__{contains}": keyword})
            | Q(**{f"instructed_by__{contains}": keyword})
        )
    return items.order_by(*SORT_ORDERS.get(filters.sort, SORT_ORDERS["new"]))


def item_detail(*, user, pk: int, cutoffs: LightCutoffs) -> SupervisionItem:
    """One item with its parts, history, progress and extension requests, or 404."""
    items = _rows(SupervisionItem.objects.visible_to(user), cutoffs).prefetch_related(
        Prefetch("events", queryset=SupervisionEvent.objects.select_related("actor")),
        Prefetch(
            "progress_updates",
            queryset=SupervisionProgress.objects.select_related("author").prefetch_related(
                "evidence"
            ),
        ),
        Prefetch(
            "extension_requests",
            queryset=SupervisionExtensionRequest.objects.select_related(
                "requested_by", "reviewed_by", "decided_by"
            ),
        ),
    )
    return get_object_or_404(items, pk=pk)


def visible_item(user, pk: int) -> SupervisionItem:
    """The item for a write, with what its permission checks read, or 404."""
    items = SupervisionItem.objects.visible_to(user).select_related(*ROW_RELATIONS)
    return get_object_or_404(items.prefetch_related(PARTS), pk=pk)


def visible_part(user, item_pk: int, pk: int) -> PartnerPart:
    item = visible_item(user, item_pk)
    part = next((part for part in item.partner_parts.all() if part.pk == pk), None)
    if part is None:
        raise Http404
    part.item = item
    return part


def _assigned_by(user):
    return Unit.objects.visible_to(user).order_by().values("pk")


def inbox_items(*, user, cutoffs: LightCutoffs):
    """督办事项 waiting for this user, most urgent first: the lead's handler acknowledges and
    reports, a partner's handler reports its part, the assigning unit's supervisors assign and
    review, its leaders review."""
    waiting = Q(owner=user, state__in=OWNER_STATES)
    if user.unit_id is not None and user.has_role(Role.HANDLER):
        subtree = Unit.objects.subtree_of(user.unit).order_by().values("pk")
        parts = PartnerPart.objects.filter(unit__in=subtree, state__in=PARTNER_OPEN)
        waiting |= Q(owner_unit__in=subtree, state__in=OWNER_STATES)
        waiting |= Q(pk__in=parts.order_by().values("item_id"), state__in=OWNER_STATES)
    if user.has_role(Role.SUPERVISOR):
        waiting |= Q(
            state__in=[State.DRAFT, State.SUBMITTED], assigning_unit__in=_assigned_by(user)
        )
    elif user.has_role(Role.LEADER):
        waiting |= Q(state=State.SUBMITTED, assigning_unit__in=_assigned_by(user))
    items = SupervisionItem.objects.visible_to(user).filter(waiting)
    return _rows(items, cutoffs).order_by("light_rank", "deadline", "pk")


def pending_item_extensions(*, user):
    """Extension requests waiting for this user, oldest first: 初审 for the assigning unit's
    supervisors, then 审批 for its leaders."""
    step = Q()
    if user.has_role(Role.SUPERVISOR):
        step |= Q(reviewed_at__isnull=True)
    if user.has_role(Role.LEADER):
        step |= Q(reviewed_at__isnull=False)
    if not step:
        return SupervisionExtensionRequest.objects.none()
    return (
        SupervisionExtensionRequest.objects.visible_to(user)
        .filter(step, state="pending", item__assigning_unit__in=_assigned_by(user))
        .select_related("item__owner_unit", "requested_by")
        .order_by("requested_at")
    )
