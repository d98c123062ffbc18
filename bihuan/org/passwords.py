"""The password policy of 等保三级 身份鉴别: complexity, no reuse, expiry.

The two validators are listed in AUTH_PASSWORD_VALIDATORS, so every form and service that calls
`validate_password(password, user)` applies them.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError


def _is_symbol(char: str) -> bool:
    return not char.isalnum() and not char.isspace()


CLASSES = (str.isupper, str.islower, str.isdigit, _is_symbol)


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and symbols the password uses."""
    return sum(any(test(char) for char in password) for test in CLASSES)


class ComplexityValidator:
    """At least `min_length` characters from at least `min_classes` of the four classes."""

    def __init__(self, min_length: int | None = None, min_classes: int | None = None) -> None:
        self._min_length = min_length
        self._min_classes = min_classes

    # Read when used: Django builds the validators once per process.
    @property
    def min_length(self) -> int:
        return self._min_length or settings.BIHUAN_PASSWORD_MIN_LENGTH

    @property
    def min_classes(self) -> int:
        return self._min_classes or settings.BIHUAN_PASSWORD_MIN_CLASSES

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length or character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return (
            f"密码至少 {self.min_length} 位，并包含大写字母、小写字母、数字、符号中的"
            f"至少 {self.min_classes} 类。"
        )


class HistoryValidator:
    """Not the current password nor one of the ones before it: the last `BIHUAN_PASSWORD_HISTORY`."""

    def validate(self, password: str, user=None) -> None:
        count = settings.BIHUAN_PASSWORD_HISTORY
        if user is None or user.pk is None or count < 1:
            return
        current = [user.password] if user.has_usable_password() else []
        earlier = user.password_history.order_by("-replaced_at", "-pk").values_list(
            "password", flat=True
        )[: count - len(current)]
        if any(check_password(password, encoded) for encoded in [*current, *earlier]):
            raise ValidationError(f"不能使用最近 {count} 次用过的密码。", code="password_reused")

    def get_help_text(self) -> str:
        return f"不能与最近 {settings.BIHUAN_PASSWORD_HISTORY} 次用过的密码相同。"


def password_expires_at(user) -> dt.datetime | None:
    """When the password must be replaced; None when passwords never expire."""
    days = settings.BIHUAN_PASSWORD_MAX_AGE_DAYS
    if days <= 0:
        return None
    return (user.password_changed_at or user.date_joined) + dt.timedelta(days=days)


def password_expired(user, *, now: dt.datetime) -> bool:
    expires_at = password_expires_at(user)
    return expires_at is not None and now >= expires_at


# No look-alikes (0/O, 1/l/I), so a temporary password can be read out over the phone.
_UPPER = "ABCDEFGHJKMNPQRSTUVWXYZ"
_LOWER = "abcdefghijkmnpqrstuvwxyz"
_DIGITS = "23456789"
_SYMBOLS = "#@%+=?"


def temporary_password(length: int = 12) -> str:
    """A random password that meets the policy: one of each class, the rest from all of them."""
    length = max(length, settings.BIHUAN_PASSWORD_MIN_LENGTH, 4)
    pools = (_UPPER, _LOWER, _DIGITS, _SYMBOLS)
    chars = [secrets.choice(pool) for pool in pools]
    chars += [secrets.choice("".join(pools)) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)
