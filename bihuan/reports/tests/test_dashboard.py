import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bihuan.conftest import at
from bihuan.ledger.services import MeasureSpec, problem_assign
from bihuan.workflow.metrics import Timeliness
from bihuan.workflow.tests import sample_ledger

D = dt.date


@pytest.fixture
def ledger(world, make_problem, calendar):
    return sample_ledger.build(world=world, make_problem=make_problem, calendar=calendar)


@pytest.fixture
def clock(monkeypatch):
    """Sets the moment the dashboard reads as now."""

    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture
def on_oct_8(clock):
    clock(at(2024, 10, 8, 10))


def dashboard(client, user):
    client.force_login(user)
    return client.get("/dashboard/")


def timeliness_table(response) -> str:
    html = response.content.decode()
    return re.search(r'<table[^>]*id="timeliness".*?</table>', html, re.S).group(0)


def overdue_batch(make_problem, world, calendar, *, unit, count):
    """`count` measures assigned on 2024-09-23, due one a day from then on."""
    specs = [
        MeasureSpec(text=f"逾期措施{i}", owner_unit=unit, deadline=D(2024, 9, 23) + dt.timedelta(i))
        for i in range(count)
    ]
    problem = make_problem(unit=unit, when=sample_ledger.MONDAY, measures=specs)
    problem_assign(problem=problem, by=world.zhou, now=sample_ledger.MONDAY, calendar=calendar)
    return problem


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/dashboard/"


def test_the_county_supervisor_sees_counts_by_state_and_light(client, world, ledger, on_oct_8):
    response = dashboard(client, world.zhou)

    counts = response.context["counts"]
    assert counts.by_state == sample_ledger.BY_STATE_ON_OCT_8
    assert counts.by_light == sample_ledger.BY_LIGHT_ON_OCT_8
    html = response.content.decode()
    assert '<div class="fs-3 fw-bold" data-figure="open">5</div>' in html
    assert 'data-figure="light-red">1</div>' in html
    assert 'data-figure="state-closed">2</div>' in html


def test_the_county_table_has_a_row_per_township_over_its_subtree(client, world, ledger, on_oct_8):
    table = dashboard(client, world.zhou).context["table"]

    assert [row.unit for row in table.rows] == [world.office, world.chengguan, world.hexi]
    assert table.own.unit == world.county
    assert table.rows[1].figures == Timeliness(
        assigned=5,
        acknowledged=4,
        acknowledged_on_time=3,
        closed=2,
        closed_on_time=1,
        overdue=1,
    )
    assert table.total.assigned == 7


def test_the_table_shows_rates_and_links_each_count_to_the_ledger(client, world, ledger, on_oct_8):
    html = timeliness_table(dashboard(client, world.zhou))
    chengguan = world.chengguan.pk

    row = re.search(r"<tr>\s*<th[^>]*>城关镇</th>.*?</tr>", html, re.S).group(0)
    assert f'<a href="/ledger/?unit={chengguan}">5</a>' in row
    assert "75.0% <span" in row  # 签收及时率 3/4
    assert "3/4" in row
    assert "33.3% <span" in row  # 按期办结率 1/3
    assert f'href="/ledger/?unit={chengguan}&amp;light=red">1</a>' in row
    assert f'href="/ledger/?unit={chengguan}&amp;state=closed">2</a>' in row
    assert "40.0%" in row  # 销号率 2/5


def test_a_rate_with_nothing_to_judge_shows_a_dash(client, world, ledger, on_oct_8):
    html = timeliness_table(dashboard(client, world.zhou))
    row = re.search(r"<tr>\s*<th[^>]*>河西乡</th>.*?</tr>", html, re.S).group(0)
    assert "— <span" in row  # 按期办结率: nothing closed, nothing overdue


def test_a_township_handler_sees_own_items_and_each_village(client, world, ledger, on_oct_8):
    table = dashboard(client, world.li).context["table"]

    assert table.own.unit == world.chengguan
    assert table.own.figures.assigned == 3
    assert [row.unit for row in table.rows] == [world.dongguan]
    assert table.rows[0].figures.overdue == 1
    assert table.total.assigned == 5


def test_a_handler_of_hexi_sees_none_of_chengguans_numbers(client, world, ledger, on_oct_8):
    response = dashboard(client, world.wang)

    assert response.context["counts"].total == 2
    assert response.context["table"].total.assigned == 2
    assert response.context["overdue"] == []
    html = response.content.decode()
    assert "城关镇" not in html
    assert "东关村" not in html
    assert ledger.overdue.text not in html


def test_the_overdue_list_links_to_the_problem(client, world, ledger, on_oct_8):
    response = dashboard(client, world.zhou)

    [row] = response.context["overdue"]
    assert row.measure == ledger.overdue
    assert row.days_late == 8
    assert f'href="/ledger/problems/{ledger.overdue.problem_id}/"' in response.content.decode()


def test_the_overdue_list_shows_the_twenty_most_overdue_first(
    client, world, make_problem, calendar, clock
):
    overdue_batch(make_problem, world, calendar, unit=world.hexi, count=22)
    clock(at(2024, 10, 20))

    response = dashboard(client, world.zhou)

    rows = response.context["overdue"]
    assert len(rows) == 20
    assert [row.measure.text for row in rows[:2]] == ["逾期措施0", "逾期措施1"]
    assert rows[0].days_late == 27
    assert '<a href="/ledger/?light=red">查看全部</a>' in response.content.decode()


def test_chart_data_travels_as_json_and_the_page_has_no_inline_script(
    client, world, ledger, on_oct_8
):
    html = dashboard(client, world.zhou).content.decode()

    assert '<script id="dashboard-data" type="application/json">' in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all("src=" in tag or 'type="application/json"' in tag for tag in scripts)
    assert "/static/reports/dashboard.js" in html
    assert "/static/vendor/echarts/echarts.min.js" in html


def test_admin_accounts_see_an_explanation_instead_of_figures(client, world, ledger, on_oct_8):
    response = dashboard(client, world.wu)

    assert response.status_code == 200
    assert "counts" not in response.context
    html = response.content.decode()
    assert "三员分立" in html
    assert "/calendar/" in html
    assert "城关镇" not in html


def test_the_number_of_queries_does_not_grow_with_the_data(
    client, world, ledger, make_problem, calendar, on_oct_8, django_assert_max_num_queries
):
    client.force_login(world.zhou)
    with CaptureQueriesContext(connection) as small:
        client.get("/dashboard/")

    for unit in (world.dongguan, world.xihe, world.office):
        overdue_batch(make_problem, world, calendar, unit=unit, count=15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/dashboard/")
    assert len(response.context["overdue"]) == 20
