"""Turn new notifications into messages for the channels their recipients' units chose.

The messages are rows written in the caller's transaction (an outbox): they exist exactly when
the urge or reminder does, and a worker sends them after the commit, so a slow or dead webhook
never holds up the workflow.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.urls import reverse

from .items import absolute_url
from .models import ChannelKind, Delivery, Kind, Notification, UnitChannel

# WeCom refuses text over 2048 bytes; DingTalk allows more, and a short message reads better.
MAX_BYTES = 2000


def enqueue(notifications: Sequence[Notification], *, now: dt.datetime) -> int:
    """One e-mail per person and one robot message per group for this batch; the number queued."""
    by_unit: dict[int, list[Notification]] = defaultdict(list)
    for notification in notifications:
        if notification.recipient.unit_id is not None:
            by_unit[notification.recipient.unit_id].append(notification)
    if not by_unit:
        return 0
    deliveries = []
    for channel in UnitChannel.objects.filter(is_active=True, unit_id__in=by_unit):
        notes = by_unit[channel.unit_id]
        if channel.kind == ChannelKind.EMAIL:
            payloads = _emails(notes)
        else:
            payloads = [robot_payload(robot_text(notes))]
        deliveries += [
            Delivery(channel=channel, payload=payload, next_attempt_at=now, created_at=now)
            for payload in payloads
        ]
    Delivery.objects.bulk_create(deliveries)
    return len(deliveries)


def robot_payload(content: str) -> dict:
    """The text message body that WeCom and DingTalk group robots both take."""
    return {"msgtype": "text", "text": {"content": content}}


def robot_text(notes: Sequence[Notification]) -> str:
    """Each item once, however many of the group's people it reached, within the size limit."""
    seen = set()
    lines = []
    for note in notes:
        key = (note.content_type_id, note.object_id)
        if key not in seen:
            seen.add(key)
            lines.append(f"{note.text}\n{absolute_url(note.link)}")
    if len(lines) == 1:
        return f"【闭环】{lines[0]}"
    return _fit(f"【闭环】{len(lines)}条提醒：", lines)


def _fit(head: str, lines: list[str]) -> str:
    more = f"……另有{{}}条，请登录闭环查看：{absolute_url(reverse('notify:list'))}"
    text = head
    for shown, line in enumerate(lines):
        candidate = f"{text}\n{shown + 1}. {line}"
        rest = more.format(len(lines) - shown - 1)
        if len(f"{candidate}\n{rest}".encode()) > MAX_BYTES:
            return f"{text}\n{more.format(len(lines) - shown)}"
        text = candidate
    return text


def _emails(notes: Sequence[Notification]) -> list[dict]:
    by_person: dict[int, list[Notification]] = defaultdict(list)
    for note in notes:
        if note.recipient.email:
            by_person[note.recipient_id].append(note)
    payloads = []
    for own in by_person.values():
        person = own[0].recipient
        if len(own) == 1:
            subject = f"【闭环】{Kind(own[0].kind).label}：{own[0].text[:40]}"
        else:
            subject = f"【闭环】您有{len(own)}条新提醒"
        lines = "\n\n".join(f"{note.text}\n{absolute_url(note.link)}" for note in own)
        body = f"{person}，您好：\n\n{lines}\n\n此邮件由闭环系统自动发送，请勿直接回复。"
        payloads.append({"to": [person.email], "subject": subject, "body": body})
    return payloads
