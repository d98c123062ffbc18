"""Checking the chain end to end, and pruning its oldest entries after the retention time."""

import datetime as dt
from dataclasses import dataclass

from cryptography.exceptions import UnsupportedAlgorithm
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from bihuan.errors import DomainError

from .hashing import ALGORITHMS
from .models import AuditAction, AuditEntry, AuditHead
from .services import audit_record

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold."""

    seq: int
    at: dt.datetime | None
    reason: str

    def __str__(self) -> str:
        when = f"（{timezone.localtime(self.at):%Y-%m-%d %H:%M:%S}）" if self.at else ""
        return f"第 {self.seq} 条{when}：{self.reason}"


@dataclass(frozen=True)
class Verdict:
    count: int
    head_hash: str
    algorithm: str
    broken: Break | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None

    def __str__(self) -> str:
        if self.broken is not None:
            return f"审计日志已被篡改或损坏，第一处问题在{self.broken}"
        head = f"{self.algorithm} {self.head_hash}" if self.head_hash else "（空）"
        return f"审计日志完整：共 {self.count} 条，链头哈希 {head}"


def _check(entry: AuditEntry, *, seq: int, prev_hash: str) -> str:
    if entry.seq > seq:
        return f"缺少第 {seq} 至 {entry.seq - 1} 条（序号不连续，记录被删除）"
    if entry.seq < seq:
        return f"序号重复或倒退（应为第 {seq} 条）"
    if entry.prev_hash != prev_hash:
        return "与前一条的链接断开（前一条哈希不符，记录被删除、插入或替换）"
    if entry.algorithm not in ALGORITHMS:
        return f"未知的哈希算法“{entry.algorithm}”"
    try:
        computed = entry.compute_hash()
    except UnsupportedAlgorithm:
        return f"本机不支持哈希算法 {entry.algorithm}，无法校验"
    if computed != entry.hash:
        return "哈希不符（记录内容被修改）"
    return ""


def audit_verify() -> Verdict:
    """Recompute every hash from the first kept entry to the head; name the first break."""
    head = AuditHead.objects.get(pk=AuditHead.ID)
    seq, prev_hash, count, algorithm = head.pruned_seq + 1, head.pruned_hash, 0, ""
    # Entries written after the head was read belong to the next verification.
    entries = AuditEntry.objects.filter(seq__lte=head.last_seq).order_by("seq")
    for entry in entries.iterator(chunk_size=CHUNK_SIZE):
        reason = _check(entry, seq=seq, prev_hash=prev_hash)
        if reason:
            return Verdict(count, prev_hash, algorithm, Break(entry.seq, entry.at, reason))
        seq, prev_hash, count, algorithm = seq + 1, entry.hash, count + 1, entry.algorithm
    if seq <= head.last_seq:
        reason = f"缺少第 {seq} 至 {head.last_seq} 条（最新的记录被删除）"
        return Verdict(count, prev_hash, algorithm, Break(seq, None, reason))
    if prev_hash != head.last_hash:
        return Verdict(count, prev_hash, algorithm, Break(seq - 1, None, "与链头记录的哈希不符"))
    return Verdict(count, prev_hash, algorithm or settings.BIHUAN_AUDIT_HASH)


def retention_cutoff(*, now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=settings.BIHUAN_AUDIT_RETENTION_DAYS)


def audit_prune(*, before: dt.datetime, now: dt.datetime) -> int:
    """Remove the oldest entries, those written before `before`, and record that it was done.

    Only a run of entries from the start of the chain goes, so the rest still verifies: the head
    keeps the hash the first remaining entry chains to. Entries younger than the retention time
    are never removed.
    """
    cutoff = retention_cutoff(now=now)
    if before > cutoff:
        raise DomainError(
            f"审计日志至少保留 {settings.BIHUAN_AUDIT_RETENTION_DAYS} 天："
            f"只能清理 {timezone.localtime(cutoff):%Y-%m-%d %H:%M} 以前的记录。",
            field="before",
        )
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().get(pk=AuditHead.ID)
        kept = AuditEntry.objects.filter(seq__gt=head.pruned_seq, at__gte=before)
        first_kept = kept.order_by("seq").values_list("seq", flat=True).first()
        through = head.last_seq if first_kept is None else first_kept - 1
        removed = through - head.pruned_seq
        if removed > 0:
            last = AuditEntry.objects.get(seq=through)
            _forget_through(through=through, last_hash=last.hash)
        audit_record(
            AuditAction.PRUNE,
            actor=None,
            object_type="audit.auditentry",
            changes={"before": before, "removed": removed, "through_seq": through},
            now=now,
        )
    return removed


def _forget_through(*, through: int, last_hash: str) -> None:
    """The head moves first: the database lets only entries up to its `pruned_seq` go."""
    AuditHead.objects.filter(pk=AuditHead.ID).update(pruned_seq=through, pruned_hash=last_hash)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq <= %s", [through])
