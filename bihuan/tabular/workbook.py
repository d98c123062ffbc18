"""Bytes in, grids out: every sheet of an uploaded workbook as rows of cell values.

The file's content decides how it is read, not its name: people rename Word documents to .xlsx,
systems export CSV as .xls, and a password-protected .xlsx is really an OLE2 container. Whatever
goes wrong ends as one `LedgerFileError` that says, in Chinese, what the file is and what to do.
"""

import csv
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from bihuan.zipguard import zip_bomb

from .odsmerge import ods_merged_ranges
from .records import LedgerFileError

Cell = object  # str, int, float, bool, date, datetime, time or timedelta, as calamine returns
Range = tuple[tuple[int, int], tuple[int, int]]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
ACCEPTED = "请上传 .xlsx、.xls、.ods 或 .csv 文件。"


@dataclass(frozen=True)
class Grid:
    """One sheet. `rows[0]` is Excel row 1 and `rows[r][0]` column A, whatever the used range;
    `merged` holds inclusive ((first_row, first_col), (last_row, last_col)) ranges."""

    name: str
    rows: list[list[Cell]]
    merged: list[Range] = field(default_factory=list)
    hidden: bool = False


def read_grids(data: bytes, *, filename: str, max_bytes: int) -> list[Grid]:
    """Every worksheet of the file, or `LedgerFileError` saying why there are none."""
    _check_size(data, max_bytes)
    suffix = PurePath(filename).suffix.lower()
    kind = _sniff(data)
    if kind == "unknown":
        if suffix in TEXT_SUFFIXES or (suffix in EXCEL_SUFFIXES and _looks_like_text(data)):
            kind = "text"
        elif suffix in EXCEL_SUFFIXES:
            raise LedgerFileError(
                f"文件“{filename}”已损坏或不是有效的表格文件，无法打开；"
                "请用 Excel 或 WPS 打开确认后另存为 .xlsx 再上传。"
            )
        else:
            shown = suffix or "（无扩展名）"
            raise LedgerFileError(f"不支持的文件类型 {shown}：{ACCEPTED}")
    if kind == "text":
        return [_read_text(data, name=PurePath(filename).stem or "Sheet1")]
    return _read_spreadsheet(data, ods=kind == "ods")


def _check_size(data: bytes, max_bytes: int) -> None:
    if not data:
        raise LedgerFileError("文件是空的（0 字节）：请确认选择的是填好内容的台账文件后重新上传。")
    if len(data) > max_bytes:
        raise LedgerFileError(
            f"文件大小 {_megabytes(len(data))} MB，超过 {_megabytes(max_bytes)} MB 的上限；"
            "请删除无关的工作表、图片或附件后另存，再重新上传。"
        )


ENCRYPTED = (
    "工作簿设置了打开密码，无法读取；请在 Excel 或 WPS 中取消密码"
    "（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）并保存后再导入。"
)


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f}".removesuffix(".0")


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_A_SPREADSHEET = {
    b"%PDF": "这是一个 PDF 文件，无法读取其中的表格；请上传原始的 Excel 台账（.xlsx 或 .xls）。",
    b"\x89PNG": "这是一张图片，无法读取其中的表格；请上传原始的 Excel 台账（.xlsx 或 .xls）。",
    b"\xff\xd8\xff": "这是一张图片，无法读取其中的表格；请上传原始的 Excel 台账（.xlsx 或 .xls）。",
    b"GIF8": "这是一张图片，无法读取其中的表格；请上传原始的 Excel 台账（.xlsx 或 .xls）。",
    b"BM": "这是一张图片，无法读取其中的表格；请上传原始的 Excel 台账（.xlsx 或 .xls）。",
    b"Rar!": "这是一个压缩包：请先解压，再上传其中的台账文件（.xlsx、.xls、.ods 或 .csv）。",
    b"7z\xbc\xaf": "这是一个压缩包：请先解压，再上传其中的台账文件（.xlsx、.xls、.ods 或 .csv）。",
    b"\x1f\x8b": "这是一个压缩包：请先解压，再上传其中的台账文件（.xlsx、.xls、.ods 或 .csv）。",
    b"{\\rtf": "这是一个 RTF 文字文档，不是 Excel 台账；" + ACCEPTED,
}


def _sniff(data: bytes) -> str:
    """'excel', 'ods', 'text' or 'unknown'; raises for files that are clearly something else."""
    for magic, message in NOT_A_SPREADSHEET.items():
        if data.startswith(magic):
            raise LedgerFileError(message)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise LedgerFileError(NOT_A_SPREADSHEET[b"\x89PNG"])
    if data.startswith(OLE2_MAGIC):
        return _sniff_ole2(data)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data)
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")) or (
        head.startswith(b"<?xml") and b"excel.sheet" in head
    ):
        raise LedgerFileError(
            "这个文件实际上是网页（HTML/XML）格式，只是扩展名写成了 Excel；"
            "请用 Excel 或 WPS 打开后“另存为” .xlsx 格式，再重新上传。"
        )
    return "unknown"


def _sniff_ole2(data: bytes) -> str:
    streams = _ole2_entry_names(data)
    if {"EncryptionInfo", "EncryptedPackage"} & streams:
        raise LedgerFileError(ENCRYPTED)
    if "WordDocument" in streams:
        raise LedgerFileError("这是一个 Word 文档，不是 Excel 台账；" + ACCEPTED)
    if "PowerPoint Document" in streams:
        raise LedgerFileError("这是一个 PowerPoint 演示文稿，不是 Excel 台账；" + ACCEPTED)
    return "excel"


def _ole2_entry_names(data: bytes) -> set[str]:
    """Names of the streams in an OLE2 compound file, found without walking the FAT: a
    directory entry is 128 bytes, aligned to 128, and stores its name's byte length at +64."""
    names = set()
    for name in ("EncryptionInfo", "EncryptedPackage", "WordDocument", "PowerPoint Document"):
        encoded = name.encode("utf-16-le") + b"\0\0"
        start = data.find(encoded)
        while start != -1:
            length = int.from_bytes(data[start + 64 : start + 66], "little")
            if start % 128 == 0 and length == len(encoded):
                names.add(name)
                break
            start = data.find(encoded, start + 1)
    return names


ZIP_BOMB = (
    "文件解压后超过 100 MB 或压缩比异常，不是正常的 Excel 台账，已拒绝读取；"
    "请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。"
)
_MEDIA_FOLDERS = ("xl/media/", "xl/embeddings/", "Pictures/")


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if zip_bomb(data, archive.infolist(), media=_MEDIA_FOLDERS):
                raise LedgerFileError(ZIP_BOMB)
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError) as error:
        raise LedgerFileError(
            "文件已损坏（压缩结构不完整），无法打开；可能是下载或拷贝没有完成。"
            "请用 Excel 或 WPS 打开原文件，另存为 .xlsx 后重新上传。"
        ) from error
    if "word/document.xml" in names:
        raise LedgerFileError("这是一个 Word 文档，不是 Excel 台账；" + ACCEPTED)
    if "ppt/presentation.xml" in names:
        raise LedgerFileError("这是一个 PowerPoint 演示文稿，不是 Excel 台账；" + ACCEPTED)
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise LedgerFileError("这是一个 OpenDocument 文字或演示文档，不是表格；" + ACCEPTED)
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "excel"
    raise LedgerFileError(
        "这是一个压缩包，不是 Excel 台账：请先解压，再上传其中的台账文件（.xlsx、.xls、.ods 或 .csv）。"
    )


def _read_spreadsheet(data: bytes, *, ods: bool) -> list[Grid]:
    # calamine raises its own errors and, on odd files, anything else; none may escape.
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        extra_merges = ods_merged_ranges(data) if ods else {}
        grids = []
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            rows = _placed(sheet.to_python(skip_empty_area=True), sheet.start)
            merged = list(sheet.merged_cell_ranges or extra_merges.get(meta.name, []))
            hidden = meta.visible != SheetVisibleEnum.Visible
            grids.append(Grid(name=meta.name, rows=rows, merged=merged, hidden=hidden))
    except LedgerFileError:
        raise
    except Exception as error:
        # An encrypted .xls keeps its OLE2 streams and says so only when read.
        if isinstance(error, PasswordError) or "password" in str(error).lower():
            raise LedgerFileError(ENCRYPTED) from error
        raise LedgerFileError(
            "文件已损坏或格式不对，无法读取其中的表格；"
            "请用 Excel 或 WPS 打开确认内容完整后另存为 .xlsx，再重新上传。"
        ) from error
    return grids


def _placed(rows: list[list[Cell]], start: tuple[int, int] | None) -> list[list[Cell]]:
    """Shift calamine's used range back to A1 so indices are Excel's, minus one."""
    if not rows or start is None:
        return []
    top, left = start
    width = left + max(len(row) for row in rows)
    placed: list[list[Cell]] = [[""] * width for _ in range(top)]
    for row in rows:
        cells = [""] * left + list(row)
        placed.append(cells + [""] * (width - len(cells)))
    return placed


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    return b"\0" not in sample.lstrip(b"\xff\xfe") or sample.startswith(b"\xff\xfe")


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise LedgerFileError(
            "无法识别 CSV 文件的文字编码；请用 Excel 打开后另存为“CSV UTF-8”或 .xlsx 再上传。"
        ) from error


def _read_text(data: bytes, *, name: str) -> Grid:
    text = _decode(data)
    delimiter = _sniff_delimiter(text)
    try:
        rows: list[list[Cell]] = [
            list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    except csv.Error as error:
        raise LedgerFileError(
            "CSV 文件格式有误（引号不配对或含有非法字符），无法读取；请用 Excel 打开后另存为 .xlsx 再上传。"
        ) from error
    width = max((len(row) for row in rows), default=0)
    return Grid(name=name, rows=[row + [""] * (width - len(row)) for row in rows])


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most rows into the same number (more than one) of fields."""
    sample = text[:32768]
    best, best_score = ",", (0, 0)
    for delimiter in (",", "\t", ";"):
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
        except csv.Error:
            continue
        widths = Counter(len(row) for row in rows if any(cell.strip() for cell in row))
        multi = [(count, width) for width, count in widths.items() if width > 1]
        score = max(multi, default=(0, 0))
        if score > best_score:
            best, best_score = delimiter, score
    return best
