"""The API's lists run the same queries for 12 measures as for 60, and for 2 rows a page as
for 200."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries(caller, path: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = caller.get(path, **params)
    assert response.status_code == 200
    return len(captured.captured_queries)


LISTS = [
    ("/api/measures", {}),
    # Page 2 holds rows at 12 measures as at 60 (an empty page skips reading rows).
    ("/api/measures", {"state": "in_progress", "sort": "urgency", "page": 2, "page_size": 1}),
    ("/api/problems", {"keyword": "问题"}),
]


@pytest.mark.parametrize(("path", "params"), LISTS)
@pytest.mark.parametrize("who", ["zhou", "li"])
def test_a_list_runs_as_many_queries_for_60_measures_as_for_12(
    api, world, grow_ledger, who, path, params, django_assert_num_queries
):
    caller = api(getattr(world, who))
    grow_ledger(12)
    few = queries(caller, path, **params)

    grow_ledger(48)

    with django_assert_num_queries(few):
        caller.get(path, **params)


@pytest.mark.parametrize("path", ["/api/measures", "/api/problems"])
def test_a_list_runs_as_many_queries_for_200_rows_a_page_as_for_2(
    api, world, grow_ledger, path, django_assert_num_queries
):
    caller = api(world.zhou)
    grow_ledger(60)
    few = queries(caller, path, page_size=2)

    with django_assert_num_queries(few):
        response = caller.get(path, page_size=200)
    assert len(response.json()["results"]) == response.json()["count"] > 2
