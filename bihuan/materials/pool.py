"""The 查重 comparison pool in this process: a containment index over the signatures stored in
PoolEntry, built on first use, then brought up to date from the table before each lookup
(entries that other processes added since). Nothing compares a material with every document.
"""

import threading
import uuid
from dataclasses import dataclass

from django.db import transaction

from bihuan.text.dupcheck import SCHEME, ContainmentIndex, Keyed, Query, Signature, signature_of

from .models import Material, PoolEntry, ReferenceText

# Entries may commit out of id order; this many below the highest seen are looked at again.
SLACK = 100


@dataclass
class _Loaded:
    index: ContainmentIndex
    high: int  # the highest entry id this process has seen


_lock = threading.Lock()
_loaded: _Loaded | None = None


def _signature(row) -> Signature:
    return Signature(bytes(row.signature), row.size)


def _synced() -> ContainmentIndex:
    """The index, with the entries the table gained since the last look."""
    global _loaded
    latest = PoolEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if _loaded is None:
        rows = PoolEntry.objects.filter(scheme=SCHEME).only("key", "size", "signature")
        _loaded = _Loaded(ContainmentIndex((r.key, _signature(r)) for r in rows.iterator()), latest)
        return _loaded.index
    # Looked at every time, not only when the highest id moved: SQLite hands the id of a
    # rolled-back row out again, so a new entry may have an id already seen.
    index, since = _loaded.index, min(latest, _loaded.high) - SLACK
    recent = PoolEntry.objects.filter(pk__gt=since, scheme=SCHEME)
    new = [key for key in recent.values_list("key", flat=True) if key not in index]
    for row in PoolEntry.objects.filter(key__in=new).only("key", "size", "signature"):
        index.add(row.key, _signature(row))
    _loaded.high = latest
    return index


def pool_sources(query: Query, *, exclude: str = "", limit: int) -> list[PoolEntry]:
    """The pool entries most likely to share passages with the queried text, at most `limit`,
    with their material or library text; entries gone from the table leave the index."""
    with _lock:
        ranked = [key for key in _synced().candidates(query) if key != exclude]
    found: list[PoolEntry] = []
    for start in range(0, len(ranked), limit):
        keys = ranked[start : start + limit]
        rows = {
            row.key: row
            for row in PoolEntry.objects.filter(key__in=keys).select_related(
                "material", "reference"
            )
        }
        _forget([key for key in keys if key not in rows])
        found += [rows[key] for key in keys if key in rows]
        if len(found) >= limit:
            break
    return found[:limit]


def pool_add(*, text: Keyed, material: Material | None = None, reference=None) -> PoolEntry:
    """Add a material or a library text to the pool (in the caller's transaction); the index
    of this process learns it when the transaction commits, other processes at their next
    lookup. A text too short to have a signature is stored but never found."""
    signature = signature_of(text)
    entry = PoolEntry.objects.create(
        key=uuid.uuid4().hex,
        material=material,
        reference=reference,
        scheme=SCHEME,
        size=signature.size,
        signature=signature.data,
    )
    transaction.on_commit(lambda: _learn(entry.key, signature))
    return entry


def pool_remove(*, reference: ReferenceText) -> None:
    """Take a library text out of the pool (in the caller's transaction)."""
    keys = list(PoolEntry.objects.filter(reference=reference).values_list("key", flat=True))
    PoolEntry.objects.filter(reference=reference).delete()
    transaction.on_commit(lambda: _forget(keys))


def _learn(key: str, signature: Signature) -> None:
    with _lock:
        if _loaded is not None:
            _loaded.index.add(key, signature)


def _forget(keys: list[str]) -> None:
    with _lock:
        if _loaded is not None:
            for key in keys:
                _loaded.index.discard(key)
