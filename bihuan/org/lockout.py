"""Lockout after repeated failed logins, by django-axes, keyed on account and address together.

An attacker elsewhere can lock only the pair (account, their own address), never the real user
at theirs. Failed logins of unknown accounts are counted the same way, so a lock says nothing
about whether an account exists. API tokens count under one pseudo-account per address.
"""

import datetime as dt
import ipaddress
from dataclasses import dataclass

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import Max, Sum

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record

# Not a valid username (full-width brackets), so no account shares its lock.
TOKEN_USERNAME = "（接口令牌）"  # noqa: S105 - a name, not a secret


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked (account, address) before any password is checked.

    A call without a request comes from inside the process (the test client's `login()`, the
    shell), not from a login over HTTP, and goes on to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_ip(request) -> str | None:
    """The caller's address: behind BIHUAN_TRUSTED_PROXIES proxies, the one the nearest proxy saw.

    Each proxy appends the address it received the request from to X-Forwarded-For; entries
    further left are whatever the client chose to send.
    """
    address = request.META.get("REMOTE_ADDR")
    proxies = settings.BIHUAN_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            address = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def keep_response(request, original_response=None, credentials=None):
    """Bihuan's own pages say that a login is locked; axes must not replace them."""
    return original_response


def token_locked(request) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": TOKEN_USERNAME})


def token_failed(request) -> None:
    user_login_failed.send(
        sender=__name__, credentials={"username": TOKEN_USERNAME}, request=request
    )


@dataclass(frozen=True)
class Attempts:
    """Failed logins of one account from one address within the lockout window."""

    username: str
    ip_address: str | None
    failures: int
    last_at: dt.datetime
    locked: bool
    until: dt.datetime


def current_attempts(*, now: dt.datetime) -> list[Attempts]:
    """What the security admin sees: locked pairs first, then the ones on their way.

    Axes keeps one row per user agent; the lock counts them together, and so does this.
    """
    window = settings.AXES_COOLOFF_TIME
    pairs = (
        AccessAttempt.objects.filter(attempt_time__gt=now - window)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_at=Max("attempt_time"))
        .order_by("-last_at")
    )
    attempts = [
        Attempts(
            username=pair["username"] or "",
            ip_address=pair["ip_address"],
            failures=pair["failures"],
            last_at=pair["last_at"],
            locked=pair["failures"] >= settings.AXES_FAILURE_LIMIT,
            until=pair["last_at"] + window,
        )
        for pair in pairs
    ]
    return sorted(attempts, key=lambda attempt: not attempt.locked)


def lockout_release(*, username: str, ip_address: str | None) -> int:
    """Forget the failures of one account at one address, which unlocks it."""
    with transaction.atomic():
        released, _ = AccessAttempt.objects.filter(
            username=username, ip_address=ip_address
        ).delete()
        if released:
            audit_record(
                AuditAction.ACCOUNT_CHANGE,
                actor=None,
                object_type="org.user",
                object_repr=username,
                changes={"unlocked": {"username": username, "ip": ip_address}},
            )
    return released
