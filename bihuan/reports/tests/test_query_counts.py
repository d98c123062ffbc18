"""The dashboard runs the same queries for 12 measures as for 60, for any viewer, and a fixed
number of them: one for the ledger's figures, one for each further chart."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bihuan.supervision.models import Level, Source, SupervisionItem
from bihuan.supervision.services import ItemSpec, item_create

# The session, the user and their roles; the calendar; the user's unit, whether it sees every
# unit, the units below it; the ledger's figures (with the lights by unit); the overdue list;
# the bell; and five for 精文减会 (streamlining.figures.year_on_year: the units below, the
# targets, the subtree, the meetings, the documents).
DASHBOARD_QUERIES = 15
# The session, the user and their roles; the calendar; the user's unit and whether it sees
# every unit; the trend; the ageing; the problems by category and the categories' names; the
# escalated 督办事项; the latest published ranking (and its rows, once there is one).
CHARTS_QUERIES = 12
CHARTS = "/dashboard/charts/"


@pytest.fixture
def now():
    """The dashboard reads the real clock, so the ledger is built relative to it."""
    return timezone.localtime()  # local: .date() must be today in Shanghai, not in UTC


@pytest.fixture
def escalate(world, now, calendar):
    """`escalate(n)` adds n 督办事项 for 城关镇 and 河西乡 in turn, escalated red, yellow or blue."""
    units, levels = (world.chengguan, world.hexi), (Level.RED, Level.YELLOW, Level.BLUE)
    added = 0

    def add(count: int) -> None:
        nonlocal added
        for n in range(added, added + count):
            spec = ItemSpec(
                source=Source.INSTRUCTION,
                title=f"第{n}项督办事项",
                owner_unit=units[n % 2],
                deadline=now.date() + dt.timedelta(days=10),
            )
            item = item_create(spec=spec, by=world.zhou, now=now, calendar=calendar, assign=True)
            SupervisionItem.objects.filter(pk=item.pk).update(escalation_level=levels[n % 3])
        added += count

    return add


def queries(client, path: str) -> int:
    client.get(path)  # the session's first use is not the page's
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("path", ["/dashboard/", CHARTS])
@pytest.mark.parametrize("who", ["zhao", "qian", "li"])
def test_the_dashboard_runs_as_many_queries_for_60_measures_as_for_12(
    client, world, grow_ledger, escalate, who, path, django_assert_num_queries
):
    client.force_login(getattr(world, who))
    grow_ledger(12)
    escalate(1)
    few = queries(client, path)

    grow_ledger(48)
    escalate(6)

    with django_assert_num_queries(few):
        client.get(path)


@pytest.mark.parametrize("who", ["zhao", "li"])
def test_the_dashboard_draws_every_chart_in_a_fixed_number_of_queries(
    client, world, grow_ledger, escalate, who, django_assert_num_queries
):
    client.force_login(getattr(world, who))
    grow_ledger(24)
    escalate(3)
    client.get("/dashboard/")

    with django_assert_num_queries(DASHBOARD_QUERIES):
        page = client.get("/dashboard/")
    with django_assert_num_queries(CHARTS_QUERIES):
        more = client.get(CHARTS, headers={"HX-Request": "true"})

    assert list(page.context["charts"]) == ["states", "lights", "units"]
    assert [chart.key for chart in more.context["charts"]] == [
        "trend",
        "ageing",
        "categories",
        "levels",
    ]
