"""Uploaded materials and the problems, causes and measures proposed from them for review."""

import uuid

from django.conf import settings
from django.db import models

from bihuan.ledger.models import Source
from bihuan.org.models import Unit


class MaterialKind(models.TextChoices):
    ANALYSIS = "analysis", "个人剖析材料"
    CHECK = "check", "对照检查材料"
    STUDY = "study", "研讨材料"
    SPEECH = "speech", "发言提纲"
    PLAN = "plan", "整改方案"
    RESEARCH = "research", "调研报告"
    SUMMARY = "summary", "活动总结"
    OTHER = "other", "其他材料"


# The ledger's problem source for what a material of each kind lists.
KIND_SOURCES = {
    MaterialKind.ANALYSIS: Source.MEETING,
    MaterialKind.CHECK: Source.MEETING,
    MaterialKind.RESEARCH: Source.VISIT,
}


class MaterialState(models.TextChoices):
    REVIEW = "review", "待确认"
    CONFIRMED = "confirmed", "已转入台账"


class ItemRole(models.TextChoices):
    PROBLEM = "problem", "问题"
    CAUSE = "cause", "原因"
    MEASURE = "measure", "整改措施"


def material_path(instance: "Material", filename: str) -> str:
    # The uploaded name is kept only in the database, never used as a path.
    return f"materials/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


class MaterialQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MaterialQuerySet":
        """Materials of a unit the user sees."""
        return self.filter(unit__in=Unit.objects.visible_to(user).values("pk"))


class Material(models.Model):
    kind = models.CharField("材料类型", max_length=20, choices=MaterialKind.choices)
    title = models.CharField("标题", max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="作者", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    file = models.FileField("原文件", upload_to=material_path, max_length=200)
    original_name = models.CharField("文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间")
    # 专项活动: the campaign the material was submitted for, counted against its requirements.
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name="专项活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="materials",
    )
    clean_text = models.TextField("规范化文本")
    removed = models.JSONField("去除的网站水印等", default=list, blank=True)
    outline = models.JSONField("提纲", default=list, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=MaterialState.choices, default=MaterialState.REVIEW
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    confirmed_at = models.DateTimeField("转入台账时间", null=True, blank=True)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "材料"
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["unit", "-uploaded_at"], name="materials_unit_uploaded")]

    def __str__(self) -> str:
        return self.title

    @property
    def source(self) -> str:
        return KIND_SOURCES.get(self.kind, Source.SELF)


class MaterialItem(models.Model):
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="items")
    role = models.CharField(max_length=10, choices=ItemRole.choices)
    order = models.PositiveIntegerField(default=0)
    text = models.TextField("内容")
    label = models.CharField("类别/分组", max_length=100, blank=True)
    included = models.BooleanField("转入台账", default=True)
    # Where the item was read in the material's clean text; None once a reviewer rewrote it.
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    problems = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="linked_items"
    )
    problem = models.ForeignKey(
        "ledger.Problem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="material_items",
    )
    cause = models.ForeignKey(
        "ledger.Cause", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    measure = models.ForeignKey(
        "ledger.Measure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="material_items",
    )

    class Meta:
        verbose_name = verbose_name_plural = "材料条目"
        ordering = ["material", "role", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:30]

    @property
    def passage(self) -> str:
        """The passage of the material the item was read from."""
        if self.start is None or self.end is None:
            return ""
        return self.material.clean_text[self.start : self.end]


class ReferenceQuerySet(models.QuerySet):
    def active(self) -> "ReferenceQuerySet":
        return self.filter(removed_at=None)


class ReferenceText(models.Model):
    """A known template text in the 查重 reference library (`bihuan library add`). A text
    removed from the library stays here, so the checks that found it still name it."""

    title = models.CharField("标题", max_length=200)
    source_name = models.CharField("来源", max_length=255, blank=True)
    clean_text = models.TextField("规范化文本")
    sha256 = models.CharField(max_length=64, unique=True)  # of the clean text
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="加入人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    added_at = models.DateTimeField("加入时间")
    removed_at = models.DateTimeField("移出时间", null=True, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "查重参考文本"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class PoolEntry(models.Model):
    """A document of the 查重 comparison pool (a material or a library text) with its
    fingerprints; the index every process looks candidates up in is built from these rows
    (materials/pool.py)."""

    key = models.CharField(max_length=32, unique=True)
    material = models.OneToOneField(
        Material, on_delete=models.CASCADE, null=True, blank=True, related_name="pool_entry"
    )
    reference = models.OneToOneField(
        ReferenceText,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pool_entry",
    )
    scheme = models.CharField(max_length=60)
    size = models.PositiveIntegerField()  # fingerprints
    # Winnowed 5-gram hashes (bihuan.text.dupcheck.fingerprints_of), little-endian uint32.
    fingerprints = models.BinaryField(default=b"")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(material__isnull=False, reference__isnull=True)
                | models.Q(material__isnull=True, reference__isnull=False),
                name="materials_pool_entry_one_document",
            )
        ]

    def __str__(self) -> str:
        return self.key


class DuplicateCheck(models.Model):
    """One 查重 of a material: template-site markers in its raw text, and its 复制比 against
    the pool. `chars` and `copied_chars` count content characters (no punctuation, masks or
    common phrases); markers are [{kind, pattern, line, text}]."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="dupchecks")
    checked_at = models.DateTimeField("查重时间")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="查重人", on_delete=models.PROTECT, related_name="+"
    )
    chars = models.PositiveIntegerField("字数")
    copied_chars = models.PositiveIntegerField("重合字数")
    markers = models.JSONField("模板网站痕迹", default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "查重结果"
        ordering = ["-checked_at", "-pk"]
        indexes = [
            models.Index(fields=["material", "-checked_at"], name="materials_dupcheck_latest")
        ]

    def __str__(self) -> str:
        return f"{self.material}：{self.copy_ratio:.1%}"

    @property
    def copy_ratio(self) -> float:
        return self.copied_chars / self.chars if self.chars else 0.0

    @property
    def copy_percent(self) -> str:
        return f"{self.copy_ratio:.1%}"

    @property
    def downloaded(self) -> bool:
        """疑似网络下载: the raw text carries a template site's markers."""
        return bool(self.markers)


class DuplicateMatch(models.Model):
    """A source that shares passages with the checked material: another material or a library
    text. spans: [[start, end, source_start, source_end], …] into the two clean texts."""

    dupcheck = models.ForeignKey(DuplicateCheck, on_delete=models.CASCADE, related_name="matches")
    rank = models.PositiveSmallIntegerField("排名")
    source_material = models.ForeignKey(
        Material, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    source_reference = models.ForeignKey(
        ReferenceText, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overlap_chars = models.PositiveIntegerField("重合字数")
    source_overlap_chars = models.PositiveIntegerField("来源中重合字数")
    source_chars = models.PositiveIntegerField("来源字数")
    spans = models.JSONField(default=list)

    class Meta:
        verbose_name = verbose_name_plural = "查重来源"
        ordering = ["dupcheck", "rank"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source_material__isnull=False, source_reference__isnull=True)
                | models.Q(source_material__isnull=True, source_reference__isnull=False),
                name="materials_match_one_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dupcheck_id}#{self.rank}"

    @property
    def source(self) -> "Material | ReferenceText":
        return self.source_material or self.source_reference


class ProblemRecurrence(models.Model):
    """年年提、年年改: `problem`, when it was registered, closely resembled `earlier`, a problem
    of the same unit or person registered at least BIHUAN_RECURRENCE_GAP_DAYS before it (in an
    earlier campaign). Found by recurrence.py; kept here, beside the other 查重 results."""

    problem = models.ForeignKey(
        "ledger.Problem", on_delete=models.CASCADE, related_name="recurrences"
    )
    earlier = models.ForeignKey(
        "ledger.Problem", verbose_name="此前的问题", on_delete=models.CASCADE, related_name="+"
    )
    similarity = models.FloatField("相似度")
    found_at = models.DateTimeField("发现时间")

    class Meta:
        verbose_name = verbose_name_plural = "反复出现的问题"
        ordering = ["problem", "-similarity", "-earlier_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "earlier"], name="materials_recurrence_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(problem=models.F("earlier")),
                name="materials_recurrence_not_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.problem_id} ← {self.earlier_id}"

    @property
    def percent(self) -> str:
        return f"{self.similarity:.0%}"
