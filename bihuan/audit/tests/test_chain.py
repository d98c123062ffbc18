"""The log is append-only and tamper-evident: `bihuan audit verify` names the first break."""

import contextvars
import datetime as dt
import io
import itertools
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from bihuan import cli
from bihuan.audit.chain import audit_prune, audit_verify
from bihuan.audit.models import AppendOnlyError, AuditAction, AuditEntry, AuditHead
from bihuan.audit.services import audit_record
from bihuan.conftest import at
from bihuan.errors import DomainError
from bihuan.org.models import User

from .conftest import tamper


def run(*args) -> str:
    out = io.StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def chain(world, make_problem, now, calendar):
    """A few days of work: a problem registered, its measure assigned and acknowledged."""
    measure = make_problem().measures.get()
    measure.assign(by=world.zhou, now=now, calendar=calendar)
    measure.acknowledge(by=world.li, now=now, calendar=calendar)
    return list(AuditEntry.objects.order_by("seq"))


def test_the_chain_verifies_and_ends_at_the_head(chain):
    verdict = audit_verify()

    head = AuditHead.objects.get()
    assert verdict.ok
    assert verdict.count == len(chain) == head.last_seq - head.pruned_seq
    assert verdict.head_hash == chain[-1].hash == head.last_hash
    assert verdict.algorithm == "sm3"
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(chain))


def test_verify_prints_the_count_and_the_head_hash(chain):
    printed = run("verify")

    assert f"共 {len(chain)} 条" in printed and chain[-1].hash in printed


def test_an_entry_edited_in_the_database_is_named_by_verify(chain):
    victim = chain[-2]
    tamper("UPDATE audit_auditentry SET object_repr = %s WHERE seq = %s", ["无", victim.seq])

    with pytest.raises(CommandError) as refused:
        run("verify")

    assert refused.value.returncode == 1
    assert f"第 {victim.seq} 条" in str(refused.value)
    assert "哈希不符" in str(refused.value)


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(chain):
    victim = chain[1]
    victim.changes = {"after": {"description": "改写后的内容"}}
    forged = victim.compute_hash()
    tamper(
        "UPDATE audit_auditentry SET changes = %s, hash = %s WHERE seq = %s",
        ['{"after": {"description": "改写后的内容"}}', forged, victim.seq],
    )

    verdict = audit_verify()

    assert (verdict.broken.seq, verdict.broken.reason.startswith("与前一条的链接断开")) == (
        chain[2].seq,
        True,
    )


def test_a_deleted_entry_is_a_gap(chain):
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [chain[1].seq])

    verdict = audit_verify()

    assert verdict.broken.seq == chain[2].seq
    assert f"缺少第 {chain[1].seq} 至 {chain[1].seq} 条" in verdict.broken.reason


def test_deleting_the_newest_entries_is_noticed_by_the_head(chain):
    tamper("DELETE FROM audit_auditentry WHERE seq >= %s", [chain[-2].seq])

    verdict = audit_verify()

    assert not verdict.ok
    assert "最新的记录被删除" in verdict.broken.reason


def test_the_orm_refuses_to_change_or_delete_an_entry(chain):
    entry = chain[0]
    original = entry.object_repr
    entry.object_repr = "改写"

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=entry.seq).update(object_repr="改写")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()

    assert AuditEntry.objects.get(seq=entry.seq).object_repr == original
    assert audit_verify().ok


def test_the_database_refuses_to_change_or_delete_an_entry(chain):
    for sql in (
        "UPDATE audit_auditentry SET object_repr = 'x' WHERE seq = %s",
        "DELETE FROM audit_auditentry WHERE seq = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [chain[0].seq])

    assert audit_verify().ok


def test_the_head_only_moves_forward(chain):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditHead.objects.filter(pk=AuditHead.ID).update(last_seq=0)

    assert AuditHead.objects.get().last_seq == chain[-1].seq


def test_prune_refuses_entries_younger_than_the_retention(chain, settings):
    now = timezone.now()
    too_recent = now - dt.timedelta(days=settings.BIHUAN_AUDIT_RETENTION_DAYS - 1)

    with pytest.raises(DomainError, match="至少保留 180 天"):
        audit_prune(before=too_recent, now=now)
    with pytest.raises(CommandError, match="至少保留 180 天"):
        run("prune", "--before", f"{timezone.localdate(too_recent):%Y-%m-%d}")

    assert AuditEntry.objects.count() == len(chain)


def test_prune_removes_only_the_oldest_run_and_the_rest_still_verifies(db):
    # An account made straight in the table, so the chain starts with the entries below.
    zhou = User.objects.create(username="zhou", name="周督查")

    def record(when):
        return audit_record(AuditAction.LOGIN, actor=zhou, obj=zhou, now=when)

    old = [record(at(2023, 1, day)) for day in (3, 4)]
    kept = [record(at(2024, 6, 1)), record(at(2023, 1, 5)), record(at(2024, 7, 1))]

    removed = audit_prune(before=at(2023, 2, 1), now=at(2024, 9, 23))

    assert removed >= len(old)
    remaining = list(AuditEntry.objects.order_by("seq"))
    # The entry of 2023-01-05 stays: it comes after one that must be kept.
    assert [e.seq for e in remaining[:3]] == [e.seq for e in kept]
    assert remaining[-1].action == AuditAction.PRUNE
    assert audit_verify().ok


def test_the_command_line_names_itself_and_its_os_user(world, monkeypatch, capsys):
    monkeypatch.setattr("getpass.getuser", lambda: "operator")
    # In process, without the connection cleanup of a real command-line run.
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line",
        lambda argv: call_command(*argv[1:]),
    )

    contextvars.copy_context().run(cli.main, ["audit", "verify"])

    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.actor) == (AuditAction.VERIFY, None)
    assert entry.actor_name == entry.user_agent == "命令行（operator）"
    assert "审计日志完整" in capsys.readouterr().out


def test_export_writes_a_csv_and_records_it(chain, tmp_path):
    out = tmp_path / "audit.csv"

    printed = run("export", "--out", str(out), "--since", "2024-01-01")

    text = out.read_text(encoding="utf-8-sig")
    assert f"已导出 {len(chain)} 条" in printed
    assert text.splitlines()[0].startswith("序号,时间,操作人")
    assert AuditEntry.objects.order_by("-seq").first().action == AuditAction.EXPORT


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's IMMEDIATE transactions let one writer in at a time; the race needs PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    writers, per_writer = 8, 15
    start = threading.Barrier(writers)
    errors = []

    def write(number):
        try:
            start.wait()
            for step in range(per_writer):
                with transaction.atomic():
                    audit_record(
                        AuditAction.EXPORT,
                        actor=None,
                        object_type="test",
                        changes={"writer": number, "step": step},
                    )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    head = AuditHead.objects.get()
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    written = list(AuditEntry.objects.filter(seq__gt=head.last_seq).order_by("seq"))
    assert errors == []
    assert [e.seq for e in written] == list(
        range(head.last_seq + 1, head.last_seq + 1 + writers * per_writer)
    )
    assert len({e.prev_hash for e in written}) == len(written)
    assert audit_verify().ok
