import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bihuan.errors import DomainError
from bihuan.ledger.exporting import ledger_export
from bihuan.ledger.selectors import LedgerFilters
from bihuan.ledger.services import MeasureSpec, progress_post
from bihuan.tabular.records import Deadline, Status
from bihuan.tabular.table import read_ledger
from bihuan.workflow.states import DeadlineKind, FeedbackCycle, State

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rows_of(data: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(data)).active
    return list(sheet.iter_rows(min_row=4, values_only=True))


def export(user, now, filters: LedgerFilters | None = None):
    """Export as `user`; return the measure count, the body rows and the sheet."""
    out = io.BytesIO()
    count = ledger_export(user=user, filters=filters or LedgerFilters(), now=now, out=out)
    return count, rows_of(out.getvalue()), load_workbook(io.BytesIO(out.getvalue())).active


@pytest.fixture
def two_townships(world, make_problem, now):
    window = make_problem(
        description="为民服务窗口推诿扯皮",
        measures=[
            MeasureSpec(
                text="建立首问负责制", owner_unit=world.chengguan, deadline=dt.date(2024, 10, 31)
            ),
            MeasureSpec(
                text="公示办事流程", owner_unit=world.dongguan, deadline=dt.date(2024, 11, 30)
            ),
        ],
    )
    river = make_problem(
        unit=world.hexi,
        description="河道保洁不到位",
        measures=[
            MeasureSpec(text="落实河长巡河", owner_unit=world.hexi, deadline=dt.date(2024, 12, 31))
        ],
    )
    return window, river


def test_an_export_holds_only_what_the_user_sees(world, two_townships, now):
    count, rows, _ = export(world.wang, now)

    assert count == 1
    assert [row[:4] for row in rows] == [(1, "工作作风", "河道保洁不到位", "落实河长巡河")]


def test_an_export_keeps_the_filters_and_merges_the_problem(world, two_townships, now):
    count, rows, sheet = export(world.zhou, now, LedgerFilters(unit=world.chengguan))

    assert count == 2
    assert [row[:4] for row in rows] == [
        (1, "工作作风", "为民服务窗口推诿扯皮", "建立首问负责制"),
        (None, None, None, "公示办事流程"),
    ]
    assert sheet["A1"].value == "城关镇整改台账"
    assert sheet["A2"].value == "导出时间：2024年9月23日  共 1 个问题、2 条措施"
    assert {"A4:A5", "B4:B5", "C4:C5"} <= {str(merged) for merged in sheet.merged_cells.ranges}


def test_a_village_filter_narrows_within_the_problem(world, two_townships, now):
    _, rows, _ = export(world.zhou, now, LedgerFilters(unit=world.dongguan))

    assert [row[:4] for row in rows] == [(1, "工作作风", "为民服务窗口推诿扯皮", "公示办事流程")]


def test_deadlines_states_owners_and_progress_are_written_in_words(
    world, make_problem, now, calendar
):
    problem = make_problem(
        measures=[
            MeasureSpec(
                text="建立首问负责制",
                owner_unit=world.chengguan,
                deadline=dt.date(2024, 10, 31),
                lead="赵县长",
                owner=world.li,
            ),
            MeasureSpec(
                text="每月通报",
                owner_unit=world.chengguan,
                deadline_kind=DeadlineKind.ONGOING,
                feedback_cycle=FeedbackCycle.MONTHLY,
            ),
            MeasureSpec(
                text="限期答复",
                owner_unit=world.chengguan,
                deadline_kind=DeadlineKind.WORKING_DAYS,
                deadline_working_days=5,
            ),
        ]
    )
    first = problem.measures.get(seq=1)
    first.assign(by=world.zhou, now=now, calendar=calendar)
    first.acknowledge(by=world.li, now=now, calendar=calendar)
    progress_post(measure=first, by=world.li, now=now, text="已起草制度", files=[])
    progress_post(
        measure=first, by=world.li, now=now + dt.timedelta(hours=1), text="制度已印发", files=[]
    )

    _, rows, _ = export(world.zhou, now)

    assert [row[3:10] for row in rows] == [
        ("建立首问负责制", "赵县长", "城关镇", "李承办", "2024年10月31日", "整改中", "制度已印发"),
        ("每月通报", None, "城关镇", None, "长期坚持（每月反馈）", "待交办", None),
        ("限期答复", None, "城关镇", None, "交办后5个工作日", "待交办", None),
    ]


def test_the_export_runs_the_same_queries_for_5_and_50_measures(
    world, make_problem, now, django_assert_max_num_queries
):
    def measures(count):
        return [
            MeasureSpec(text=f"措施{n}", owner_unit=world.chengguan, deadline=dt.date(2024, 10, 31))
            for n in range(count)
        ]

    make_problem(measures=measures(5))
    # Whether the exporter's scope holds every unit, the calendar, the counts for the subtitle,
    # the rows with their latest progress, and the audit entry (lock the chain's head, insert,
    # move the head).
    with django_assert_max_num_queries(7) as few:
        assert export(world.zhou, now)[0] == 5
    for _ in range(9):
        make_problem(measures=measures(5))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert export(world.zhou, now)[0] == 50


def test_over_the_limit_nothing_is_written(world, two_townships, now):
    out = io.BytesIO()

    with pytest.raises(
        DomainError, match="请缩小筛选范围，或用命令行 bihuan ledger export 导出全部"
    ):
        ledger_export(user=world.zhou, filters=LedgerFilters(), now=now, out=out, max_rows=2)

    assert out.getvalue() == b""


# -- the view -----------------------------------------------------------------------------


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_the_view_returns_the_filtered_ledger_as_an_xlsx_attachment(
    as_user, world, two_townships, calendar, now
):
    window, _ = two_townships
    window.measures.get(seq=1).assign(by=world.zhou, now=now, calendar=calendar)

    response = as_user(world.zhou).get(reverse("ledger:export"), {"state": State.PENDING})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment")
    assert quote("整改台账-") in response["Content-Disposition"]
    rows = rows_of(b"".join(response.streaming_content))
    assert [row[3] for row in rows] == ["建立首问负责制"]


def test_the_view_refuses_a_set_over_the_limit_with_a_chinese_message(
    as_user, world, two_townships, settings
):
    settings.BIHUAN_EXPORT_MAX_ROWS = 2

    response = as_user(world.zhou).get(reverse("ledger:export"), {"keyword": ""}, follow=True)

    assert response.redirect_chain[0][0] == reverse("ledger:list") + "?keyword="
    assert "超过网页导出上限 2 条" in response.text
    assert "请缩小筛选范围，或用命令行 bihuan ledger export 导出全部" in response.text


def test_the_view_refuses_a_unit_outside_the_users_scope(as_user, world, two_townships):
    response = as_user(world.wang).get(
        reverse("ledger:export"), {"unit": world.chengguan.pk}, follow=True
    )

    assert response.redirect_chain[0][0].startswith(reverse("ledger:list"))
    assert response["Content-Type"].startswith("text/html")


def test_the_export_needs_a_login(client):
    response = client.get(reverse("ledger:export"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_list_offers_an_export_of_what_it_shows(as_user, world, two_townships):
    client = as_user(world.zhou)
    export_url = reverse("ledger:export")

    page = client.get(reverse("ledger:list"), {"state": "draft", "page": "1"})
    swapped = client.get(
        reverse("ledger:list"), {"keyword": "河道"}, headers={"HX-Request": "true"}
    )

    assert f'href="{export_url}?state=draft"' in page.text
    assert f'href="{export_url}?keyword=%E6%B2%B3%E9%81%93"' in swapped.text


def test_an_exported_ledger_reads_back_as_the_same_problems(world, make_problem, now, calendar):
    window = make_problem(
        description="为民服务窗口推诿扯皮",
        measures=[
            MeasureSpec(
                text="建立首问负责制",
                owner_unit=world.chengguan,
                deadline=dt.date(2024, 10, 31),
                lead="赵县长",
                owner=world.li,
            ),
            MeasureSpec(
                text="每月通报办理情况",
                owner_unit=world.chengguan,
                deadline_kind=DeadlineKind.ONGOING,
                feedback_cycle=FeedbackCycle.MONTHLY,
                lead="赵县长",
                owner=world.li,
            ),
        ],
    )
    make_problem(
        description="=会议多、文件多",
        measures=[
            MeasureSpec(
                text="限期答复群众来信",
                owner_unit=world.dongguan,
                deadline_kind=DeadlineKind.WORKING_DAYS,
                deadline_working_days=5,
            )
        ],
    )
    first, second = window.measures.order_by("seq")
    for measure in (first, second):
        measure.assign(by=world.zhou, now=now, calendar=calendar)
    first.acknowledge(by=world.li, now=now, calendar=calendar)
    first.submit(by=world.li, now=now)
    first.close(by=world.zhou, now=now)
    out = io.BytesIO()
    ledger_export(user=world.zhou, filters=LedgerFilters(), now=now, out=out)

    ledger = read_ledger(out.getvalue(), filename="整改台账.xlsx", today=now.date())

    assert ledger.issues == ()
    assert [(p.category, p.text) for p in ledger.problems] == [
        ("工作作风", "为民服务窗口推诿扯皮"),
        ("工作作风", "=会议多、文件多"),
    ]
    measures = [m for problem in ledger.problems for m in problem.measures]
    assert [(m.text, m.lead, m.owner_unit, m.owner, m.deadline, m.status) for m in measures] == [
        (
            "建立首问负责制",
            "赵县长",
            "城关镇",
            "李承办",
            Deadline(text="2024年10月31日", date=dt.date(2024, 10, 31)),
            Status.CLOSED,
        ),
        (
            "每月通报办理情况",
            "赵县长",
            "城关镇",
            "李承办",
            Deadline(text="长期坚持（每月反馈）", ongoing=True, feedback_cycle="monthly"),
            Status.ASSIGNED,
        ),
        (
            "限期答复群众来信",
            "",
            "东关村",
            "",
            Deadline(text="交办后5个工作日", working_days=5),
            Status.DRAFT,
        ),
    ]
