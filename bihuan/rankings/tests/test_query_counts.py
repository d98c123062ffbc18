"""The ranking pages run a fixed number of queries however many units and items they count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bihuan.org.models import Unit, UnitKind

from .conftest import SEPTEMBER


@pytest.fixture
def frozen_time(monkeypatch, october_8):
    monkeypatch.setattr("django.utils.timezone.now", lambda: october_8)
    return october_8


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("rankings:index", {"period": SEPTEMBER, "kind": UnitKind.TOWNSHIP}),
        ("rankings:report", {"period": SEPTEMBER}),
    ],
)
def test_a_page_runs_as_many_queries_for_more_units_and_items(
    client, world, september, make_problem, frozen_time, grow_ledger, page, params
):
    client.force_login(world.zhou)
    params = params | (
        {"parent": world.county.pk} if page == "rankings:index" else {"unit": world.county.pk}
    )
    before = _queries(client, reverse(page), params)

    Unit.objects.add(name="东山镇", kind=UnitKind.TOWNSHIP, parent=world.county)
    grow_ledger(12)
    after = _queries(client, reverse(page), params)

    assert after == before
