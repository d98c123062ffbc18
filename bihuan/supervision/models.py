"""督办事项: a leader's instruction or a meeting's decision, assigned to a lead unit (牵头单位) with
partner units (配合单位), run through the same workflow as a measure."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from bihuan.errors import DomainError
from bihuan.ledger.models import evidence_path
from bihuan.org.models import Unit
from bihuan.workflow.models import (
    EventBase,
    ExtensionRequestBase,
    ExtensionState,
    Tracked,
    TrackedQuerySet,
)
from bihuan.workflow.scope import InSubquery, scope_q
from bihuan.workflow.states import Action, Actor, State


class Source(models.TextChoices):
    INSTRUCTION = "instruction", "领导批示"
    MEETING = "meeting", "会议议定事项"
    KEY_TASK = "key_task", "重点任务"
    HIGHER_UP = "higher_up", "上级交办"
    PUBLIC = "public", "群众诉求"


class Level(models.TextChoices):
    """三色督办单: how far a late item has escalated."""

    NONE = "", "—"
    BLUE = "blue", "蓝色（一般督办）"
    YELLOW = "yellow", "黄色（重点督办）"
    RED = "red", "红色（挂牌督办）"


LEVEL_RANK = {Level.NONE: 0, Level.BLUE: 1, Level.YELLOW: 2, Level.RED: 3}

STATE_LABELS = {
    State.IN_PROGRESS: "办理中",
    State.SUBMITTED: "申请办结",
    State.CLOSED: "已办结",
}
ACTION_LABELS = {Action.SUBMIT: "申请办结", Action.CLOSE: "办结", Action.PROGRESS: "反馈进展"}

# The workflow's steps in the words of 督办, and the steps only an item with partners has.
SupervisionAction = models.TextChoices(
    "SupervisionAction",
    [(a.name, (a.value, ACTION_LABELS.get(a, a.label))) for a in Action]
    + [
        ("PARTNER_ACKNOWLEDGE", ("partner_acknowledge", "配合单位签收")),
        ("PARTNER_REPORT", ("partner_report", "配合单位反馈")),
        ("PARTNER_WAIVE", ("partner_waive", "免予配合单位反馈")),
        ("ESCALATE", ("escalate", "升级督办")),
        ("EXTENSION_REVIEW", ("extension_review", "延期初审通过")),
    ],
)


class SupervisionItemQuerySet(TrackedQuerySet):
    def visible_to(self, user):
        """The lead's, the assigning unit's and every partner unit's people see the item."""
        in_scope = scope_q(self.model, user)
        if in_scope is None:
            return self.all()
        units = Unit.objects.visible_to(user).order_by().values("pk")
        partnered = PartnerPart.objects.filter(InSubquery(F("unit"), units)).order_by()
        return self.filter(in_scope | InSubquery(F("pk"), partnered.values("item_id")))


class SupervisionItem(Tracked):
    source = models.CharField("事项来源", max_length=20, choices=Source.choices)
    title = models.CharField("督办事项", max_length=200)
    instruction = models.TextField("批示或议定内容", blank=True)
    instructed_by = models.CharField(
        "批示人或会议",
        max_length=100,
        blank=True,
        help_text="如“县委书记张三”“县委常委会第12次会议”",
    )
    instructed_on = models.DateField("批示或会议日期", null=True, blank=True)
    assigning_unit = models.ForeignKey(
        Unit, verbose_name="交办单位", on_delete=models.PROTECT, related_name="+"
    )
    escalation_level = models.CharField(
        "督办等级", max_length=10, choices=Level.choices, default=Level.NONE, blank=True
    )
    escalated_at = models.DateTimeField("升级时间", null=True, blank=True)
    # The points the lead unit loses for the level reached, as the rule said when it was reached.
    deduction = models.DecimalField("督办扣分", max_digits=5, decimal_places=1, default=Decimal(0))
    # Periodic feedback (反馈及时率) of an ongoing item: the feedback period of the last progress
    # report, counted from the acknowledgement, and how many periods have had one.
    feedback_period = models.PositiveIntegerField(null=True, blank=True)
    feedback_periods_met = models.PositiveIntegerField(default=0)

    scope_fields = ("owner_unit", "assigning_unit")
    noun = "督办事项"
    state_labels = STATE_LABELS
    action_labels = ACTION_LABELS

    objects = SupervisionItemQuerySet.as_manager()

    class Meta(Tracked.Meta):
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner_unit", "state"], name="supervision_unit_state"),
            models.Index(fields=["state", "deadline"], name="supervision_state_deadline"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:detail", args=[self.pk])

    def get_state_display(self) -> str:
        return self.state_label(self.state)

    @classmethod
    def action_label(cls, action: str) -> str:
        return SupervisionAction(action).label

    # -- scope: partner units see the item, only the assigning unit's people review it -------

    def scope_units(self) -> list:
        return [*super().scope_units(), *(part.unit for part in self.partner_parts.all())]

    def partner_unit_ids(self) -> list[int]:
        """The units that are told of the item besides its owner (uses prefetched parts)."""
        return [part.unit_id for part in self.partner_parts.all()]

    def may(self, user, actor: Actor) -> bool:
        """As for any item, and assigning, reviewing and cancelling are for the assigning
        unit's supervisors and leaders: a lead unit never closes its own 督办事项."""
        if actor != Actor.OWNER and not self.assigning_unit.is_visible_to(user):
            return False
        return super().may(user, actor)

    def submit(self, *, by, now, comment: str = "") -> None:
        """申请办结 once every partner unit has reported its part (or been excused from it)."""
        if self.state == State.IN_PROGRESS and self.may(by, Actor.OWNER):
            waiting = [
                part.unit.name
                for part in self.partner_parts.select_related("unit")
                if part.state not in PARTNER_DONE
            ]
            if waiting:
                raise DomainError(
                    f"配合单位{'、'.join(waiting)}尚未反馈，不能申请办结；"
                    "确实无须其反馈的，请督查员免予反馈。",
                    field="state",
                )
        super().submit(by=by, now=now, comment=comment)


class PartnerState(models.TextChoices):
    PENDING = "pending", "待签收"
    ACKNOWLEDGED = "acknowledged", "已签收"
    REPORTED = "reported", "已反馈"
    WAIVED = "waived", "免予反馈"


PARTNER_OPEN = (PartnerState.PENDING, PartnerState.ACKNOWLEDGED)
# The lead may ask to close the item once every part is in one of these.
PARTNER_DONE = (PartnerState.REPORTED, PartnerState.WAIVED)


class PartnerPart(models.Model):
    """One partner unit's part of an item: it acknowledges, then reports what it did."""

    item = models.ForeignKey(
        SupervisionItem, on_delete=models.PROTECT, related_name="partner_parts"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="配合单位", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        "状态", max_length=20, choices=PartnerState.choices, default=PartnerState.PENDING
    )
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_on_time = models.BooleanField("及时签收", null=True)
    reported_at = models.DateTimeField("反馈时间", null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="反馈人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What the partner reported, or why a supervisor excused it (免予反馈).
    report = models.TextField("反馈内容", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "配合单位"
        verbose_name_plural = "配合单位"
        ordering = ["item_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "unit"], name="supervision_one_part_per_unit"),
            models.CheckConstraint(
                condition=~Q(state__in=PARTNER_DONE) | Q(reported_at__isnull=False),
                name="supervision_part_done_when_reported",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}（{self.get_state_display()}）"

    @property
    def is_done(self) -> bool:
        return self.state in PARTNER_DONE


class SupervisionEvent(EventBase):
    item = models.ForeignKey(SupervisionItem, on_delete=models.PROTECT, related_name="events")
    # No choices: the steps are the workflow's and the partners' (SupervisionAction), and the
    # workflow may gain some without this table changing.
    action = models.CharField("操作", max_length=30)

    class Meta(EventBase.Meta):
        verbose_name = "督办记录"
        verbose_name_plural = "督办记录"
        indexes = [models.Index(fields=["item", "at"], name="supervision_event_item_at")]

    def get_action_display(self) -> str:
        return SupervisionAction(self.action).label

    def get_from_state_display(self) -> str:
        return SupervisionItem.state_label(self.from_state)

    def get_to_state_display(self) -> str:
        return SupervisionItem.state_label(self.to_state)


class SupervisionProgress(models.Model):
    """办理进展 the lead unit reports while the item is under way."""

    item = models.ForeignKey(
        SupervisionItem, on_delete=models.PROTECT, related_name="progress_updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间")
    text = models.TextField("办理进展")

    class Meta:
        verbose_name = "办理进展"
        verbose_name_plural = "办理进展"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.text[:40]


class SupervisionEvidenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        items = SupervisionItem.objects.visible_to(user).order_by().values("pk")
        return self.filter(progress__item__in=items)


class SupervisionEvidence(models.Model):
    """佐证材料 of a progress report: stored and checked as the ledger's evidence is."""

    progress = models.ForeignKey(
        SupervisionProgress, on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField("文件", upload_to=evidence_path, max_length=200)
    original_name = models.CharField("文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小")
    content_type = models.CharField(max_length=100)

    objects = SupervisionEvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "督办佐证材料"
        verbose_name_plural = "督办佐证材料"

    def __str__(self) -> str:
        return self.original_name


class SupervisionExtensionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(item__in=SupervisionItem.objects.visible_to(user).values("pk"))


class SupervisionExtensionRequest(ExtensionRequestBase):
    """Decided in two steps: 初审 by the assigning unit's supervisor, then 审批 by its leader
    (`decided_*`). A refusal at 初审 ends the request there."""

    item = models.ForeignKey(
        SupervisionItem, on_delete=models.PROTECT, related_name="extension_requests"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="初审人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("初审时间", null=True, blank=True)
    review_comment = models.TextField("初审意见", blank=True)

    objects = SupervisionExtensionQuerySet.as_manager()

    class Meta(ExtensionRequestBase.Meta):
        verbose_name = "督办事项延期申请"
        verbose_name_plural = "督办事项延期申请"
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(state=ExtensionState.PENDING),
                name="supervision_one_pending_extension",
            ),
        ]


class EscalationRule(models.Model):
    """An item this many calendar days past its deadline, or urged this many times without
    answering (no progress or acknowledgement since), is escalated to this level; the lead
    unit loses the level's points."""

    level = models.CharField(
        "督办等级",
        max_length=10,
        unique=True,
        choices=[(level.value, level.label) for level in Level if level != Level.NONE],
    )
    days_overdue = models.PositiveSmallIntegerField("逾期天数达到")
    urges_ignored = models.PositiveSmallIntegerField(
        "催办未回应次数达到", null=True, blank=True, help_text="不填则不按催办次数升级"
    )
    deduction = models.DecimalField("扣分", max_digits=5, decimal_places=1, default=Decimal(0))

    class Meta:
        verbose_name = "升级规则"
        verbose_name_plural = "升级规则"
        ordering = ["days_overdue"]

    def __str__(self) -> str:
        urges = f"或催办{self.urges_ignored}次未回应" if self.urges_ignored else ""
        return f"逾期{self.days_overdue}天{urges} → {self.get_level_display()}"
