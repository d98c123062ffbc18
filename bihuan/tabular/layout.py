"""The rows of a ledger sheet that are not problems: the title and 填报 lines above the header,
section rows that name a category, notes and signatures below the table, totals and the row of
column numbers some templates put under the header."""

import datetime as dt
import re
from dataclasses import dataclass

from .cells import cell_text, joined, unnumbered
from .header import Header, column_key
from .sheet import SheetView


@dataclass(frozen=True)
class Preamble:
    title: str = ""
    reporting_unit: str = ""
    reported_on: dt.date | None = None


UNIT_LABEL = re.compile(
    r"(?:填报|报送|填表|申报)?单位(?:名称)?\s*(?:[（(][^）)]*[）)])?\s*[:：]\s*"
)
DATE_LABEL = re.compile(r"(?:填报|报送|填表|制表|统计)?(?:时间|日期)\s*[:：]\s*")
SEAL = re.compile(r"[（(\[【]\s*(?:盖章|公章|签章|章|签字|盖章处)?\s*[)）\]】]|盖章|公章")
DAY = re.compile(r"((?:19|20)\d\d)\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})")
ATTACHMENT = re.compile(r"^(?:附件|附表)\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?$")


def read_preamble(view: SheetView, header: Header) -> Preamble:
    """Title, 填报单位 and 填报时间 from the lines above the header."""
    title, unit, day = "", "", None
    for row in range(header.top):
        cells = view.own_texts(row)
        labelled = False
        for index, (column, text) in enumerate(cells):
            following = [view.value(row, c) for c, _ in cells[index + 1 :]]
            unit_match, date_match = UNIT_LABEL.search(text), DATE_LABEL.search(text)
            if unit_match:
                labelled = True
                unit = unit or _unit_named(text[unit_match.end() :], following)
            if date_match:
                labelled = True
                day = day or _day_named(text[date_match.end() :], following)
            if not (unit_match or date_match) and isinstance(view.own(row, column), dt.date):
                day = day or _day_named("", [view.own(row, column)])
        texts = [text for _, text in cells if not ATTACHMENT.match(text)]
        # A title stands alone on its line; two texts side by side are group headings.
        if not labelled and not title and len(texts) == 1:
            title = joined(texts[0])
    return Preamble(title=title, reporting_unit=unit, reported_on=day)


def _unit_named(rest: str, following: list[object]) -> str:
    # "填报单位：县委办公室      填报时间：…" in one cell ends where the next label begins.
    rest = re.split(r"\s{2,}|\u3000|(?:填报|报送|填表)?(?:时间|日期)\s*[:：]", rest)[0]
    if not rest.strip() and following and not re.search("[:：]", cell_text(following[0])):
        rest = cell_text(following[0])  # the name in the cell after the label
    return joined(SEAL.sub("", rest)).strip("：: ")


def _day_named(rest: str, following: list[object]) -> dt.date | None:
    values: list[object] = [rest, *following[:1]] if not rest.strip() else [rest]
    for value in values:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        match = DAY.search(cell_text(value))
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


SECTION_MARK = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[)）]|第[一二三四五六七八九十]+[部分类]?)"
)
CHINESE_MARK = re.compile(r"[（(]?\s*[一二三四五六七八九十]+\s*[)）、.．]?")
SECTION_END = re.compile(
    r"(?:方面|问题|不足|差距|[(（]?\s*(?:共)?\s*\d+\s*[个项条处]\s*[)）]?)\s*[:：]?$"
)
COUNT = re.compile(r"[(（]?\s*(?:共)?\s*\d+\s*[个项条处](?:问题)?\s*[)）]?\s*[:：]?$")
SUFFIXES = (
    "存在的问题",
    "存在问题",
    "方面的问题",
    "的问题",
    "问题",
    "存在的不足",
    "的不足",
    "不足",
)
SUFFIXES += ("存在的差距", "的差距", "差距", "方面")


def section_category(view: SheetView, row: int, header: Header) -> str | None:
    """The category a section row (`一、理论学习方面（3个）`) sets for the rows below it, or None
    when the row is not one: a section row holds a single text, merged across the table, or
    placed left of the problem column, or written like a heading."""
    problem, measure = header.columns["problem"], header.columns["measure"]
    cells = view.own_texts(row)
    if len(cells) == 2 and cells[0][0] < problem and CHINESE_MARK.fullmatch(cells[0][1]):
        cells = cells[1:]  # 一 | 理论学习方面: the number in the 序号 column, the name beside it
    if len(cells) != 1:
        return None
    column, text = cells[0]
    if re.fullmatch(r"[\d.]+", text):
        return None
    last = column + view.merge_width(row, column) - 1
    spans = last - column >= 2 or (
        column <= min(problem, measure) and last >= max(problem, measure)
    )
    leftish = column < problem or column == header.columns.get("category")
    # In the problem column, and not inside a problem merged from above: a short line or one
    # written like a heading is a section; elsewhere it would be a problem without measures.
    fresh = column == problem and not view.continues_from_above(row, column)
    short = fresh and len(text) <= 12 and not re.search(r"[，。；,;]", text)
    heading = (
        fresh and len(text) <= 40 and bool(SECTION_MARK.match(text) or SECTION_END.search(text))
    )
    if not (spans or leftish or short or heading):
        return None
    return category_name(text)


def category_name(text: str) -> str:
    """`一、理论学习方面（3个）` → 理论学习; `（二）在工作作风上存在的问题` → 工作作风."""
    name = COUNT.sub("", unnumbered(joined(text))).strip("：:。 ")
    changed = True
    while changed:
        changed = False
        for suffix in SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                name, changed = name[: -len(suffix)], True
    around = re.fullmatch(r"在(.+?)(?:方面|上)", name)
    return (around.group(1) if around else name).strip("：:。 ") or joined(text)


NOTE = re.compile(
    r"^\s*(?:(?:注|说明|备注|附注)\s*[0-9０-９]?\s*[:：]"
    r"|本表|此表|填表说明|填报说明|填表人|填报人|审核人|审批人|制表人|制表|统计人|联系电话|联系人\s*[:：]"
    r"|单位负责人|主要负责人|分管负责人|负责人\s*[:：]|单位\s*[（(]?盖章|签字|签发)"
)


def is_note(view: SheetView, row: int, header: Header) -> bool:
    """A note, signature or contact line under the table: the table ends there."""
    cells = view.own_texts(row)
    if not cells or not NOTE.match(cells[0][1]):
        return False
    measure = header.columns["measure"]
    return all(column == cells[0][0] or column != measure for column, _ in cells)


def is_filler(view: SheetView, row: int) -> bool:
    """A total line (合计), the row of column numbers under some headers, or the header
    repeated on a later page: rows that hold no problem and do not end the table."""
    cells = view.own_texts(row)
    first = re.sub(r"\s", "", cells[0][1]) if cells else ""
    if first.startswith(("合计", "小计", "总计", "共计")):
        return True
    numbers = [cell_text(view.own(row, column)) for column, _ in cells]
    if len(numbers) >= 3 and all(number.isdigit() for number in numbers):
        values = [int(number) for number in numbers]
        return values == list(range(values[0], values[0] + len(values)))
    exact = {key for key, is_exact in (column_key(text) for _, text in cells) if is_exact}
    return {"problem", "measure"} <= exact and len(exact) >= 3
