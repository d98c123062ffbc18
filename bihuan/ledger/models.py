import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from bihuan.org.models import Unit
from bihuan.workflow.models import (
    EventBase,
    ExtensionRequestBase,
    ExtensionState,
    Tracked,
    TrackedQuerySet,
)


class Source(models.TextChoices):
    MEETING = "meeting", "民主生活会/组织生活会剖析"
    INSPECTION = "inspection", "巡视巡察反馈"
    SUPERVISION = "supervision", "督查检查"
    AUDIT = "audit", "审计"
    PUBLIC = "public", "群众反映(12345)"
    VISIT = "visit", "调研走访"
    SELF = "self", "自查"


class Category(models.Model):
    """问题类别: a configurable list; six usual ones are created by the first migration."""

    name = models.CharField("名称", max_length=50, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "问题类别"
        verbose_name_plural = "问题类别"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class ProblemQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProblemQuerySet":
        """Problems of a unit the user sees, or with a measure owned by one."""
        units = Unit.objects.visible_to(user).values("pk")
        owned_here = Measure.objects.filter(problem=OuterRef("pk"), owner_unit__in=units)
        return self.filter(Q(unit__in=units) | Exists(owned_here))


class Problem(models.Model):
    source = models.CharField("问题来源", max_length=20, choices=Source.choices)
    category = models.ForeignKey(Category, verbose_name="问题类别", on_delete=models.PROTECT)
    description = models.TextField("问题内容")
    unit = models.ForeignKey(
        Unit, verbose_name="责任主体", on_delete=models.PROTECT, related_name="problems"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    target = models.TextField("整改目标", blank=True)
    standard = models.TextField("整改标准", blank=True)
    created_at = models.DateTimeField("登记时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "-created_at"], name="ledger_problem_unit_created")]

    def __str__(self) -> str:
        return self.description[:40]


class Cause(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="causes")
    text = models.TextField("原因")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "原因"
        verbose_name_plural = "原因"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class MeasureQuerySet(TrackedQuerySet):
    pass


class Measure(Tracked):
    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="measures")
    seq = models.PositiveSmallIntegerField("序号", default=1)
    text = models.TextField("整改措施")
    lead = models.CharField("责任领导", max_length=100, blank=True)

    scope_fields = ("owner_unit", "problem__unit")

    objects = MeasureQuerySet.as_manager()

    class Meta(Tracked.Meta):
        verbose_name = "整改措施"
        verbose_name_plural = "整改措施"
        ordering = ["problem_id", "seq", "pk"]
        indexes = [
            models.Index(fields=["state", "deadline"], name="ledger_measure_state_deadline"),
            models.Index(fields=["owner_unit", "state"], name="ledger_measure_unit_state"),
            models.Index(fields=["deadline"], name="ledger_measure_deadline"),
        ]

    def __str__(self) -> str:
        return self.text[:40]


class MeasureEvent(EventBase):
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="events")

    class Meta(EventBase.Meta):
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        indexes = [models.Index(fields=["measure", "at"], name="ledger_event_measure_at")]


class Progress(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="progress_updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间")
    text = models.TextField("整改进展")

    class Meta:
        verbose_name = "整改进展"
        verbose_name_plural = "整改进展"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.text[:40]


def evidence_path(instance: "Evidence", filename: str) -> str:
    # The uploaded name is kept only in the database, never used as a path.
    return f"evidence/{instance.progress.at:%Y/%m}/{uuid.uuid4().hex}"


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EvidenceQuerySet":
        return self.filter(progress__measure__in=Measure.objects.visible_to(user))


class Evidence(models.Model):
    progress = models.ForeignKey(Progress, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField("文件", upload_to=evidence_path, max_length=200)
    original_name = models.CharField("文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小")
    content_type = models.CharField(max_length=100)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"

    def __str__(self) -> str:
        return self.original_name


class ExtensionRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ExtensionRequestQuerySet":
        return self.filter(measure__in=Measure.objects.visible_to(user))


class ExtensionRequest(ExtensionRequestBase):
    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="extension_requests"
    )

    objects = ExtensionRequestQuerySet.as_manager()

    class Meta(ExtensionRequestBase.Meta):
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        constraints = [
            models.UniqueConstraint(
                fields=["measure"],
                condition=Q(state=ExtensionState.PENDING),
                name="ledger_one_pending_extension",
            ),
        ]
