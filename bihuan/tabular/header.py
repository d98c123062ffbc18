"""Find a ledger's header by what its cells mean, wherever it sits and however it is worded.

A header is one row, or two when a group cell (整改责任, 责任分工 …) spans sub-headers such as
牵头领导 / 牵头单位 / 责任人 and the other columns are merged down over both rows.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from .cells import joined
from .columns import ALL_COLUMNS
from .sheet import SheetView

SEARCH_ROWS = 40  # title, 填报 lines and notes above a header never run longer than this
LONGEST_LABEL = 20  # characters, once normalised; a longer cell is data or a sentence


@dataclass(frozen=True)
class Header:
    top: int  # 0-based index of the first header row
    bottom: int  # the last header row; data starts below it
    columns: dict[str, int]  # column key (columns.py) → column index
    labels: dict[str, str]  # column key → the header cell's text as the file writes it

    @property
    def complete(self) -> bool:
        return "problem" in self.columns and "measure" in self.columns


def normalise_label(text: str) -> str:
    """NFKC, without bracketed notes ("（具体到人）"), whitespace or marks such as `*` and `：`."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|<[^<>]*>", "", text)
    return re.sub(r"[\s*★※:：]", "", text)


EXACT = {normalise_label(name): column.key for column in ALL_COLUMNS for name in column.names}


def _any(*words: str) -> Callable[[str], bool]:
    return lambda label: any(word in label for word in words)


def _is_deadline(label: str) -> bool:
    when = _any("时间", "日期")(label)
    return _any("时限", "期限", "截止")(label) or (when and _any("完成", "整改", "办结")(label))


def _is_combined_unit(label: str) -> bool:
    return _any("单位", "部门", "科室", "处室")(label) and _any("及", "和", "/", "、")(label)


def _is_done_date(text: str) -> bool:
    """实际完成时间 and 销号日期 record when a measure was closed, not when it is due; the
    word may sit in a bracketed note, as in 完成时间（实际）."""
    plain = unicodedata.normalize("NFKC", text)
    return _any("实际", "销号")(plain) and _any("时间", "日期")(plain)


# Tried in order when no synonym matches exactly; the order settles overlaps such as
# 问题整改措施 (a measure) and 问题整改情况 (a status).
CONTAINS_RULES: tuple[tuple[str | None, Callable[[str], bool]], ...] = (
    (None, lambda label: label.startswith(("填报", "填表", "报送", "制表", "审核"))),
    # 问题数, 措施总数, 整改率: the columns of a summary table, not of a ledger
    (None, lambda label: label.endswith(("数", "数量", "率", "合计", "占比"))),
    ("seq", lambda label: label.endswith(("序号", "编号")) or label in ("序", "No", "No.")),
    ("measure", _any("措施", "举措")),
    ("deadline", _is_deadline),
    ("progress", _any("成效", "最新进展", "进展说明")),
    ("status", _any("完成情况", "进展", "进度", "整改情况", "落实情况", "办理情况", "状态")),
    ("status", _any("是否完成", "是否整改", "是否销号", "销号情况", "整改结果")),
    ("lead", _any("领导")),
    ("owner_unit", _is_combined_unit),
    ("owner", _any("责任人", "负责人", "经办人", "联系人")),
    ("owner_unit", _any("单位", "部门", "科室", "处室", "主体")),
    ("category", _any("类别", "类型", "分类", "方面", "领域")),
    ("source", _any("来源")),
    ("cause", _any("原因", "根源", "剖析")),
    # The words of audit, inspection and safety ledgers, after 整改计划完成时间 is a deadline.
    ("measure", _any("整改要求", "整改意见", "整改建议", "整改方案", "整改计划", "整改办法")),
    ("problem", _any("问题", "表现", "查摆", "检视", "隐患", "反馈意见", "审计发现")),
    ("note", _any("备注")),
)


def column_key(text: str) -> tuple[str | None, bool]:
    """The column a header cell names, and whether a synonym matched it exactly."""
    label = normalise_label(text)
    if not label:
        return None, False
    if _is_done_date(text):
        return None, False
    if label in EXACT:
        return EXACT[label], True
    if len(label) > LONGEST_LABEL:
        return None, False
    for key, matches in CONTAINS_RULES:
        if matches(label):
            return key, False
    return None, False


def assign(cells: list[tuple[int, str]]) -> tuple[dict[str, int], dict[str, str]]:
    """Columns for (column index, header text) pairs: exact names first, the first of two
    columns with the same meaning wins, and a second status column holds the progress."""
    keyed = [(column, text, *column_key(text)) for column, text in cells]
    keyed.sort(key=lambda item: (not item[3], item[0]))
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    for column, text, key, _exact in keyed:
        if key == "status" and "status" in columns:
            key = "progress"
        if key is None or key in columns or column in columns.values():
            continue
        columns[key] = column
        labels[key] = joined(text)
    return columns, labels


def find_header(view: SheetView) -> Header | None:
    """The first header with both a problem and a measure column; failing that the most complete
    partial one (two columns or more, one of them problem or measure) so the error can say
    what is missing; None when nothing looks like a header."""
    partial: Header | None = None
    for top in range(min(view.height, SEARCH_ROWS)):
        one = _single(view, top)
        two = _double(view, top)
        below = _single(view, top + 1)
        if two and two.complete and len(two.columns) > max(len(one.columns), len(below.columns)):
            return two
        if one.complete:
            return one
        names_a_side = {"problem", "measure"} & one.columns.keys() and len(one.columns) >= 2
        if names_a_side and (partial is None or len(one.columns) > len(partial.columns)):
            partial = one
    return partial


def _single(view: SheetView, row: int) -> Header:
    columns, labels = assign(view.own_texts(row))
    return Header(top=row, bottom=row, columns=columns, labels=labels)


def _double(view: SheetView, top: int) -> Header | None:
    """The header read as a group row over a sub-header row, or None when the second row does
    not look like sub-headers (a long text in it is data)."""
    sub = top + 1
    if sub >= view.height:
        return None
    cells = []
    sub_texts = []
    for column in range(view.width):
        below = "" if view.continues_from_above(sub, column) else view.text(sub, column)
        if below:
            if len(normalise_label(below)) > LONGEST_LABEL:
                return None
            sub_texts.append(below)
        text = below or view.text(top, column)
        if text and not (view.covered(top, column) and not below):
            cells.append((column, text))
    known = sum(column_key(text)[0] is not None for text in sub_texts)
    if not sub_texts or known * 2 < len(sub_texts):
        return None
    columns, labels = assign(cells)
    return Header(top=top, bottom=sub, columns=columns, labels=labels)
