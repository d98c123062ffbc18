"""督办 operations across rows or with side effects; the pages, the API and the commands call these.

The workflow steps themselves are the Tracked transitions (`workflow.services.transition`); what
is added here is the item's registration, its partner units' parts and escalation.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record, field_values
from bihuan.errors import Conflict, DomainError, NotAllowed
from bihuan.org.models import Role, Unit
from bihuan.workflow import services as workflow
from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.states import Action, Actor, DeadlineKind, State

from .figures import feedback_period_of, item_figures
from .models import (
    LEVEL_RANK,
    PARTNER_OPEN,
    EscalationRule,
    Level,
    PartnerPart,
    PartnerState,
    Source,
    SupervisionAction,
    SupervisionExtensionRequest,
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
) -> SupervisionItem:
    """Register an item with its partner units, assigned by the supervisor's unit; with
    `assign`, 交办 it at once (all or nothing)."""
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
        if assign:
            item.assign(by=by, now=now, calendar=calendar)
    return item


def item_transition(
    *,
    item: SupervisionItem,
    action: str,
    by,
    now: dt.datetime,
    calendar: WorkCalendar,
    comment: str = "",
) -> None:
    workflow.transition(
        item=item, action=action, by=by, now=now, calendar=calendar, comment=comment
    )


def progress_post(*, item: SupervisionItem, by, now: dt.datetime, text: str) -> SupervisionProgress:
    """办理进展 by the lead unit; on an ongoing item it meets the feedback period it falls in."""
    if not item.may(by, Actor.OWNER):
        raise NotAllowed("只有牵头单位承办人或责任人可以反馈办理进展。")
    if item.state != State.IN_PROGRESS:
        raise DomainError(f"当前状态为“{item.get_state_display()}”，不能反馈进展。", field="state")
    if not text.strip():
        raise DomainError("请填写办理进展。", field="text")
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


# -- extensions (延期申请) ----------------------------------------------------------------


def extension_request(
    *, item: SupervisionItem, by, now: dt.datetime, new_deadline: dt.date, reason: str
) -> SupervisionExtensionRequest:
    return workflow.extension_request(
        item=item, by=by, now=now, new_deadline=new_deadline, reason=reason
    )


def extension_decide(
    *, request: SupervisionExtensionRequest, by, now: dt.datetime, approve: bool, comment: str = ""
) -> None:
    workflow.extension_decide(
        request=request, item=request.item, by=by, now=now, approve=approve, comment=comment
    )


def extension_decide_by(request, calendar: WorkCalendar) -> dt.date:
    """The day by which a request is to be decided (BIHUAN_EXTENSION_DECIDE_WORKING_DAYS)."""
    days = settings.BIHUAN_EXTENSION_DECIDE_WORKING_DAYS
    return calendar.add_working_days(timezone.localdate(request.requested_at), days)


# -- escalation (三色督办) ------------------------------------------------------------------


def level_for(days_overdue: int, rules: list[EscalationRule]) -> str:
    """The highest level whose threshold the days reach; "" below every rule."""
    reached = [rule.level for rule in rules if days_overdue >= rule.days_overdue]
    return max(reached, key=LEVEL_RANK.__getitem__, default="")


def escalate(*, items, by, now: dt.datetime, dry_run: bool = False) -> list:
    """Raise each of `items` that is open and late enough to a higher level by the rules; a
    level is never lowered. Only items the supervisor `by` assigns are touched. Returns the
    (item, level) pairs raised, or with `dry_run` that would be."""
    if not by.has_role(Role.SUPERVISOR):
        raise NotAllowed("只有督查员可以升级督办。")
    today = timezone.localdate(now)
    rules = list(EscalationRule.objects.all())
    if not rules:
        return []
    assigned_here = Unit.objects.visible_to(by).order_by().values("pk")
    late = (
        items.filter(assigning_unit__in=assigned_here)
        .overdue(today=today)
        .annotate(overdue_days=item_figures(today)["overdue_days"])
        .filter(overdue_days__gte=min(rule.days_overdue for rule in rules))
        .select_related("owner_unit", "assigning_unit", "owner")
        .order_by("pk")
    )
    raised = []
    for item in late:
        level = level_for(item.overdue_days, rules)
        if LEVEL_RANK[level] <= LEVEL_RANK[item.escalation_level]:
            continue
        raised.append((item, level))
        if not dry_run:
            item.record(
                SupervisionAction.ESCALATE,
                by=by,
                now=now,
                comment=f"逾期{item.overdue_days}天，升级为{Level(level).label}",
                changes={"escalation_level": level, "escalated_at": now},
            )
    return raised


def escalation_rules_set(*, rules: dict[str, int], by, now: dt.datetime) -> None:
    """Replace the rules: level → days overdue at which it starts (a level left out is unused)."""
    if not by.has_role(Role.SYSTEM_ADMIN):
        raise NotAllowed("只有系统管理员可以设置升级规则。")
    before = dict(EscalationRule.objects.values_list("level", "days_overdue"))
    with transaction.atomic():
        EscalationRule.objects.exclude(level__in=list(rules)).delete()
        for level, days in rules.items():
            EscalationRule.objects.update_or_create(level=level, defaults={"days_overdue": days})
        audit_record(
            AuditAction.CHANGE,
            actor=by,
            object_type="supervision.escalationrule",
            object_repr="督办升级规则",
            now=now,
            changes={"before": before, "after": rules},
        )
