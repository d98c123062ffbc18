"""Operations every Tracked item shares (整改措施 and 督办事项 alike): a deadline's validation,
one workflow step by its name, and 延期申请 asked by the owner and decided by a reviewer.

The item's concrete model names its requests `extension_requests` (an ExtensionRequestBase
subclass with one pending request per item) and its `noun` for messages.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from bihuan.errors import DomainError, NotAllowed

from .calendar import WorkCalendar
from .models import ExtensionState, Tracked
from .states import Action, Actor, DeadlineKind, FeedbackCycle


def clean_deadline(
    *,
    kind: str,
    deadline: dt.date | None,
    working_days: int | None,
    feedback_cycle: str,
    today: dt.date,
    prefix: str = "",
    noun: str = "措施",
    word: str = "整改时限",
) -> None:
    """A deadline as a supervisor writes it: a date from today on, 1 to 365 working days after
    assignment, or 长期坚持 with a feedback cycle."""
    if kind == DeadlineKind.DATE:
        if deadline is None:
            raise DomainError(f"{prefix}请填写{word}。", field="deadline")
        if deadline < today:
            raise DomainError(
                f"{prefix}{word}{deadline:%Y-%m-%d}早于今天，请重新填写。", field="deadline"
            )
    elif kind == DeadlineKind.WORKING_DAYS:
        if not working_days or not 0 < working_days <= 365:
            raise DomainError(
                f"{prefix}工作日数应在 1 到 365 之间。", field="deadline_working_days"
            )
    elif kind == DeadlineKind.ONGOING:
        if feedback_cycle not in FeedbackCycle.values:
            raise DomainError(f"{prefix}长期坚持的{noun}须选择反馈周期。", field="feedback_cycle")
    elif kind != DeadlineKind.UNSET:
        raise DomainError(f"{prefix}未知的时限类型“{kind}”。", field="deadline_kind")


def transition(
    *, item: Tracked, action: str, by, now: dt.datetime, calendar: WorkCalendar, comment: str = ""
) -> None:
    """Run one workflow step by its name: the entry point the UI forms and the API share."""
    if action == Action.ASSIGN:
        item.assign(by=by, now=now, calendar=calendar, comment=comment)
    elif action == Action.ACKNOWLEDGE:
        item.acknowledge(by=by, now=now, calendar=calendar, comment=comment)
    elif action == Action.SUBMIT:
        item.submit(by=by, now=now, comment=comment)
    elif action == Action.RETURN:
        item.return_to_owner(by=by, now=now, comment=comment)
    elif action == Action.CLOSE:
        item.close(by=by, now=now, comment=comment)
    elif action == Action.CANCEL:
        item.cancel(by=by, now=now, comment=comment)
    else:
        raise DomainError(f"未知的操作“{action}”。", field="action")


def extension_request(*, item: Tracked, by, now: dt.datetime, new_deadline: dt.date, reason: str):
    """Ask for a later deadline, before the current one passes, with a reason."""
    noun = item.noun
    if not item.may(by, Actor.OWNER):
        raise NotAllowed("只有责任单位承办人或责任人可以申请延期。")
    if item.extension_requests.filter(state=ExtensionState.PENDING).exists():
        raise DomainError(f"该{noun}已有待审批的延期申请。", field="new_deadline")
    if not item.can_request_extension():
        raise DomainError(f"只有已交办、未办结且有明确时限的{noun}可以申请延期。", field="state")
    if timezone.localdate(now) > item.deadline:
        raise DomainError(
            f"已超过时限（{item.deadline_label()}），不能再申请延期；逾期按原时限计算。",
            field="new_deadline",
        )
    if new_deadline <= item.deadline:
        raise DomainError(
            f"申请延至的日期应晚于现时限（{item.deadline_label()}）。", field="new_deadline"
        )
    if not reason.strip():
        raise DomainError("请填写延期理由。", field="reason")
    try:
        with transaction.atomic():
            request = item.extension_requests.create(
                requested_by=by,
                requested_at=now,
                current_deadline=item.deadline,
                new_deadline=new_deadline,
                reason=reason.strip(),
            )
            item.record(
                Action.EXTENSION_REQUEST,
                by=by,
                now=now,
                comment=f"申请延至{new_deadline:%Y-%m-%d}：{reason.strip()}",
            )
    except IntegrityError:
        raise DomainError(f"该{noun}已有待审批的延期申请。", field="new_deadline") from None
    return request


def extension_decide(
    *, request, item: Tracked, by, now: dt.datetime, approve: bool, comment: str = ""
) -> None:
    """Approve (the item gets the new deadline) or refuse (it keeps the old one)."""
    if not item.may(by, Actor.REVIEWER):
        raise NotAllowed("只有督查员或领导可以审批延期申请。")
    if request.state != ExtensionState.PENDING:
        lapsed = request.state == ExtensionState.LAPSED
        raise DomainError("该延期申请已失效。" if lapsed else "该延期申请已审批。", field="state")
    if not item.is_open:
        raise DomainError(
            f"{item.noun}{item.state_label(item.state)}，不能再审批延期。", field="state"
        )
    if not approve and not comment.strip():
        raise DomainError("不同意延期须填写理由。", field="comment")
    with transaction.atomic():
        updated = (
            type(request)
            .objects.filter(pk=request.pk, state=ExtensionState.PENDING)
            .update(
                state=ExtensionState.APPROVED if approve else ExtensionState.REFUSED,
                decided_by=by,
                decided_at=now,
                decision_comment=comment.strip(),
            )
        )
        if updated != 1:
            raise DomainError("该延期申请已审批。", field="state")
        if approve:
            item.record(
                Action.EXTENSION_APPROVE,
                by=by,
                now=now,
                comment=comment,
                changes={"deadline": request.new_deadline},
            )
        else:
            item.record(Action.EXTENSION_REFUSE, by=by, now=now, comment=comment)
    request.refresh_from_db()
