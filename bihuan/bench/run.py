"""Time the pages people use most, as a logged-in user through Django's test client.

For each page: the median and p95 latency over `repeat` requests after a warm-up, the number of
SQL queries one request runs, and the time those same queries take when re-executed straight on
the database driver's cursor, so the framework's share of a page is a visible ratio.
"""

import os
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bihuan.org.models import User

from .dataset import Cast

WARM_UP = 2
# p95 budgets in milliseconds at 100,000 measures; a page's median is also held to
# RATIO_BUDGET times the time of its own SQL.
BUDGET_MS = {"dashboard": 200.0}
DEFAULT_BUDGET_MS = 75.0
RATIO_BUDGET = 8.0


@dataclass(frozen=True)
class Page:
    name: str
    user: User
    path: str
    params: dict


def pages_of(cast: Cast) -> list[Page]:
    ledger = reverse("ledger:list")
    supervisor = cast.supervisor
    return [
        Page("ledger_list", supervisor, ledger, {}),
        Page("ledger_list_unit", supervisor, ledger, {"unit": cast.township.pk}),
        Page("ledger_list_state", supervisor, ledger, {"state": "in_progress"}),
        Page("ledger_list_light", supervisor, ledger, {"light": "red"}),
        Page("ledger_list_keyword", supervisor, ledger, {"keyword": cast.keyword}),
        Page("ledger_list_handler", cast.handler, ledger, {}),
        Page("inbox_handler", cast.handler, reverse("inbox"), {}),
        Page("inbox_supervisor", supervisor, reverse("inbox"), {}),
        Page(
            "problem_detail",
            supervisor,
            reverse("ledger:problem_detail", args=[cast.problem_id]),
            {},
        ),
        Page("dashboard", cast.leader, reverse("dashboard"), {}),
        Page("dashboard_charts", cast.leader, reverse("dashboard_charts"), {}),
        Page("api_measures", supervisor, "/api/measures", {}),
        Page("api_measures_handler", cast.handler, "/api/measures", {"state": "in_progress"}),
        Page("api_problems", supervisor, "/api/problems", {}),
    ]


FIGURES = ("p50_ms", "p95_ms", "queries", "raw_sql_ms")


def bench_pages(cast: Cast, *, repeat: int, progress: Callable[[str], None]) -> dict:
    """{page name: {"p50_ms", "p95_ms", "queries", "raw_sql_ms", "cpu_ms"}} for every page."""
    results = {}
    for page in pages_of(cast):
        results[page.name] = bench_page(page, repeat=repeat)
        progress(f"{page.name}: {results[page.name]}")
    return results


def bench_page(page: Page, *, repeat: int) -> dict:
    client = Client()
    client.force_login(page.user)

    def get() -> None:
        response = client.get(page.path, page.params)
        if response.status_code != 200:
            raise RuntimeError(f"{page.name}: {page.path} answered {response.status_code}")

    for _ in range(WARM_UP):
        get()
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        get()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    with CaptureQueriesContext(connection) as captured:
        get()
    statements = [query["sql"] for query in captured.captured_queries]
    raw = [run_raw(statements) for _ in range(max(repeat, 1))]
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "queries": len(statements),
        "raw_sql_ms": round(statistics.median(raw), 1),
        # This process's own CPU time: what the page costs when the machine is busy elsewhere.
        "cpu_ms": round(statistics.median(cpu), 1),
    }


def percentile(values: list[float], pct: int) -> float:
    if len(values) < 2:
        return max(values)
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


# PostgreSQL's server-side cursors (QuerySet.iterator()) are logged with their DECLARE.
DECLARE = re.compile(r"^DECLARE\s+\S+\s.*?\bCURSOR\b.*?\bFOR\s+", re.DOTALL)


def run_raw(statements: list[str]) -> float:
    """Milliseconds to run the statements on the driver's own cursor and fetch every row."""
    statements = [DECLARE.sub("", sql, count=1) for sql in statements]
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        started = time.perf_counter()
        for sql in statements:
            cursor.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()
        return (time.perf_counter() - started) * 1000
    finally:
        cursor.close()


def budget_of(name: str) -> float:
    return next((ms for prefix, ms in BUDGET_MS.items() if name.startswith(prefix)), None) or (
        DEFAULT_BUDGET_MS
    )


def verdict(name: str, figures: dict) -> str:
    """ "ok", or what the page misses."""
    misses = []
    if figures["p95_ms"] > budget_of(name):
        misses.append(f"p95>{budget_of(name):.0f}")
    if figures["raw_sql_ms"] and figures["p50_ms"] > RATIO_BUDGET * figures["raw_sql_ms"]:
        misses.append(f">{RATIO_BUDGET:.0f}×SQL")
    return ", ".join(misses) or "ok"


def table(results: dict, *, measures: int) -> str:
    """The figures of every database as a plain-text table."""
    lines = [f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", ""]
    header = (
        f"{'page':<22}{'p50 ms':>8}{'p95 ms':>8}{'queries':>9}{'SQL ms':>8}{'×SQL':>7}"
        f"{'CPU ms':>8}  budget"
    )
    for database, pages in results.items():
        lines += [f"{database} — {measures:,} measures", header]
        for name, figures in pages.items():
            ratio = figures["p50_ms"] / figures["raw_sql_ms"] if figures["raw_sql_ms"] else 0
            lines.append(
                f"{name:<22}{figures['p50_ms']:>8.1f}{figures['p95_ms']:>8.1f}"
                f"{figures['queries']:>9}{figures['raw_sql_ms']:>8.1f}{ratio:>7.1f}"
                f"{figures.get('cpu_ms', 0):>8.1f}  {verdict(name, figures)}"
            )
        lines.append("")
    return "\n".join(lines)
