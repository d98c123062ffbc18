"""精文减会: the meetings a unit holds and the documents it issues, counted against its yearly
targets (fewer documents than last year, meetings no longer than N minutes)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from bihuan.org.models import Unit


class UnitScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(unit__in=Unit.objects.visible_to(user).order_by().values("pk"))


class MeetingLevel(models.TextChoices):
    COUNTY = "county", "县级"
    DEPARTMENT = "department", "部门"
    TOWNSHIP = "township", "乡镇"
    VILLAGE = "village", "村·社区"


class MeetingKind(models.TextChoices):
    DEPLOYMENT = "deployment", "动员部署会"
    STUDY = "study", "学习研讨会"
    WORK = "work", "工作会议"
    OTHER = "other", "其他会议"


class Meeting(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="召开单位", on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField("召开日期")
    title = models.CharField("会议名称", max_length=200)
    kind = models.CharField("会议类型", max_length=20, choices=MeetingKind.choices)
    level = models.CharField("会议级别", max_length=20, choices=MeetingLevel.choices)
    minutes = models.PositiveSmallIntegerField("时长（分钟）")
    attendees = models.PositiveIntegerField("参会人数", default=0)
    merged = models.BooleanField("合并召开", default=False)
    by_video = models.BooleanField("视频会议", default=False)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name="专项活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间")

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "会议"
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["unit", "held_on"], name="streamlining_meeting_unit")]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="streamlining_meeting_minutes")
        ]

    def __str__(self) -> str:
        return self.title


def document_path(instance: "Document", filename: str) -> str:
    # The uploaded name is kept only in the database, never used as a path.
    return f"documents/{instance.issued_on:%Y/%m}/{uuid.uuid4().hex}"


class Document(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="发文单位", on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField("文号", max_length=50)
    title = models.CharField("标题", max_length=200)
    issued_on = models.DateField("发文日期")
    # Characters of the text, whitespace aside, as read from the file.
    chars = models.PositiveIntegerField("字数")
    file = models.FileField("文件", upload_to=document_path, max_length=200)
    original_name = models.CharField("文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间")

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "发文"
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["unit", "issued_on"], name="streamlining_document_unit")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="streamlining_document_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("streamlining:document_file", args=[self.pk])


class Target(models.Model):
    """A unit's 精文减会 targets for a year, for the unit with the units below it."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    documents_cut_percent = models.PositiveSmallIntegerField(
        "发文比上年减少（%）", null=True, blank=True
    )
    meetings_cut_percent = models.PositiveSmallIntegerField(
        "会议比上年减少（%）", null=True, blank=True
    )
    meeting_max_minutes = models.PositiveSmallIntegerField(
        "会议时长上限（分钟）", null=True, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间")

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "精文减会目标"
        ordering = ["unit__path", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="streamlining_target_unit_year"),
            models.CheckConstraint(
                condition=Q(documents_cut_percent__lte=100) & Q(meetings_cut_percent__lte=100),
                name="streamlining_target_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年"
