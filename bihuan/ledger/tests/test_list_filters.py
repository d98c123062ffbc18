"""The ledger list's filters a dashboard drills down with: a unit without the units below it,
and the local days a measure was registered or closed on."""

import datetime as dt
import io

import pytest
from django.urls import reverse

from bihuan.conftest import at
from bihuan.ledger.exporting import ledger_export
from bihuan.ledger.selectors import LedgerFilters
from bihuan.ledger.services import MeasureSpec

D = dt.date


@pytest.fixture
def registered(world, make_problem, calendar):
    """城关镇's measure registered at 23:30 on 09-30 and closed at 00:30 on 10-08; 东关村's
    registered at 00:30 on 10-01, local time (eight hours ahead of UTC)."""

    def register(unit, when):
        spec = MeasureSpec(text=f"{unit.name}的措施", owner_unit=unit, deadline=D(2024, 10, 31))
        return make_problem(unit=unit, when=when, measures=[spec]).measures.get()

    town = register(world.chengguan, at(2024, 9, 30, 23, 30))
    town.assign(by=world.zhou, now=at(2024, 10, 1, 9), calendar=calendar)
    town.acknowledge(by=world.li, now=at(2024, 10, 1, 10), calendar=calendar)
    town.submit(by=world.li, now=at(2024, 10, 7, 17))
    town.close(by=world.zhou, now=at(2024, 10, 8, 0, 30))
    village = register(world.dongguan, at(2024, 10, 1, 0, 30))
    return town, village


def listed(client, user, **params) -> list:
    client.force_login(user)
    response = client.get(reverse("ledger:list"), params)
    assert response.status_code == 200
    return [measure.text for measure in response.context["page"]]


def test_a_unit_lists_its_subtree_and_only_itself_when_asked(client, world, registered):
    unit = world.chengguan.pk

    assert listed(client, world.zhou, unit=unit) == ["东关村的措施", "城关镇的措施"]
    assert listed(client, world.zhou, unit=unit, unit_only="on") == ["城关镇的措施"]


def test_registered_on_local_days(client, world, registered):
    september = {"created_from": "2024-09-01", "created_to": "2024-09-30"}
    october = {"created_from": "2024-10-01", "created_to": "2024-10-31"}

    assert listed(client, world.zhou, **september) == ["城关镇的措施"]
    assert listed(client, world.zhou, **october) == ["东关村的措施"]
    assert listed(client, world.zhou, created_from="2024-10-01") == ["东关村的措施"]
    assert listed(client, world.zhou, created_to="2024-09-30") == ["城关镇的措施"]


def test_closed_on_local_days(client, world, registered):
    assert listed(client, world.zhou, closed_from="2024-10-08", closed_to="2024-10-08") == [
        "城关镇的措施"
    ]
    assert listed(client, world.zhou, closed_to="2024-10-07") == []
    assert listed(client, world.zhou, closed_from="2024-10-09") == []


def test_a_reversed_range_is_refused_by_name(client, world, registered):
    client.force_login(world.zhou)
    response = client.get(
        reverse("ledger:list"), {"closed_from": "2024-10-31", "closed_to": "2024-10-01"}
    )

    assert "销号日期范围的起始日期晚于结束日期。" in response.text
    assert len(response.context["page"]) == 2


def test_the_folded_filters_open_when_one_is_in_use(client, world, registered):
    client.force_login(world.zhou)
    folded = client.get(reverse("ledger:list")).text
    opened = client.get(reverse("ledger:list"), {"closed_from": "2024-10-01"}).text

    assert '<details class="col-12 small" id="ledger-more-filters">' in folded
    assert '<details class="col-12 small" id="ledger-more-filters" open>' in opened


def test_the_export_applies_the_same_filters(world, registered):
    out = io.BytesIO()
    filters = LedgerFilters(unit=world.chengguan, unit_only=True, closed_from=D(2024, 10, 8))

    count = ledger_export(user=world.zhou, filters=filters, now=at(2024, 10, 8, 10), out=out)

    assert count == 1
