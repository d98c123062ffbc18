"""Ids in a body or query become objects the caller may use, or a 400 naming the field.

Units and people outside the caller's scope read as unknown, so an id guess reveals nothing.
"""

from bihuan.campaigns.models import Campaign
from bihuan.errors import DomainError
from bihuan.ledger.models import Category
from bihuan.org.models import Unit, User


def visible_unit(user, pk: int, *, field: str, label: str, prefix: str = "") -> Unit:
    unit = Unit.objects.visible_to(user).filter(pk=pk, is_active=True).first()
    if unit is None:
        raise DomainError(f"{prefix}{label}（id={pk}）不存在或不在您的管理范围内。", field=field)
    return unit


def visible_person(user, pk: int | None, *, field: str, prefix: str = "") -> User | None:
    if pk is None:
        return None
    units = Unit.objects.visible_to(user)
    person = User.objects.filter(pk=pk, unit__in=units, is_active=True).first()
    if person is None:
        raise DomainError(f"{prefix}责任人（id={pk}）不存在或不在您的管理范围内。", field=field)
    return person


def active_category(pk: int) -> Category:
    category = Category.objects.filter(pk=pk, is_active=True).first()
    if category is None:
        raise DomainError(f"问题类别（id={pk}）不存在或已停用。", field="category")
    return category


def visible_campaign(user, pk: int | None, *, field: str = "campaign") -> Campaign | None:
    if pk is None:
        return None
    campaign = Campaign.objects.visible_to(user).filter(pk=pk).first()
    if campaign is None:
        raise DomainError(f"专项活动（id={pk}）不存在或不在您的管理范围内。", field=field)
    return campaign
