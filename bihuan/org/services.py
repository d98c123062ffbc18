from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import ADMIN_ROLES, Role, RoleGrant, Unit, User


def check_role_combination(roles: Iterable[str]) -> None:
    """三员分立: an admin role is never combined with another role."""
    roles = set(roles)
    unknown = roles - set(Role.values)
    if unknown:
        raise ValidationError(f"未知角色：{'、'.join(sorted(unknown))}")
    admin = roles & ADMIN_ROLES
    if admin and len(roles) > 1:
        labels = "、".join(Role(role).label for role in sorted(roles))
        raise ValidationError(f"三员分立：管理员角色不能与其他角色兼任（{labels}）")


def user_create(
    *,
    username: str,
    name: str,
    unit: Unit | None,
    roles: Iterable[str],
    password: str | None = None,
    title: str = "",
) -> User:
    roles = list(roles)
    check_role_combination(roles)
    with transaction.atomic():
        user = User(username=username, name=name, unit=unit, title=title)
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save()
        RoleGrant.objects.bulk_create(RoleGrant(user=user, role=role) for role in roles)
    return user
