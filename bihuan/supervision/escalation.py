"""三色督办: late items rise 蓝 → 黄 → 红 by the rules an admin sets (days overdue, urges left
unanswered); each rise tells the item's people and those above them, and costs the lead unit
the level's points (figures.deductions_by_unit)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record
from bihuan.errors import DomainError, NotAllowed
from bihuan.notify.items import URGEABLE_STATES, item_label
from bihuan.notify.models import Kind
from bihuan.notify.recipients import responsible_people, with_role_in
from bihuan.notify.services import Notice, notify_people
from bihuan.org.models import Role, Unit
from bihuan.workflow.states import Action

from .figures import item_figures
from .models import (
    LEVEL_RANK,
    EscalationRule,
    Level,
    SupervisionAction,
    SupervisionEvent,
    SupervisionItem,
)


def level_for(days_overdue: int, rules: list[EscalationRule], urges_ignored: int = 0) -> str:
    """The highest level one of whose thresholds is reached; "" below every rule."""
    reached = [
        rule.level
        for rule in rules
        if days_overdue >= rule.days_overdue
        or (rule.urges_ignored and urges_ignored >= rule.urges_ignored)
    ]
    return max(reached, key=LEVEL_RANK.__getitem__, default="")


def ignored_urges():
    """Urges since the owner last answered (acknowledged or reported), per item, in SQL."""
    since = Coalesce(OuterRef("last_feedback_at"), OuterRef("assigned_at"))
    urges = (
        SupervisionEvent.objects.filter(item=OuterRef("pk"), action=Action.URGE, at__gt=since)
        .order_by()
        .values("item")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(urges), Value(0))


def escalate(*, items, by, now: dt.datetime, dry_run: bool = False) -> list:
    """Raise each of `items` that is open and late enough, or urged often enough in vain, to a
    higher level by the rules; a level is never lowered. Each rise records the level's points
    against the lead unit and tells its people and those above (`escalation_people`). Only
    items the supervisor `by` assigns are touched. Returns the (item, level) pairs raised, or
    with `dry_run` that would be."""
    if not by.has_role(Role.SUPERVISOR):
        raise NotAllowed("只有督查员可以升级督办。")
    today = timezone.localdate(now)
    rules = list(EscalationRule.objects.all())
    if not rules:
        return []
    by_level = {rule.level: rule for rule in rules}
    assigned_here = Unit.objects.visible_to(by).order_by().values("pk")
    reached = Q(overdue_days__gte=min(rule.days_overdue for rule in rules))
    if urge_rules := [rule.urges_ignored for rule in rules if rule.urges_ignored]:
        reached |= Q(state__in=URGEABLE_STATES, urges_ignored__gte=min(urge_rules))
    late = (
        items.filter(assigning_unit__in=assigned_here)
        .open()
        .annotate(overdue_days=item_figures(today)["overdue_days"], urges_ignored=ignored_urges())
        .filter(reached)
        .exclude(escalation_level=Level.RED)
        .select_related("owner_unit__parent", "assigning_unit", "owner")
        .order_by("pk")
    )
    raised = []
    for item in late:
        level = level_for(item.overdue_days, rules, item.urges_ignored)
        if LEVEL_RANK[level] <= LEVEL_RANK[item.escalation_level]:
            continue
        raised.append((item, level))
        if not dry_run:
            _raise(item, by_level[level], by=by, now=now)
    return raised


def _raise(item: SupervisionItem, rule: EscalationRule, *, by, now: dt.datetime) -> None:
    level = Level(rule.level)
    reasons = []
    if item.overdue_days:
        reasons.append(f"逾期{item.overdue_days}天")
    if item.urges_ignored:
        reasons.append(f"催办{item.urges_ignored}次未回应")
    why = "、".join(reasons)
    cost = f"，扣{points_text(rule.deduction)}分" if rule.deduction else ""
    with transaction.atomic():
        item.record(
            SupervisionAction.ESCALATE,
            by=by,
            now=now,
            comment=f"{why}，升级为{level.label}{cost}",
            changes={"escalation_level": level, "escalated_at": now, "deduction": rule.deduction},
        )
        text = f"{item_label(item)}{why}，已升级为{level.label}，请{item.owner_unit}立即办理。"
        notify_people(
            [(Notice(item, Kind.ESCALATED, text), escalation_people(item, level))], now=now
        )


def points_text(points: Decimal) -> str:
    """1 for 1.0, 0.5 for 0.5: points as people write them."""
    return f"{points.normalize():f}"


def escalation_people(item: SupervisionItem, level: str) -> list:
    """Who hears of a rise, higher up with each level: the item's own people and the lead
    unit's leaders (蓝); also the leaders of the unit above it (黄); also the assigning unit's
    leaders (红, 挂牌督办)."""
    [(_, people)] = responsible_people([item])
    units = [item.owner_unit]
    if LEVEL_RANK[level] >= LEVEL_RANK[Level.YELLOW] and item.owner_unit.parent is not None:
        units.append(item.owner_unit.parent)
    if level == Level.RED:
        units.append(item.assigning_unit)
    everyone = [*people, *with_role_in(Role.LEADER, units)]
    return list({person.pk: person for person in everyone}.values())


@dataclass(frozen=True)
class RuleSpec:
    """One level's rule as an admin writes it."""

    days_overdue: int
    urges_ignored: int | None = None
    deduction: Decimal = Decimal(0)


def escalation_rules_set(*, rules: dict[str, RuleSpec], by, now: dt.datetime) -> None:
    """Replace the rules: level → when it starts and what it costs (a level left out is unused)."""
    if not by.has_role(Role.SYSTEM_ADMIN):
        raise NotAllowed("只有系统管理员可以设置升级规则。")
    for level, rule in rules.items():
        if level not in LEVEL_RANK or level == Level.NONE:
            raise DomainError(f"未知的督办等级“{level}”。", field="level")
        if rule.deduction < 0:
            raise DomainError("扣分不能为负数。", field="deduction")
    fields = ("days_overdue", "urges_ignored", "deduction")
    before = {
        rule.level: {name: str(getattr(rule, name)) for name in fields}
        for rule in EscalationRule.objects.all()
    }
    after = {
        level: {name: str(getattr(rule, name)) for name in fields} for level, rule in rules.items()
    }
    with transaction.atomic():
        EscalationRule.objects.exclude(level__in=list(rules)).delete()
        for level, rule in rules.items():
            EscalationRule.objects.update_or_create(
                level=level,
                defaults={
                    "days_overdue": rule.days_overdue,
                    "urges_ignored": rule.urges_ignored,
                    "deduction": rule.deduction,
                },
            )
        audit_record(
            AuditAction.CHANGE,
            actor=by,
            object_type="supervision.escalationrule",
            object_repr="督办升级规则",
            now=now,
            changes={"before": before, "after": after},
        )
