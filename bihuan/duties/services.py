"""Writes of the duties app: the lists (kept by the system admin) and 准入审批 of tasks outside
them. The check on 交办 itself is `gate.duty_gate`."""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record, field_values
from bihuan.errors import Conflict, DomainError, NotAllowed
from bihuan.ledger.services import measure_transition
from bihuan.notify.items import item_label
from bihuan.notify.models import Kind
from bihuan.notify.services import Notice, notify_people
from bihuan.org.models import Role
from bihuan.supervision.services import item_transition
from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.states import Action, State

from .gate import approver_role, may_approve
from .models import DutyAssignment, DutyEntry, DutyKind, DutyLevel, DutyState

ENTRY_FIELDS = ("level", "kind", "number", "name", "basis", "note")


@dataclass(frozen=True)
class EntrySpec:
    level: str
    kind: str
    name: str
    number: int = 0
    basis: str = ""
    note: str = ""


def require_admin(by) -> None:
    if not by.has_role(Role.SYSTEM_ADMIN):
        raise NotAllowed("只有系统管理员可以维护村（社区）职责清单。")


def clean_entry(spec: EntrySpec, *, prefix: str = "") -> EntrySpec:
    if spec.level not in DutyLevel.values:
        raise DomainError(f"{prefix}未知的层级“{spec.level}”。", field="level")
    if spec.kind not in DutyKind.values:
        raise DomainError(f"{prefix}未知的清单“{spec.kind}”。", field="kind")
    name = " ".join(spec.name.split())
    if not name:
        raise DomainError(f"{prefix}请填写事项名称。", field="name")
    if len(name) > 300:
        raise DomainError(f"{prefix}事项名称不能超过 300 个字。", field="name")
    if spec.number < 0:
        raise DomainError(f"{prefix}序号不能为负数。", field="number")
    return EntrySpec(
        spec.level, spec.kind, name, spec.number, spec.basis.strip(), spec.note.strip()
    )


def _duplicate(spec: EntrySpec) -> DomainError:
    return DomainError(
        f"{DutyLevel(spec.level).label}{DutyKind(spec.kind).label}中已有“{spec.name}”。",
        field="name",
    )


def entry_create(*, spec: EntrySpec, by, now: dt.datetime) -> DutyEntry:
    require_admin(by)
    spec = clean_entry(spec)
    entry = DutyEntry(**spec.__dict__, created_at=now, updated_at=now)
    try:
        with transaction.atomic():
            entry.save()
            after = field_values(entry, ENTRY_FIELDS)
            audit_record(AuditAction.CREATE, actor=by, obj=entry, now=now, changes={"after": after})
    except IntegrityError:
        raise _duplicate(spec) from None
    return entry


def entry_edit(*, entry: DutyEntry, spec: EntrySpec, by, now: dt.datetime) -> None:
    require_admin(by)
    spec = clean_entry(spec)
    changes = {name: getattr(spec, name) for name in ENTRY_FIELDS}
    changes = {name: value for name, value in changes.items() if getattr(entry, name) != value}
    if not changes:
        raise DomainError("没有修改任何内容。")
    before = {name: getattr(entry, name) for name in changes}
    try:
        with transaction.atomic():
            DutyEntry.objects.filter(pk=entry.pk).update(**changes, updated_at=now)
            audit_record(
                AuditAction.CHANGE,
                actor=by,
                obj=entry,
                now=now,
                changes={"before": before, "after": changes},
            )
    except IntegrityError:
        raise _duplicate(spec) from None
    for name, value in changes.items():
        setattr(entry, name, value)


def entry_set_active(*, entry: DutyEntry, active: bool, by, now: dt.datetime) -> None:
    """An entry is never deleted (checked tasks point to it); a stopped one is no longer offered."""
    require_admin(by)
    with transaction.atomic():
        DutyEntry.objects.filter(pk=entry.pk).update(is_active=active, updated_at=now)
        audit_record(
            AuditAction.CHANGE,
            actor=by,
            obj=entry,
            now=now,
            changes={"before": {"is_active": entry.is_active}, "after": {"is_active": active}},
        )
    entry.is_active = active


# -- 准入审批 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    approved: bool
    assigned: bool
    # Why an approved task could not be assigned (a deadline passed meanwhile …).
    problem: str = ""


def task_assign(
    *, item, by, now: dt.datetime, calendar: WorkCalendar, duty: str = "", comment: str = ""
) -> bool:
    """交办 a measure or a 督办事项 through its app's one assign service, with the duty-list
    choice; False when it is held for 准入审批."""
    if item._meta.label_lower == "ledger.measure":
        return measure_transition(
            measure=item, action=Action.ASSIGN, by=by, now=now, calendar=calendar,
            comment=comment, duty=duty,
        )  # fmt: skip
    return item_transition(
        item=item, action=Action.ASSIGN, by=by, now=now, calendar=calendar,
        comment=comment, duty=duty,
    )  # fmt: skip


def approval_decide(
    *,
    check: DutyAssignment,
    by,
    now: dt.datetime,
    calendar: WorkCalendar,
    approve: bool,
    comment: str = "",
) -> Decision:
    """准入审批 of a task outside the lists. Approved, it is assigned at once in its assigner's
    name; refused, it stays 待交办 and its assigner is told why."""
    if not may_approve(by, check):
        raise NotAllowed(f"只有交办单位的{Role(approver_role()).label}可以进行准入审批。")
    if check.state != DutyState.PENDING:
        raise DomainError("该任务的准入审批已完成。", field="state")
    comment = comment.strip()
    if not approve and not comment:
        raise DomainError("不同意须填写理由。", field="comment")
    item = check.item
    state = DutyState.APPROVED if approve else DutyState.REFUSED
    with transaction.atomic():
        updated = DutyAssignment.objects.filter(pk=check.pk, state=DutyState.PENDING).update(
            state=state, decided_by=by, decided_at=now, decision_comment=comment
        )
        if updated != 1:
            raise Conflict()
        audit_record(
            AuditAction.TRANSITION,
            actor=by,
            obj=check,
            now=now,
            changes={"before": {"state": DutyState.PENDING}, "after": {"state": state}}
            | {"comment": comment},
        )
        check.state, check.decided_by, check.decided_at = state, by, now
        check.decision_comment = comment
        if not approve:
            _tell_assigner(check, item, f"准入审批不同意，理由：{comment}。", by=by, now=now)
            return Decision(approved=False, assigned=False)
    problem = ""
    if item.state == State.DRAFT:
        try:
            with transaction.atomic():
                task_assign(
                    item=item,
                    by=check.requested_by,
                    now=now,
                    calendar=calendar,
                    comment=f"准入审批同意（{by}）",
                )
        except DomainError as error:
            problem = error.message
    else:
        problem = f"任务当前状态为“{item.get_state_display()}”。"
    if problem:
        text = f"准入审批已同意，但未能交办：{problem}请修改后重新交办。"
    else:
        text = "准入审批已同意，已交办。"
    _tell_assigner(check, item, text, by=by, now=now)
    return Decision(approved=True, assigned=not problem, problem=problem)


def _tell_assigner(check: DutyAssignment, item, text: str, *, by, now: dt.datetime) -> None:
    if check.requested_by_id == by.pk:
        return
    notice = Notice(item, Kind.APPROVAL, f"{item_label(item)}{text}")
    notify_people([(notice, [check.requested_by])], now=now)
