"""Workbooks written at test time, the way the tools people use write them: openpyxl for .xlsx,
xlwt for .xls, odfpy for .ods, and CSV in UTF-8 or GB18030; plus the wrong files people upload."""

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook
from openpyxl.utils import range_boundaries


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[object]]
    merged: list[str] = field(default_factory=list)  # "A1:J1", as Excel writes a range
    hidden: bool = False


def _corners(merge: str) -> tuple[int, int, int, int]:
    """(first_row, first_col, last_row, last_col), 0-based, of an "A1:B2" range."""
    left, top, right, bottom = range_boundaries(merge)
    return top - 1, left - 1, bottom - 1, right - 1


def xlsx(path: Path, *sheets: Sheet) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.name)
        for row in sheet.rows:
            worksheet.append([None if value == "" else value for value in row])
        for merge in sheet.merged:
            worksheet.merge_cells(merge)
        if sheet.hidden:
            worksheet.sheet_state = "hidden"
    workbook.save(path)
    return path


def xls(path: Path, *sheets: Sheet) -> Path:
    workbook = xlwt.Workbook(encoding="utf-8")
    day_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for sheet in sheets:
        worksheet = workbook.add_sheet(sheet.name)
        starts = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in map(_corners, sheet.merged)}
        inside = {
            (r, c)
            for (r0, c0), (r1, c1) in starts.items()
            for r in range(r0, r1 + 1)
            for c in range(c0, c1 + 1)
        }
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                style = day_style if isinstance(value, dt.date) else xlwt.Style.default_style
                if (r, c) in starts:
                    r1, c1 = starts[(r, c)]
                    worksheet.write_merge(r, r1, c, c1, value, style)
                elif (r, c) not in inside and value != "":
                    worksheet.write(r, c, value, style)
    workbook.save(str(path))
    return path


def ods(path: Path, *sheets: Sheet) -> Path:
    document = OpenDocumentSpreadsheet()
    for sheet in sheets:
        table = Table(name=sheet.name)
        spans = {
            (r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in map(_corners, sheet.merged)
        }
        covered = {
            (r, c)
            for (r0, c0), (rows, columns) in spans.items()
            for r in range(r0, r0 + rows)
            for c in range(c0, c0 + columns)
        } - spans.keys()
        for r, row in enumerate(sheet.rows):
            table_row = TableRow()
            for c, value in enumerate(row):
                if (r, c) in covered:
                    table_row.addElement(CoveredTableCell())
                    continue
                rows, columns = spans.get((r, c), (1, 1))
                table_row.addElement(_ods_cell(value, rows=rows, columns=columns))
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def _ods_cell(value: object, *, rows: int, columns: int) -> TableCell:
    spans = {}
    if rows > 1 or columns > 1:
        spans = {"numberrowsspanned": rows, "numbercolumnsspanned": columns}
    if value == "":
        return TableCell(**spans)
    if isinstance(value, dt.date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat(), **spans)
    elif isinstance(value, (int, float)):
        cell = TableCell(valuetype="float", value=str(value), **spans)
    else:
        cell = TableCell(valuetype="string", **spans)
    for line in str(value).split("\n"):
        cell.addElement(P(text=line))
    return cell


def csv_bytes(rows: list[list[object]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def docx_bytes() -> bytes:
    """The skeleton of a Word document, as one looks to a reader that opens the zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def ole2_bytes(*stream_names: str) -> bytes:
    """A compound file (the container of .xls, .doc and password-protected .xlsx) whose
    directory lists the given streams; enough for a reader that sniffs, not for one that reads.
    """
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x18:0x1A] = (0x3E).to_bytes(2, "little")  # minor version
    header[0x1A:0x1C] = (3).to_bytes(2, "little")  # major version 3: 512-byte sectors
    header[0x1C:0x1E] = b"\xfe\xff"  # little-endian
    header[0x1E:0x20] = (9).to_bytes(2, "little")  # sector size 2**9
    header[0x30:0x34] = (0).to_bytes(4, "little")  # the directory starts in sector 0
    directory = bytearray()
    for index, name in enumerate(("Root Entry", *stream_names)):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\0\0"
        entry[: len(encoded)] = encoded
        entry[64:66] = len(encoded).to_bytes(2, "little")
        entry[66] = 5 if index == 0 else 2  # root storage, then streams
        directory += entry
    directory += bytes(-len(directory) % 512)
    return bytes(header + directory)
