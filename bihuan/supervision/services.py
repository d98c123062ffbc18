"""督办 operations across rows or with side effects; the pages, the API and the commands call these.

The workflow steps themselves are the Tracked transitions (`workflow.services.transition`); what
is added here is the item's registration, its partner units' parts and progress. Extensions
and escalation have their own modules, re-exported here so that every write of the app is
reached from one place.
"""

import datetime as dt
import mimetypes
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record, field_values
from bihuan.duties.gate import duty_gate
from bihuan.errors import Conflict, DomainError, NotAllowed
from bihuan.ledger.services import _check_evidence as check_evidence
from bihuan.notify.steps import step_notice
from bihuan.org.models import Role, Unit
from bihuan.workflow import services as workflow
from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.states import Action, Actor, DeadlineKind, State

from .escalation import RuleSpec, escalate, escalation_rules_set, level_for
from .extensions import (
    extension_decide,
    extension_decide_by,
    extension_request,
    extension_review,
)
from .figures import feedback_period_of
from .models import (
    PARTNER_OPEN,
    PartnerPart,
    PartnerState,
    Source,
    SupervisionAction,
    SupervisionEvidence,
    SupervisionItem,
    SupervisionProgress,
)


@dataclass(frozen=True)
class ItemSpec:
    """What a supervisor writes for one item; validated by `item_create`."""

    source: str
    title: str
    owner_unit: Unit
    partner_units: tuple[Unit, ...] = ()
    instruction: str = ""
    instructed_by: str = ""
    instructed_on: dt.date | None = None
    owner: object | None = None
    deadline_kind: str = DeadlineKind.DATE
    deadline: dt.date | None = None
    deadline_working_days: int | None = None
    feedback_cycle: str = ""


AUDITED_FIELDS = (
    "source",
    "title",
    "instruction",
    "instructed_by",
    "instructed_on",
    "assigning_unit",
    "owner_unit",
    "owner",
    "deadline_kind",
    "deadline",
    "deadline_working_days",
    "feedback_cycle",
)


def _clean(spec: ItemSpec, *, by, today: dt.date) -> None:
    if spec.source not in Source.values:
        raise DomainError(f"未知的事项来源“{spec.source}”。", field="source")
    if not spec.title.strip():
        raise DomainError("请填写督办事项。", field="title")
    for unit, field in (
        (spec.owner_unit, "owner_unit"),
        *((u, "partner_units") for u in spec.partner_units),
    ):
        if not unit.is_visible_to(by):
            raise DomainError(f"单位“{unit}”不在您的管理范围内。", field=field)
    if spec.owner_unit in spec.partner_units:
        raise DomainError(
            f"“{spec.owner_unit}”已是牵头单位，不能同时是配合单位。", field="partner_units"
        )
    if len(set(spec.partner_units)) != len(spec.partner_units):
        raise DomainError("配合单位有重复。", field="partner_units")
    if spec.owner is not None and not (
        spec.owner.unit_id is not None and spec.owner_unit.contains(spec.owner.unit)
    ):
        raise DomainError(f"责任人{spec.owner}不属于牵头单位“{spec.owner_unit}”。", field="owner")
    if spec.deadline_kind == DeadlineKind.UNSET:
        raise DomainError("请设定办结时限。", field="deadline_kind")
    workflow.clean_deadline(
        kind=spec.deadline_kind,
        deadline=spec.deadline,
        working_days=spec.deadline_working_days,
        feedback_cycle=spec.feedback_cycle,
        today=today,
        noun="事项",
        word="办结时限",
    )


def item_create(
    *,
    spec: ItemSpec,
    by,
    now: dt.datetime,
    calendar: WorkCalendar | None = None,
    assign: bool = False,
    duty: str = "",
) -> SupervisionItem:
    """Register an item with its partner units, assigned by the supervisor's unit; with
    `assign`, 交办 it at once (all or nothing). A task for a village or community is checked
    against the duty lists by `duty` (the entry it falls under): one outside the lists stays
    待交办 until its 准入审批."""
    if not by.has_role(Role.SUPERVISOR) or by.unit_id is None:
        raise NotAllowed("只有督查员可以登记督办事项。")
    _clean(spec, by=by, today=timezone.localdate(now))
    kind = spec.deadline_kind
    with transaction.atomic():
        item = SupervisionItem.objects.create(
            source=spec.source,
            title=spec.title.strip(),
            instruction=spec.instruction.strip(),
            instructed_by=spec.instructed_by.strip(),
            instructed_on=spec.instructed_on,
            assigning_unit=by.unit,
            owner_unit=spec.owner_unit,
            owner=spec.owner,
            deadline_kind=kind,
            deadline=spec.deadline if kind == DeadlineKind.DATE else None,
            deadline_working_days=(
                spec.deadline_working_days if kind == DeadlineKind.WORKING_DAYS else None
            ),
            feedback_cycle=spec.feedback_cycle if kind == DeadlineKind.ONGOING else "",
            created_at=now,
            created_by=by,
        )
        PartnerPart.objects.bulk_create(
            PartnerPart(item=item, unit=unit) for unit in spec.partner_units
        )
        item.events.create(
            at=now, actor=by, action=Action.CREATE, from_state=State.DRAFT, to_state=State.DRAFT
        )
        after = field_values(item, AUDITED_FIELDS) | {
            "partner_units": [unit.pk for unit in spec.partner_units]
        }
        audit_record(AuditAction.CREATE, actor=by, obj=item, now=now, changes={"after": after})
        if assign and duty_gate(item=item, choice=duty, by=by, now=now):
            item.assign(by=by, now=now, calendar=calendar)
            step_notice(item=item, action=Action.ASSIGN, by=by, now=now)
    return item


def item_transition(
    *,
    item: SupervisionItem,
    action: str,
    by,
    now: dt.datetime,
    calendar: WorkCalendar,
    comment: str = "",
    duty: str = "",
) -> bool:
    """One workflow step, and a notice to whoever must act next. False when a 交办 to a
    village is held for 准入审批 instead (see `duty_gate`)."""
    with transaction.atomic():
        if action == Action.ASSIGN and not duty_gate(item=item, choice=duty, by=by, now=now):
            return False
        workflow.transition(
            item=item, action=action, by=by, now=now, calendar=calendar, comment=comment
        )
        step_notice(item=item, action=action, by=by, now=now, comment=comment)
    return True


def progress_post(
    *,
    item: SupervisionItem,
    by,
    now: dt.datetime,
    text: str,
    files: list[UploadedFile] = (),
) -> SupervisionProgress:
    """办理进展 by the lead unit, with optional evidence checked as the ledger's is; on an
    ongoing item it meets the feedback period it falls in."""
    files = list(files)
    if not item.may(by, Actor.OWNER):
        raise NotAllowed("只有牵头单位承办人或责任人可以反馈办理进展。")
    if item.state != State.IN_PROGRESS:
        raise DomainError(f"当前状态为“{item.get_state_display()}”，不能反馈进展。", field="state")
    if not text.strip():
        raise DomainError("请填写办理进展。", field="text")
    check_evidence(files)
    changes: dict = {"last_feedback_at": now}
    if item.deadline_kind == DeadlineKind.ONGOING:
        period = feedback_period_of(item, timezone.localdate(now))
        if period != item.feedback_period:
            changes |= {
                "feedback_period": period,
                "feedback_periods_met": item.feedback_periods_met + 1,
            }
    with transaction.atomic():
        progress = SupervisionProgress.objects.create(
            item=item, author=by, at=now, text=text.strip()
        )
        for upload in files:
            name = PurePath(upload.name or "file").name[:255]
            SupervisionEvidence.objects.create(
                progress=progress,
                file=upload,
                original_name=name,
                size=upload.size,
                content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
            )
        item.record(Action.PROGRESS, by=by, now=now, comment=text.strip()[:200], changes=changes)
    return progress


# -- partner units (配合单位) -------------------------------------------------------------


def may_act_for(part: PartnerPart, user) -> bool:
    """A handler whose scope holds the partner unit acts for it."""
    return user.is_authenticated and user.has_role(Role.HANDLER) and part.unit.is_visible_to(user)


def _partner_step(
    part: PartnerPart,
    *,
    action: str,
    by,
    now: dt.datetime,
    changes: dict,
    comment: str,
    allowed_from: tuple[str, ...],
    verb: str,
) -> None:
    """Write the part's change and the item's history entry together, unless either changed."""
    item = part.item
    if item.state not in (State.PENDING, State.IN_PROGRESS):
        raise DomainError(
            f"督办事项当前状态为“{item.get_state_display()}”，不能再{verb}。", field="state"
        )
    if part.state not in allowed_from:
        raise DomainError(f"{part.unit}{part.get_state_display()}。", field="state")
    with transaction.atomic():
        updated = PartnerPart.objects.filter(
            pk=part.pk, version=part.version, state=part.state
        ).update(**changes, version=part.version + 1)
        if updated != 1:
            raise Conflict()
        item.record(
            action, by=by, now=now, comment=f"{part.unit}：{comment}" if comment else str(part.unit)
        )
    for name, value in changes.items():
        setattr(part, name, value)
    part.version += 1


def _acknowledgement(part: PartnerPart, *, now: dt.datetime, calendar: WorkCalendar) -> dict:
    if part.acknowledged_at is not None:
        return {}
    due = calendar.add_working_days(timezone.localdate(part.item.assigned_at), 1)
    return {"acknowledged_at": now, "acknowledged_on_time": timezone.localdate(now) <= due}


def partner_acknowledge(*, part: PartnerPart, by, now: dt.datetime, calendar: WorkCalendar) -> None:
    """签收 of a partner unit's part, within one working day of assignment to be on time."""
    if not may_act_for(part, by):
        raise NotAllowed("只有配合单位的承办人可以签收。")
    _partner_step(
        part,
        action=SupervisionAction.PARTNER_ACKNOWLEDGE,
        by=by,
        now=now,
        changes={
            "state": PartnerState.ACKNOWLEDGED,
            **_acknowledgement(part, now=now, calendar=calendar),
        },
        comment="",
        allowed_from=(PartnerState.PENDING,),
        verb="签收",
    )


def partner_report(
    *, part: PartnerPart, by, now: dt.datetime, calendar: WorkCalendar, text: str
) -> None:
    """A partner unit reports its part (acknowledging it if it had not); it may report again,
    replacing what it said, until the lead submits the item."""
    if not may_act_for(part, by):
        raise NotAllowed("只有配合单位的承办人可以反馈。")
    if not text.strip():
        raise DomainError("请填写配合事项的办理情况。", field="text")
    _partner_step(
        part,
        action=SupervisionAction.PARTNER_REPORT,
        by=by,
        now=now,
        changes={
            "state": PartnerState.REPORTED,
            "report": text.strip(),
            "reported_at": now,
            "reported_by": by,
            **_acknowledgement(part, now=now, calendar=calendar),
        },
        comment=text.strip()[:200],
        allowed_from=(*PARTNER_OPEN, PartnerState.REPORTED),
        verb="反馈",
    )


def partner_waive(*, part: PartnerPart, by, now: dt.datetime, reason: str) -> None:
    """The assigning supervisor excuses a partner from reporting (免予反馈), with a reason, so
    that the lead may submit without it."""
    if not part.item.may(by, Actor.ASSIGNER):
        raise NotAllowed("只有交办单位的督查员可以免予配合单位反馈。")
    if not reason.strip():
        raise DomainError("免予反馈须填写理由。", field="comment")
    _partner_step(
        part,
        action=SupervisionAction.PARTNER_WAIVE,
        by=by,
        now=now,
        changes={
            "state": PartnerState.WAIVED,
            "report": reason.strip(),
            "reported_at": now,
            "reported_by": by,
        },
        comment=reason.strip()[:200],
        allowed_from=PARTNER_OPEN,
        verb="免予反馈",
    )


__all__ = [
    "ItemSpec",
    "RuleSpec",
    "escalate",
    "escalation_rules_set",
    "extension_decide",
    "extension_decide_by",
    "extension_request",
    "extension_review",
    "item_create",
    "item_transition",
    "level_for",
    "may_act_for",
    "partner_acknowledge",
    "partner_report",
    "partner_waive",
    "progress_post",
]
