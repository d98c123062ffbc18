import io
import re

import docx
import openpyxl
import pytest

from bihuan.conftest import at
from bihuan.errors import DomainError, NotAllowed
from bihuan.ledger.models import Measure, MeasureEvent, Problem
from bihuan.ledger.services import MeasureSpec
from bihuan.officedoc.tests.checks import assert_gbt9704
from bihuan.org.models import Unit
from bihuan.rankings.periods import parse_period
from bihuan.rankings.summary import report_data, report_write
from bihuan.rankings.summary_annex import annex_write
from bihuan.workflow.models import LightCutoffs
from bihuan.workflow.states import Action, State

from .conftest import SEPTEMBER

OVERALL = re.compile(
    r"累计查摆问题(?P<problems>\d+)个，其中本期新查摆(?P<problems_new>\d+)个；"
    r"制定整改措施(?P<measures>\d+)条，其中本期新增(?P<measures_new>\d+)条。"
    r"已销号(?P<closed>\d+)条，销号率[^，]+，其中本期销号(?P<closed_new>\d+)条；"
    r"按期办结(?P<closed_on_time>\d+)条，按期办结率[^；]+；"
    r"正在整改(?P<on_track>\d+)条，逾期未完成(?P<overdue>\d+)条，待交办(?P<drafts>\d+)条。"
    r"本期申请销号后被退回重新整改(?P<returned>\d+)条。"
)


def _write(user, unit, period, now, calendar, cases=()):
    report = report_data(
        user=user,
        unit=unit,
        period=parse_period(period),
        cutoffs=LightCutoffs(now=now, calendar=calendar),
        case_ids=cases,
    )
    out = io.BytesIO()
    report_write(
        user=user, report=report, now=now, out=out, recipients="中共青山县委", issuer=unit.name
    )
    return report, docx.Document(io.BytesIO(out.getvalue()))


def _figures(document) -> dict[str, int]:
    text = "\n".join(p.text for p in document.paragraphs)
    return {name: int(value) for name, value in OVERALL.search(text).groupdict().items()}


def _ledger_counts(unit: Unit, today) -> dict[str, int]:
    """The same figures read from the ledger the plain way, for a period running today."""
    measures = Measure.objects.filter(owner_unit__path__startswith=unit.path).exclude(
        state=State.CANCELLED
    )
    closed = measures.filter(state=State.CLOSED)
    overdue = measures.overdue(today=today).count()
    open_ = measures.filter(state__in=(State.PENDING, State.IN_PROGRESS, State.SUBMITTED)).count()
    this_month = {"created_at__year": today.year, "created_at__month": today.month}
    return {
        "problems": Problem.objects.filter(unit__path__startswith=unit.path).count(),
        "problems_new": Problem.objects.filter(
            unit__path__startswith=unit.path, **this_month
        ).count(),
        "measures": measures.count(),
        "measures_new": measures.filter(**this_month).count(),
        "closed": closed.count(),
        "closed_new": closed.filter(
            closed_at__year=today.year, closed_at__month=today.month
        ).count(),
        "closed_on_time": closed.filter(closed_on_time=True).count(),
        "on_track": open_ - overdue,
        "overdue": overdue,
        "drafts": measures.filter(state=State.DRAFT).count(),
        "returned": MeasureEvent.objects.filter(
            action=Action.RETURN, measure__in=measures, at__year=today.year, at__month=today.month
        )
        .values("measure")
        .distinct()
        .count(),
    }


def test_the_reports_figures_are_the_ledgers_and_follow_its_changes(
    world, september, make_problem, october_8, calendar
):
    _, document = _write(world.zhou, world.chengguan, "2024-10", october_8, calendar)
    before = _figures(document)

    assert before == _ledger_counts(world.chengguan, october_8.date())
    assert before["overdue"] == 1 and before["closed"] == 1

    september.b.submit(by=world.chen, now=at(2024, 10, 8, 11))
    september.b.return_to_owner(by=world.zhou, now=at(2024, 10, 8, 12), comment="照片不清晰")
    spec = MeasureSpec(
        text="增设便民座椅", owner_unit=world.chengguan, deadline=at(2024, 11, 1).date()
    )
    make_problem(measures=[spec], when=at(2024, 10, 8, 12), description="等候区拥挤")
    later = at(2024, 10, 8, 16)
    _, document = _write(world.zhou, world.chengguan, "2024-10", later, calendar)
    after = _figures(document)

    assert after == _ledger_counts(world.chengguan, later.date())
    assert (after["problems"], after["measures"], after["drafts"], after["returned"]) == (
        3,
        3,
        1,
        1,
    )


def test_the_september_summary_of_the_county_is_an_official_document(
    world, september, october_8, calendar
):
    _, document = _write(
        world.zhou, world.county, SEPTEMBER, october_8, calendar, cases=[september.a.pk]
    )

    assert_gbt9704(
        document,
        title="青山县关于2024年9月整改落实情况的报告",
        issuer="青山县",
        date_text="2024年10月8日",
    )
    assert _figures(document) == {
        "problems": 4, "problems_new": 4, "measures": 4, "measures_new": 4, "closed": 2,
        "closed_new": 2, "closed_on_time": 2, "on_track": 1, "overdue": 1, "drafts": 0, "returned": 1,
    }  # fmt: skip
    texts = [p.text for p in document.paragraphs]
    assert document.paragraphs[2].text == "中共青山县委："
    assert "工作作风方面：查摆问题4个，制定整改措施4条，已销号2条，正在整改1条，逾期1条。" in texts
    assert "1．东关村：整治村务公开栏（整改时限2024年9月15日，逾期15天）。" in texts
    assert "1．河西乡：清理办事窗口（2024年9月21日退回，理由：佐证材料不全）。" in texts
    assert "五、典型案例" in texts
    assert "整改措施：公示首问负责制（责任单位：城关镇，已销号）" in texts
    (table,) = document.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["单位", "措施", "已销号", "销号率", "按期办结", "逾期"],
        ["城关镇", "2", "1", "50%", "1", "1"],
        ["河西乡", "2", "1", "50%", "1", "0"],
    ]


def test_the_annex_lists_the_rows_behind_the_figures(world, september, october_8, calendar):
    report = report_data(
        user=world.zhou,
        unit=world.county,
        period=parse_period(SEPTEMBER),
        cutoffs=LightCutoffs(now=october_8, calendar=calendar),
    )
    out = io.BytesIO()

    written = annex_write(user=world.zhou, report=report, now=october_8, out=out)

    assert written == {"分类统计": 2, "单位统计": 3, "措施明细": 4, "逾期措施": 1, "退回记录": 1}
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    measures = list(book["措施明细"].iter_rows(min_row=3, values_only=True))
    assert sorted((row[3], row[9] or "", row[10] or "") for row in measures) == [
        ("公示首问负责制", "", ""),
        ("建立回访制度", "", ""),
        ("整治村务公开栏", "是", ""),
        ("清理办事窗口", "", "是"),
    ]
    (overdue,) = book["逾期措施"].iter_rows(min_row=3, values_only=True)
    assert overdue[3] == "整治村务公开栏"


def test_a_typical_case_must_be_one_of_the_reports_measures(world, september, october_8, calendar):
    with pytest.raises(DomainError, match="不在本报告统计的整改措施中"):
        report_data(
            user=world.zhou,
            unit=world.chengguan,
            period=parse_period(SEPTEMBER),
            cutoffs=LightCutoffs(now=october_8, calendar=calendar),
            case_ids=[september.c.pk],
        )


def test_a_handler_reports_on_their_township_only(world, september, october_8, calendar):
    cutoffs = LightCutoffs(now=october_8, calendar=calendar)
    own = report_data(
        user=world.li, unit=world.chengguan, period=parse_period(SEPTEMBER), cutoffs=cutoffs
    )

    assert own.counts.measures == 2
    with pytest.raises(NotAllowed):
        report_data(user=world.li, unit=world.hexi, period=parse_period(SEPTEMBER), cutoffs=cutoffs)
    with pytest.raises(NotAllowed):
        report_data(
            user=world.sun, unit=world.chengguan, period=parse_period(SEPTEMBER), cutoffs=cutoffs
        )
