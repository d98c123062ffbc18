"""The dashboard's charts show what the ledger holds: each figure equals a count made here
independently, over the rows themselves, and each figure's link lists exactly those rows."""

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from bihuan.conftest import at
from bihuan.ledger.models import Category, Measure, Problem, Source
from bihuan.ledger.services import MeasureSpec, ProblemSpec, problem_create
from bihuan.org.models import Unit, UnitKind
from bihuan.rankings.models import RankingRow
from bihuan.rankings.periods import parse_period
from bihuan.rankings.services import ranking_publish
from bihuan.supervision.models import Level, SupervisionItem
from bihuan.supervision.models import Source as ItemSource
from bihuan.supervision.services import ItemSpec, item_create
from bihuan.workflow.models import LightCutoffs
from bihuan.workflow.states import OPEN_STATES, State

D = dt.date
NOW = at(2024, 10, 8, 10)
TODAY = NOW.date()


@pytest.fixture
def charted(world, calendar, monkeypatch):
    """A year and more of 城关镇's, 东关村's, 河西乡's and 西河村's measures in two categories,
    overdue by 1 to 129 days, two of them escalated 督办事项; read on 2024-10-08 at 10:00."""
    theory = Category.objects.get(name="理论学习")

    def register(unit, when, *deadlines, category=None):
        spec = ProblemSpec(
            source=Source.SUPERVISION,
            category=category or world.category,
            description=f"{unit.name}{when:%Y%m%d%H%M}登记的问题",
            unit=unit,
            measures=[
                MeasureSpec(text=f"{unit.name}措施{i}", owner_unit=unit, deadline=deadline)
                for i, deadline in enumerate(deadlines)
            ],
        )
        measures = list(problem_create(spec=spec, by=world.zhou, now=when).measures.all())
        return measures[0] if len(measures) == 1 else measures

    def assign(measure, when):
        measure.assign(by=world.zhou, now=when, calendar=calendar)
        return measure

    def close(measure, handler, acknowledged, closed):
        measure.acknowledge(by=handler, now=acknowledged, calendar=calendar)
        measure.submit(by=handler, now=closed - dt.timedelta(hours=1))
        measure.close(by=world.zhou, now=closed)

    # Registered and closed before the twelve months the trend shows (2023-11 to 2024-10).
    close(
        assign(register(world.chengguan, at(2023, 9, 15), D(2023, 12, 31)), at(2023, 9, 15)),
        world.li,
        at(2023, 9, 18),
        at(2023, 10, 20),
    )
    close(
        assign(register(world.chengguan, at(2024, 1, 10), D(2024, 3, 31)), at(2024, 1, 10)),
        world.li,
        at(2024, 1, 11),
        at(2024, 3, 5),
    )
    # 东关村: 129, 91, 90 and 8 days late on 10-08.
    for measure in register(
        world.dongguan, at(2024, 5, 6), D(2024, 6, 1), D(2024, 7, 9), D(2024, 7, 10), D(2024, 9, 30)
    ):
        assign(measure, at(2024, 5, 6))
    # 河西乡, another category: 7 and 1 days late, due today, due at the end of the year; the
    # one due 10-01 was submitted for close-out in time, so it is not late.
    hexi = register(
        world.hexi,
        at(2024, 8, 1),
        D(2024, 10, 1),
        D(2024, 10, 1),
        D(2024, 10, 7),
        D(2024, 10, 8),
        D(2024, 12, 31),
        category=theory,
    )
    for measure in hexi:
        assign(measure, at(2024, 8, 1))
    hexi[1].acknowledge(by=world.wang, now=at(2024, 8, 2), calendar=calendar)
    hexi[1].submit(by=world.wang, now=at(2024, 9, 30))
    # Either side of midnight at the turn of September (local time, eight hours ahead of UTC).
    late_night = register(world.chengguan, at(2024, 9, 30, 23, 30), D(2024, 10, 31))
    assign(late_night, at(2024, 10, 1, 9))
    close(late_night, world.li, at(2024, 10, 8, 8), at(2024, 10, 8, 9, 30))
    register(world.xihe, at(2024, 10, 1, 0, 30), D(2024, 10, 31))

    for unit, level in ((world.chengguan, Level.RED), (world.hexi, Level.BLUE)):
        spec = ItemSpec(
            source=ItemSource.INSTRUCTION,
            title=f"{unit.name}背街小巷整治",
            owner_unit=unit,
            deadline=D(2024, 9, 30),
        )
        item = item_create(
            spec=spec, by=world.zhou, now=at(2024, 9, 2), calendar=calendar, assign=True
        )
        SupervisionItem.objects.filter(pk=item.pk).update(escalation_level=level)

    monkeypatch.setattr(timezone, "now", lambda: NOW)


def charts_for(client, user) -> dict:
    """Every chart's data: the page's, and the fragment's it fetches with htmx."""
    client.force_login(user)
    page = client.get("/dashboard/")
    more = client.get("/dashboard/charts/", headers={"HX-Request": "true"})
    assert page.status_code == more.status_code == 200
    return page.context["chart_data"] | more.context["chart_data"]


def figures(chart) -> dict:
    """{(label, series key): value} of a chart's data."""
    return {
        (label, series["key"]): series["values"][i]
        for series in chart["series"]
        for i, label in enumerate(chart["labels"])
    }


def rows_behind(client, url: str) -> list:
    """The rows a drill-down link lists, all of them, whatever the page size."""
    response = client.get(url)
    assert response.status_code == 200
    rows = response.context["page"].paginator.object_list
    return list(getattr(rows, "queryset", rows))  # the ledger's are keyed


def each_link(chart):
    for series in chart["series"]:
        yield from zip(series["values"], series["urls"], strict=True)


def visible_measures(user) -> list[Measure]:
    return list(Measure.objects.visible_to(user).select_related("owner_unit"))


def month_of(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月"


def days_late(measure) -> int | None:
    waiting_on_time = measure.state == State.SUBMITTED and measure.submitted_on_time
    late = measure.state in OPEN_STATES and measure.deadline and measure.deadline < TODAY
    return (TODAY - measure.deadline).days if late and not waiting_on_time else None


@pytest.mark.parametrize("who", ["zhou", "li"])
def test_the_trend_counts_measures_registered_and_closed_per_local_month(
    client, world, charted, who
):
    user = getattr(world, who)
    chart = charts_for(client, user)["trend"]

    measures = visible_measures(user)
    registered = Counter(month_of(m.created_at) for m in measures)
    closed = Counter(month_of(m.closed_at) for m in measures if m.closed_at)
    assert chart["labels"][0] == "2023年11月"
    assert chart["labels"][-1] == "2024年10月"
    assert figures(chart) == {
        **{(month, "registered"): registered[month] for month in chart["labels"]},
        **{(month, "closed"): closed[month] for month in chart["labels"]},
    }


def test_the_trend_puts_a_measure_in_the_month_of_its_local_date(client, world, charted):
    trend = figures(charts_for(client, world.zhou)["trend"])

    assert trend["2024年9月", "registered"] == 1  # 23:30 on 09-30
    assert trend["2024年10月", "registered"] == 1  # 00:30 on 10-01
    assert trend["2024年10月", "closed"] == 1
    assert trend["2024年3月", "closed"] == 1
    assert sum(value for (_, line), value in trend.items() if line == "closed") == 2


@pytest.mark.parametrize("who", ["zhou", "li"])
def test_the_ageing_chart_counts_overdue_measures_by_days_late(client, world, charted, who):
    user = getattr(world, who)
    chart = charts_for(client, user)["ageing"]

    late = [days for m in visible_measures(user) if (days := days_late(m)) is not None]
    expected = [
        sum(1 for days in late if 1 <= days <= 7),
        sum(1 for days in late if 8 <= days <= 30),
        sum(1 for days in late if 31 <= days <= 90),
        sum(1 for days in late if days > 90),
    ]
    assert chart["labels"] == ["1–7天", "8–30天", "31–90天", "超过90天"]
    assert chart["series"][0]["values"] == expected


def test_the_ageing_buckets_hold_their_edges(client, world, charted):
    chart = charts_for(client, world.zhou)["ageing"]

    # 7 and 1 (河西乡); 8 (东关村); 90; 129 and 91.
    assert chart["series"][0]["values"] == [2, 1, 1, 2]


@pytest.mark.parametrize("who", ["zhou", "li"])
def test_the_lights_by_unit_add_up_each_subtree(client, world, charted, calendar, who):
    user = getattr(world, who)
    chart = charts_for(client, user)["units"]

    cutoffs = LightCutoffs(now=NOW, calendar=calendar)
    lit = list(Measure.objects.visible_to(user).with_light(cutoffs).select_related("owner_unit"))
    children = Unit.objects.filter(parent=user.unit).order_by("order", "path")
    expected = {}
    for light in ("red", "yellow", "green"):
        expected[f"{user.unit.name}（本级）", light] = sum(
            1 for m in lit if m.owner_unit == user.unit and m.light == light
        )
        for unit in children:
            expected[unit.short_name or unit.name, light] = sum(
                1 for m in lit if unit.contains(m.owner_unit) and m.light == light
            )
    assert figures(chart) == expected


@pytest.mark.parametrize("who", ["zhou", "li", "wang"])
def test_the_categories_count_the_problems_the_user_sees(client, world, charted, who):
    user = getattr(world, who)
    chart = charts_for(client, user)["categories"]

    problems = Counter(p.category.name for p in Problem.objects.visible_to(user))
    assert figures(chart) == {(name, "problems"): problems[name] for name in chart["labels"]}
    assert sum(chart["series"][0]["values"]) == sum(problems.values())


def test_escalated_items_are_counted_by_level_and_state(client, world, charted):
    chart = charts_for(client, world.zhou)["levels"]

    assert chart["labels"] == ["红色（挂牌督办）", "黄色（重点督办）", "蓝色（一般督办）"]
    assert figures(chart) == {
        ("红色（挂牌督办）", "pending"): 1,
        ("黄色（重点督办）", "pending"): 0,
        ("蓝色（一般督办）", "pending"): 1,
    }


def test_a_township_sees_only_its_own_escalated_items(client, world, charted):
    chart = charts_for(client, world.li)["levels"]

    assert sum(chart["series"][0]["values"]) == 1


@pytest.mark.parametrize("who", ["zhou", "li"])
@pytest.mark.parametrize("key", ["states", "lights", "trend", "units", "ageing"])
def test_every_measure_figure_links_to_exactly_the_rows_it_counts(client, world, charted, who, key):
    chart = charts_for(client, getattr(world, who))[key]

    links = list(each_link(chart))
    assert sum(value for value, _ in links) > 0
    for value, url in links:
        assert len(rows_behind(client, url)) == value, url


@pytest.mark.parametrize("who", ["zhou", "li"])
def test_a_category_links_to_the_measures_of_exactly_its_problems(client, world, charted, who):
    chart = charts_for(client, getattr(world, who))["categories"]

    for value, url in each_link(chart):
        assert len({measure.problem_id for measure in rows_behind(client, url)}) == value, url


def test_a_level_links_to_exactly_its_items(client, world, charted):
    chart = charts_for(client, world.zhou)["levels"]

    for value, url in each_link(chart):
        assert len(rows_behind(client, url)) == value, url


def test_the_links_are_those_of_the_figures(client, world, charted):
    data = charts_for(client, world.zhou)

    trend = data["trend"]["series"]
    assert trend[0]["urls"][-1] == "/ledger/?created_from=2024-10-01&created_to=2024-10-31"
    assert trend[1]["urls"][-1] == "/ledger/?closed_from=2024-10-01&closed_to=2024-10-31"
    ageing = data["ageing"]["series"][0]["urls"]
    assert ageing[0] == "/ledger/?light=red&deadline_from=2024-10-01&deadline_to=2024-10-07"
    assert ageing[-1] == "/ledger/?light=red&deadline_to=2024-07-09"
    own = data["units"]["series"][0]["urls"][0]
    assert own == f"/ledger/?unit={world.county.pk}&unit_only=on&light=red"


def test_each_chart_has_its_numbers_as_a_table(client, world, charted):
    client.force_login(world.zhou)
    page = client.get("/dashboard/").content.decode()
    more = client.get("/dashboard/charts/", headers={"HX-Request": "true"}).content.decode()
    html = page + more

    for key in ("states", "lights", "trend", "units", "ageing", "categories", "levels"):
        assert f'<div id="chart-{key}" class="chart' in html
        assert f'<details class="chart-figures" id="chart-{key}-figures">' in html
    assert '<th scope="row" class="fw-normal">超过90天</th><td class="text-end">' in html
    assert "/static/reports/dashboard.css" in page
    assert '<script id="dashboard-more-data" type="application/json">' in more
    assert "<html" not in more


def test_the_page_fetches_the_other_charts_and_links_to_them_without_javascript(
    client, world, charted
):
    client.force_login(world.zhou)
    page = client.get("/dashboard/").content.decode()
    alone = client.get("/dashboard/charts/")

    assert 'hx-get="/dashboard/charts/" hx-trigger="load"' in page
    assert '<a href="/dashboard/charts/">' in page
    assert "<html" in alone.content.decode()
    assert "/static/reports/dashboard.js" in alone.content.decode()
    assert [chart.key for chart in alone.context["charts"]] == [
        "trend",
        "ageing",
        "categories",
        "levels",
    ]


def test_admin_accounts_get_no_charts(client, world, charted):
    client.force_login(world.wu)

    assert client.get("/dashboard/charts/").status_code == 403


@pytest.fixture
def published(world, charted, calendar):
    """September's ranking of the county's townships, published on 10-08."""
    return ranking_publish(
        by=world.zhou,
        period=parse_period("2024-09"),
        parent=world.county,
        kind=UnitKind.TOWNSHIP,
        cutoffs=LightCutoffs(now=NOW, calendar=calendar),
        now=NOW,
    )


def test_the_latest_published_ranking_is_charted_with_its_frozen_scores(client, world, published):
    chart = charts_for(client, world.zhou)["ranking"]

    rows = RankingRow.objects.filter(ranking=published, rank__isnull=False).order_by("rank")
    assert chart["title"] == "2024年9月青山县各乡镇排名"
    assert chart["labels"] == [f"{row.rank}. {row.unit_name}" for row in rows]
    assert chart["series"][0]["values"] == [float(row.score) for row in rows]
    assert set(chart["series"][0]["urls"]) == {f"/rankings/{published.pk}/"}
    assert client.get(f"/rankings/{published.pk}/").status_code == 200


def test_a_ranking_of_units_above_the_user_is_not_charted(client, world, published):
    assert "ranking" not in charts_for(client, world.li)
