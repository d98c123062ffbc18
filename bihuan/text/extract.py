"""The extract step: an outline in, its sections' roles and their problems, causes and
measures out, per the `bihuan extract` contract (shared eval/extract-contract.md).

An item is the finest enumerated unit inside a problems / causes / measures section: the
inline 一是…二是… of a paragraph, else the numbered sub-headings, else each paragraph. A
sub-heading with items under it is their group (for problems, their category).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bihuan.text.items import Item
from bihuan.text.numbering import Run
from bihuan.text.outline import Node, Outline, Span
from bihuan.text.sections import CAUSES, MEASURES, PROBLEMS, heading_role, intro_role, lead_role
from bihuan.text.tables import table_items

__all__ = ["Extracted", "Item", "classify", "extract_items"]

ROLES = (PROBLEMS, CAUSES, MEASURES)


@dataclass(frozen=True)
class Extracted:
    """The outline with every node's role set, and the items of each role in text order."""

    outline: Outline
    problems: tuple[Item, ...]
    causes: tuple[Item, ...]
    measures: tuple[Item, ...]


def _with_roles(node: Node, inherited: str | None) -> Node:
    if node.style in ("document", "article"):
        role = None
    elif inherited is None:
        role = heading_role(node.heading)
    else:
        role = heading_role(node.heading, strict=True) or inherited
    children = tuple(_with_roles(child, role) for child in node.children)
    return replace(node, children=children, role=role or "other")


def classify(tree: Outline) -> Outline:
    """Set each node's role from its heading's meaning. Below a role's heading, nodes take
    that role unless their whole heading names another section (二、原因分析 under
    一、问题及原因)."""
    return replace(tree, root=_with_roles(tree.root, None))


_CLOSING = re.compile(
    r"^(?:以上|上述)[^。]{0,40}?(?:剖析|发言|材料|汇报|检查|对照|报告|内容|意见|体会)"
    r"|批评指正|不妥之处|^谢谢|^(?:恳请|敬请)|^同志们[,!]"
)
_INTRO_END = re.compile(
    r"(?::|(?:如下|以下[^。]{0,12}?(?:方面|几点|问题|措施|原因)[^。]{0,8}?))[。]?$"
)
# A short opening sentence that announces what follows (…还存在以下几个方面的差距。).
_INTRO_SHORT = re.compile(r"以下|如下|几个方面|几点|主要表现|具体表现|表现在")
_SIGNATURE = re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|[\u4e00-\u9fff]{2,4}")
_POSITIVE = re.compile(r"取得|成绩|成效|进步|收获|提升|提高|亮点|优点|长处|做法|经验")
_NEGATIVE = re.compile(r"问题|不足|差距|短板|欠缺|薄弱|但|然而|还存在")
# Genres that reflect on problems without listing the author's own.
_DISCUSSIONS = ("研讨材料", "讲话")
_TOUCHES_PROBLEMS = re.compile(r"问题|不足|差距|短板|整改|查摆|检视")
_AREA = re.compile(r"^在?([^,。;:!?\s]{2,30}?)(?<!一)方面")
_AREA_WRAPPER = re.compile(r"^在|(?:方面)?(?:存在的|的)?(?:问题|不足)?$")


def _area(text: str) -> str | None:
    match = _AREA.match(text)
    return match.group(1) if match else None


def _category(text: str, groups: tuple[Node, ...]) -> str | None:
    """The problem's area: a `在…方面` heading above it, its own `…方面。` lead phrase, or
    the heading it is listed under."""
    for group in reversed(groups):
        if area := _area(group.heading):
            return area
    if area := _area(text):
        return area
    if groups:
        return _AREA_WRAPPER.sub("", groups[-1].heading).strip() or None
    return None


class _Collector:
    def __init__(self, text: str) -> None:
        self.text = text
        self.items: dict[str, list[Item]] = {role: [] for role in ROLES}

    def add(self, role: str, start: int, end: int, groups: tuple[Node, ...]) -> None:
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        body = self.text[start:end]
        if len(body) < 4:
            return
        category = _category(body, groups) if role == PROBLEMS else None
        group = groups[-1].heading if groups else None
        self.items[role].append(Item(role, body, start, end, category, group))

    def add_runs(self, role: str, runs: tuple[Run, ...], groups: tuple[Node, ...]) -> None:
        for run in runs:
            for segment in run.items:
                self.add(role, segment.start, segment.end, groups)


def _is_intro(paragraph: str) -> bool:
    return bool(
        _INTRO_END.search(paragraph) or (len(paragraph) <= 60 and _INTRO_SHORT.search(paragraph))
    )


def _until_closing(body: tuple[Span, ...]) -> tuple[Span, ...]:
    for index, span in enumerate(body):
        if len(span.text) <= 120 and _CLOSING.search(span.text):
            return body[:index]
    return body


def _without_achievements(runs: tuple[Run, ...], text: str) -> tuple[Run, ...]:
    """Achievements listed as 一是/二是 before the problems are not problems."""

    def positive(run: Run) -> bool:
        intro = text[run.intro_start : run.intro_end]
        return bool(_POSITIVE.search(intro)) and not _NEGATIVE.search(intro)

    kept = tuple(run for run in runs if not positive(run))
    return kept if kept else runs


def _inside(runs: tuple[Run, ...], span: Span) -> bool:
    return any(run.items[0].start <= span.end and span.start <= run.items[-1].end for run in runs)


def _section(node: Node, role: str, groups: tuple[Node, ...], out: _Collector) -> None:
    """Collect the items of `node`, inside a `role` section; `groups` are the sub-headings
    between the section's heading and `node` (including `node` when it is one)."""
    body = _until_closing(node.body)
    runs = tuple(r for r in node.runs if r.items[-1].end <= (body[-1].end if body else 0))
    if role == PROBLEMS:
        runs = _without_achievements(runs, out.text)
    out.add_runs(role, runs, groups)
    if node.children:
        for child in node.children:
            # A sub-heading that is only a section name (存在的问题, 原因分析) opens a section.
            if heading_role(child.heading, strict=True):
                _section(child, child.role, (), out)
            else:
                _section(child, role, (*groups, child), out)
        return
    if runs:
        return
    # The section's own paragraphs, or those under a heading that only names an area
    # ((一)在理论学习方面): each paragraph is an item.
    if not groups or (node.heading_only and body and _area(node.heading)):
        for span in body:
            if _is_intro(span.text) or _SIGNATURE.fullmatch(span.text):
                continue
            out.add(role, span.start, span.end, groups)
        return
    # A numbered item, its words and the paragraphs that carry on from it.
    end = body[-1].end if body else (node.span.end if node.span else 0)
    out.add(role, node.words_start, end, groups[:-1])


def _other(node: Node, out: _Collector, *, cues: bool) -> None:
    """Outside any role's section. Where a heading touches on problems without naming a
    section (四、正视问题，大刀阔斧促整改), or a document has no headings at all, a list whose
    introduction names its role (`存在的突出问题主要有：一是…`) and a paragraph answering the
    problems (`针对存在的问题，…`) still count; elsewhere (a speech's 一、统一思想) nothing does."""
    cues = cues or bool(_TOUCHES_PROBLEMS.search(node.heading))
    if cues:
        for run in node.runs:
            role = intro_role(out.text[run.intro_start : run.intro_end])
            if role:
                out.add_runs(role, (run,), ())
        for span in _until_closing(node.body):
            if lead_role(span.text) and not _inside(node.runs, span):
                out.add(MEASURES, span.start, span.end, ())
    for child in node.children:
        if child.role in ROLES:
            _section(child, child.role, (), out)
        else:
            _other(child, out, cues=cues)


def _unique(items: list[Item]) -> tuple[Item, ...]:
    seen: set[tuple[str | None, str]] = set()
    kept = []
    for item in sorted(items, key=lambda i: i.start):
        key = (item.group, re.sub(r"\W", "", item.text))
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return tuple(kept)


def extract_items(tree: Outline, *, genre: str | None = None) -> Extracted:
    """Classify the outline's sections and collect their items, table rows included.

    A material with no problems / causes / measures section yields empty lists, except
    for lists whose introduction names their role in a section about problems, or in a
    material with no headings at all that is not a 研讨材料 or a speech (`genre`).
    """
    tree = classify(tree)
    out = _Collector(tree.text)
    headless = all(not child.children and child.style == "article" for child in tree.root.children)
    _other(tree.root, out, cues=headless and genre not in _DISCUSSIONS)
    for role, items in table_items(tree).items():
        out.items[role] += items
    return Extracted(tree, *(_unique(out.items[role]) for role in ROLES))
