"""年年提、年年改: a problem registered again, a campaign later, is linked to the earlier one."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bihuan.campaigns.models import Campaign
from bihuan.conftest import at
from bihuan.ledger.importing import ImportOptions, import_commit, import_plan
from bihuan.ledger.models import Problem, Source
from bihuan.ledger.services import MeasureSpec, ProblemSpec, problem_create
from bihuan.materials.models import ProblemRecurrence
from bihuan.materials.recurrence import recurrences_record
from bihuan.materials.services import material_confirm, material_upload
from bihuan.tabular.records import Deadline, ParsedLedger, ParsedMeasure, ParsedProblem

from .materials_texts import ANALYSIS

LAST_YEAR = at(2023, 9, 20)
# 城关镇's problem at last year's meeting, and the same problem as this year's material words it.
WINDOW = "便民服务中心窗口推诿扯皮，群众反映的问题推一推才动一动，办事效率不高"
WINDOW_AGAIN = "便民服务中心窗口仍有推诿扯皮现象，群众反映的问题推一推动一动，办事效率不高"
OTHER = "理论学习不够系统，满足于读文件、记笔记，学用结合不紧"


def links():
    return sorted(
        (link.problem.description[:6], link.earlier.description[:6])
        for link in ProblemRecurrence.objects.select_related("problem", "earlier")
    )


@pytest.fixture
def closed_last_year(make_problem, world, calendar):
    """Last year's problem, 销号 by 周督查 on 2023-11-20."""
    problem = make_problem(description=WINDOW, when=LAST_YEAR)
    measure = problem.measures.get()
    measure.assign(by=world.zhou, now=LAST_YEAR, calendar=calendar)
    measure.acknowledge(by=world.li, now=LAST_YEAR, calendar=calendar)
    measure.submit(by=world.li, now=at(2023, 11, 15), comment="已实行首问负责制")
    measure.close(by=world.zhou, now=at(2023, 11, 20), comment="经核查已整改到位")
    return problem


def test_a_problem_registered_by_hand_that_a_unit_had_last_year_is_linked_to_it(
    closed_last_year, make_problem
):
    make_problem(description=OTHER, when=LAST_YEAR)

    again = make_problem(description=WINDOW_AGAIN)

    link = ProblemRecurrence.objects.get()
    assert (link.problem, link.earlier) == (again, closed_last_year)
    assert 0.6 <= link.similarity < 1


def test_problems_of_the_same_campaign_another_unit_or_another_topic_are_not_linked(
    make_problem, world, now
):
    make_problem(description=WINDOW, when=now - dt.timedelta(days=30))  # the same campaign
    make_problem(description=WINDOW, unit=world.hexi, when=LAST_YEAR)  # another township
    make_problem(description=OTHER, when=LAST_YEAR)  # another problem

    make_problem(description=WINDOW_AGAIN)

    assert ProblemRecurrence.objects.count() == 0


def campaign(world, name, starts_on, ends_on):
    return Campaign.objects.create(
        name=name,
        organiser=world.county,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=world.zhou,
        created_at=LAST_YEAR,
    )


def register(world, description, when, found_in):
    spec = ProblemSpec(
        source=Source.MEETING,
        category=world.category,
        description=description,
        unit=world.chengguan,
        campaign=found_in,
        measures=[MeasureSpec(text="整改", owner_unit=world.chengguan, deadline_kind="unset")],
    )
    return problem_create(spec=spec, by=world.zhou, now=when)


def test_a_problem_of_an_earlier_campaign_comes_back_however_recent_but_not_in_the_same_one(
    world,
):
    spring = campaign(world, "主题教育", dt.date(2024, 4, 1), dt.date(2024, 8, 31))
    autumn = campaign(world, "作风革命·效能革命", dt.date(2024, 9, 1), dt.date(2024, 12, 31))
    first = register(world, WINDOW, at(2024, 8, 20), spring)
    again = register(world, WINDOW_AGAIN, at(2024, 9, 10), autumn)  # 21 days later
    register(world, OTHER, at(2024, 4, 10), spring)
    same = register(world, OTHER + "的问题依然存在", at(2024, 8, 25), spring)  # 137 days later

    assert [(link.problem, link.earlier) for link in ProblemRecurrence.objects.all()] == [
        (again, first)
    ]
    assert not ProblemRecurrence.objects.filter(problem=same).exists()


def test_a_persons_problem_follows_them_to_another_unit(world, now):
    # 孙干部 listed the problem in 城关镇's material last year; this year it is registered
    # for 河西乡 with him as the person responsible.
    earlier = Problem.objects.create(
        source="meeting",
        category=world.category,
        description=OTHER,
        unit=world.chengguan,
        person=world.sun,
        created_at=LAST_YEAR,
        created_by=world.zhou,
    )
    again = Problem.objects.create(
        source="meeting",
        category=world.category,
        description="理论学习还不够系统，满足于读读文件、记记笔记，学用结合不紧",
        unit=world.hexi,
        person=world.sun,
        created_at=now,
        created_by=world.zhou,
    )

    (link,) = recurrences_record(problems=[again], now=now)

    assert (link.problem, link.earlier) == (again, earlier)


def test_problems_confirmed_from_a_material_are_checked_against_the_authors_earlier_ones(
    make_problem, world, now
):
    make_problem(description="深入群众不够，到村走访多是听汇报，同群众面对面交流少", when=LAST_YEAR)
    material = material_upload(
        data=ANALYSIS.encode("gb18030"),
        filename="对照检查材料.txt",
        kind="analysis",
        author=world.sun,
        by=world.sun,
        now=now,
    )

    material_confirm(material=material, by=world.sun, now=now, default_category=world.category)

    assert links() == [("深入群众不够", "深入群众不够")]


def test_problems_of_an_imported_ledger_are_checked_in_one_batch(
    closed_last_year, world, now, calendar
):
    def problem(text, row):
        measure = ParsedMeasure(
            text="整改措施",
            sheet="台账",
            row=row,
            owner_unit="城关镇",
            deadline=Deadline(text="2024年12月底前", date=dt.date(2024, 12, 31)),
        )
        return ParsedProblem(text=text, sheet="台账", row=row, measures=(measure,))

    ledger = ParsedLedger(
        problems=(problem(WINDOW_AGAIN, 2), problem("村务公开栏内容长期不更新", 3)),
        issues=(),
        sheets=("台账",),
    )
    options = ImportOptions(
        unit=world.chengguan, source="self", category=world.category, file_name="台账.xlsx"
    )
    plan = import_plan(ledger=ledger, by=world.zhou, options=options, now=now, calendar=calendar)

    import_commit(plan=plan, by=world.zhou, options=options, now=now, calendar=calendar)

    assert links() == [(WINDOW_AGAIN[:6], WINDOW[:6])]


def test_the_problem_page_links_the_earlier_problem_and_when_it_was_closed(
    client, closed_last_year, make_problem, world
):
    again = make_problem(description=WINDOW_AGAIN)
    client.force_login(world.li)

    page = client.get(reverse("ledger:problem_detail", args=[again.pk])).content.decode()
    earlier_page = client.get(
        reverse("ledger:problem_detail", args=[closed_last_year.pk])
    ).content.decode()

    flag = re.sub(r"\s+", " ", page[page.index('id="recurrences"') :][:2000])
    measure = closed_last_year.measures.get()
    assert f"问题 #{closed_last_year.pk}</a>（2023年9月20日登记" in flag
    assert "已于 2023年11月20日销号</strong>（周督查：经核查已整改到位）" in flag
    assert f'#measure-{measure.pk}">销号记录</a>，销号后再次出现' in flag
    assert (
        f'此后再次出现：</strong> <a href="{reverse("ledger:problem_detail", args=[again.pk])}"'
        in (re.sub(r"\s+", " ", earlier_page))
    )


def test_a_problem_that_came_back_shows_an_earlier_one_out_of_scope_without_its_content(
    client, world, now
):
    earlier = Problem.objects.create(
        source="meeting",
        category=world.category,
        description=OTHER,
        unit=world.chengguan,
        person=world.sun,
        created_at=LAST_YEAR,
        created_by=world.zhou,
    )
    again = Problem.objects.create(
        source="meeting",
        category=world.category,
        description=OTHER + "。",
        unit=world.hexi,
        person=world.sun,
        created_at=now,
        created_by=world.zhou,
    )
    recurrences_record(problems=[again], now=now)
    client.force_login(world.wang)  # 河西乡

    page = client.get(reverse("ledger:problem_detail", args=[again.pk])).content.decode()

    assert "其他单位的问题（2023年9月登记，相似度 100%），不在您的查看范围内" in page
    assert reverse("ledger:problem_detail", args=[earlier.pk]) not in page


def test_a_problem_page_without_recurrences_asks_for_them_once(client, make_problem, world):
    problem = make_problem(description=OTHER)
    client.force_login(world.zhou)

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("ledger:problem_detail", args=[problem.pk]))

    assert sum("materials_problemrecurrence" in q["sql"] for q in queries.captured_queries) == 1


def test_the_report_lists_recurrences_per_unit_within_the_viewers_scope(
    client, closed_last_year, make_problem, world
):
    again = make_problem(description=WINDOW_AGAIN)
    make_problem(description=OTHER, unit=world.hexi, when=LAST_YEAR)
    elsewhere = make_problem(description=OTHER + "的问题依然存在", unit=world.hexi)

    client.force_login(world.zhou)
    county = client.get(reverse("materials:recurrences")).content.decode()
    client.force_login(world.li)
    township = client.get(reverse("materials:recurrences")).content.decode()

    assert county.index(f'id="unit-{world.chengguan.pk}"') < county.index(
        f'id="unit-{world.hexi.pk}"'
    )
    assert f"#{again.pk}</a>" in county and f"#{elsewhere.pk}</a>" in county
    assert f"#{again.pk}</a>" in township and f"#{elsewhere.pk}</a>" not in township
    assert "已于 2023-11-20销号" in township


def test_the_report_can_keep_to_problems_whose_earlier_one_was_closed(
    client, closed_last_year, make_problem, world
):
    make_problem(description=WINDOW_AGAIN)
    make_problem(description=OTHER, when=LAST_YEAR)  # still a draft
    open_again = make_problem(description=OTHER + "的问题依然存在")
    client.force_login(world.zhou)

    every = client.get(reverse("materials:recurrences")).content.decode()
    closed = client.get(reverse("materials:recurrences"), {"closed_only": "on"}).content.decode()

    assert f"#{open_again.pk}</a>" in every
    assert f"#{open_again.pk}</a>" not in closed
    assert closed.count('class="table-danger"') == 1
