"""The system admin's side: which channels each unit has, and a test message to check one."""

import datetime as dt

from django.db import IntegrityError, transaction

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record
from bihuan.errors import DomainError
from bihuan.org.models import Unit

from .models import ChannelKind, Delivery, UnitChannel
from .outbox import robot_payload

# What the audit log keeps of a channel: never the secret.
AUDITED = ("unit", "kind", "webhook_url", "is_active")


def channel_add(
    *, unit: Unit, kind: str, webhook_url: str = "", secret: str = "", by, now: dt.datetime
) -> UnitChannel:
    channel = UnitChannel(
        unit=unit,
        kind=kind,
        webhook_url=webhook_url.strip(),
        secret=secret.strip(),
        created_at=now,
    )
    try:
        with transaction.atomic():
            channel.save()
            after = {name: getattr(channel, name) for name in AUDITED}
            audit_record(
                AuditAction.CREATE, actor=by, obj=channel, now=now, changes={"after": after}
            )
    except IntegrityError:
        raise DomainError(f"{unit}已有相同的{channel.get_kind_display()}渠道。") from None
    return channel


def channel_set_active(*, channel: UnitChannel, active: bool, by, now: dt.datetime) -> None:
    with transaction.atomic():
        UnitChannel.objects.filter(pk=channel.pk).update(is_active=active)
        audit_record(
            AuditAction.CHANGE,
            actor=by,
            obj=channel,
            now=now,
            changes={"before": {"is_active": channel.is_active}, "after": {"is_active": active}},
        )
    channel.is_active = active


def channel_test(*, channel: UnitChannel, by, now: dt.datetime) -> Delivery:
    """Queue a test message: a robot posts it to its group, e-mail goes to the admin."""
    text = f"【闭环】测试消息：{channel.unit}的{channel.get_kind_display()}已接入闭环提醒。"
    if channel.kind == ChannelKind.EMAIL:
        if not by.email:
            raise DomainError("您的账号没有邮箱，无法发送测试邮件。")
        payload = {"to": [by.email], "subject": "【闭环】测试邮件", "body": text}
    else:
        payload = robot_payload(text)
    return Delivery.objects.create(
        channel=channel, payload=payload, next_attempt_at=now, created_at=now
    )
