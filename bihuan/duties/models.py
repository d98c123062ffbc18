"""清单制 (四张清单): what a village or community does itself, helps the government with, may
certify, and may not be asked to do; and the check of each task pushed down to one."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from bihuan.org.models import Unit


class DutyLevel(models.TextChoices):
    VILLAGE = "village", "村"
    COMMUNITY = "community", "社区"


class DutyKind(models.TextChoices):
    AUTONOMY = "autonomy", "自治事项"
    ASSIST = "assist", "协助政府事项"
    CERTIFICATE = "certificate", "出具证明事项"
    NEGATIVE = "negative", "负面清单"


# The order the four lists are published in.
KIND_ORDER = list(DutyKind)


def level_of(unit: Unit) -> str:
    """村 or 社区: the organisation tree has one kind for both, and their names tell them apart
    (东关社区, 城南居委会; 西河村)."""
    name = unit.name
    return DutyLevel.COMMUNITY if name.endswith("社区") or "居委会" in name else DutyLevel.VILLAGE


class DutyEntryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class DutyEntry(models.Model):
    """One item of one list of one level."""

    level = models.CharField("层级", max_length=20, choices=DutyLevel.choices)
    kind = models.CharField("清单", max_length=20, choices=DutyKind.choices)
    number = models.PositiveIntegerField("序号", default=0)
    name = models.CharField("事项名称", max_length=300)
    basis = models.TextField("依据", blank=True)
    note = models.TextField("说明", blank=True)
    # Never deleted: tasks checked against an entry keep pointing to it.
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("添加时间")
    updated_at = models.DateTimeField("修改时间")

    objects = DutyEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "清单事项"
        verbose_name_plural = "清单事项"
        ordering = ["level", "kind", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "kind", "name"], name="duties_entry_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}{self.get_kind_display()}：{self.name}"

    @property
    def is_negative(self) -> bool:
        return self.kind == DutyKind.NEGATIVE


class DutyState(models.TextChoices):
    LISTED = "listed", "清单内"
    PENDING = "pending", "待准入审批"
    APPROVED = "approved", "准入同意"
    REFUSED = "refused", "准入不同意"


# What still stands for its task: a refused request leaves room for another try.
LIVE_STATES = (DutyState.LISTED, DutyState.PENDING, DutyState.APPROVED)
OUTSIDE_STATES = (DutyState.PENDING, DutyState.APPROVED, DutyState.REFUSED)


class DutyAssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Checks of tasks pushed by, or to, a unit the user sees."""
        units = Unit.objects.visible_to(user).order_by().values("pk")
        return self.filter(Q(assigning_unit__in=units) | Q(unit__in=units))

    def live(self):
        return self.filter(state__in=LIVE_STATES)

    def for_item(self, item):
        return self.filter(**link_of(item))


def link_of(item) -> dict:
    """The DutyAssignment field that points to `item` (a measure or a supervision item)."""
    if item._meta.label_lower == "ledger.measure":
        return {"measure": item}
    if item._meta.label_lower == "supervision.supervisionitem":
        return {"supervision_item": item}
    raise TypeError(f"no duty check for {item._meta.label_lower}")


class DutyAssignment(models.Model):
    """The check of one task pushed down to a village or community: the list entry it falls
    under, or — outside every list — its 准入审批."""

    measure = models.ForeignKey(
        "ledger.Measure", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supervision_item = models.ForeignKey(
        "supervision.SupervisionItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    task = models.CharField("任务", max_length=300)
    unit = models.ForeignKey(
        Unit, verbose_name="承担的村（社区）", on_delete=models.PROTECT, related_name="+"
    )
    assigning_unit = models.ForeignKey(
        Unit, verbose_name="交办单位", on_delete=models.PROTECT, related_name="+"
    )
    entry = models.ForeignKey(
        DutyEntry,
        verbose_name="所属清单事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    state = models.CharField("状态", max_length=20, choices=DutyState.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="交办人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("交办时间")
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

    objects = DutyAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "下派村（社区）任务"
        verbose_name_plural = "下派村（社区）任务"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(measure__isnull=False, supervision_item__isnull=True)
                | Q(measure__isnull=True, supervision_item__isnull=False),
                name="duties_assignment_one_task",
            ),
            models.CheckConstraint(
                condition=Q(state=DutyState.LISTED, entry__isnull=False)
                | ~Q(state=DutyState.LISTED) & Q(entry__isnull=True),
                name="duties_assignment_entry_iff_listed",
            ),
            models.UniqueConstraint(
                fields=["measure"],
                condition=Q(measure__isnull=False, state__in=LIVE_STATES),
                name="duties_one_live_check_per_measure",
            ),
            models.UniqueConstraint(
                fields=["supervision_item"],
                condition=Q(supervision_item__isnull=False, state__in=LIVE_STATES),
                name="duties_one_live_check_per_item",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "requested_at"], name="duties_assignment_state"),
            models.Index(fields=["assigning_unit", "requested_at"], name="duties_assignment_unit"),
        ]

    def __str__(self) -> str:
        return self.task[:40]

    @property
    def item(self):
        return self.measure if self.measure_id else self.supervision_item

    @property
    def is_outside_lists(self) -> bool:
        return self.state in OUTSIDE_STATES
