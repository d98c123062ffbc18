"""Writing the audit log: `audit_record` is the one way in; callers write it where the change
happens, inside the change's own transaction, so an entry exists exactly when the change does."""

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from .context import AuditContext, current_context
from .models import AuditAction, AuditEntry, AuditHead


def audit_record(
    action: str,
    *,
    actor,
    obj: models.Model | None = None,
    changes: Mapping | None = None,
    object_type: str | None = None,
    object_id: object = None,
    object_repr: str | None = None,
    now: dt.datetime | None = None,
    context: AuditContext | None = None,
) -> AuditEntry:
    """Append one entry to the chain and return it.

    `actor` None means whoever the context says acts: the request's user, or the command line.
    `obj` gives the object's type (app_label.model), id and name unless they are given.
    `changes` is stored as JSON: dates, models (by primary key) and other values are made plain.
    `context` replaces the current one (a login signal brings its own request).
    """
    context = context or current_context()
    actor = _account(actor) or _account(_context_user(context))
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_repr = str(obj) if object_repr is None else object_repr
    entry = AuditEntry(
        at=now or timezone.now(),
        actor=actor,
        actor_name=actor_label(actor) if actor else context.actor_name,
        ip=context.ip,
        user_agent=context.user_agent[:200],
        action=action,
        object_type=(object_type or "")[:100],
        object_id=str(object_id if object_id is not None else "")[:64],
        object_repr=(object_repr or "")[:200],
        changes=plain(dict(changes or {})),
        algorithm=settings.BIHUAN_AUDIT_HASH,
    )
    # Joins the caller's transaction; with none, makes one (IMMEDIATE on SQLite: one writer).
    with transaction.atomic(savepoint=False):
        head = AuditHead.objects.select_for_update().get(pk=AuditHead.ID)
        entry.seq = head.last_seq + 1
        entry.prev_hash = head.last_hash
        entry.hash = entry.compute_hash()
        entry.save()
        AuditHead.objects.filter(pk=AuditHead.ID).update(last_seq=entry.seq, last_hash=entry.hash)
    return entry


def actor_label(user) -> str:
    name = getattr(user, "name", "") or ""
    return f"{name}（{user.username}）" if name and name != user.username else user.username


def _account(user):
    return user if getattr(user, "pk", None) is not None else None


def _context_user(context: AuditContext):
    request = context.request
    if request is None:
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    # An API call with a token: django-ninja puts the token's user in `auth`.
    return getattr(request, "auth", None)


def plain(value):
    """A JSON value that reads back from any database exactly as written (the hash covers it)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, models.Model):
        return value.pk
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: plain(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(item) for item in value]
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    # Floats and decimals as text: a JSON number may read back in another spelling.
    return str(value)


def field_values(obj: models.Model, names: Iterable[str]) -> dict:
    """`obj`'s fields by name as stored: a relation by its key, so nothing is fetched."""
    values = {}
    for name in names:
        field = obj._meta.get_field(name)
        values[name] = getattr(obj, field.attname if field.is_relation else name)
    return values


def audit_diff(obj: models.Model, changes: Mapping) -> dict:
    """Before and after of the fields a change is about to write; `obj` still holds the old."""
    return {"before": field_values(obj, changes), "after": dict(changes)}


__all__ = ["AuditAction", "audit_diff", "audit_record", "field_values"]
