"""`bihuan bench` prints one object per database and page with the four figures."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

FIGURES = {"p50_ms", "p95_ms", "queries", "raw_sql_ms"}
PAGES = {
    "ledger_list",
    "ledger_list_unit",
    "ledger_list_state",
    "ledger_list_light",
    "ledger_list_keyword",
    "inbox_handler",
    "inbox_supervisor",
    "problem_detail",
    "dashboard",
    "dashboard_charts",
    "api_measures",
    "api_problems",
}


def test_bench_prints_the_figures_of_every_page_as_json():
    out = io.StringIO()

    call_command(
        "bench", measures=300, repeat=2, format="json", only="sqlite", verbosity=0, stdout=out
    )

    figures = json.loads(out.getvalue())
    assert list(figures) == ["sqlite"]
    assert set(figures["sqlite"]) >= PAGES
    for page in figures["sqlite"].values():
        assert set(page) == FIGURES
        assert isinstance(page["queries"], int) and page["queries"] > 0
        assert 0 < page["p50_ms"] <= page["p95_ms"]
        assert page["raw_sql_ms"] > 0


def test_bench_refuses_a_database_that_is_not_postgresql():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench", database="mysql://root@localhost/bihuan", verbosity=0)
