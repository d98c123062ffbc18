"""Workbooks of plain tables (a ranking, a report's annex): one sheet per table, a title row,
a header row, then rows streamed to disk. No Django: rows come in as tuples of str and int."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from xlsxwriter import Workbook

FONT = "宋体"
A4 = 9


@dataclass(frozen=True)
class Sheet:
    name: str  # at most 31 characters, Excel's limit
    title: str
    header: tuple[str, ...]
    rows: Iterable[tuple]
    widths: tuple[int, ...] = ()


def write_sheets(out: str | IO[bytes], sheets: Iterable[Sheet]) -> dict[str, int]:
    """Write each sheet; return the rows written per sheet name."""
    workbook = Workbook(out, {"constant_memory": True})
    base = {"font_name": FONT, "font_size": 10, "valign": "vcenter", "text_wrap": True}
    title = workbook.add_format({**base, "font_size": 14, "bold": True, "align": "center"})
    header = workbook.add_format(
        {**base, "bold": True, "align": "center", "border": 1, "bg_color": "#D9D9D9"}
    )
    cell = workbook.add_format({**base, "border": 1})
    written = {}
    for spec in sheets:
        sheet = workbook.add_worksheet(spec.name[:31])
        for col, width in enumerate(spec.widths or (14,) * len(spec.header)):
            sheet.set_column(col, col, width)
        sheet.set_landscape()
        sheet.set_paper(A4)
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(1)
        sheet.freeze_panes(2, 0)
        sheet.set_footer("&C第 &P 页，共 &N 页")
        last = max(len(spec.header) - 1, 0)
        sheet.set_row(0, 26)
        sheet.merge_range(0, 0, 0, last, "", title)
        sheet.write_string(0, 0, spec.title, title)
        for col, name in enumerate(spec.header):
            sheet.write_string(1, col, name, header)
        count = 0
        for count, values in enumerate(spec.rows, start=1):
            for col, value in enumerate(values):
                # Text through write_string: a cell starting with "=" stays text (no formulas).
                if isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(1 + count, col, value, cell)
                elif value not in (None, ""):
                    sheet.write_string(1 + count, col, str(value).replace("\r\n", "\n"), cell)
                else:
                    sheet.write_blank(1 + count, col, None, cell)
        written[spec.name] = count
    workbook.close()
    return written
