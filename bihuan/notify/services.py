"""催办 and notifications: the one place that writes them, for the pages, the API and the CLI."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from bihuan.errors import DomainError, NotAllowed
from bihuan.workflow.models import Tracked
from bihuan.workflow.states import Action, Actor

from .items import URGEABLE_STATES, item_label
from .models import Kind, Notification
from .outbox import enqueue
from .recipients import responsible_people

MESSAGE_MAX_LENGTH = 200
DEFAULT_URGE_MESSAGE = "请抓紧办理，及时反馈进展。"


@dataclass(frozen=True)
class Notice:
    """What to tell the people of one item; the link is the item's page unless given."""

    item: Tracked
    kind: Kind
    text: str
    link: str = ""


def notify(
    notices: Sequence[Notice], *, now: dt.datetime, day: dt.date | None = None
) -> list[Notification]:
    """Notify each notice's responsible people in the app and queue their units' channels.

    With `day` (a scheduled reminder), an item, person and kind already notified that day is
    skipped, and the database's unique key settles a race between two runs.
    """
    people = responsible_people([notice.item for notice in notices])
    addressed = [
        (notice, recipients) for notice, (_, recipients) in zip(notices, people, strict=True)
    ]
    return notify_people(addressed, now=now, day=day)


def notify_people(
    addressed: Sequence[tuple[Notice, Sequence]], *, now: dt.datetime, day: dt.date | None = None
) -> list[Notification]:
    """`notify` for notices whose recipients the caller chose: each person once per notice's
    item and kind."""
    rows = {}
    for notice, recipients in addressed:
        content_type = ContentType.objects.get_for_model(notice.item)
        for person in recipients:
            key = (content_type.pk, notice.item.pk, person.pk, notice.kind)
            rows.setdefault(
                key,
                Notification(
                    recipient=person,
                    kind=notice.kind,
                    content_type=content_type,
                    object_id=notice.item.pk,
                    text=notice.text,
                    link=notice.link or notice.item.get_absolute_url(),
                    created_at=now,
                    day=day,
                ),
            )
    with transaction.atomic():
        if day is None:
            created = Notification.objects.bulk_create(rows.values())
        else:
            created = _create_once(rows, day=day)
        enqueue(created, now=now)
    return created


def _create_once(rows: dict, *, day: dt.date) -> list[Notification]:
    sent = set(
        Notification.objects.filter(day=day).values_list(
            "content_type_id", "object_id", "recipient_id", "kind"
        )
    )
    created = []
    for key, row in rows.items():
        if key in sent:
            continue
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            continue  # another run sent it meanwhile
        created.append(row)
    return created


@dataclass(frozen=True)
class UrgeResult:
    urged: int
    skipped: int
    notified: int


def urge(*, items: Sequence[Tracked], by, now: dt.datetime, message: str = "") -> UrgeResult:
    """催办: a supervisor presses the owners of the items with one message.

    Items waiting for acknowledgement or under way are urged; others (drafts, submitted, ended)
    are skipped. Each urge is a history entry on its item; all or none are written.
    """
    message = message.strip()
    if len(message) > MESSAGE_MAX_LENGTH:
        raise DomainError(f"催办留言不能超过 {MESSAGE_MAX_LENGTH} 个字。", field="message")
    if len(items) > settings.BIHUAN_URGE_MAX_ITEMS:
        raise DomainError(
            f"一次最多催办 {settings.BIHUAN_URGE_MAX_ITEMS} 项，当前 {len(items)} 项，"
            "请缩小筛选范围。",
            field="items",
        )
    for item in items:
        if not item.may(by, Actor.ASSIGNER):
            raise NotAllowed("只有督查员可以催办其管理范围内的事项。")
    open_items = [item for item in items if item.state in URGEABLE_STATES]
    if not open_items:
        if len(items) == 1:
            state = items[0].get_state_display()
            raise DomainError(f"当前状态为“{state}”，不能催办。", field="state")
        raise DomainError("没有可催办的事项（只有待签收、整改中的事项可以催办）。", field="items")
    words = message or DEFAULT_URGE_MESSAGE
    with transaction.atomic():
        for item in open_items:
            item.record(Action.URGE, by=by, now=now, comment=message)
        notices = [
            Notice(item, Kind.URGE, f"{by}催办{item_label(item)}：{words}") for item in open_items
        ]
        created = notify(notices, now=now)
    return UrgeResult(
        urged=len(open_items), skipped=len(items) - len(open_items), notified=len(created)
    )


def urge_count(item: Tracked) -> int:
    return item.events.filter(action=Action.URGE).count()


def notification_read(*, notification: Notification, by, now: dt.datetime) -> None:
    if notification.recipient_id != by.pk:
        raise NotAllowed("只能处理自己的通知。")
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)


def notifications_read_all(*, by, now: dt.datetime) -> int:
    return Notification.objects.unread().filter(recipient=by).update(read_at=now)
