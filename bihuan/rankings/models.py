"""Scoring weights an admin sets, and published rankings: frozen copies of what was counted.

A draft ranking is never stored: it is computed from the ledger each time it is shown. Publishing
stores the period, the peer group, the weights and every unit's counts, so that a later change
of the ledger or of the weights does not change what was published.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from bihuan.org.models import Unit, UnitKind

NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


def _weight(label: str, default: int, help_text: str = "") -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=2,
        default=Decimal(default),
        validators=NOT_NEGATIVE,
        help_text=help_text,
    )


class ScoringWeights(models.Model):
    """One row (pk 1): the weights of the five rates and the points an overdue item costs.

    Points lost for 三色督办 escalations are set on the supervision escalation rules."""

    ID = 1

    acknowledge = _weight("签收及时率权重", 20)
    feedback = _weight("反馈及时率权重", 15)
    on_time = _weight("按期办结率权重", 30)
    closed = _weight("销号率权重", 25)
    returned = _weight("退回率权重", 10, "按（1 − 退回率）计分：退回越少得分越高")
    overdue_points = _weight("每件逾期扣分", 1)
    overdue_cap = _weight("逾期扣分上限", 20)
    updated_at = models.DateTimeField("修改时间", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "排名计分权重"
        verbose_name_plural = "排名计分权重"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="rankings_weights_one_row"),
            models.CheckConstraint(
                condition=Q(acknowledge__gte=0, feedback__gte=0, on_time__gte=0, closed__gte=0)
                & Q(returned__gte=0, overdue_points__gte=0, overdue_cap__gte=0),
                name="rankings_weights_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return "排名计分权重"

    @classmethod
    def current(cls) -> "ScoringWeights":
        """The saved weights, or the defaults while nobody has saved any."""
        return cls.objects.filter(pk=cls.ID).first() or cls(pk=cls.ID)


class RankingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RankingQuerySet":
        """A ranking is seen by whoever sees the unit its peers belong to."""
        return self.filter(parent__in=Unit.objects.visible_to(user).order_by().values("pk"))


class Ranking(models.Model):
    """A published ranking of the units of one kind under `parent`, for one period."""

    period = models.CharField("期间", max_length=40)
    period_label = models.CharField("期间名称", max_length=100)
    period_start = models.DateField("起始日期")
    period_end = models.DateField("截止日期")
    # The day the figures were counted at: the period's last day, or the day of publishing.
    as_of = models.DateField("统计截至")
    parent = models.ForeignKey(
        Unit, verbose_name="上级单位", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("参与排名的单位类型", max_length=20, choices=UnitKind.choices)
    group_label = models.CharField("排名范围", max_length=150)
    # The weights as they were when it was published (field name → decimal as text).
    weights = models.JSONField("计分权重")
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )

    objects = RankingQuerySet.as_manager()

    class Meta:
        verbose_name = "排名"
        verbose_name_plural = "排名"
        ordering = ["-period_end", "-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "parent", "kind"], name="rankings_one_per_period_and_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_label}{self.group_label}排名"

    def get_absolute_url(self) -> str:
        return reverse("rankings:detail", args=[self.pk])


class RankingRow(models.Model):
    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="rows")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField("单位名称", max_length=100)
    # Null when the unit had nothing to count in the period: listed, not ranked.
    rank = models.PositiveSmallIntegerField("名次", null=True)
    score = models.DecimalField("得分", max_digits=7, decimal_places=2, null=True)
    # The counts every part of the score comes from (rankings.figures.UnitFigures).
    figures = models.JSONField("计数")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "排名行"
        verbose_name_plural = "排名行"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ranking", "unit"], name="rankings_row_unit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rank or '—'} {self.unit_name}"
