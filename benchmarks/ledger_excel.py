"""Excel import and export at scale: prints the figures the ledger issue budgets.

    python benchmarks/ledger_excel.py [--import-measures 10000] [--export-measures 100000]

Runs in a scratch data directory on SQLite (or on DATABASE_URL's database when it is set —
use a scratch one), so it never touches a real ledger. Budgets on a 2-core machine: import of
10,000 measures under 15 s, export of 100,000 under 30 s, export memory flat in the rows.
"""

import argparse
import datetime as dt
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(data_dir: str) -> None:
    os.environ["BIHUAN_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bihuan.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def make_world(townships: int = 20):
    from bihuan.ledger.models import Category
    from bihuan.org.models import Role, Unit, UnitKind
    from bihuan.org.services import user_create

    county = Unit.objects.add(name="青山县", kind=UnitKind.COUNTY)
    units = [
        Unit.objects.add(name=f"第{n}镇", kind=UnitKind.TOWNSHIP, parent=county)
        for n in range(1, townships + 1)
    ]
    supervisor = user_create(
        username="bench",
        name="压测督查",
        unit=county,
        roles=[Role.SUPERVISOR],
        password="Bench#2024x",
    )
    return county, units, supervisor, Category.objects.filter(is_active=True).first()


def workbook_of(measures: int, units) -> bytes:
    """A ledger in a layout people keep: title, 填报 line, merged problem cells, free-text dates."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("整改台账")
    sheet.append(["全县作风建设问题整改台账"])
    sheet.append(["填报单位：县委督查室", None, None, None, None, None, "填报时间：2024年9月1日"])
    sheet.append(
        [
            "序号",
            "问题类别",
            "问题描述",
            "整改措施",
            "责任领导",
            "责任单位",
            "责任人",
            "整改时限",
            "完成情况",
        ]
    )
    deadlines = ["2024年12月底前", "长期坚持", "2025.03", "2025年上半年", "2024年11月30日"]
    states = ["正在整改", "已完成", "", "持续整改"]
    for n in range(measures):
        problem = n // 3
        first = n % 3 == 0
        sheet.append(
            [
                problem + 1 if first else None,
                "工作作风" if first else None,
                f"第{problem + 1}个问题：窗口服务效率不高，群众反映办事多头跑" if first else None,
                f"第{n + 1}条措施：建立限时办结制度并每月通报",
                "张县长",
                units[problem % len(units)].name,
                "李承办",
                deadlines[n % len(deadlines)],
                states[n % len(states)],
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def bench_import(measures: int, units, supervisor, category) -> None:
    from django.utils import timezone

    from bihuan.ledger.import_files import parse_ledger_file
    from bihuan.ledger.importing import ImportOptions, import_commit, import_plan
    from bihuan.workflow.models import load_calendar

    data = workbook_of(measures, units)
    now, calendar = timezone.now(), load_calendar()
    options = ImportOptions(
        unit=units[0].parent, source="self", category=category, file_name="bench.xlsx"
    )
    started = time.perf_counter()
    ledger = parse_ledger_file(data, filename="bench.xlsx", today=timezone.localdate(now))
    parsed = time.perf_counter()
    plan = import_plan(ledger=ledger, by=supervisor, options=options, now=now, calendar=calendar)
    planned = time.perf_counter()
    result = import_commit(plan=plan, by=supervisor, options=options, now=now, calendar=calendar)
    done = time.perf_counter()
    print(
        f"import {measures:,} measures ({len(data) / 1e6:.1f} MB): read {parsed - started:.2f} s, "
        f"plan {planned - parsed:.2f} s, commit {done - planned:.2f} s, "
        f"total {done - started:.2f} s (budget 15 s); created {result['measures_new']:,}"
    )
    again = time.perf_counter()
    plan = import_plan(ledger=ledger, by=supervisor, options=options, now=now, calendar=calendar)
    print(
        f"re-import plan of the same file: {time.perf_counter() - again:.2f} s, "
        f"{plan.counts()['measures_unchanged']:,} unchanged"
    )


def add_measures(total: int, units, supervisor, category) -> None:
    """Top the ledger up to `total` measures, three to a problem, straight through the ORM."""
    from django.db import transaction
    from django.utils import timezone

    from bihuan.ledger.models import Measure, Problem
    from bihuan.workflow.states import State

    missing = total - Measure.objects.count()
    now = timezone.now()
    while missing > 0:
        batch = min(missing, 9000)
        with transaction.atomic():
            problems = Problem.objects.bulk_create(
                Problem(
                    source="self",
                    category=category,
                    description=f"批量问题{n}：会议多文件多，基层负担重",
                    unit=units[n % len(units)],
                    created_at=now,
                    created_by=supervisor,
                )
                for n in range((batch + 2) // 3)
            )
            Measure.objects.bulk_create(
                Measure(
                    problem=problems[n // 3],
                    seq=n % 3 + 1,
                    text=f"批量措施{n}：压减会议数量，合并同类会议",
                    owner_unit=problems[n // 3].unit,
                    state=State.IN_PROGRESS,
                    deadline=dt.date(2025, 6, 30),
                    assigned_at=now,
                    created_at=now,
                    created_by=supervisor,
                )
                for n in range(batch)
            )
        missing -= batch


def _rss_kb() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def _in_child(work) -> str:
    """Run `work` in a forked process, so its peak memory is its own and nothing else's."""
    from django.db import connections

    connections.close_all()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        start = _rss_kb()
        line = work()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        os.write(write, f"{line}, memory growth {(peak - start) / 1024:.1f} MB".encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        line = pipe.read()
    os.waitpid(pid, 0)
    return line


def bench_export(measures: int, units, supervisor, category) -> None:
    from django.utils import timezone

    from bihuan.ledger.exporting import ledger_export
    from bihuan.ledger.selectors import LedgerFilters

    add_measures(measures, units, supervisor, category)

    def export() -> str:
        with tempfile.TemporaryDirectory() as scratch:
            started = time.perf_counter()
            rows = ledger_export(
                user=None, filters=LedgerFilters(), now=timezone.now(), out=f"{scratch}/out.xlsx"
            )
            elapsed = time.perf_counter() - started
            size = Path(f"{scratch}/out.xlsx").stat().st_size
        return f"export {rows:,} measures: {elapsed:.2f} s (budget 30 s), file {size / 1e6:.1f} MB"

    print(_in_child(export))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--import-measures", type=int, default=10_000)
    parser.add_argument("--export-measures", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        setup_django(data_dir)
        _, units, supervisor, category = make_world()
        bench_import(args.import_measures, units, supervisor, category)
        # Memory must not grow with the rows: compare a small export with the big one.
        bench_export(max(args.export_measures // 10, 1), units, supervisor, category)
        bench_export(args.export_measures, units, supervisor, category)


if __name__ == "__main__":
    main()
