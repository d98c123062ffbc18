"""Emptying the outbox: what `bihuan deliver` and `bihuan remind` run."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record
from bihuan.errors import DomainError

from .channels import SendError, send
from .models import Delivery, DeliveryStatus

# A claimed delivery not settled by then (its worker died mid-send) is due again.
LEASE = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class DeliveryCounts:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def __add__(self, other: "DeliveryCounts") -> "DeliveryCounts":
        return DeliveryCounts(
            self.sent + other.sent, self.retrying + other.retrying, self.failed + other.failed
        )

    def __bool__(self) -> bool:
        return bool(self.sent or self.retrying or self.failed)


def retry_delay(attempts: int) -> dt.timedelta:
    """The pause after the `attempts`-th failure: the base, doubling each time."""
    return dt.timedelta(seconds=settings.BIHUAN_DELIVERY_RETRY_SECONDS * 2 ** (attempts - 1))


def deliver_due(*, now: dt.datetime, limit: int = 100) -> DeliveryCounts:
    """Send up to `limit` pending deliveries whose time has come, oldest first.

    Each is claimed by a conditional update, so two workers never send the same one; the
    network is called outside any transaction.
    """
    due = (
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .select_related("channel")
        .order_by("next_attempt_at", "pk")[:limit]
    )
    counts = DeliveryCounts()
    for delivery in due:
        claimed = Delivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.PENDING, attempts=delivery.attempts
        ).update(attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
        if claimed:
            counts += _attempt(delivery, attempts=delivery.attempts + 1, now=now)
    return counts


def deliver_all_due(*, now: dt.datetime, batch: int = 100) -> DeliveryCounts:
    """Everything due at `now`, batch by batch: each one sent or rescheduled past `now`."""
    total = DeliveryCounts()
    while True:
        counts = deliver_due(now=now, limit=batch)
        total += counts
        if counts.sent + counts.retrying + counts.failed < batch:
            return total


def _attempt(delivery: Delivery, *, attempts: int, now: dt.datetime) -> DeliveryCounts:
    try:
        send(delivery, now=now)
    except SendError as error:
        gave_up = attempts >= settings.BIHUAN_DELIVERY_MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED if gave_up else DeliveryStatus.PENDING,
            next_attempt_at=now + retry_delay(attempts),
            last_error=str(error)[:1000],
        )
        return DeliveryCounts(failed=1) if gave_up else DeliveryCounts(retrying=1)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, sent_at=now, last_error=""
    )
    return DeliveryCounts(sent=1)


def delivery_retry(*, delivery: Delivery, by, now: dt.datetime) -> None:
    """The system admin sends a failed delivery again, with a fresh count of attempts."""
    with transaction.atomic():
        updated = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now
        )
        if updated != 1:
            raise DomainError("只有发送失败的消息可以重新发送。", field="status")
        audit_record(
            AuditAction.CHANGE,
            actor=by,
            obj=delivery,
            now=now,
            changes={"before": {"status": "failed"}, "after": {"status": "pending"}},
        )
