"""活动总结: every number is a count of the campaign's tagged data, and follows the ledger."""

import datetime as dt
import io
import re
from dataclasses import replace
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from bihuan.audit.models import AuditEntry
from bihuan.conftest import at
from bihuan.errors import DomainError, NotAllowed
from bihuan.fieldwork.models import Visit
from bihuan.ledger.models import Measure, Problem
from bihuan.materials.models import Material
from bihuan.officedoc.tests.checks import assert_colophon, assert_gbt9704, assert_title
from bihuan.rankings.campaign_summary import (
    campaign_summary_data,
    summary_annex_write,
    summary_draft,
    summary_write,
)
from bihuan.rankings.letterhead import Letterhead
from bihuan.streamlining.models import Meeting, MeetingKind, MeetingLevel
from bihuan.streamlining.services import MeetingSpec, meeting_register
from bihuan.workflow.models import LightCutoffs
from bihuan.workflow.states import FINAL_STATES, State

from .conftest import CAMPAIGN_NAME
from .test_summary import OVERALL

ACTIVITY = re.compile(
    r"活动中共召开会议(?P<meetings>\d+)次，其中学习研讨会(?P<study>\d+)次，会议时长合计(?P<minutes>\d+)分钟；"
    r"提交各类材料(?P<materials>\d+)份(（[^）]*）)?；开展调研走访(?P<visits>\d+)次，"
    r"累计(?P<days>[\d.]+)人天，走访农户(?P<households>\d+)户；"
    r"查摆问题(?P<problems_found>\d+)个，已整改完成(?P<problems_closed>\d+)个"
)
TITLE = f"青山县关于{CAMPAIGN_NAME}开展情况的总结"


def _summary(user, campaign, now, calendar, *, unit=None, cases=()):
    return campaign_summary_data(
        user=user,
        campaign=campaign,
        unit=unit or campaign.organiser,
        cutoffs=LightCutoffs(now=now, calendar=calendar),
        calendar=calendar,
        case_ids=cases,
    )


def _write(user, campaign, now, calendar, *, letterhead=None, cases=()):
    found = _summary(user, campaign, now, calendar, cases=cases)
    draft = replace(summary_draft(found), letterhead=letterhead)
    out = io.BytesIO()
    summary_write(user=user, summary=found, draft=draft, now=now, out=out)
    return docx.Document(io.BytesIO(out.getvalue()))


def _numbers(document) -> dict[str, int]:
    text = "\n".join(p.text for p in document.paragraphs)
    found = ACTIVITY.search(text).groupdict() | OVERALL.search(text).groupdict()
    return {name: Decimal(value) for name, value in found.items()}


def _plain_counts(campaign) -> dict[str, Decimal]:
    """The same figures read from the records the plain way, for the campaign running today."""
    measures = Measure.objects.filter(problem__campaign=campaign).exclude(state=State.CANCELLED)
    problems = Problem.objects.filter(campaign=campaign)
    closed_problems = sum(
        1
        for p in problems
        if all(m.state in FINAL_STATES for m in p.measures.all())
        and any(m.state == State.CLOSED for m in p.measures.all())
    )
    meetings = Meeting.objects.filter(campaign=campaign)
    visits = Visit.objects.filter(campaign=campaign)
    counts = {
        "meetings": meetings.count(),
        "study": meetings.filter(kind=MeetingKind.STUDY).count(),
        "minutes": sum(m.minutes for m in meetings),
        "materials": Material.objects.filter(campaign=campaign).count(),
        "visits": visits.count(),
        "days": sum(v.days * v.people.count() for v in visits),
        "households": sum(v.households for v in visits),
        "problems": problems.count(),
        "problems_found": problems.count(),
        "problems_closed": closed_problems,
        "measures": measures.count(),
        "closed": measures.filter(state=State.CLOSED).count(),
        "overdue": measures.overdue(today=dt.date(2024, 10, 8)).count(),
        "drafts": measures.filter(state=State.DRAFT).count(),
    }
    return {name: Decimal(value) for name, value in counts.items()}


def _compare(document, campaign):
    numbers, plain = _numbers(document), _plain_counts(campaign)
    assert {name: numbers[name] for name in plain} == plain
    return numbers


def test_the_summarys_figures_are_the_campaigns_records_and_follow_their_changes(
    world, campaign, in_campaign, october_8, calendar
):
    before = _compare(_write(world.zhou, campaign, october_8, calendar), campaign)

    assert (before["meetings"], before["materials"], before["visits"]) == (1, 1, 1)
    assert (before["households"], before["problems"], before["measures"]) == (12, 3, 3)
    assert (before["closed"], before["overdue"], before["returned"]) == (1, 1, 1)

    in_campaign.f.submit(by=world.wang, now=at(2024, 10, 8, 9))
    in_campaign.f.close(by=world.zhou, now=at(2024, 10, 8, 10))
    meeting_register(
        spec=MeetingSpec(
            unit=world.hexi, held_on=dt.date(2024, 10, 8), title="补开学习研讨会",
            kind=MeetingKind.STUDY, level=MeetingLevel.TOWNSHIP, minutes=60, attendees=20,
            campaign=campaign,
        ),
        by=world.wang,
        now=at(2024, 10, 8, 11),
    )  # fmt: skip
    document = _write(world.zhou, campaign, at(2024, 10, 8, 16), calendar)
    after = _compare(document, campaign)

    assert (after["meetings"], after["minutes"], after["closed"], after["overdue"]) == (
        2,
        150,
        2,
        0,
    )
    assert after["problems_closed"] == before["problems_closed"] + 1
    texts = [p.text for p in document.paragraphs]
    # 河西乡 held its study session after the 20 September deadline.
    assert (
        "学习研讨会（每个单位1次），截止2024年9月20日：应完成2个单位，按时完成1个，逾期完成1个，"
        "逾期未完成0个，尚未到期0个。"
    ) in texts


def test_each_stage_is_told_with_its_dates_and_its_requirements_completion(
    world, campaign, in_campaign, october_8, calendar
):
    draft = summary_draft(_summary(world.zhou, campaign, october_8, calendar))
    lines = draft.body.splitlines()

    at_stage = lines.index("（一）动员部署（2024年9月2日至2024年9月21日）")
    assert lines[at_stage + 1] == (
        "学习研讨会（每个单位1次），截止2024年9月20日：应完成2个单位，按时完成1个，逾期完成0个，"
        "逾期未完成1个，尚未到期0个。"
    )
    assert lines[at_stage + 2].startswith("（二）学习研讨（2024年9月22日至")
    assert lines[at_stage + 3] == "本阶段未设定提交材料、召开会议或调研走访的要求。"
    assert "1．河西乡：整治庸懒散（整改时限2024年9月25日，逾期13天）。" in lines
    assert "1．河西乡：整治庸懒散（2024年9月21日退回，理由：整改不彻底）。" in lines
    assert draft.recipients == ""  # the county is the top; the office fills it in


def test_the_summary_is_an_official_document_with_its_table_and_optional_red_header(
    world, campaign, in_campaign, october_8, calendar
):
    letterhead = Letterhead(mark="青山县文件", number="青发〔2024〕9号", copies_to="市委办")
    document = _write(
        world.zhou, campaign, october_8, calendar, letterhead=letterhead, cases=[in_campaign.e.pk]
    )

    assert_gbt9704(
        document,
        title=TITLE,
        issuer="青山县",
        date_text="2024年10月8日",
        masthead=("青山县文件", "青发〔2024〕9号"),
    )
    assert_colophon(document, printer="青山县", printed="2024年10月8日", copies_to="市委办。")
    texts = [p.text for p in document.paragraphs]
    assert [t for t in texts if re.match("[一二三四]、", t)] == [
        "一、活动开展情况",
        "二、问题整改情况",
        "三、逾期和退回情况",
        "四、典型案例",
    ]
    assert "整改措施：规范窗口服务（责任单位：城关镇，已销号）" in texts
    assert_title(document.paragraphs[texts.index(f"{CAMPAIGN_NAME}各单位整改情况")])
    table, _colophon = document.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["单位", "措施", "已销号", "销号率", "按期办结", "逾期"],
        ["城关镇", "2", "1", "100%", "1", "0"],
        ["河西乡", "1", "0", "0%", "0", "1"],
    ]
    entry = AuditEntry.objects.filter(action="export").last()
    assert (entry.changes["document"], entry.changes["campaign"]) == ("活动总结", campaign.pk)


def test_the_annex_holds_the_rows_behind_each_figure(
    world, campaign, in_campaign, october_8, calendar
):
    found = _summary(world.zhou, campaign, october_8, calendar)
    out = io.BytesIO()

    written = summary_annex_write(user=world.zhou, summary=found, now=october_8, out=out)

    assert written == {
        "活动要求": 2, "会议": 1, "材料": 1, "调研走访": 1, "活动问题": 3,
        "分类统计": 2, "单位统计": 3, "措施明细": 3, "逾期措施": 1, "退回记录": 1,
    }  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    rows = list(book["活动要求"].iter_rows(min_row=3, values_only=True))
    assert [(row[4], row[6]) for row in rows] == [("城关镇", "已完成"), ("河西乡", "逾期未交")]
    (visit,) = book["调研走访"].iter_rows(min_row=3, values_only=True)
    assert (visit[2], visit[6], visit[8]) == ("李承办", 1, 12)
    problems = sorted(book["活动问题"].iter_rows(min_row=3, values_only=True), key=lambda r: r[3])
    assert [(row[3], row[5]) for row in problems] == [
        ("公开村务的问题", None),
        ("整治庸懒散的问题", None),
        ("规范窗口服务的问题", "是"),
    ]


def test_a_township_sums_up_its_own_part(world, campaign, in_campaign, october_8, calendar):
    # 王承办 sees the campaign (河西乡 takes part) but not the county that organises it.
    found = _summary(world.wang, campaign, october_8, calendar, unit=world.hexi)
    draft = summary_draft(found)

    assert (found.figures.meetings, found.figures.problems, found.report.counts.measures) == (
        0,
        1,
        1,
    )
    assert draft.title == f"河西乡关于{CAMPAIGN_NAME}开展情况的总结"
    assert draft.recipients == "青山县"
    assert "应完成1个单位，按时完成0个，逾期完成0个，逾期未完成1个" in draft.body


def test_a_campaign_out_of_scope_or_a_role_without_reports_is_refused(
    world, campaign, october_8, calendar
):
    with pytest.raises(NotAllowed, match="找不到专项活动"):
        _summary(world.chen, campaign, october_8, calendar, unit=world.dongguan)
    with pytest.raises(NotAllowed, match="不能生成报告"):
        _summary(world.sun, campaign, october_8, calendar, unit=world.chengguan)
    with pytest.raises(DomainError, match="请指定账号"):
        _summary(None, campaign, october_8, calendar)


# -- the page ------------------------------------------------------------------------------------


@pytest.fixture
def frozen_time(monkeypatch, october_8):
    monkeypatch.setattr("django.utils.timezone.now", lambda: october_8)
    return october_8


def test_the_page_drafts_the_text_and_the_edited_text_downloads_as_docx(
    client, world, campaign, in_campaign, frozen_time
):
    client.force_login(world.zhou)
    url = reverse("rankings:campaign_summary", args=[campaign.pk])

    page = client.get(url, {"cases": [in_campaign.e.pk]})

    assert page.status_code == 200
    form = page.context["form"]
    assert "查摆问题3个，已整改完成1个" in form.initial["body"]
    assert "（一）规范窗口服务的问题" in form.initial["body"]
    data = {name: form.initial[name] for name in ("unit", "title", "recipients", "issuer")}
    data |= {
        "body": "现将活动开展情况总结如下。\n一、活动开展情况\n共召开会议1次。",
        "date": "2024-10-08",
        "with_table": "on",
        "red_header": "on",
        "number": "青发〔2024〕9号",
    }
    download = client.post(url, data)

    assert download.status_code == 200
    document = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    assert_gbt9704(
        document,
        title=TITLE,
        issuer="青山县",
        date_text="2024年10月8日",
        masthead=("青山县文件", "青发〔2024〕9号"),
    )
    assert "共召开会议1次。" in [p.text for p in document.paragraphs]


def test_the_page_offers_the_annex(client, world, campaign, in_campaign, frozen_time):
    client.force_login(world.zhou)

    response = client.get(
        reverse("rankings:campaign_summary_annex", args=[campaign.pk]), {"unit": world.county.pk}
    )

    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[:5] == ["活动要求", "会议", "材料", "调研走访", "活动问题"]


def test_a_campaign_the_user_does_not_see_is_not_found(client, world, campaign, frozen_time):
    client.force_login(world.chen)

    for url in (
        reverse("rankings:campaign_summary", args=[campaign.pk]),
        reverse("rankings:campaign_summary_annex", args=[campaign.pk]),
    ):
        assert client.get(url).status_code == 404


def test_an_empty_text_is_refused_on_the_page_and_nothing_is_written(
    client, world, campaign, in_campaign, frozen_time
):
    client.force_login(world.zhou)
    data = {"unit": world.county.pk, "title": TITLE, "body": "  ", "issuer": "青山县"}

    response = client.post(
        reverse("rankings:campaign_summary", args=[campaign.pk]), data | {"date": "2024-10-08"}
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["body"]
    assert not AuditEntry.objects.filter(action="export").exists()


# -- the command line ----------------------------------------------------------------------------


def _run(*args) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_the_command_writes_the_summary_and_its_annex(
    world, campaign, in_campaign, frozen_time, tmp_path
):
    message = _run(
        "campaign-summary", "--campaign", CAMPAIGN_NAME, "--as", "zhou",
        "--red-header", "--number", "青发〔2024〕9号", "--out", str(tmp_path / "总结.docx"),
    )  # fmt: skip
    _run(
        "campaign-summary", "--campaign", str(campaign.pk), "--as", "zhou",
        "--out", str(tmp_path / "附件.xlsx"),
    )  # fmt: skip

    assert "已生成活动总结" in message
    document = docx.Document(tmp_path / "总结.docx")
    assert_gbt9704(
        document,
        title=TITLE,
        issuer="青山县",
        date_text="2024年10月8日",
        masthead=("青山县文件", "青发〔2024〕9号"),
    )
    _compare(document, campaign)
    assert openpyxl.load_workbook(tmp_path / "附件.xlsx").sheetnames[0] == "活动要求"


def test_the_report_commands_take_a_campaign_as_their_period(
    world, campaign, in_campaign, frozen_time, tmp_path
):
    _run("ranking", "--period", f"campaign-{campaign.pk}", "--out", str(tmp_path / "排名.xlsx"))
    _run(
        "summary", "--period", CAMPAIGN_NAME, "--unit", "青山县", "--out",
        str(tmp_path / "报告.docx"),
    )  # fmt: skip

    sheet = openpyxl.load_workbook(tmp_path / "排名.xlsx")["排名"]
    assert [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)] == ["城关镇", "河西乡"]
    report = docx.Document(tmp_path / "报告.docx")
    assert report.paragraphs[0].text == f"青山县关于{CAMPAIGN_NAME}整改落实情况的报告"
    assert "制定整改措施3条" in "\n".join(p.text for p in report.paragraphs)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["campaign-summary", "--as", "zhou", "--out", "x.docx"], "需要 --campaign"),
        (["campaign-summary", "--campaign", "1", "--out", "x.docx"], "请用 --as 指定账号"),
        (
            ["campaign-summary", "--campaign", "campaign-999", "--as", "zhou", "--out", "x.docx"],
            "找不到专项活动“campaign-999”",
        ),
        (
            ["campaign-summary", "--campaign", CAMPAIGN_NAME, "--as", "chen", "--out", "x.docx"],
            f"找不到专项活动“{CAMPAIGN_NAME}”",
        ),
        (["campaign-summary", "--campaign", "1", "--as", "zhou", "--out", "x.pdf"], "应以 .docx"),
        (["ranking", "--out", "x.xlsx"], "需要 --period"),
        (["ranking", "--period", "campaign-999", "--out", "x.xlsx"], "找不到专项活动"),
        (
            ["summary", "--period", "{key}", "--as", "chen", "--unit", "东关村", "--out", "x.docx"],
            "找不到专项活动“campaign-",
        ),
    ],
)
def test_a_bad_campaign_is_one_line_and_no_file(
    world, campaign, frozen_time, tmp_path, monkeypatch, args, message
):
    monkeypatch.chdir(tmp_path)
    args = [arg.format(key=f"campaign-{campaign.pk}") for arg in args]
    args = [str(campaign.pk) if arg == "1" else arg for arg in args]

    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert list(tmp_path.iterdir()) == []
