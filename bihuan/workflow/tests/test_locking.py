"""A double click cannot close twice: a transition locks its row, then compares its version.

The threaded tests need a database with row locks and concurrent connections (PostgreSQL);
SQLite serialises writers with IMMEDIATE transactions instead, and its in-memory test database
cannot be shared by threads.
"""

import importlib
import threading

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bihuan.audit.models import AuditAction, AuditEntry
from bihuan.errors import Conflict
from bihuan.ledger.models import Measure
from bihuan.workflow.states import Action, State

needs_row_locks = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite has no row locks; writers are serialised"
)


@pytest.fixture
def categories(transactional_db):
    """A flush after an earlier transactional test took the categories the migration made."""
    migration = importlib.import_module("bihuan.ledger.migrations.0003_default_categories")
    migration.add_default_categories(apps, None)


def closes(measure) -> int:
    return measure.events.filter(action=Action.CLOSE).count()


def test_a_transition_locks_the_row_before_it_compares_and_writes(submitted, world, now):
    with CaptureQueriesContext(connection) as queries:
        submitted.close(by=world.zhou, now=now)

    on_measures = [q["sql"] for q in queries if '"ledger_measure"' in q["sql"]]
    lock, update = on_measures[0], on_measures[1]
    assert lock.startswith("SELECT") and update.startswith("UPDATE")
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in lock


def test_a_copy_loaded_before_the_first_close_is_refused_and_writes_nothing(submitted, world, now):
    second_click = Measure.objects.get(pk=submitted.pk)
    submitted.close(by=world.zhou, now=now)

    with pytest.raises(Conflict, match="该记录已被他人修改"):
        second_click.close(by=world.zhou, now=now)

    assert closes(submitted) == 1
    assert Measure.objects.get(pk=submitted.pk).version == submitted.version


def _in_thread(target, results: dict, name: str) -> threading.Thread:
    def run():
        try:
            target()
            results[name] = "closed"
        except Conflict:
            results[name] = "conflict"
        except Exception as error:  # reported by the assertion below
            results[name] = repr(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


@needs_row_locks
def test_two_closes_at_the_same_moment_close_once(categories, submitted, world, now):
    start = threading.Barrier(2, timeout=10)
    results: dict[str, str] = {}

    def click():
        mine = Measure.objects.get(pk=submitted.pk)
        start.wait()
        mine.close(by=world.zhou, now=now)

    threads = [_in_thread(click, results, name) for name in ("first", "second")]
    for thread in threads:
        thread.join(timeout=20)

    assert sorted(results.values()) == ["closed", "conflict"]
    assert closes(submitted) == 1
    closed = Measure.objects.get(pk=submitted.pk)
    assert (closed.state, closed.version) == (State.CLOSED, submitted.version + 1)
    audited = AuditEntry.objects.filter(
        action=AuditAction.TRANSITION, object_id=str(submitted.pk), changes__step="close"
    )
    assert audited.count() == 1


@needs_row_locks
def test_a_second_close_waits_for_the_first_to_commit_and_then_writes_nothing(
    categories, submitted, world, now
):
    holding, release = threading.Event(), threading.Event()
    results: dict[str, str] = {}

    def first():
        with transaction.atomic():
            Measure.objects.get(pk=submitted.pk).close(by=world.zhou, now=now)
            holding.set()
            release.wait(timeout=10)

    def second():
        Measure.objects.get(pk=submitted.pk).close(by=world.zhao, now=now)

    first_thread = _in_thread(first, results, "first")
    assert holding.wait(timeout=10)
    second_thread = _in_thread(second, results, "second")
    second_thread.join(timeout=0.5)
    waiting = second_thread.is_alive()
    release.set()
    first_thread.join(timeout=10)
    second_thread.join(timeout=10)

    assert waiting, "the second close did not wait for the first one's lock"
    assert results == {"first": "closed", "second": "conflict"}
    assert closes(submitted) == 1
    assert Measure.objects.get(pk=submitted.pk).closed_at == now
