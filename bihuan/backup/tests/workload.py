"""A Bihuan at work, in a process of its own, on the data directory and database its environment
names (BIHUAN_DATA_DIR, DATABASE_URL):

    python -m bihuan.backup.tests.workload setup          migrate, load a small demo county
    python -m bihuan.backup.tests.workload write [STEPS]  work until killed (or STEPS more steps)
    python -m bihuan.backup.tests.workload report         print the state of the database (JSON)

Each step of `write` is one transaction: a transition or a progress update with an evidence file,
then an audit entry holding the step's number and the checksum of every table as the step leaves
them. A copy of the database taken at any instant therefore says which step it holds and what
every table looked like then; `report` prints both, for the copy to be checked against.
"""

import hashlib
import os
import sys
import time


def table_checksums(connection) -> dict[str, list]:
    """Rows and a SHA-256 of the rows of every table but the audit log's (which each step
    writes after taking the checksums)."""
    sums = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith("audit_"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(repr(row) for row in cursor.fetchall())
            sums[table] = [len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()]
    return sums


def setup() -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from bihuan.demo import load_demo

    call_command("migrate", interactive=False, verbosity=0)
    load_demo(now=timezone.now(), password="Bihuan#2024", problems=20)


def write(steps: int | None) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction
    from django.utils import timezone

    from bihuan.audit.models import AuditAction, AuditEntry
    from bihuan.audit.services import audit_record
    from bihuan.ledger.models import Measure
    from bihuan.ledger.services import progress_post
    from bihuan.org.models import User
    from bihuan.workflow.models import load_calendar
    from bihuan.workflow.states import State

    clerk = User.objects.get(username="chengguan")
    supervisor = User.objects.get(username="ducha")
    calendar = load_calendar()
    ids = [
        measure.pk
        for measure in Measure.objects.filter(owner_unit=clerk.unit).order_by("pk")
        if measure.is_visible_to(clerk)
    ]
    last = AuditEntry.objects.filter(object_type="workload").order_by("-seq").first()
    first = step = last.changes["step"] if last else 0
    turn = 0
    while steps is None or step < first + steps:
        turn += 1
        now = timezone.now()
        with transaction.atomic():
            measure = Measure.objects.get(pk=ids[turn % len(ids)])
            if measure.state == State.PENDING:
                measure.acknowledge(by=clerk, now=now, calendar=calendar)
            elif measure.state == State.SUBMITTED:
                measure.return_to_owner(by=supervisor, now=now, comment="佐证不足，请补充")
            elif measure.state == State.IN_PROGRESS and turn % 3 == 0:
                measure.submit(by=clerk, now=now)
            elif measure.state == State.IN_PROGRESS:
                content = b"%PDF-1.4\n" + os.urandom(2048)
                evidence = SimpleUploadedFile("现场照片.pdf", content, "application/pdf")
                progress_post(
                    measure=measure, by=clerk, now=now, text=f"第{turn}轮进展", files=[evidence]
                )
            else:
                continue
            step += 1
            audit_record(
                AuditAction.CHANGE,
                actor=None,
                object_type="workload",
                object_id=step,
                now=now,
                changes={"step": step, "tables": table_checksums(connection)},
            )
        print(step, flush=True)  # noqa: T201
        # A pause between steps, as between real users' requests: back-to-back write
        # transactions would starve the backup's own audit write on SQLite's busy handler.
        time.sleep(0.15)


def report() -> dict:
    from django.apps import apps
    from django.db import connection, models

    from bihuan.audit.models import AuditEntry

    last = AuditEntry.objects.filter(object_type="workload").order_by("-seq").first()
    files = sorted(
        name
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
        for name in model._default_manager.values_list(field.name, flat=True)
    )
    return {
        "tables": table_checksums(connection),
        "step": last.changes["step"] if last else 0,
        "step_tables": last.changes["tables"] if last else None,
        "audit": list(AuditEntry.objects.order_by("seq").values_list("seq", "action", "hash")),
        "files": files,
    }


def main(argv: list[str]) -> None:
    import json

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bihuan.settings")
    django.setup()
    command = argv[0]
    if command == "setup":
        setup()
    elif command == "write":
        write(int(argv[1]) if len(argv) > 1 else None)
    elif command == "report":
        print(json.dumps(report(), ensure_ascii=False))  # noqa: T201
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
