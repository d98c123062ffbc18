"""Logins, logouts and failed logins. Django's auth signals are the documented hook for these;
they record an event, not business logic. The attempted password is never read."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from .middleware import request_context
from .models import AuditAction
from .services import audit_record


def _context(request):
    return request_context(request) if request is not None else None


def on_login(sender, request, user, **kwargs) -> None:
    audit_record(AuditAction.LOGIN, actor=user, obj=user, context=_context(request))


def on_logout(sender, request, user, **kwargs) -> None:
    # A logout without a session (the visitor was not logged in) has no one to record.
    if user is not None:
        audit_record(AuditAction.LOGOUT, actor=user, obj=user, context=_context(request))


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        AuditAction.LOGIN_FAILED,
        actor=None,
        object_type="org.user",
        object_repr=username,
        changes={"username": username},
        context=_context(request),
    )


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="bihuan.audit.login")
    user_logged_out.connect(on_logout, dispatch_uid="bihuan.audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="bihuan.audit.login_failed")
