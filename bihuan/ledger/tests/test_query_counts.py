"""The ledger, the inbox and the problem page run the same queries for 12 measures as for 60."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bihuan.ledger.services import MeasureSpec, problem_assign, progress_post


@pytest.fixture
def now():
    """Views read the real clock, so the ledger is built relative to it."""
    return timezone.localtime()  # local: .date() must be today in Shanghai, not in UTC


def queries(client, url: str, **params) -> int:
    client.get(url, params)  # the session's first use is not the page's
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


LEDGER_FILTERS = [
    {},
    {"state": "in_progress"},
    {"light": "green"},
    {"keyword": "措施"},
    {"sort": "urgency"},
    {"sort": "deadline", "page": "2"},
]


@pytest.mark.parametrize("params", LEDGER_FILTERS)
@pytest.mark.parametrize("who", ["zhou", "li"])
def test_the_ledger_runs_as_many_queries_for_60_measures_as_for_12(
    client, world, grow_ledger, who, params, django_assert_num_queries
):
    client.force_login(getattr(world, who))
    grow_ledger(12)
    few = queries(client, reverse("ledger:list"), **params)

    grow_ledger(48)

    with django_assert_num_queries(few):
        client.get(reverse("ledger:list"), params)


def test_a_unit_filter_costs_the_same_however_many_measures(
    client, world, grow_ledger, django_assert_num_queries
):
    client.force_login(world.zhou)
    grow_ledger(12)
    few = queries(client, reverse("ledger:list"), unit=world.chengguan.pk)

    grow_ledger(48)

    with django_assert_num_queries(few):
        client.get(reverse("ledger:list"), {"unit": world.chengguan.pk})


@pytest.mark.parametrize("who", ["zhou", "li", "chen"])
def test_the_inbox_runs_as_many_queries_for_60_measures_as_for_12(
    client, world, grow_ledger, who, django_assert_num_queries
):
    client.force_login(getattr(world, who))
    grow_ledger(12)
    few = queries(client, reverse("inbox"))

    grow_ledger(48)

    with django_assert_num_queries(few):
        client.get(reverse("inbox"))


def test_the_problem_page_runs_as_many_queries_for_10_measures_as_for_1(
    client, world, make_problem, now, calendar, django_assert_num_queries
):
    def problem_with(count: int):
        specs = [
            MeasureSpec(
                text=f"措施{n}", owner_unit=world.chengguan, deadline=now.date() + dt.timedelta(9)
            )
            for n in range(count)
        ]
        problem = make_problem(measures=specs)
        problem_assign(problem=problem, by=world.zhou, now=now, calendar=calendar)
        for measure in problem.measures.all():
            measure.acknowledge(by=world.li, now=now, calendar=calendar)
            progress_post(measure=measure, by=world.li, now=now, text="已部署")
        return problem

    client.force_login(world.zhou)
    small, large = problem_with(1), problem_with(10)
    few = queries(client, reverse("ledger:problem_detail", args=[small.pk]))

    with django_assert_num_queries(few):
        client.get(reverse("ledger:problem_detail", args=[large.pk]))
