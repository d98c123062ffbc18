import datetime as dt
import io
from dataclasses import replace

import docx
import pytest

from bihuan.audit.models import AuditEntry
from bihuan.errors import DomainError, NotAllowed
from bihuan.officedoc.tests.checks import assert_colophon, assert_gbt9704, assert_title
from bihuan.org.models import UnitKind
from bihuan.rankings.notices import NoticeKind, notice_draft, notice_write
from bihuan.rankings.periods import parse_period
from bihuan.rankings.services import ranking_publish, ranking_table
from bihuan.workflow.models import LightCutoffs

from .conftest import SEPTEMBER

ISSUER = "中共青山县委办公室"


@pytest.fixture
def published(world, september, october_8, calendar):
    ranking = ranking_publish(
        by=world.zhou,
        period=parse_period(SEPTEMBER),
        parent=world.county,
        kind=UnitKind.TOWNSHIP,
        cutoffs=LightCutoffs(now=october_8, calendar=calendar),
        now=october_8,
    )
    return ranking_table(ranking)


def _criticism(table, count=1):
    return notice_draft(
        table, kind=NoticeKind.CRITICISE, count=count, issuer=ISSUER, today=dt.date(2024, 10, 8)
    )


def test_a_criticism_draft_names_the_last_township_with_its_computed_figures(published):
    draft = _criticism(published)

    assert draft.title == "关于对2024年9月整改落实工作推进不力单位予以通报批评的通报"
    assert draft.recipients == "各乡镇"
    lines = draft.body.splitlines()
    assert "城关镇等1个单位排名靠后" in lines[0]
    assert lines[1] == "一、总体情况"
    assert lines[2] == (
        "2024年9月（统计截至2024年9月30日），青山县各乡镇共2个单位参与排名，平均得分64.21分；"
        "应签收4件，及时签收3件，签收及时率75%；到期应办结3件，按期办结2件，按期办结率66.7%；"
        "本期在办4件，销号2件，销号率50%；逾期未办结1件；申请销号2件，被退回1件，退回率50%。"
    )
    assert lines[3:6] == [
        "二、通报批评单位",
        "（一）城关镇",
        "得分54.88分，排名第2位，签收及时率50%，按期办结率50%，销号率50%，逾期1件，被退回0件。",
    ]


def test_a_commendation_names_the_first(published):
    draft = notice_draft(
        published, kind=NoticeKind.COMMEND, count=1, issuer=ISSUER, today=dt.date(2024, 10, 8)
    )

    assert "河西乡等1个单位排名靠前" in draft.body
    assert "（一）河西乡" in draft.body


def test_a_situation_notice_names_first_and_last(published):
    draft = notice_draft(
        published, kind=NoticeKind.SITUATION, count=1, issuer=ISSUER, today=dt.date(2024, 10, 8)
    )

    assert "排名前1位的是：河西乡（73.53分）；排名后1位的是：城关镇（54.88分）" in draft.body


def test_the_criticism_notice_is_written_in_the_national_format_with_the_edited_text(
    published, world, october_8
):
    draft = _criticism(published)
    edited = replace(
        draft,
        body=draft.body + "\n（二）补充的一段",
        number="青办通〔2024〕7号",
        copies_to="县纪委监委",
    )
    out = io.BytesIO()

    notice_write(table=published, draft=edited, by=world.zhou, now=october_8, out=out)

    document = docx.Document(io.BytesIO(out.getvalue()))
    assert_gbt9704(
        document,
        title=draft.title,
        issuer=ISSUER,
        date_text="2024年10月8日",
        masthead=(ISSUER, "青办通〔2024〕7号"),
    )
    assert_colophon(document, printer=ISSUER, printed="2024年10月8日", copies_to="县纪委监委。")
    texts = [p.text for p in document.paragraphs]
    assert "（二）补充的一段" in texts
    assert "附件：2024年9月青山县各乡镇整改落实工作排名情况" in texts
    assert_title(document.paragraphs[texts.index("2024年9月青山县各乡镇整改落实工作排名情况")])
    table, _colophon = document.tables
    assert [cell.text for cell in table.rows[1].cells][:3] == ["1", "河西乡", "73.53"]
    assert [cell.text for cell in table.rows[2].cells][:3] == ["2", "城关镇", "54.88"]
    entry = AuditEntry.objects.filter(action="export").last()
    assert entry.changes["title"] == draft.title
    assert entry.changes["number"] == "青办通〔2024〕7号"


def test_only_a_supervisor_generates_a_notice(published, world, october_8):
    with pytest.raises(NotAllowed):
        notice_write(
            table=published,
            draft=_criticism(published),
            by=world.li,
            now=october_8,
            out=io.BytesIO(),
        )


def test_an_empty_text_is_refused(published, world, october_8):
    empty = replace(_criticism(published), body="  ")

    with pytest.raises(DomainError, match="不能为空"):
        notice_write(table=published, draft=empty, by=world.zhou, now=october_8, out=io.BytesIO())
