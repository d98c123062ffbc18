import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

from bihuan.officedoc.tests.checks import assert_gbt9704
from bihuan.org.models import UnitKind
from bihuan.rankings.periods import parse_period
from bihuan.rankings.services import ranking_publish
from bihuan.workflow.models import LightCutoffs

from .conftest import SEPTEMBER


@pytest.fixture
def frozen_time(monkeypatch, october_8):
    monkeypatch.setattr("django.utils.timezone.now", lambda: october_8)
    return october_8


def _run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_without_a_published_ranking_a_notice_is_drafted_from_current_figures(
    world, september, frozen_time, tmp_path
):
    out = tmp_path / "通报.docx"

    message = _run(
        "notice", "--period", SEPTEMBER, "--type", "criticise", "--count", "1", "--out", str(out)
    )

    assert "依据当前数据的排名草稿" in message
    document = docx.Document(out)
    title = "关于对2024年9月整改落实工作推进不力单位予以通报批评的通报"
    assert_gbt9704(
        document, title=title, issuer="青山县", date_text="2024年10月8日", masthead=("青山县", "")
    )
    assert "（一）城关镇" in [p.text for p in document.paragraphs]


def test_a_published_ranking_is_the_notices_basis(
    world, september, frozen_time, calendar, tmp_path
):
    ranking_publish(
        by=world.zhou,
        period=parse_period(SEPTEMBER),
        parent=world.county,
        kind=UnitKind.TOWNSHIP,
        cutoffs=LightCutoffs(now=frozen_time, calendar=calendar),
        now=frozen_time,
    )
    out = tmp_path / "通报.docx"

    message = _run("notice", "--period", SEPTEMBER, "--as", "zhou", "--out", str(out))

    assert "依据已发布的排名" in message
    assert out.exists()


def test_the_ranking_and_the_summary_with_its_annex(world, september, frozen_time, tmp_path):
    _run("ranking", "--period", SEPTEMBER, "--out", str(tmp_path / "排名.xlsx"))
    _run(
        "summary",
        "--period",
        SEPTEMBER,
        "--unit",
        "城关镇",
        "--case",
        str(september.a.pk),
        "--out",
        str(tmp_path / "报告.docx"),
    )
    _run("summary", "--period", SEPTEMBER, "--unit", "城关镇", "--out", str(tmp_path / "附件.xlsx"))

    ranking = openpyxl.load_workbook(tmp_path / "排名.xlsx")["排名"]
    assert [row[1] for row in ranking.iter_rows(min_row=3, values_only=True)] == [
        "河西乡",
        "城关镇",
    ]
    report = docx.Document(tmp_path / "报告.docx")
    assert report.paragraphs[0].text == "城关镇关于2024年9月整改落实情况的报告"
    assert report.paragraphs[2].text == "青山县："
    assert openpyxl.load_workbook(tmp_path / "附件.xlsx").sheetnames[2] == "措施明细"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ranking", "--period", "2024-13", "--out", "x.xlsx"], "无法识别的期间"),
        (["ranking", "--period", SEPTEMBER, "--out", "x.docx"], "应以 .xlsx 结尾"),
        (
            ["summary", "--period", SEPTEMBER, "--unit", "河西乡", "--as", "li", "--out", "x.docx"],
            "找不到唯一的单位",
        ),
        (
            ["notice", "--period", SEPTEMBER, "--as", "li", "--out", "x.docx"],
            "只有督查员可以生成通报",
        ),
        (["notice", "--period", SEPTEMBER, "--as", "nobody", "--out", "x.docx"], "没有启用的账号"),
    ],
)
def test_bad_input_is_one_line_and_no_file(
    world, september, frozen_time, tmp_path, monkeypatch, args, message
):
    monkeypatch.chdir(tmp_path)

    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert list(tmp_path.iterdir()) == []
