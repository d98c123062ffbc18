"""The dashboard runs the same queries for 12 measures as for 60, for any viewer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone


@pytest.fixture
def now():
    """The dashboard reads the real clock, so the ledger is built relative to it."""
    return timezone.now()


def queries(client) -> int:
    client.get("/dashboard/")  # the session's first use is not the page's
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["zhao", "qian", "li"])
def test_the_dashboard_runs_as_many_queries_for_60_measures_as_for_12(
    client, world, grow_ledger, who, django_assert_num_queries
):
    client.force_login(getattr(world, who))
    grow_ledger(12)
    few = queries(client)

    grow_ledger(48)

    with django_assert_num_queries(few):
        client.get("/dashboard/")
