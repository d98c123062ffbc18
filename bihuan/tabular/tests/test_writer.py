import io

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell

from bihuan.tabular.columns import EXPORT_COLUMNS, MEASURE, PROBLEM, SEQ
from bihuan.tabular.writer import ExportMeasure, ExportProblem, write_ledger

WINDOW = ExportProblem(
    category="工作作风",
    text="为民服务窗口推诿扯皮",
    measures=(
        ExportMeasure(
            text="建立首问负责制并公示",
            lead="张县长",
            owner_unit="城关镇",
            owner="李承办",
            deadline="2024年10月31日",
            status="整改中",
            progress="已制定制度",
        ),
        ExportMeasure(text="每月通报办理情况", owner_unit="城关镇", deadline="长期坚持"),
    ),
)
STUDY = ExportProblem(
    category="理论学习",
    text="学习流于形式",
    measures=(ExportMeasure(text="=1+1", owner_unit="县委办", status="待交办"),),
)
MEETINGS = ExportProblem(
    category="工作作风",
    text="会议多、文件多",
    measures=(
        ExportMeasure(text="精简会议"),
        ExportMeasure(text="@SUM(A1)"),
        ExportMeasure(text="-3+2"),
    ),
)


def write(tmp_path, *problems, title="整改台账", subtitle="导出时间：2024年9月23日"):
    path = tmp_path / "台账.xlsx"
    count = write_ledger(path, title=title, subtitle=subtitle, problems=iter(problems))
    return count, load_workbook(path).active


def test_it_writes_title_subtitle_and_the_header_the_reader_knows(tmp_path):
    _, sheet = write(tmp_path, WINDOW)

    assert sheet.title == "整改台账"
    assert sheet["A1"].value == "整改台账"
    assert sheet["A1"].font.bold
    assert sheet["A1"].font.size == 16
    assert sheet["A1"].alignment.horizontal == "center"
    assert sheet["A2"].value == "导出时间：2024年9月23日"
    assert [cell.value for cell in sheet[3]] == [column.name for column in EXPORT_COLUMNS]
    assert sheet["A3"].font.bold
    assert sheet["A3"].fill.fgColor.rgb.endswith("D9D9D9")


def test_it_writes_one_row_per_measure_and_numbers_the_problems(tmp_path):
    count, sheet = write(tmp_path, WINDOW, STUDY, MEETINGS)

    assert count == 6
    rows = [row[:4] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert rows == [
        (1, "工作作风", "为民服务窗口推诿扯皮", "建立首问负责制并公示"),
        (None, None, None, "每月通报办理情况"),
        (2, "理论学习", "学习流于形式", "=1+1"),
        (3, "工作作风", "会议多、文件多", "精简会议"),
        (None, None, None, "@SUM(A1)"),
        (None, None, None, "-3+2"),
    ]
    assert [cell.value for cell in sheet[4]][4:] == [
        "张县长",
        "城关镇",
        "李承办",
        "2024年10月31日",
        "整改中",
        "已制定制度",
        None,
    ]


def test_it_merges_the_problem_cells_over_the_problems_measures(tmp_path):
    _, sheet = write(tmp_path, WINDOW, STUDY, MEETINGS)

    assert sorted(str(merged) for merged in sheet.merged_cells.ranges) == sorted(
        ["A1:K1", "A2:K2", "A4:A5", "B4:B5", "C4:C5", "A7:A9", "B7:B9", "C7:C9"]
    )


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    _, sheet = write(tmp_path, STUDY, MEETINGS, title="=HYPERLINK(1)")

    for cell in (sheet["A1"], sheet["D4"], sheet["D6"], sheet["D7"]):
        assert cell.data_type == "s"
    assert sheet["A1"].value == "=HYPERLINK(1)"
    assert sheet["D4"].value == "=1+1"


def test_every_body_cell_is_bordered_wrapped_and_vertically_centred(tmp_path):
    _, sheet = write(tmp_path, WINDOW)

    for row in sheet.iter_rows(min_row=3, max_row=5):
        # openpyxl reads the cells under a merge's first one without their own style.
        for cell in (cell for cell in row if not isinstance(cell, MergedCell)):
            assert cell.alignment.wrap_text, cell.coordinate
            assert cell.alignment.vertical == "center", cell.coordinate
            assert cell.border.left.style == "thin", cell.coordinate
            assert cell.border.bottom.style == "thin", cell.coordinate
    assert sheet["D4"].alignment.horizontal == "left"
    assert sheet["H4"].alignment.horizontal == "center"


def test_it_prints_on_a4_landscape_one_page_wide_with_the_header_repeated(tmp_path):
    _, sheet = write(tmp_path, WINDOW)

    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1)  # 1 is the default and may be left out
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.freeze_panes == "A4"


def test_column_widths_come_from_the_columns(tmp_path):
    _, sheet = write(tmp_path, WINDOW)

    for letter, column in (("A", SEQ), ("C", PROBLEM), ("D", MEASURE)):
        assert sheet.column_dimensions[letter].width == pytest.approx(column.width, abs=1)


def test_a_problem_without_measures_keeps_its_row(tmp_path):
    lonely = ExportProblem(category="廉洁自律", text="公车私用")

    count, sheet = write(tmp_path, lonely, STUDY)

    assert count == 1
    assert [row[:4] for row in sheet.iter_rows(min_row=4, values_only=True)] == [
        (1, "廉洁自律", "公车私用", None),
        (2, "理论学习", "学习流于形式", "=1+1"),
    ]


def test_it_writes_to_a_binary_file_and_leaves_it_open(tmp_path):
    out = io.BytesIO()

    count = write_ledger(out, title="整改台账", subtitle="", problems=[WINDOW])

    assert count == 2
    assert not out.closed
    assert load_workbook(io.BytesIO(out.getvalue())).active["D5"].value == "每月通报办理情况"


def test_a_thousand_problems_are_written_with_their_merges(tmp_path):
    def problems():
        for number in range(1000):
            yield ExportProblem(
                category="工作作风",
                text=f"问题{number}",
                measures=(ExportMeasure(text="措施甲"), ExportMeasure(text="措施乙")),
            )

    count, sheet = write(tmp_path, *problems())

    assert count == 2000
    assert sheet.max_row == 2003
    assert len(sheet.merged_cells.ranges) == 2 + 3 * 1000


def test_line_breaks_are_written_the_way_excel_writes_them(tmp_path):
    typed = ExportProblem(
        category="工作作风", text="窗口推诿\r\n群众多跑腿", measures=(ExportMeasure(text="公示"),)
    )

    _, sheet = write(tmp_path, typed)

    assert sheet["C4"].value == "窗口推诿\n群众多跑腿"
