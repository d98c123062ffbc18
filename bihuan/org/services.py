import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record

from .models import ADMIN_ROLES, PasswordHistory, Role, RoleGrant, Unit, User
from .passwords import temporary_password


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
    must_change_password: bool = True,
) -> User:
    """A new account. A password given here was chosen by someone else, so by default its owner
    must replace it at the first login."""
    roles = list(roles)
    check_role_combination(roles)
    with transaction.atomic():
        user = User(username=username, name=name, unit=unit, title=title)
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
            user.must_change_password = must_change_password
        user.save()
        RoleGrant.objects.bulk_create(RoleGrant(user=user, role=role) for role in roles)
        audit_record(
            AuditAction.PERMISSION_CHANGE,
            actor=None,
            obj=user,
            changes={"before": {"roles": []}, "after": {"roles": roles, "unit": unit}},
        )
    return user


def user_set_active(*, user: User, active: bool) -> None:
    """启用/停用 an account; a stopped account cannot log in and keeps its history."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=active)
        audit_record(
            AuditAction.ACCOUNT_CHANGE,
            actor=None,
            obj=user,
            changes={"before": {"is_active": user.is_active}, "after": {"is_active": active}},
        )
    user.is_active = active


def user_change_password(*, user: User, password: str, now: dt.datetime) -> None:
    """The owner replaces their password; the policy applies, reuse of recent ones included."""
    validate_password(password, user)
    _replace_password(user=user, password=password, now=now, must_change=False)


def user_reset_password(*, user: User, now: dt.datetime) -> str:
    """A temporary password from the security admin, to be replaced at the next login.

    The new hash also ends every session of the user.
    """
    password = temporary_password()
    _replace_password(user=user, password=password, now=now, must_change=True)
    return password


def _replace_password(*, user: User, password: str, now: dt.datetime, must_change: bool) -> None:
    keep = max(settings.BIHUAN_PASSWORD_HISTORY - 1, 0)
    with transaction.atomic():
        if user.has_usable_password():
            PasswordHistory.objects.create(user=user, password=user.password, replaced_at=now)
        stale = user.password_history.order_by("-replaced_at", "-pk").values_list("pk", flat=True)
        PasswordHistory.objects.filter(pk__in=list(stale[keep:])).delete()
        user.set_password(password)
        user.password_changed_at = now
        user.must_change_password = must_change
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        # Never the password or its hash: only that it changed and who made the change.
        audit_record(
            AuditAction.ACCOUNT_CHANGE,
            actor=None,
            obj=user,
            now=now,
            changes={"password": "reset" if must_change else "changed"},
        )


def user_end_sessions(*, user: User) -> None:
    """退出所有设备: every session of the user, this one included, stops verifying."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        audit_record(
            AuditAction.ACCOUNT_CHANGE, actor=None, obj=user, changes={"sessions": "ended"}
        )
