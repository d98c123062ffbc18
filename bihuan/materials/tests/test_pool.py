"""The pool's index in files: written as it grows, opened by a restarted process."""

import numpy as np
import pytest

from bihuan.materials import pool
from bihuan.materials.library import reference_add, reference_remove
from bihuan.materials.models import PoolEntry
from bihuan.text.dupcheck import fingerprints_of, keyed
from bihuan.text.normalise import normalise
from bihuan.text.tests.dupcheck_texts import INDEPENDENT, ORIGINAL, P3, P5, UNRELATED


def lookup(text: str) -> list:
    found = pool.pool_sources(fingerprints_of(keyed(normalise(text).text)), limit=20)
    return [entry.reference.title[:6] for entry in found]


@pytest.fixture
def restarted():
    def restart():
        pool._loaded = None  # what a freshly started process has

    restart()
    return restart


@pytest.fixture
def small_merges(monkeypatch):
    monkeypatch.setattr(pool, "MERGE_AT", 2)


def add(text: str, now):
    return reference_add(text=text, name="范文", now=now)[0]


def test_the_index_is_written_once_it_grows_and_a_restarted_process_opens_the_files(
    db, now, settings, restarted, small_merges
):
    add(ORIGINAL, now)
    add(UNRELATED, now)
    lookup(P3)

    restarted()
    found = lookup(P3)

    assert found == ["在作风建设专"]
    assert sorted(p.name for p in settings.BIHUAN_DUPCHECK_INDEX_DIR.iterdir()) == [".lock", "1"]
    assert pool._loaded.generation == 1
    assert isinstance(pool._loaded.index._hashes, np.memmap)


def test_entries_added_and_removed_after_the_files_were_written_are_followed(
    db, now, restarted, small_merges
):
    original = add(ORIGINAL, now)
    add(UNRELATED, now)
    lookup(P3)
    restarted()
    lookup(P3)

    add(INDEPENDENT, now)
    reference_remove(reference=original, now=now)

    assert lookup(f"{P3}\n{INDEPENDENT}") == ["关于改进社区"]
    assert pool._loaded.index.pending == 1


def test_files_written_for_another_database_are_not_used(db, now, restarted, small_merges):
    add(ORIGINAL, now)
    add(UNRELATED, now)
    lookup(P5)
    PoolEntry.objects.all().delete()  # as after restoring another backup
    add(INDEPENDENT, now)

    restarted()
    found = lookup(f"{P5}\n{INDEPENDENT}")

    assert found == ["关于改进社区"]
    assert pool._loaded.generation == 0  # built from the table, not opened
