"""延期申请 of a 督办事项, decided in two steps within BIHUAN_EXTENSION_DECIDE_WORKING_DAYS:
初审 by the assigning unit's supervisor, then 审批 by its leader."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bihuan.errors import Conflict, DomainError, NotAllowed
from bihuan.notify.items import item_label
from bihuan.notify.models import Kind
from bihuan.notify.recipients import nearest_with_role
from bihuan.notify.services import Notice, notify_people
from bihuan.notify.steps import step_notice
from bihuan.org.models import Role
from bihuan.workflow import services as workflow
from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.models import ExtensionState
from bihuan.workflow.states import Action, Actor

from .models import SupervisionAction, SupervisionExtensionRequest, SupervisionItem


def extension_request(
    *, item: SupervisionItem, by, now: dt.datetime, new_deadline: dt.date, reason: str
) -> SupervisionExtensionRequest:
    with transaction.atomic():
        request = workflow.extension_request(
            item=item, by=by, now=now, new_deadline=new_deadline, reason=reason
        )
        day = f"{new_deadline.year}年{new_deadline.month}月{new_deadline.day}日"
        step_notice(
            item=item,
            action=Action.EXTENSION_REQUEST,
            by=by,
            now=now,
            comment=f"申请延期至{day}（{reason.strip()}）",
        )
    return request


def _check_pending(request: SupervisionExtensionRequest) -> None:
    if request.state != ExtensionState.PENDING:
        lapsed = request.state == ExtensionState.LAPSED
        raise DomainError("该延期申请已失效。" if lapsed else "该延期申请已审批。", field="state")


def extension_review(
    *, request: SupervisionExtensionRequest, by, now: dt.datetime, approve: bool, comment: str = ""
) -> None:
    """初审 by a supervisor of the assigning unit: passed on to its leaders for 审批, or refused
    (which decides the request)."""
    item = request.item
    if not item.may(by, Actor.ASSIGNER):
        raise NotAllowed("只有交办单位的督查员可以初审延期申请。")
    _check_pending(request)
    if request.reviewed_at is not None:
        raise DomainError("该延期申请已经初审，等待领导审批。", field="state")
    if not approve and not comment.strip():
        raise DomainError("初审不同意须填写理由。", field="comment")
    with transaction.atomic():
        updated = SupervisionExtensionRequest.objects.filter(
            pk=request.pk, state=ExtensionState.PENDING, reviewed_at__isnull=True
        ).update(reviewed_by=by, reviewed_at=now, review_comment=comment.strip())
        if updated != 1:
            raise Conflict()
        request.reviewed_by, request.reviewed_at = by, now
        request.review_comment = comment.strip()
        if not approve:
            workflow.extension_decide(
                request=request, item=item, by=by, now=now, approve=False, comment=comment
            )
            step_notice(item=item, action=Action.EXTENSION_REFUSE, by=by, now=now, comment=comment)
            return
        item.record(SupervisionAction.EXTENSION_REVIEW, by=by, now=now, comment=comment.strip())
        leaders = [p for p in nearest_with_role(Role.LEADER, item.assigning_unit) if p != by]
        text = f"{item_label(item)}的延期申请已通过初审，请审批。"
        notify_people([(Notice(item, Kind.REVIEW, text), leaders)], now=now)


def extension_decide(
    *, request: SupervisionExtensionRequest, by, now: dt.datetime, approve: bool, comment: str = ""
) -> None:
    """审批 by a leader of the assigning unit, after 初审: the item gets the new deadline or
    keeps its own."""
    item = request.item
    if not (by.has_role(Role.LEADER) and item.may(by, Actor.REVIEWER)):
        raise NotAllowed("只有交办单位的领导可以审批延期申请。")
    _check_pending(request)
    if request.reviewed_at is None:
        raise DomainError("延期申请须先经督查员初审，再由领导审批。", field="state")
    with transaction.atomic():
        workflow.extension_decide(
            request=request, item=item, by=by, now=now, approve=approve, comment=comment
        )
        action = Action.EXTENSION_APPROVE if approve else Action.EXTENSION_REFUSE
        step_notice(item=item, action=action, by=by, now=now, comment=comment)


def extension_decide_by(request, calendar: WorkCalendar) -> dt.date:
    """The day by which a request is to be decided, both steps (BIHUAN_EXTENSION_DECIDE_WORKING_DAYS)."""
    days = settings.BIHUAN_EXTENSION_DECIDE_WORKING_DAYS
    return calendar.add_working_days(timezone.localdate(request.requested_at), days)
