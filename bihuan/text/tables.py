"""Problems, causes and measures kept in a table (`问题 | 原因 | 整改措施` rows, from Word
tables or pipe tables), one item per filled cell of a role's column."""

from __future__ import annotations

import re

from bihuan.text.items import Item
from bihuan.text.outline import Outline, Span
from bihuan.text.sections import CAUSES, MEASURES, PROBLEMS

__all__ = ["table_items"]

CATEGORY = "category"
# Header words by meaning; a column naming none of them (序号, 责任人, 完成时限) is ignored.
_COLUMNS = (
    (re.compile(r"时限|时间|责任|序号|编号|备注|状态|进度|来源"), None),
    (re.compile(r"类别|类型|方面|领域|分类"), CATEGORY),
    (re.compile(r"措施|举措|整改方向|整改目标|对策"), MEASURES),
    (re.compile(r"原因|根源"), CAUSES),
    (re.compile(r"问题|不足|差距|表现"), PROBLEMS),
)


def _cells(row: Span) -> list[tuple[int, int]]:
    """(start, end) of each cell's text in the whole text."""
    cells, start = [], row.start
    for part in row.text.split("|"):
        stripped = part.strip()
        if stripped:
            lead = len(part) - len(part.lstrip())
            cells.append((start + lead, start + lead + len(stripped)))
        else:
            cells.append((start, start))
        start += len(part) + 1
    if row.text.startswith("|"):
        cells = cells[1:]
    if row.text.endswith("|"):
        cells = cells[:-1]
    return cells


def _header(text: str, cells: list[tuple[int, int]]) -> list[str | None] | None:
    kinds: list[str | None] = []
    for start, end in cells:
        cell = text[start:end]
        kind = next((k for pattern, k in _COLUMNS if pattern.search(cell)), None)
        kinds.append(kind if len(cell) <= 12 else None)
    return kinds if any(k in (PROBLEMS, CAUSES, MEASURES) for k in kinds) else None


def _tables(rows: tuple[Span, ...]) -> list[list[Span]]:
    """Consecutive rows (one line break apart) form one table."""
    tables: list[list[Span]] = []
    for row in rows:
        if tables and row.start == tables[-1][-1].end + 1:
            tables[-1].append(row)
        else:
            tables.append([row])
    return tables


def table_items(tree: Outline) -> dict[str, list[Item]]:
    """Items from every table whose header row names a problems, causes or measures column.
    A problem cell repeated on the rows of its several measures counts once."""
    found: dict[str, list[Item]] = {PROBLEMS: [], CAUSES: [], MEASURES: []}
    text = tree.text
    for table in _tables(tree.tables):
        kinds: list[str | None] | None = None
        for row in table:
            cells = _cells(row)
            if kinds is None:
                kinds = _header(text, cells)
                continue
            if len(cells) != len(kinds):
                continue
            category = next(
                (
                    text[s:e] or None
                    for (s, e), k in zip(cells, kinds, strict=True)
                    if k == CATEGORY
                ),
                None,
            )
            for (start, end), kind in zip(cells, kinds, strict=True):
                if kind in found and end - start >= 2:
                    extra = {"category": category} if kind == PROBLEMS else {}
                    found[kind].append(Item(kind, text[start:end], start, end, **extra))
    return found
