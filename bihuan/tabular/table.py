"""Workbook in, `ParsedLedger` out: every ledger sheet found by its header, its rows read into
problems and measures, and every cell that cannot be understood reported with sheet, row and
column.

`read_ledger` is the entry point; `parse_ledger` does the same for grids already read.
"""

import datetime as dt

from .cells import cell_text, unnumbered
from .header import Header, find_header
from .records import LedgerFileError, ParsedLedger, ParsedProblem
from .rows import SheetReader
from .sheet import SheetView
from .workbook import Grid, read_grids

NAMES_EXPECTED = (
    "需要“问题描述/存在问题/问题表现”和“整改措施/具体整改措施”等列，"
    "以及“责任单位”“责任人”“整改时限”“完成情况”等列"
)


def read_ledger(
    data: bytes, *, filename: str, today: dt.date, max_bytes: int = 20 * 1024 * 1024
) -> ParsedLedger:
    """Read an uploaded 整改台账; raises `LedgerFileError` when the file as a whole cannot be."""
    return parse_ledger(read_grids(data, filename=filename, max_bytes=max_bytes), today=today)


def parse_ledger(grids: list[Grid], *, today: dt.date) -> ParsedLedger:
    if not any(cell_text(value) for grid in grids for row in grid.rows for value in row):
        raise LedgerFileError("工作簿是空的：没有任何工作表有内容。请确认上传的是填好的台账文件。")
    found = [(grid, view, find_header(view)) for grid in grids for view in [SheetView(grid)]]
    ledgers = [(grid, view, h) for grid, view, h in found if h is not None and h.complete]
    # A hidden sheet is usually an old copy or a list for drop-downs; read it only when it is
    # the only ledger there is.
    ledgers = [item for item in ledgers if not item[0].hidden] or ledgers
    if not ledgers:
        raise LedgerFileError(_no_header_message(found))

    problems: list[ParsedProblem] = []
    issues = []
    sheets = []
    seen: set[tuple[str, ...]] = set()
    title, unit, reported_on = "", "", None
    for _grid, view, header in ledgers:
        reader = SheetReader(view, header, today=today)
        title = title or reader.preamble.title
        unit = unit or reader.preamble.reporting_unit
        reported_on = reported_on or reader.preamble.reported_on
        sheet_problems, sheet_issues = reader.read()
        # A summary sheet that repeats the rows of the unit sheets adds nothing.
        fresh = [problem for problem in sheet_problems if _fingerprint(problem) not in seen]
        seen.update(_fingerprint(problem) for problem in fresh)
        problems.extend(fresh)
        issues.extend(sheet_issues)
        if fresh or sheet_issues:
            sheets.append(view.name)
    if not problems and not issues:
        names = "、".join(f"“{view.name}”" for _, view, _ in ledgers)
        raise LedgerFileError(
            f"工作表{names}有台账表头，但表头下面没有任何问题和整改措施；请填写后再导入。"
        )
    return ParsedLedger(
        problems=tuple(problems),
        issues=tuple(issues),
        title=title,
        reporting_unit=unit,
        reported_on=reported_on,
        sheets=tuple(sheets),
    )


def _fingerprint(problem: ParsedProblem) -> tuple[str, ...]:
    return (problem.text, *(measure.text for measure in problem.measures))


def _no_header_message(found: list[tuple[Grid, SheetView, Header | None]]) -> str:
    partial = [(view, header) for _, view, header in found if header is not None]
    if partial:
        view, header = max(partial, key=lambda item: len(item[1].columns))
        if "problem" in header.columns:
            have, missing = header.labels["problem"], "“整改措施”（或“具体整改措施”“整改举措”）"
        else:
            have, missing = header.labels["measure"], "“问题描述”（或“存在问题”“问题表现”）"
        return (
            f"工作表“{view.name}”第 {header.top + 1} 行像是台账表头，有“{unnumbered(have)}”列，"
            f"但没有{missing}列；台账要同时有问题和整改措施两列，请补上或改用这些列名后再导入。"
        )
    return f"没有找到台账表头：{NAMES_EXPECTED}。请确认表头行写有这些列名后再导入。"
