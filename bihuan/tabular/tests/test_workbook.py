import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from bihuan.tabular import workbook
from bihuan.tabular.records import LedgerFileError
from bihuan.tabular.tests.builders import (
    Sheet,
    csv_bytes,
    docx_bytes,
    ods,
    ole2_bytes,
    xls,
    xlsx,
)
from bihuan.tabular.workbook import Grid, read_grids

MB = 2**20
TOWNSHIP = Sheet(
    "城关镇",
    [
        ["城关镇整改台账", "", ""],
        ["问题描述", "整改措施", "整改时限"],
        ["窗口推诿扯皮", "建立首问负责制\n并公示", dt.date(2024, 10, 31)],
        ["", "每月通报办件情况", "长期坚持"],
    ],
    merged=["A1:C1", "A3:A4"],
)
EXPECTED_ROWS = [
    ["城关镇整改台账", "", ""],
    ["问题描述", "整改措施", "整改时限"],
    ["窗口推诿扯皮", "建立首问负责制\n并公示", dt.date(2024, 10, 31)],
    ["", "每月通报办件情况", "长期坚持"],
]
EXPECTED_MERGES = {((0, 0), (0, 2)), ((2, 0), (3, 0))}


def read(data: bytes, filename: str, max_bytes: int = 20 * MB) -> list[Grid]:
    return read_grids(data, filename=filename, max_bytes=max_bytes)


@pytest.mark.parametrize("write", [xlsx, xls, ods], ids=["xlsx", "xls", "ods"])
def test_it_reads_every_format_with_values_dates_and_merged_cells(tmp_path, write):
    path = write(tmp_path / f"台账.{write.__name__}", TOWNSHIP)

    (grid,) = read(path.read_bytes(), path.name)

    assert grid.name == "城关镇"
    assert grid.rows == EXPECTED_ROWS
    assert set(grid.merged) == EXPECTED_MERGES


def test_row_and_column_indices_are_excels_even_when_the_used_range_starts_lower(tmp_path):
    path = xlsx(
        tmp_path / "offset.xlsx",
        Sheet("表1", [[], [], ["", "", "问题描述", "整改措施"], ["", "", "会议多", "精简会议"]]),
    )

    (grid,) = read(path.read_bytes(), path.name)

    assert grid.rows[2][2:] == ["问题描述", "整改措施"]
    assert grid.rows[3] == ["", "", "会议多", "精简会议"]


def test_hidden_sheets_are_flagged(tmp_path):
    path = xlsx(tmp_path / "two.xlsx", TOWNSHIP, Sheet("下拉选项", [["已完成"]], hidden=True))

    grids = read(path.read_bytes(), path.name)

    assert [(grid.name, grid.hidden) for grid in grids] == [("城关镇", False), ("下拉选项", True)]


def test_chart_sheets_are_left_out(tmp_path):
    book = Workbook()
    book.active.title = "数据"
    book.create_chartsheet("图表")
    book.save(tmp_path / "chart.xlsx")

    grids = read((tmp_path / "chart.xlsx").read_bytes(), "chart.xlsx")

    assert [grid.name for grid in grids] == ["数据"]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("gb18030", ","), ("utf-8", "\t"), ("gb18030", ";")],
)
def test_csv_is_read_in_utf8_or_gb18030_with_its_own_delimiter(encoding, delimiter):
    rows = [
        ["问题描述", "整改措施", "责任单位"],
        ["会议多，文件多", "精简会议\n压减发文", "县委办"],
    ]
    data = csv_bytes(rows, encoding=encoding, delimiter=delimiter)

    (grid,) = read(data, "河西乡台账.csv")

    assert grid.name == "河西乡台账"
    assert grid.rows == rows


def test_the_content_decides_not_the_extension(tmp_path):
    path = xlsx(tmp_path / "ledger.xlsx", TOWNSHIP)
    exported_csv = csv_bytes([["问题描述", "整改措施"], ["会议多", "精简会议"]])

    as_csv = read(path.read_bytes(), "renamed.csv")
    as_xls = read(exported_csv, "系统导出.xls")

    assert as_csv[0].rows == EXPECTED_ROWS
    assert as_xls[0].rows == [["问题描述", "整改措施"], ["会议多", "精简会议"]]


def test_a_word_document_renamed_xlsx_is_refused_as_word():
    with pytest.raises(LedgerFileError) as caught:
        read(docx_bytes(), "台账.xlsx")

    assert str(caught.value) == (
        "这是一个 Word 文档，不是 Excel 台账；请上传 .xlsx、.xls、.ods 或 .csv 文件。"
    )


def test_an_old_word_doc_renamed_xls_is_refused_as_word():
    with pytest.raises(LedgerFileError, match="这是一个 Word 文档"):
        read(ole2_bytes("WordDocument", "1Table"), "台账.xls")


def test_a_password_protected_workbook_asks_to_remove_the_password():
    encrypted = ole2_bytes("EncryptionInfo", "EncryptedPackage")

    with pytest.raises(LedgerFileError) as caught:
        read(encrypted, "台账.xlsx")

    assert str(caught.value).startswith("工作簿设置了打开密码")
    assert "取消密码" in str(caught.value)
    assert "再导入" in str(caught.value)


def test_a_stream_name_inside_cell_text_is_not_mistaken_for_encryption():
    # The name must sit where a directory entry would, with its length beside it.
    data = ole2_bytes("Workbook") + b"x" + "EncryptionInfo".encode("utf-16-le") + b"\0\0"

    assert workbook._ole2_entry_names(data) == set()


def test_a_file_over_the_limit_names_its_size_and_the_limit():
    with pytest.raises(LedgerFileError) as caught:
        read(b"x" * (52 * MB + 400 * 1024), "big.xlsx", max_bytes=20 * MB)

    assert str(caught.value).startswith("文件大小 52.4 MB，超过 20 MB 的上限")


def test_an_empty_file_is_refused():
    with pytest.raises(LedgerFileError, match="文件是空的"):
        read(b"", "台账.xlsx")


@pytest.mark.parametrize(
    ("data", "filename", "says"),
    [
        (b"%PDF-1.7\n%\xe2\xe3", "台账.pdf", "这是一个 PDF 文件"),
        (b"%PDF-1.4\n", "台账.xlsx", "这是一个 PDF 文件"),
        (b"\x89PNG\r\n\x1a\n" + bytes(20), "截图.png", "这是一张图片"),
        (b"\xff\xd8\xff\xe0" + bytes(20), "台账.xlsx", "这是一张图片"),
        (b"Rar!\x1a\x07\x00", "台账.rar", "这是一个压缩包"),
        (b"<html><table><tr><td>1</td></tr></table></html>", "导出.xls", "网页"),
    ],
)
def test_files_that_are_not_spreadsheets_say_what_they_are(data, filename, says):
    with pytest.raises(LedgerFileError, match=says):
        read(data, filename)


def test_an_unknown_extension_lists_the_accepted_types():
    with pytest.raises(LedgerFileError) as caught:
        read(b"\x00\x01binary", "台账.numbers")

    assert str(caught.value) == "不支持的文件类型 .numbers：请上传 .xlsx、.xls、.ods 或 .csv 文件。"


def test_a_zip_without_a_workbook_is_called_an_archive():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("台账.xlsx", b"...")

    with pytest.raises(LedgerFileError, match="请先解压"):
        read(out.getvalue(), "材料.zip")


def test_a_truncated_xlsx_is_called_damaged(tmp_path):
    data = xlsx(tmp_path / "full.xlsx", TOWNSHIP).read_bytes()

    with pytest.raises(LedgerFileError, match="文件已损坏"):
        read(data[: len(data) // 2], "台账.xlsx")


def test_binary_garbage_named_xlsx_is_called_damaged():
    with pytest.raises(LedgerFileError, match="已损坏或不是有效的表格文件"):
        read(bytes(range(256)) * 4, "台账.xlsx")


def test_any_error_inside_the_spreadsheet_library_becomes_a_ledger_file_error(
    tmp_path, monkeypatch
):
    class Exploding:
        @staticmethod
        def from_filelike(_file):
            raise RuntimeError("panic in the parser")

    data = xlsx(tmp_path / "ok.xlsx", TOWNSHIP).read_bytes()
    monkeypatch.setattr(workbook, "CalamineWorkbook", Exploding)

    with pytest.raises(LedgerFileError, match="文件已损坏或格式不对"):
        read(data, "ok.xlsx")


def test_an_encrypted_xls_found_only_when_read_asks_to_remove_the_password(tmp_path, monkeypatch):
    class Locked:
        @staticmethod
        def from_filelike(_file):
            raise workbook.PasswordError("Workbook is password protected")

    data = xls(tmp_path / "locked.xls", TOWNSHIP).read_bytes()
    monkeypatch.setattr(workbook, "CalamineWorkbook", Locked)

    with pytest.raises(LedgerFileError, match="工作簿设置了打开密码"):
        read(data, "locked.xls")
