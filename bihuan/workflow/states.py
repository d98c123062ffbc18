"""The one state machine for anything assigned (整改措施 now, 督办事项 later)."""

from dataclasses import dataclass

from django.db import models

from bihuan.org.models import Role


class State(models.TextChoices):
    DRAFT = "draft", "待交办"
    PENDING = "pending", "待签收"
    IN_PROGRESS = "in_progress", "整改中"
    SUBMITTED = "submitted", "申请销号"
    CLOSED = "closed", "已销号"
    CANCELLED = "cancelled", "已撤销"


OPEN_STATES = (State.PENDING, State.IN_PROGRESS, State.SUBMITTED)
FINAL_STATES = (State.CLOSED, State.CANCELLED)


class DeadlineKind(models.TextChoices):
    DATE = "date", "指定日期"
    WORKING_DAYS = "working_days", "交办后N个工作日"
    ONGOING = "ongoing", "长期坚持"
    # Not yet decided: allowed while a measure is a draft (a material's measures arrive so).
    UNSET = "unset", "待定"


class FeedbackCycle(models.TextChoices):
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"


# Calendar days after the last feedback at which an ongoing measure's feedback is late.
FEEDBACK_CYCLE_DAYS = {
    FeedbackCycle.WEEKLY: 7,
    FeedbackCycle.MONTHLY: 31,
    FeedbackCycle.QUARTERLY: 92,
}


class Light(models.TextChoices):
    RED = "red", "红灯"
    YELLOW = "yellow", "黄灯"
    GREEN = "green", "绿灯"
    NONE = "none", "—"


class Action(models.TextChoices):
    CREATE = "create", "登记"
    EDIT = "edit", "修改"
    ASSIGN = "assign", "交办"
    ACKNOWLEDGE = "acknowledge", "签收"
    PROGRESS = "progress", "反馈进展"
    SUBMIT = "submit", "申请销号"
    RETURN = "return", "退回"
    CLOSE = "close", "销号"
    CANCEL = "cancel", "撤销"
    EXTENSION_REQUEST = "extension_request", "申请延期"
    EXTENSION_APPROVE = "extension_approve", "同意延期"
    EXTENSION_REFUSE = "extension_refuse", "不同意延期"
    IMPORT = "import", "台账导入"
    URGE = "urge", "催办"


class Actor(models.TextChoices):
    """Who may act, relative to the item: not only which role, but where they sit."""

    OWNER = "owner", "责任单位承办人或责任人"
    ASSIGNER = "assigner", "督查员"
    REVIEWER = "reviewer", "督查员或领导"


ACTOR_ROLES = {
    Actor.OWNER: frozenset({Role.HANDLER}),
    Actor.ASSIGNER: frozenset({Role.SUPERVISOR}),
    Actor.REVIEWER: frozenset({Role.SUPERVISOR, Role.LEADER}),
}


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: tuple[State, ...]
    target: State
    actor: Actor
    needs_comment: bool = False


TRANSITIONS = {
    t.action: t
    for t in (
        Transition(Action.ASSIGN, (State.DRAFT,), State.PENDING, Actor.ASSIGNER),
        Transition(Action.ACKNOWLEDGE, (State.PENDING,), State.IN_PROGRESS, Actor.OWNER),
        Transition(Action.SUBMIT, (State.IN_PROGRESS,), State.SUBMITTED, Actor.OWNER),
        Transition(
            Action.RETURN,
            (State.SUBMITTED,),
            State.IN_PROGRESS,
            Actor.REVIEWER,
            needs_comment=True,
        ),
        Transition(Action.CLOSE, (State.SUBMITTED,), State.CLOSED, Actor.REVIEWER),
        Transition(
            Action.CANCEL,
            (State.DRAFT, *OPEN_STATES),
            State.CANCELLED,
            Actor.ASSIGNER,
            needs_comment=True,
        ),
    )
}
