"""Writing a 整改台账 in the layout people print and mail around, one row at a time.

A title row, a subtitle row, one header row with the names in `EXPORT_COLUMNS` (so the reader
takes the file back unchanged), then one row per measure with the problem's cells merged over
its measures. Rows stream to disk as they are written; only the merged ranges (16 bytes each)
wait in memory for the end of the sheet, where the file format puts them.
"""

from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from .columns import EXPORT_COLUMNS, Column

SHEET_NAME = "整改台账"
FONT = "宋体"
A4 = 9  # Excel's paper code

# Cells that belong to the problem, merged down over its measure rows.
PROBLEM_KEYS = frozenset({"seq", "category", "problem"})
# Short values read best centred; prose reads best flush left.
CENTRED_KEYS = frozenset({"seq", "category", "lead", "owner_unit", "owner", "deadline", "status"})


@dataclass(frozen=True)
class ExportMeasure:
    text: str
    lead: str = ""
    owner_unit: str = ""
    owner: str = ""
    deadline: str = ""  # as the ledger writes it: "2024年3月31日", "长期坚持"
    status: str = ""  # the state in words: "整改中", "已销号"
    progress: str = ""
    note: str = ""


@dataclass(frozen=True)
class ExportProblem:
    category: str
    text: str
    measures: tuple[ExportMeasure, ...] = ()


class _MergedRanges:
    """The merged ranges, four unsigned ints each in one array: a ledger of 100,000 measures
    has some 100,000 of them, and a list per range would make memory grow with the rows."""

    def __init__(self) -> None:
        self._bounds = array("I")

    def append(self, bounds) -> None:
        self._bounds.extend(bounds)

    def __len__(self) -> int:
        return len(self._bounds) // 4

    def __iter__(self):
        for start in range(0, len(self._bounds), 4):
            yield self._bounds[start : start + 4]


class _StreamingSheet(Worksheet):
    """A worksheet that can merge cells it has already written.

    In constant-memory mode a row is flushed to disk as soon as a later row is written, so
    `merge_range` cannot span rows: its blank cells below would flush the first row before the
    rest of it is written. The merged area is instead written cell by cell in row order (the
    value on top, formatted blanks below) and only its range is recorded here, in the list
    XlsxWriter writes as `<mergeCells>` after the rows.
    """

    def __init__(self) -> None:
        super().__init__()
        self.merge = _MergedRanges()

    def merge_written(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        self.merge.append((first_row, first_col, last_row, last_col))


def write_ledger(
    out: str | IO[bytes], *, title: str, subtitle: str, problems: Iterable[ExportProblem]
) -> int:
    """Write the ledger to a path or binary file; return the number of measure rows written.

    A problem without measures still gets a row, so nothing it says is lost.
    """
    workbook = Workbook(out, {"constant_memory": True})
    sheet = workbook.add_worksheet(SHEET_NAME, worksheet_class=_StreamingSheet)
    formats = _Formats(workbook)
    _set_up_page(sheet)
    last_col = len(EXPORT_COLUMNS) - 1

    # Written as "" and then as a string: a title is text even when it starts with "=".
    sheet.set_row(0, 30)
    sheet.merge_range(0, 0, 0, last_col, "", formats.title)
    sheet.write_string(0, 0, title, formats.title)
    sheet.set_row(1, 20)
    sheet.merge_range(1, 0, 1, last_col, "", formats.subtitle)
    sheet.write_string(1, 0, subtitle, formats.subtitle)
    for col, column in enumerate(EXPORT_COLUMNS):
        sheet.write_string(2, col, column.name, formats.header)

    row = 3
    measures = 0
    for number, problem in enumerate(problems, start=1):
        rows = problem.measures or (None,)
        for offset, measure in enumerate(rows):
            for col, column in enumerate(EXPORT_COLUMNS):
                if column.key in PROBLEM_KEYS:
                    value = _problem_value(problem, number, column) if offset == 0 else ""
                else:
                    value = _measure_value(measure, column)
                _write(sheet, row + offset, col, value, formats.body(column))
        if len(rows) > 1:
            for col, column in enumerate(EXPORT_COLUMNS):
                if column.key in PROBLEM_KEYS:
                    sheet.merge_written(row, col, row + len(rows) - 1, col)
        row += len(rows)
        measures += len(problem.measures)

    workbook.close()
    return measures


def _problem_value(problem: ExportProblem, number: int, column: Column) -> int | str:
    if column.key == "seq":
        return number
    return problem.category if column.key == "category" else problem.text


def _measure_value(measure: ExportMeasure | None, column: Column) -> str:
    if measure is None:
        return ""
    return measure.text if column.key == "measure" else getattr(measure, column.key)


def _write(sheet: Worksheet, row: int, col: int, value: int | str, cell_format) -> None:
    # Text always goes through write_string: a measure that starts with "=" must stay text,
    # never become a formula (formula injection).
    if isinstance(value, int):
        sheet.write_number(row, col, value, cell_format)
    elif value:
        # A line break in a cell is LF; a CR (from a browser's textarea) shows as a stray mark.
        sheet.write_string(row, col, value.replace("\r\n", "\n"), cell_format)
    else:
        sheet.write_blank(row, col, None, cell_format)


def _set_up_page(sheet: Worksheet) -> None:
    for col, column in enumerate(EXPORT_COLUMNS):
        sheet.set_column(col, col, column.width)
    sheet.freeze_panes(3, 0)
    sheet.repeat_rows(2)
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&C第 &P 页，共 &N 页")


class _Formats:
    def __init__(self, workbook: Workbook) -> None:
        base = {"font_name": FONT, "font_size": 10, "valign": "vcenter", "text_wrap": True}
        self.title = workbook.add_format({**base, "font_size": 16, "bold": True, "align": "center"})
        self.subtitle = workbook.add_format({**base, "align": "left"})
        self.header = workbook.add_format(
            {**base, "bold": True, "align": "center", "border": 1, "bg_color": "#D9D9D9"}
        )
        self._centred = workbook.add_format({**base, "align": "center", "border": 1})
        self._left = workbook.add_format({**base, "align": "left", "border": 1})

    def body(self, column: Column):
        return self._centred if column.key in CENTRED_KEYS else self._left
