"""Pages pick their rows by key; a keyword search pages without counting."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bihuan.ledger.models import Measure
from bihuan.ledger.paging import KeyedRows


@pytest.fixture
def now():
    """Views read the real clock, so the ledger is built relative to it."""
    return timezone.localtime()  # local: .date() must be today in Shanghai, not in UTC


@pytest.mark.parametrize("order", [("-problem_id", "seq", "pk"), ("deadline", "pk")])
def test_keyed_rows_are_the_rows_of_the_plain_slice(world, grow_ledger, order):
    grow_ledger(24)
    measures = Measure.objects.select_related("owner_unit").order_by(*order)

    assert KeyedRows(measures)[5:15] == list(measures[5:15])
    assert KeyedRows(measures).count() == 24


def test_a_keyword_search_says_whether_another_page_follows_without_a_total(
    client, world, grow_ledger, settings
):
    settings.BIHUAN_PAGE_SIZE = 10
    grow_ledger(24)
    client.force_login(world.zhou)

    first = client.get(reverse("ledger:list"), {"keyword": "措施"}).text
    last = client.get(reverse("ledger:list"), {"keyword": "措施", "page": 3}).text

    assert "第 1 页" in first and "下一页" in first and "上一页" not in first
    assert "第 3 页" in last and "上一页" in last and "下一页" not in last
    assert " 条</" not in first + last and "页，共" not in first + last
    assert last.count("条措施") == 4


def test_without_a_keyword_the_ledger_shows_its_total(client, world, grow_ledger, settings):
    settings.BIHUAN_PAGE_SIZE = 10
    grow_ledger(24)
    client.force_login(world.zhou)

    page = client.get(reverse("ledger:list")).text

    assert "第 1 / 3 页，共 24 条" in page
