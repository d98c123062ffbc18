"""Entries written where the change happens, in its transaction."""

import datetime as dt
import io

import pytest
from django.db import transaction

from bihuan.audit.models import AuditAction, AuditEntry
from bihuan.errors import DomainError, NotAllowed
from bihuan.ledger import services
from bihuan.ledger.exporting import ledger_export
from bihuan.ledger.import_files import batch_commit, import_upload
from bihuan.ledger.models import Measure, Problem
from bihuan.ledger.selectors import LedgerFilters
from bihuan.ledger.tests.workbooks import ledger_xlsx
from bihuan.workflow.states import State

from .conftest import latest


def test_a_transition_writes_who_what_and_the_state_before_and_after(measure, world, now, calendar):
    before = AuditEntry.objects.count()

    measure.assign(by=world.zhou, now=now, calendar=calendar)

    entry = latest()
    assert AuditEntry.objects.count() == before + 1
    assert entry.action == AuditAction.TRANSITION
    assert (entry.actor, entry.actor_name) == (world.zhou, "周督查（zhou）")
    assert (entry.object_type, entry.object_id) == ("ledger.measure", str(measure.pk))
    assert entry.at == now
    assert entry.changes["step"] == "assign"
    assert entry.changes["before"]["state"] == State.DRAFT
    assert entry.changes["after"]["state"] == State.PENDING
    assert entry.changes["after"]["original_deadline"] == measure.deadline.isoformat()
    assert entry.step_label == "交办"


def test_a_refused_transition_writes_no_entry(measure, world, now, calendar):
    before = AuditEntry.objects.count()

    with pytest.raises(NotAllowed):
        measure.assign(by=world.li, now=now, calendar=calendar)
    with pytest.raises(DomainError):
        measure.submit(by=world.li, now=now)

    assert AuditEntry.objects.count() == before
    assert Measure.objects.get().state == State.DRAFT


def test_an_entry_that_cannot_be_written_undoes_the_transition(
    measure, world, now, calendar, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr("bihuan.workflow.models.audit_record", broken)

    with pytest.raises(RuntimeError):
        measure.assign(by=world.zhou, now=now, calendar=calendar)

    assert Measure.objects.get().state == State.DRAFT
    assert not Measure.objects.get().events.filter(action="assign").exists()


def test_a_rolled_back_transition_leaves_no_entry(measure, world, now, calendar):
    before = AuditEntry.objects.count()

    with pytest.raises(ZeroDivisionError), transaction.atomic():
        measure.assign(by=world.zhou, now=now, calendar=calendar)
        1 / 0  # noqa: B018

    assert AuditEntry.objects.count() == before


def test_progress_extension_and_edit_are_changes_with_their_step(in_progress, world, now):
    services.progress_post(measure=in_progress, by=world.li, now=now, text="已公示")
    services.extension_request(
        measure=in_progress,
        by=world.li,
        now=now,
        new_deadline=in_progress.deadline + dt.timedelta(days=10),
        reason="材料待上级批复",
    )

    steps = list(
        AuditEntry.objects.filter(action=AuditAction.CHANGE)
        .order_by("seq")
        .values_list("changes__step", flat=True)
    )
    assert steps == ["progress", "extension_request"]
    assert latest().changes["comment"].startswith("申请延至")


def test_an_edit_records_the_fields_it_changed(measure, world, now):
    spec = services.MeasureSpec(
        text="建立首问负责制并上墙公示", owner_unit=world.dongguan, deadline=measure.deadline
    )

    services.measure_edit(measure=measure, spec=spec, by=world.zhou, now=now)

    entry = latest()
    assert entry.changes["before"] == {
        "text": "建立首问负责制并公示",
        "owner_unit": world.chengguan.pk,
    }
    assert entry.changes["after"] == {
        "text": "建立首问负责制并上墙公示",
        "owner_unit": world.dongguan.pk,
    }


def test_registering_a_problem_records_it_with_its_causes_and_measures(make_problem, world):
    problem = make_problem()

    entry = latest(action=AuditAction.CREATE)
    assert (entry.object_type, entry.object_id) == ("ledger.problem", str(problem.pk))
    assert entry.changes["after"]["description"] == "为民服务窗口推诿扯皮"
    assert entry.changes["after"]["causes"] == ["宗旨意识淡薄"]
    assert [m["id"] for m in entry.changes["after"]["measures"]] == [problem.measures.get().pk]


def test_adding_a_measure_records_it(measure, world, now):
    spec = services.MeasureSpec(
        text="每月通报窗口办件情况", owner_unit=world.chengguan, deadline=measure.deadline
    )

    added = services.measure_add(problem=measure.problem, spec=spec, by=world.zhou, now=now)

    entry = latest()
    assert (entry.action, entry.object_id) == (AuditAction.CREATE, str(added.pk))
    assert entry.changes["after"]["problem"] == measure.problem_id


def test_an_import_is_one_upload_and_one_import_entry_listing_what_it_created(world, now, calendar):
    batch = import_upload(
        data=ledger_xlsx(),
        filename="城关镇整改台账.xlsx",
        by=world.zhou,
        now=now,
        unit=world.chengguan,
        source="self",
        category=world.category,
    )
    uploaded = latest()

    batch_commit(batch=batch, by=world.zhou, now=now, calendar=calendar)

    imported = latest(action=AuditAction.IMPORT)
    assert (uploaded.action, uploaded.object_id) == (AuditAction.UPLOAD, str(batch.pk))
    assert uploaded.changes["sha256"] == batch.sha256
    assert (imported.object_type, imported.object_id) == ("ledger.importbatch", str(batch.pk))
    assert imported.changes["measures_new"] == 3
    assert sorted(imported.changes["measures_created"]) == sorted(
        Measure.objects.values_list("pk", flat=True)
    )
    assert sorted(imported.changes["problems_created"]) == sorted(
        Problem.objects.values_list("pk", flat=True)
    )


def test_an_export_records_its_filters_and_row_count(make_problem, world, now):
    make_problem()

    rows = ledger_export(
        user=world.zhou, filters=LedgerFilters(unit=world.chengguan), now=now, out=io.BytesIO()
    )

    entry = latest()
    assert entry.action == AuditAction.EXPORT
    assert entry.actor == world.zhou
    assert entry.changes["rows"] == rows == 1
    assert entry.changes["filters"]["unit"] == world.chengguan.pk


def test_an_export_refused_over_the_limit_records_nothing(make_problem, world, now):
    make_problem()
    before = AuditEntry.objects.count()

    with pytest.raises(DomainError):
        ledger_export(
            user=world.zhou, filters=LedgerFilters(), now=now, out=io.BytesIO(), max_rows=0
        )

    assert AuditEntry.objects.count() == before
