"""One workflow for anything assigned: the abstract models that measures and supervision items extend."""

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_diff, audit_record
from bihuan.errors import Conflict, DomainError, NotAllowed

from .calendar import WorkCalendar, published_by_package
from .scope import scope_q
from .states import (
    ACTOR_ROLES,
    FEEDBACK_CYCLE_DAYS,
    OPEN_STATES,
    TRANSITIONS,
    Action,
    Actor,
    DeadlineKind,
    FeedbackCycle,
    Light,
    State,
)


class CalendarDay(models.Model):
    """A holiday or make-up workday an admin entered, for a year `chinesecalendar` does not know yet."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否上班", help_text="调休上班填“是”，放假填“否”")
    name = models.CharField("说明", max_length=50, blank=True)

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '放假'} {self.name}"


def load_calendar() -> WorkCalendar:
    """The working-day calendar with the admin's entries; in a year the package knows, they
    correct single days, in a year it does not, they are the whole year's rules."""
    overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
    years = {day.year for day in overrides}
    unknown = frozenset(year for year in years if not published_by_package(year))
    return WorkCalendar(overrides=overrides, admin_years=unknown)


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class LightCutoffs:
    """The dates a light depends on, worked out once per request from the working-day calendar."""

    def __init__(self, *, now: dt.datetime, calendar: WorkCalendar) -> None:
        self.today = timezone.localdate(now)
        self.due_soon = calendar.add_working_days(self.today, settings.BIHUAN_DUE_SOON_WORKING_DAYS)
        # Acknowledgement is due by the end of the first working day after assignment.
        self.acknowledge_by = local_midnight(calendar.subtract_working_days(self.today, 1))
        self.feedback_after = {
            cycle: now - dt.timedelta(days=days) for cycle, days in FEEDBACK_CYCLE_DAYS.items()
        }


# Most urgent first: lists sort by this rank, then by deadline.
LIGHT_RANK = {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 2, Light.NONE: 3}


class TrackedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Items whose owner unit, or any other unit in the model's `scope_fields`, the user sees."""
        in_scope = scope_q(self.model, user)
        return self.all() if in_scope is None else self.filter(in_scope)

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, *, today: dt.date):
        return self.filter(self.overdue_q(today))

    # Submitted for close-out on time: the owner's part is done while it waits for review.
    WAITING_REVIEW_ON_TIME = Q(state=State.SUBMITTED, submitted_on_time=True)

    @classmethod
    def overdue_q(cls, today: dt.date) -> Q:
        return Q(state__in=OPEN_STATES, deadline__lt=today) & ~cls.WAITING_REVIEW_ON_TIME

    def with_light(self, cutoffs: LightCutoffs):
        """Annotate `light` in SQL, so lists can filter and sort by it without touching rows."""
        feedback_late = Q()
        for cycle, after in cutoffs.feedback_after.items():
            feedback_late |= Q(feedback_cycle=cycle, last_feedback_at__lt=after)
        yellow = (
            Q(deadline__lte=cutoffs.due_soon)
            | Q(state=State.PENDING, assigned_at__lt=cutoffs.acknowledge_by)
            | (Q(deadline_kind=DeadlineKind.ONGOING, state=State.IN_PROGRESS) & feedback_late)
        )
        rules = [
            (~Q(state__in=OPEN_STATES), Light.NONE),
            (self.WAITING_REVIEW_ON_TIME, Light.GREEN),
            (self.overdue_q(cutoffs.today), Light.RED),
            (yellow, Light.YELLOW),
        ]
        return self.annotate(
            light=Case(
                *(When(condition, then=Value(light)) for condition, light in rules),
                default=Value(Light.GREEN),
                output_field=models.CharField(),
            ),
            light_rank=Case(
                *(When(condition, then=Value(LIGHT_RANK[light])) for condition, light in rules),
                default=Value(LIGHT_RANK[Light.GREEN]),
            ),
        )

    def lit(self, light: str, cutoffs: LightCutoffs):
        """Items of `with_light` under `light`, found by what every such item meets (open; red
        is exactly overdue) so that an index finds them instead of computing every light."""
        if light == Light.RED:
            return self.filter(self.overdue_q(cutoffs.today))
        items = self.filter(light=light)
        if light == Light.NONE:
            return items.exclude(state__in=OPEN_STATES)
        return items.filter(state__in=OPEN_STATES)


class Tracked(models.Model):
    """Fields and transitions shared by everything that is assigned, acknowledged and closed.

    A concrete model provides `events` (an EventBase subclass), `extension_requests` (an
    ExtensionRequestBase subclass) and `scope_fields`: the paths to the units that make an item
    visible to whoever sees one of them.
    """

    scope_fields: tuple[str, ...] = ("owner_unit",)
    # How messages name an item, and the words a model uses where the measure's do not fit: a
    # 督办事项 is 办理中 / 申请办结 / 已办结 where a measure is 整改中 / 申请销号 / 已销号.
    noun: str = "措施"
    state_labels: dict[str, str] = {}
    action_labels: dict[str, str] = {}

    owner_unit = models.ForeignKey(
        "org.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    deadline_kind = models.CharField(
        "时限类型", max_length=20, choices=DeadlineKind.choices, default=DeadlineKind.DATE
    )
    deadline = models.DateField("整改时限", null=True, blank=True)
    original_deadline = models.DateField("原定时限", null=True, blank=True)
    deadline_working_days = models.PositiveSmallIntegerField("工作日数", null=True, blank=True)
    feedback_cycle = models.CharField(
        "反馈周期", max_length=20, choices=FeedbackCycle.choices, blank=True
    )
    created_at = models.DateTimeField("登记时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField("交办时间", null=True, blank=True)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_on_time = models.BooleanField("及时签收", null=True)
    last_feedback_at = models.DateTimeField("最近反馈", null=True, blank=True)
    submitted_at = models.DateTimeField("申请销号时间", null=True, blank=True)
    submitted_on_time = models.BooleanField("按期申请", null=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    closed_on_time = models.BooleanField("按期办结", null=True)
    # Every write bumps it; a write that finds another version is refused (no lost updates).
    version = models.PositiveIntegerField(default=1)

    objects = TrackedQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=~Q(deadline_kind=DeadlineKind.DATE) | Q(deadline__isnull=False),
                name="%(app_label)s_%(class)s_date_deadline_set",
            ),
            models.CheckConstraint(
                condition=~Q(deadline_kind=DeadlineKind.WORKING_DAYS)
                | Q(deadline_working_days__gt=0),
                name="%(app_label)s_%(class)s_working_days_set",
            ),
            models.CheckConstraint(
                condition=~Q(deadline_kind=DeadlineKind.ONGOING) & Q(feedback_cycle="")
                | Q(deadline_kind=DeadlineKind.ONGOING) & ~Q(feedback_cycle=""),
                name="%(app_label)s_%(class)s_cycle_iff_ongoing",
            ),
            models.CheckConstraint(
                condition=~Q(deadline_kind=DeadlineKind.UNSET)
                | Q(state__in=[State.DRAFT, State.CANCELLED], deadline__isnull=True),
                name="%(app_label)s_%(class)s_unset_only_draft",
            ),
        ]

    # -- reading -------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @classmethod
    def state_label(cls, state: str) -> str:
        return cls.state_labels.get(state) or State(state).label

    @classmethod
    def action_label(cls, action: str) -> str:
        return cls.action_labels.get(action) or Action(action).label

    def deadline_label(self) -> str:
        if self.deadline_kind == DeadlineKind.ONGOING:
            return f"长期坚持（{self.get_feedback_cycle_display()}反馈）"
        if self.deadline_kind == DeadlineKind.UNSET:
            return "待定"
        if self.deadline is None:
            return f"交办后{self.deadline_working_days}个工作日"
        return f"{self.deadline.year}年{self.deadline.month}月{self.deadline.day}日"

    def is_visible_to(self, user) -> bool:
        return any(unit.is_visible_to(user) for unit in self.scope_units())

    def scope_units(self) -> list:
        units = []
        for path in self.scope_fields:
            unit = self
            for name in path.split("__"):
                unit = getattr(unit, name)
            units.append(unit)
        return units

    def may(self, user, actor: Actor) -> bool:
        """Whether `user` may act as `actor` on this item; the item must be in the user's scope."""
        if not user.is_authenticated:
            return False
        is_named_owner = actor == Actor.OWNER and self.owner_id == user.pk
        has_role = user.has_role(*ACTOR_ROLES[actor]) and (
            actor != Actor.OWNER or self.owner_unit.is_visible_to(user)
        )
        return (is_named_owner or has_role) and self.is_visible_to(user)

    def allowed_actions(self, user) -> list[Action]:
        """Transitions the user may take now, for the buttons a page offers."""
        actions = [
            t.action
            for t in TRANSITIONS.values()
            if self.state in t.sources and self.may(user, t.actor)
        ]
        if self.state == State.IN_PROGRESS and self.may(user, Actor.OWNER):
            actions.append(Action.PROGRESS)
        if self.can_request_extension() and self.may(user, Actor.OWNER):
            actions.append(Action.EXTENSION_REQUEST)
        return actions

    # -- transitions ---------------------------------------------------------------------

    def assign(self, *, by, now: dt.datetime, calendar: WorkCalendar, comment: str = "") -> None:
        today = timezone.localdate(now)
        changes: dict = {"assigned_at": now}
        if self.deadline_kind == DeadlineKind.UNSET:
            raise DomainError("整改时限待定，请先设定时限再交办。", field="deadline")
        if self.deadline_kind == DeadlineKind.WORKING_DAYS:
            changes["deadline"] = calendar.add_working_days(today, self.deadline_working_days)
        elif self.deadline_kind == DeadlineKind.DATE and self.deadline < today:
            raise DomainError(
                f"整改时限（{self.deadline_label()}）早于交办日期，请先修改时限。", field="deadline"
            )
        changes["original_deadline"] = changes.get("deadline", self.deadline)
        self._transition(Action.ASSIGN, by=by, now=now, comment=comment, changes=changes)

    def acknowledge(
        self, *, by, now: dt.datetime, calendar: WorkCalendar, comment: str = ""
    ) -> None:
        acknowledge_by = calendar.add_working_days(timezone.localdate(self.assigned_at), 1)
        changes = {
            "acknowledged_at": now,
            "acknowledged_on_time": timezone.localdate(now) <= acknowledge_by,
            "last_feedback_at": now,
        }
        self._transition(Action.ACKNOWLEDGE, by=by, now=now, comment=comment, changes=changes)

    def submit(self, *, by, now: dt.datetime, comment: str = "") -> None:
        on_time = self.deadline is None or timezone.localdate(now) <= self.deadline
        changes = {"submitted_at": now, "submitted_on_time": on_time, "last_feedback_at": now}
        self._transition(Action.SUBMIT, by=by, now=now, comment=comment, changes=changes)

    def return_to_owner(self, *, by, now: dt.datetime, comment: str) -> None:
        changes = {"submitted_at": None, "submitted_on_time": None}
        self._transition(Action.RETURN, by=by, now=now, comment=comment, changes=changes)

    def close(self, *, by, now: dt.datetime, comment: str = "") -> None:
        changes = {"closed_at": now, "closed_on_time": bool(self.submitted_on_time)}
        with transaction.atomic():
            self._transition(Action.CLOSE, by=by, now=now, comment=comment, changes=changes)
            self._lapse_extension_requests(now=now)

    def cancel(self, *, by, now: dt.datetime, comment: str) -> None:
        with transaction.atomic():
            self._transition(Action.CANCEL, by=by, now=now, comment=comment, changes={})
            self._lapse_extension_requests(now=now)

    def _lapse_extension_requests(self, *, now) -> None:
        """A request left undecided when the item ends can no longer move its deadline."""
        self.extension_requests.filter(state=ExtensionState.PENDING).update(
            state=ExtensionState.LAPSED,
            decided_at=now,
            decision_comment=f"{self.noun}{self.state_label(self.state)}，申请自动失效",
        )

    def _transition(self, action: Action, *, by, now, comment: str, changes: dict) -> None:
        transition = TRANSITIONS[action]
        if self.state not in transition.sources:
            raise DomainError(
                f"当前状态为“{self.state_label(self.state)}”，不能{self.action_label(action)}。",
                field="state",
            )
        if not self.may(by, transition.actor):
            raise NotAllowed(f"只有{transition.actor.label}可以{self.action_label(action)}。")
        comment = comment.strip()
        if transition.needs_comment and not comment:
            raise DomainError(f"{self.action_label(action)}须填写理由。", field="comment")
        self._write(
            action, by=by, now=now, comment=comment, changes=changes, target=transition.target
        )

    def _write(
        self, action: Action, *, by, now, comment: str, changes: dict, target: State | None = None
    ) -> None:
        """Write the change and its history entry, unless someone else changed the row first."""
        if target is not None:
            changes = {**changes, "state": target}
        with transaction.atomic():
            # The row is locked before it is compared, so a second request for the same step
            # (a double click) waits here for the first to commit and then finds a newer
            # version. SQLite has no row locks; its IMMEDIATE transactions serialise writers.
            current = (
                type(self)
                .objects.select_for_update()
                .filter(pk=self.pk)
                .values_list("version", "state")
                .first()
            )
            if current != (self.version, self.state):
                raise Conflict()
            type(self).objects.filter(pk=self.pk).update(**changes, version=F("version") + 1)
            self.events.create(
                at=now,
                actor=by,
                action=action,
                from_state=self.state,
                to_state=changes.get("state", self.state),
                comment=comment,
            )
            audit_record(
                AuditAction.TRANSITION if target is not None else AuditAction.CHANGE,
                actor=by,
                obj=self,
                now=now,
                changes=audit_diff(self, changes) | {"step": action.value, "comment": comment},
            )
        for name, value in changes.items():
            setattr(self, name, value)
        self.version += 1

    def check_version(self, seen: int | None) -> None:
        """Refuse a change made on a form older than the row: someone saved in between, and
        saving over it would lose their change. `_write` then holds the row to this version."""
        if seen is not None and seen != self.version:
            raise Conflict(
                f"该{self.noun}已被他人修改，您的修改没有保存；请刷新页面，在最新内容上重新修改。",
                field="version",
            )

    def record(self, action: Action, *, by, now, comment: str = "", changes: dict | None = None):
        """A change that is not a state transition (progress, extension) with its history entry."""
        self._write(action, by=by, now=now, comment=comment, changes=changes or {})

    # -- extensions (延期申请) ------------------------------------------------------------

    def can_request_extension(self) -> bool:
        """Uses prefetched `extension_requests` where a page loaded them."""
        return (
            self.state in (State.PENDING, State.IN_PROGRESS)
            and self.deadline_kind != DeadlineKind.ONGOING
            and self.deadline is not None
            and not any(r.state == ExtensionState.PENDING for r in self.extension_requests.all())
        )


class EventBase(models.Model):
    """One history entry: who did what, when, from which state to which, and why."""

    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("操作", max_length=30, choices=Action.choices)
    from_state = models.CharField("原状态", max_length=20, choices=State.choices)
    to_state = models.CharField("新状态", max_length=20, choices=State.choices)
    comment = models.TextField("说明", blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]


class ExtensionState(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已同意"
    REFUSED = "refused", "不同意"
    LAPSED = "lapsed", "已失效"


class ExtensionRequestBase(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间")
    current_deadline = models.DateField("原时限")
    new_deadline = models.DateField("申请延至")
    reason = models.TextField("延期理由")
    state = models.CharField(
        "审批状态", max_length=20, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_comment = models.TextField("审批意见", blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at"]
