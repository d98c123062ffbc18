"""The duty-list check (清单制) on 交办: called by the one assign service of the ledger and of
supervision, before a task reaches a village or community.

The assigner names the list entry the task falls under (`choice`: the entry's id), or says it
is on no list (`UNLISTED`). A negative-list entry refuses the task; an entry of another list
lets it through and is recorded; a task on no list is recorded and held for 准入审批, and stays
待交办 until it is approved (`duties.services.approval_decide` then assigns it). While a level
has no list entries at all, tasks for its villages pass unchecked: the county has not adopted
the lists yet.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.text import Truncator

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record
from bihuan.errors import DomainError
from bihuan.notify.items import item_label
from bihuan.notify.models import Kind
from bihuan.notify.recipients import nearest_with_role
from bihuan.notify.services import Notice, notify_people
from bihuan.org.models import Role, UnitKind
from bihuan.workflow.states import Actor, State

from .models import DutyAssignment, DutyEntry, DutyLevel, DutyState, level_of, link_of

UNLISTED = "unlisted"
UNLISTED_LABEL = "清单外事项（须准入审批）"
HELD_MESSAGE = "不在村（社区）职责清单内的任务已提交准入审批，审批同意后自动交办。"


def village_units(item) -> list:
    """The villages and communities a task goes to: its owner unit and, for a 督办事项, its
    partner units."""
    units = [item.owner_unit]
    if parts := getattr(item, "partner_parts", None):
        units += [part.unit for part in parts.all()]
    return [unit for unit in units if unit.kind == UnitKind.VILLAGE]


def checked_levels(item) -> set[str]:
    """The levels whose lists the task is checked against; empty when it needs no check."""
    levels = {level_of(unit) for unit in village_units(item)}
    if not levels:
        return set()
    kept = DutyEntry.objects.active().filter(level__in=levels)
    return set(kept.values_list("level", flat=True).distinct())


def live_check(item) -> DutyAssignment | None:
    return DutyAssignment.objects.for_item(item).live().select_related("entry").first()


def duty_gate(*, item, choice: str = "", by, now: dt.datetime) -> bool:
    """Before 交办 of `item` by `by`: True when it may go ahead, False when it is held for 准入
    审批 (recorded here); a DomainError when it is refused. A step that would fail anyway (not
    a draft, not the caller's to assign) is left to the transition to refuse."""
    if item.state != State.DRAFT or not item.may(by, Actor.ASSIGNER):
        return True
    levels = checked_levels(item)
    if not levels:
        return True
    live = live_check(item)
    if live is not None:
        if live.state == DutyState.PENDING:
            raise DomainError("该任务已提交准入审批，审批同意后自动交办。", field="duty")
        return True
    villages = village_units(item)
    names = "、".join(unit.name for unit in villages)
    choice = str(choice or "").strip()
    if not choice:
        raise DomainError(
            f"任务交由{names}承担，请选择其所属的清单事项；不在清单内的，请选择“{UNLISTED_LABEL}”。",
            field="duty",
        )
    if choice == UNLISTED:
        _record(item, villages, state=DutyState.PENDING, entry=None, by=by, now=now)
        return False
    entry = _entry(choice, levels)
    if entry.is_negative:
        raise DomainError(
            f"该任务属于负面清单事项“{entry.name}”，不得交由{names}承担。", field="duty"
        )
    _record(item, villages, state=DutyState.LISTED, entry=entry, by=by, now=now)
    return True


def _entry(choice: str, levels: set[str]) -> DutyEntry:
    entry = None
    if choice.isdigit():
        entry = DutyEntry.objects.active().filter(pk=int(choice)).first()
    if entry is None:
        raise DomainError("所选清单事项不存在或已停用，请重新选择。", field="duty")
    if entry.level not in levels:
        wanted = "、".join(DutyLevel(level).label for level in sorted(levels))
        raise DomainError(
            f"“{entry.name}”是{entry.get_level_display()}的清单事项，本任务应从{wanted}的清单中选择。",
            field="duty",
        )
    return entry


def _record(item, villages, *, state: str, entry, by, now: dt.datetime) -> DutyAssignment:
    assigning_unit = getattr(item, "assigning_unit", None) or by.unit
    try:
        with transaction.atomic():
            check = DutyAssignment.objects.create(
                **link_of(item),
                task=Truncator(getattr(item, "title", None) or item.text).chars(300),
                unit=villages[0],
                assigning_unit=assigning_unit,
                entry=entry,
                state=state,
                requested_by=by,
                requested_at=now,
            )
            audit_record(
                AuditAction.CREATE,
                actor=by,
                obj=check,
                now=now,
                changes={
                    "after": {
                        "task": f"{item._meta.label_lower}:{item.pk}",
                        "state": state,
                        "entry": entry.pk if entry else None,
                        "units": [unit.pk for unit in villages],
                    }
                },
            )
            if state == DutyState.PENDING:
                _ask_approvers(check, item, villages, by=by, now=now)
    except IntegrityError:
        raise DomainError("该任务已提交准入审批，审批同意后自动交办。", field="duty") from None
    return check


def approver_role() -> str:
    return settings.BIHUAN_DUTY_APPROVER_ROLE


def may_approve(user, check: DutyAssignment) -> bool:
    """The configured role, over the assigning unit."""
    return (
        user.is_authenticated
        and user.has_role(approver_role())
        and check.assigning_unit.is_visible_to(user)
    )


def _ask_approvers(check: DutyAssignment, item, villages, *, by, now: dt.datetime) -> None:
    approvers = [p for p in nearest_with_role(approver_role(), check.assigning_unit) if p != by]
    names = "、".join(unit.name for unit in villages)
    text = (
        f"{by}拟将{item_label(item)}交由{names}承担，该任务不在村（社区）职责清单内，"
        f"请进行准入审批（{Role(approver_role()).label}）。"
    )
    notice = Notice(item, Kind.APPROVAL, text, link=reverse("duties:approvals"))
    notify_people([(notice, approvers)], now=now)
