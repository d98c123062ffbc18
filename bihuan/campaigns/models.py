"""专项活动: a campaign with its scope (units), stages, and what each stage requires of each
unit or cadre. What was done is not stored here: materials, meetings and visits tagged with the
campaign are counted against the requirements (status.py)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from bihuan.materials.models import MaterialKind
from bihuan.org.models import Role, Unit
from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.scope import sees_every_unit

DEFAULT_STAGES = ("动员部署", "学习研讨", "调查研究", "查摆问题", "整改落实", "总结提升")


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CampaignQuerySet":
        """Campaigns the user's units organise or take part in."""
        if sees_every_unit(user):
            return self.all()
        units = Unit.objects.visible_to(user).order_by().values("pk")
        taking_part = Campaign.units.through.objects.filter(unit__in=units).values("campaign_id")
        return self.filter(Q(organiser__in=units) | Q(pk__in=taking_part))


class Campaign(models.Model):
    name = models.CharField("活动名称", max_length=100)
    organiser = models.ForeignKey(
        Unit, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="+"
    )
    units = models.ManyToManyField(Unit, verbose_name="参加单位", related_name="campaigns")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    description = models.TextField("活动说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间")
    # Raised by every change to the campaign, its stages or its requirements: an edit made on a
    # page drawn before someone else's change is refused rather than silently undoing it.
    version = models.PositiveIntegerField("版本", default=1)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "专项活动"
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaigns_campaign_dates"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.pk])

    def is_visible_to(self, user) -> bool:
        """The rule of `CampaignQuerySet.visible_to` for one campaign."""
        return Campaign.objects.visible_to(user).filter(pk=self.pk).exists()


class Stage(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("阶段名称", max_length=50)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")

    class Meta:
        verbose_name = verbose_name_plural = "活动阶段"
        ordering = ["campaign", "order"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "order"], name="campaigns_stage_order"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaigns_stage_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Activity(models.TextChoices):
    MATERIAL = "material", "提交材料"
    STUDY = "study", "学习研讨会"
    MEETING = "meeting", "召开会议"
    VISIT = "visit", "调研走访"


class Per(models.TextChoices):
    UNIT = "unit", "每个单位"
    PERSON = "person", "每名干部"


class DueKind(models.TextChoices):
    DATE = "date", "指定日期"
    WORKING_DAYS = "working_days", "阶段开始后N个工作日"


# Who "each cadre" is when a requirement does not say: the cadres and leaders of each unit.
DEFAULT_PERSON_ROLES = (Role.CADRE, Role.LEADER)


class Requirement(models.Model):
    """What a stage asks of each unit or each cadre of the campaign's units: `quantity`
    materials of a kind, meetings, or visits (for a person: days of visits), by a date."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="requirements")
    activity = models.CharField("活动内容", max_length=20, choices=Activity.choices)
    material_kind = models.CharField(
        "材料类型", max_length=20, choices=MaterialKind.choices, blank=True
    )
    per = models.CharField("对象", max_length=10, choices=Per.choices)
    # For `per=person`: whose unit is one of the campaign's units and who holds one of these.
    roles = models.JSONField("干部角色", default=list, blank=True)
    quantity = models.PositiveSmallIntegerField("数量", default=1)
    due_kind = models.CharField(
        "时限类型", max_length=20, choices=DueKind.choices, default=DueKind.DATE
    )
    due_on = models.DateField("截止日期", null=True, blank=True)
    due_working_days = models.PositiveSmallIntegerField("工作日数", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "活动要求"
        ordering = ["stage", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_kind=DueKind.DATE, due_on__isnull=False)
                | Q(due_kind=DueKind.WORKING_DAYS, due_working_days__gt=0),
                name="campaigns_requirement_due",
            ),
            models.CheckConstraint(
                condition=~Q(activity=Activity.MATERIAL) | ~Q(material_kind=""),
                name="campaigns_requirement_material_kind",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="campaigns_requirement_quantity"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return f"{reverse('campaigns:detail', args=[self.stage.campaign_id])}#requirement-{self.pk}"

    @property
    def what(self) -> str:
        if self.activity == Activity.MATERIAL:
            return MaterialKind(self.material_kind).label
        return Activity(self.activity).label

    @property
    def amount(self) -> str:
        if self.activity == Activity.MATERIAL:
            return f"{self.quantity}份"
        if self.activity == Activity.VISIT and self.per == Per.PERSON:
            return f"{self.quantity}天"
        return f"{self.quantity}次"

    @property
    def label(self) -> str:
        """研讨材料（每名干部1份）"""
        return f"{self.what}（{Per(self.per).label}{self.amount}）"

    @property
    def person_roles(self) -> tuple[str, ...]:
        return tuple(self.roles) or DEFAULT_PERSON_ROLES

    def due_date(self, calendar: WorkCalendar) -> dt.date:
        """The last day to submit: a date, or N working days after the stage starts (the start
        not counted), which skips weekends and holidays and counts 调休 workdays."""
        if self.due_kind == DueKind.WORKING_DAYS:
            return calendar.add_working_days(self.stage.starts_on, self.due_working_days)
        return self.due_on
