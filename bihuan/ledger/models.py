import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from bihuan.org.models import Unit
from bihuan.workflow.models import (
    EventBase,
    ExtensionRequestBase,
    ExtensionState,
    Tracked,
    TrackedQuerySet,
)
from bihuan.workflow.scope import InSubquery, scope_q, sees_every_unit


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
        if sees_every_unit(user):
            return self.all()
        units = Unit.objects.visible_to(user).order_by().values("pk")
        owned_here = Measure._base_manager.filter(InSubquery(F("owner_unit"), units)).order_by()
        return self.filter(
            InSubquery(F("unit"), units) | InSubquery(F("pk"), owned_here.values("problem_id"))
        )


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
    # 专项活动: the campaign the problem was found in, for its problem list and summary.
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name="专项活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    created_at = models.DateTimeField("登记时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "-created_at"], name="ledger_problem_unit_created"),
            # The problem list's order, newest first, without sorting every problem.
            models.Index(fields=["-created_at", "-id"], name="ledger_problem_created"),
        ]

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
    # 责任人 as a ledger writes it ("各乡镇党委书记", "张三、李四"), kept beside the account when
    # the name is not, or not only, one user of the system.
    owner_name = models.CharField("责任人（文字）", max_length=100, blank=True)

    scope_fields = ("owner_unit", "problem__unit")

    objects = MeasureQuerySet.as_manager()

    class Meta(Tracked.Meta):
        verbose_name = "整改措施"
        verbose_name_plural = "整改措施"
        ordering = ["problem_id", "seq", "pk"]
        indexes = [
            # Overdue (red) measures found, and sorted by deadline or newest first, from the
            # index alone.
            models.Index(
                fields=["state", "deadline", "submitted_on_time", "problem", "seq"],
                name="ledger_measure_state_deadline",
            ),
            # Every column the dashboard's figures and lights read, so that SQLite groups by
            # owner unit in index order without touching the table (it has no INCLUDE).
            models.Index(
                fields=[
                    "owner_unit",
                    "state",
                    "deadline",
                    "submitted_on_time",
                    "assigned_at",
                    "acknowledged_at",
                    "acknowledged_on_time",
                    "closed_on_time",
                    "deadline_kind",
                    "feedback_cycle",
                    "last_feedback_at",
                ],
                name="ledger_measure_unit_figures",
            ),
            models.Index(fields=["deadline"], name="ledger_measure_deadline"),
            # The dashboard's trend: measures registered and closed in each month, each month
            # counted from an index range.
            models.Index(fields=["created_at"], name="ledger_measure_created"),
            models.Index(fields=["closed_at"], name="ledger_measure_closed"),
            # A state's measures newest first (the ledger's default order) without a sort.
            models.Index(fields=["state", "problem", "seq"], name="ledger_measure_state_new"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    def get_absolute_url(self) -> str:
        return f"{reverse('ledger:problem_detail', args=[self.problem_id])}#measure-{self.pk}"

    @property
    def owner_label(self) -> str:
        """责任人 as pages and exports show it: the ledger's wording, else the account's name."""
        if self.owner_name:
            return self.owner_name
        return str(self.owner) if self.owner_id else ""


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
        in_scope = scope_q(Measure, user, through="progress__measure")
        return self.all() if in_scope is None else self.filter(in_scope)


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
        in_scope = scope_q(Measure, user, through="measure")
        return self.all() if in_scope is None else self.filter(in_scope)


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


def import_path(instance: "ImportBatch", filename: str) -> str:
    return f"imports/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


class ImportState(models.TextChoices):
    PREVIEW = "preview", "待确认"
    COMMITTED = "committed", "已导入"
    DISCARDED = "discarded", "已放弃"


class ImportBatch(models.Model):
    """One uploaded ledger file: previewed, then committed in one transaction or discarded."""

    file = models.FileField("文件", upload_to=import_path, max_length=200)
    original_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    unit = models.ForeignKey(
        Unit, verbose_name="问题责任主体", on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField("问题来源", max_length=20, choices=Source.choices)
    category = models.ForeignKey(
        Category,
        verbose_name="默认问题类别",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="台账没有类别列、或类别不在清单中时使用",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间")
    state = models.CharField(
        "状态", max_length=20, choices=ImportState.choices, default=ImportState.PREVIEW
    )
    committed_at = models.DateTimeField("导入时间", null=True, blank=True)
    # What the commit did, for the batch's page: {"problems_created": 3, "measures_updated": 2, …}
    result = models.JSONField("导入结果", default=dict, blank=True)

    class Meta:
        verbose_name = "台账导入"
        verbose_name_plural = "台账导入"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name


class NameKind(models.TextChoices):
    UNIT = "unit", "单位"
    PERSON = "person", "人员"


class NameMapping(models.Model):
    """A name a ledger file writes, mapped once to a unit or account and remembered for the
    next import ("县委办" → 县委办公室, "老王" → 王建国)."""

    kind = models.CharField(max_length=10, choices=NameKind.choices)
    text = models.CharField("台账中的写法", max_length=100)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "名称对应"
        indexes = [models.Index(fields=["kind", "text"], name="ledger_name_mapping_lookup")]
        verbose_name_plural = "名称对应"
        constraints = [
            # Unique per target, not per text: two townships may each call their own office
            # "党政办"; an importer uses the mapping whose target is in their scope.
            models.UniqueConstraint(
                fields=["text", "unit"],
                condition=Q(kind=NameKind.UNIT),
                name="ledger_name_mapping_unit_unique",
            ),
            models.UniqueConstraint(
                fields=["text", "user"],
                condition=Q(kind=NameKind.PERSON),
                name="ledger_name_mapping_person_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind=NameKind.UNIT, unit__isnull=False, user__isnull=True)
                | Q(kind=NameKind.PERSON, user__isnull=False, unit__isnull=True),
                name="ledger_name_mapping_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text} → {self.unit or self.user}"
