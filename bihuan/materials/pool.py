"""The 查重 comparison pool in this process: the containment index (bihuan.text.dupcheck) over the
fingerprints stored in PoolEntry. Nothing compares a material with every document.

The index lives in files under BIHUAN_DUPCHECK_INDEX_DIR, one directory per generation, mapped
into memory: a restarted process, or another worker, opens it at once instead of reading every
entry again, and the workers share its pages. Before each lookup the index learns the entries
the table gained since (those other processes added too); once they pass a tenth of it (at
least MERGE_AT), the process that notices writes the next generation and the others open it at
their next lookup. A generation names a few of its entries (anchors): where the table holds
none of them (another database: a restored backup, the tests'), the index is built again from
the stored fingerprints, never from the texts.
"""

import contextlib
import json
import shutil
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from bihuan.text.dupcheck import (
    SCHEME,
    ContainmentIndex,
    Keyed,
    fingerprints_from_bytes,
    fingerprints_of,
)

from .models import Material, PoolEntry, ReferenceText

try:
    import fcntl
except ImportError:  # Windows: two processes may then both write a generation
    fcntl = None

# Entries may commit out of id order; this many below the highest seen are looked at again.
SLACK = 100
# Entries learnt since the files were written before a new generation is written.
MERGE_AT = 1000
ANCHORS = 8


@dataclass
class _Loaded:
    index: ContainmentIndex
    high: int  # the highest entry id this process has seen
    generation: int  # of the files the index was opened from; 0: built in memory


_lock = threading.Lock()
_loaded: _Loaded | None = None


def _directory() -> Path:
    return Path(settings.BIHUAN_DUPCHECK_INDEX_DIR)


def _generations() -> list[int]:
    try:
        names = [p.name for p in _directory().iterdir() if p.is_dir()]
    except FileNotFoundError:
        return []
    return sorted(int(name) for name in names if name.isdigit())


def _meta(generation: int) -> dict | None:
    try:
        return json.loads((_directory() / f"{generation}" / "meta.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None


def _fits(meta: dict | None) -> bool:
    """Whether a generation belongs to this database and scheme."""
    if meta is None or meta.get("scheme") != SCHEME:
        return False
    anchors = meta.get("anchors", {})
    stored = dict(PoolEntry.objects.filter(pk__in=anchors.values()).values_list("pk", "key"))
    return bool(stored) and all(stored.get(pk) in (None, key) for key, pk in anchors.items())


def _rows(since: int = 0):
    return (
        PoolEntry.objects.filter(pk__gt=since, scheme=SCHEME)
        .order_by("pk")
        .values_list("pk", "key", "fingerprints")
    )


def _open() -> _Loaded:
    for generation in reversed(_generations()):
        meta = _meta(generation)
        if _fits(meta):
            index = ContainmentIndex.open(_directory() / f"{generation}")
            return _Loaded(index, meta["high"], generation)
    index = ContainmentIndex()
    high = 0
    for pk, key, data in _rows().iterator(chunk_size=2000):
        index.add(key, fingerprints_from_bytes(data))
        high = pk
    return _Loaded(index, high, 0)


def _save(loaded: _Loaded) -> None:
    """Write the index as the next generation, if no other process is writing one."""
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as lock:
        if fcntl is not None:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
        generation = max([loaded.generation, *_generations()]) + 1
        temporary = directory / f"writing-{uuid.uuid4().hex}"
        try:
            loaded.index.save(temporary)
            keys = loaded.index.keys()
            picked = {keys[i * (len(keys) - 1) // (ANCHORS - 1)] for i in range(ANCHORS) if keys}
            anchors = dict(PoolEntry.objects.filter(key__in=picked).values_list("key", "pk"))
            meta = {"scheme": SCHEME, "high": loaded.high, "anchors": anchors}
            (temporary / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
            temporary.rename(directory / f"{generation}")  # the generation appears whole
        finally:
            shutil.rmtree(temporary, ignore_errors=True)
        for old in _generations():
            if old < generation - 1:  # the one before may still be in use elsewhere
                shutil.rmtree(directory / f"{old}", ignore_errors=True)
    loaded.index = ContainmentIndex.open(directory / f"{generation}")
    loaded.generation = generation


def _synced() -> ContainmentIndex:
    """The index, with the entries the table gained since the last look."""
    global _loaded
    newest = max(_generations(), default=0)
    if _loaded is None or (newest > _loaded.generation and _fits(_meta(newest))):
        _loaded = _open()
    loaded = _loaded
    latest = PoolEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    # Looked at every time, not only when the highest id moved: SQLite hands the id of a
    # rolled-back row out again, so a new entry may have an id already seen.
    since = min(latest, loaded.high) - SLACK
    new = [key for key in _rows(since).values_list("key", flat=True) if key not in loaded.index]
    for _, key, data in _rows(since).filter(key__in=new):
        loaded.index.add(key, fingerprints_from_bytes(data))
    loaded.high = max(loaded.high, latest)
    if loaded.index.pending >= max(MERGE_AT, len(loaded.index) // 10):
        with contextlib.suppress(OSError):  # a read-only data directory: keep it in memory
            _save(loaded)
    return loaded.index


def pool_sources(fingerprints, *, exclude: str = "", limit: int) -> list[PoolEntry]:
    """The pool entries most likely to share passages with a text (its fingerprints), at most
    `limit`, with their material or library text; entries gone from the table leave the index."""
    with _lock:
        ranked = [key for key in _synced().candidates(fingerprints) if key != exclude]
    found: list[PoolEntry] = []
    for start in range(0, len(ranked), limit):
        keys = ranked[start : start + limit]
        rows = {
            row.key: row
            for row in PoolEntry.objects.filter(key__in=keys)
            .select_related("material", "reference")
            .defer("fingerprints")
        }
        _forget([key for key in keys if key not in rows])
        found += [rows[key] for key in keys if key in rows]
        if len(found) >= limit:
            break
    return found[:limit]


def pool_add(*, text: Keyed, material: Material | None = None, reference=None) -> PoolEntry:
    """Add a material or a library text to the pool (in the caller's transaction); the index
    of this process learns it when the transaction commits, other processes at their next
    lookup. A text too short to have fingerprints is stored but never found."""
    fingerprints = fingerprints_of(text)
    entry = PoolEntry.objects.create(
        key=uuid.uuid4().hex,
        material=material,
        reference=reference,
        scheme=SCHEME,
        size=len(fingerprints),
        fingerprints=fingerprints.astype("<u4").tobytes(),
    )
    transaction.on_commit(lambda: _learn(entry.key, fingerprints))
    return entry


def pool_remove(*, reference: ReferenceText) -> None:
    """Take a library text out of the pool (in the caller's transaction)."""
    keys = list(PoolEntry.objects.filter(reference=reference).values_list("key", flat=True))
    PoolEntry.objects.filter(reference=reference).delete()
    transaction.on_commit(lambda: _forget(keys))


def _learn(key: str, fingerprints) -> None:
    with _lock:
        if _loaded is not None:
            _loaded.index.add(key, fingerprints)


def _forget(keys: list[str]) -> None:
    with _lock:
        if _loaded is not None:
            for key in keys:
                _loaded.index.discard(key)
