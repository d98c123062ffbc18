"""调研走访: visits (who, when, where, days, households, findings), the yearly days-at-the-
grassroots target per role, and each village's household count for 走访全覆盖."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from bihuan.org.models import Role, Unit
from bihuan.workflow.scope import sees_every_unit

# "县级党政机关领导班子成员每年至少90日到基层调研": a role without a row of its own has this.
DEFAULT_TARGET_DAYS = {Role.LEADER: 90}


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user) -> "VisitQuerySet":
        """Visits of a unit the user sees, to a place they see, or by one of their people."""
        if sees_every_unit(user):
            return self.all()
        units = Unit.objects.visible_to(user).order_by().values("pk")
        by_people = Visit.people.through.objects.filter(user__unit__in=units).values("visit_id")
        return self.filter(Q(unit__in=units) | Q(place_unit__in=units) | Q(pk__in=by_people))


class Visit(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="+"
    )
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="走访人员", related_name="visits"
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    days = models.DecimalField("计入天数", max_digits=4, decimal_places=1)
    place_unit = models.ForeignKey(
        Unit,
        verbose_name="走访地点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits_here",
    )
    place = models.CharField("地点说明", max_length=100, blank=True)
    households = models.PositiveIntegerField("走访农户数", default=0)
    topics = models.CharField("调研主题", max_length=200, blank=True)
    findings = models.TextField("调研发现", blank=True)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name="专项活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    problems = models.ManyToManyField(
        "ledger.Problem", verbose_name="发现的问题", blank=True, related_name="visits"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("填报时间")
    # Raised by each correction: a save over a newer one (the clerk's and a supervisor's at
    # once) is refused.
    version = models.PositiveIntegerField("版本", default=1)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "调研走访"
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["place_unit", "starts_on"], name="fieldwork_visit_place"),
            models.Index(fields=["starts_on"], name="fieldwork_visit_starts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="fieldwork_visit_dates"
            ),
            models.CheckConstraint(condition=Q(days__gt=0), name="fieldwork_visit_days"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%Y-%m-%d} {self.where}"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:detail", args=[self.pk])

    @property
    def where(self) -> str:
        parts = [self.place_unit.name if self.place_unit_id else "", self.place]
        return " ".join(part for part in parts if part)


class DaysTarget(models.Model):
    """Days at the grassroots a person of a role is to spend in a year."""

    year = models.PositiveSmallIntegerField("年度")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    days = models.DecimalField("目标天数", max_digits=4, decimal_places=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间")

    class Meta:
        verbose_name = verbose_name_plural = "调研天数目标"
        ordering = ["-year", "role"]
        constraints = [
            models.UniqueConstraint(fields=["year", "role"], name="fieldwork_target_year_role"),
            models.CheckConstraint(condition=Q(days__gte=0), name="fieldwork_target_days"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_role_display()}{self.days}天"


def target_days(targets: dict[str, Decimal], roles) -> Decimal | None:
    """A person's target: the highest of their roles' (a leader who is also a supervisor has
    the leader's)."""
    found = [targets[role] for role in roles if role in targets]
    return max(found) if found else None


class Households(models.Model):
    """The number of households (农户) of a village, as its clerk last gave it."""

    unit = models.OneToOneField(
        Unit, verbose_name="村·社区", on_delete=models.PROTECT, related_name="households"
    )
    count = models.PositiveIntegerField("农户数")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间")

    class Meta:
        verbose_name = verbose_name_plural = "村农户数"

    def __str__(self) -> str:
        return f"{self.unit}：{self.count}户"
