"""Notices on workflow steps: after 交办, 退回, 申请办结, a decision or an extension request, the
people who must act next hear of it in the app and through their units' channels.

Called by each app's transition service in the step's transaction; the channels are sent later
from the outbox, so a dead webhook never holds up the step.
"""

import datetime as dt

from bihuan.org.models import Role
from bihuan.workflow.models import Tracked
from bihuan.workflow.states import Action, State

from .items import item_label
from .models import Kind, Notification
from .recipients import handlers_of, nearest_with_role, responsible_people, review_unit
from .services import Notice, notify_people

STEP_KINDS = {
    Action.ASSIGN: Kind.ASSIGNED,
    Action.RETURN: Kind.RETURNED,
    Action.SUBMIT: Kind.REVIEW,
    Action.EXTENSION_REQUEST: Kind.REVIEW,
    Action.CLOSE: Kind.DECIDED,
    Action.CANCEL: Kind.DECIDED,
    Action.EXTENSION_APPROVE: Kind.DECIDED,
    Action.EXTENSION_REFUSE: Kind.DECIDED,
}
# Steps after which the partner units of a 督办事项 have something to do, or are done.
PARTNERS_TOLD = (Action.ASSIGN, Action.CLOSE, Action.CANCEL)


def step_notice(
    *, item: Tracked, action: str, by, now: dt.datetime, comment: str = ""
) -> list[Notification]:
    """Tell who must act after `action` was taken on `item` (the item as it is after the step);
    the actor is not told of their own step. Steps nobody waits on (签收) tell no one."""
    kind = STEP_KINDS.get(action)
    if kind is None:
        return []
    people = [
        person for person in step_people(item, action) if person.pk != getattr(by, "pk", None)
    ]
    notice = Notice(item, kind, step_text(item, action, by=by, comment=comment.strip()))
    return notify_people([(notice, people)], now=now)


def step_people(item: Tracked, action: str) -> list:
    if action == Action.EXTENSION_REQUEST:
        return nearest_with_role(Role.SUPERVISOR, review_unit(item))
    [(_, people)] = responsible_people([item])
    partner_ids = getattr(item, "partner_unit_ids", list)()
    if action in PARTNERS_TOLD and partner_ids:
        handlers = handlers_of(partner_ids)
        people = [*people, *(person for pk in partner_ids for person in handlers[pk])]
    return list({person.pk: person for person in people}.values())


def step_text(item: Tracked, action: str, *, by, comment: str) -> str:
    label = item_label(item)
    why = f"，理由：{comment}。" if comment else "。"
    if action == Action.ASSIGN:
        return f"{by}交办{label}，时限{item.deadline_label()}，请在1个工作日内签收。"
    if action == Action.RETURN:
        return f"{label}被退回{why}请修改后重新{item.action_label(Action.SUBMIT)}。"
    if action == Action.SUBMIT:
        return f"{label}已{item.action_label(Action.SUBMIT)}，请审核。"
    if action == Action.CLOSE:
        return f"{label}已审核通过，{item.state_label(State.CLOSED)}。"
    if action == Action.CANCEL:
        return f"{label}已撤销{why}"
    if action == Action.EXTENSION_REQUEST:
        return f"{label}{comment}，请审批。"
    if action == Action.EXTENSION_APPROVE:
        return f"{label}的延期申请已同意，时限改为{item.deadline_label()}。"
    return f"{label}的延期申请未获同意{why}"
