"""Enumerators: the numbers that open headings and items, at a paragraph's start or inline.

Every level of GB/T 9704 numbering (一、 (一) 1. (1)) with its common variants (`1、`, `一.`,
`1)`, `①`, `第一部分`), and the inline alternatives (一是…二是…, 一要…, 第一,…, 其一,…,
首先…其次…, and inline `1.` `(1)` `①` lists). Text is NFKC-normalised: brackets are
half-width.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Numbered",
    "Run",
    "Segment",
    "cn_number",
    "find_runs",
    "first_inline",
    "leading_number",
]

CN_DIGITS = "一二三四五六七八九十"
_CN = f"[{CN_DIGITS}]{{1,3}}"


def cn_number(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23; digits are read as digits."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return CN_DIGITS.index(text) + 1 if len(text) == 1 else 0
    tens, _, units = text.partition("十")
    return (CN_DIGITS.index(tens) + 1 if tens else 1) * 10 + (
        CN_DIGITS.index(units) + 1 if units else 0
    )


@dataclass(frozen=True)
class Numbered:
    """A paragraph that opens with a heading enumerator.

    style: "cn" 一、, "cn_paren" (一), "num" 1. / 1、, "num_paren" (1), "num_half" 1),
        "circled" ①, "part" 第一部分 / 第一章.
    number: the enumerator as written, without surrounding spaces ("(一)", "1、").
    ordinal: its value (1 for 一, ①, 第一部分).
    rest: the paragraph after the enumerator.
    """

    style: str
    number: str
    ordinal: int
    rest: str


_BLOCK = [
    ("part", re.compile(rf"^(第({_CN}|\d{{1,2}})(?:部分|章|节))\s*[、.,:]?\s*")),
    ("cn", re.compile(rf"^(({_CN})\s*[、.,])\s*")),
    ("cn_paren", re.compile(rf"^(\(\s*({_CN})\s*\)\s*[、.,]?)\s*")),
    ("num_paren", re.compile(r"^(\(\s*(\d{1,2})\s*\)\s*[、.]?)\s*")),
    ("num", re.compile(r"^((\d{1,2})\s*[、.](?!\d))\s*")),
    ("num_half", re.compile(r"^((\d{1,2})\))\s*")),
    ("circled", re.compile(r"^(([\u2460-\u2473]))\s*")),
]


_NOT_AFTER = CN_DIGITS + "日月年号"


def leading_number(paragraph: str) -> Numbered | None:
    """The heading enumerator that opens `paragraph`, or None.

    A number that opens a list or a figure is not an enumerator: `一、二年级`, `12、13日`,
    `1.5倍`, `2023年`.
    """
    for style, pattern in _BLOCK:
        match = pattern.match(paragraph)
        if not match:
            continue
        rest = paragraph[match.end() :]
        # ①2023年… is still an item; 一、二年级 and 12、13日 are not headings.
        if not rest or (style != "circled" and (rest[0].isdigit() or rest[0] in _NOT_AFTER)):
            return None
        value = match.group(2)
        ordinal = ord(value) - 0x245F if style == "circled" else cn_number(value)
        return Numbered(style, match.group(1).strip(), ordinal, rest)
    return None


@dataclass(frozen=True)
class Segment:
    """One enumerated item of an inline run; offsets are into the scanned text's owner."""

    number: str
    start: int  # where the item's text starts, after its enumerator
    end: int


@dataclass(frozen=True)
class Run:
    """A run of consecutive enumerators (一是, 二是, 三是 …) and the text before it."""

    family: str
    intro_start: int
    intro_end: int
    items: tuple[Segment, ...]


# An inline enumerator opens the text, a line or a clause: never the middle of a word
# (统一是, 唯一是, 完成1、2月份).
_AT_BOUNDARY = r"(?<![^\n。;:!?,、\s”’)])"
_FAMILIES = (
    ("是", rf"(?P<v0>{_CN})是"),
    ("要", rf"(?P<v1>{_CN})要"),
    ("第", rf"第(?P<v2>{_CN})(?:[,、:]|是)"),
    ("其", rf"其(?P<v3>{_CN})[,、:]"),
    ("首先", r"(?P<v4>首先|其次|再次|再者|最后)(?:[,、:]|(?=[要是]))"),
    ("num", r"(?P<v5>\d{1,2})[、.](?![\d%])"),
    ("num_paren", r"\((?P<v6>\d{1,2})\)"),
    ("cn_paren", rf"\((?P<v7>{_CN})\)"),
    ("circled", r"(?P<v8>[\u2460-\u2473])"),
)
# One pass over the text finds the enumerators of every family.
_INLINE = re.compile(
    _AT_BOUNDARY
    + "(?:"
    + "|".join(f"(?P<f{i}>{body})" for i, (_, body) in enumerate(_FAMILIES))
    + ")"
)


@dataclass(frozen=True)
class _Hit:
    family: str
    ordinal: int
    start: int
    end: int
    number: str


def _hits(text: str) -> list[_Hit]:
    hits = []
    for match in _INLINE.finditer(text):
        index = int(match.lastgroup[1:])  # type: ignore[index]
        family = _FAMILIES[index][0]
        value = match.group(f"v{index}")
        hits.append(
            _Hit(family, _ordinal(family, value), match.start(), match.end(), match.group(0))
        )
    return hits


_SEQUENCE_WORDS = {"首先": 1, "其次": 2, "再次": 3, "再者": 3, "最后": 0}
_TRIM = " \n;,、。"  # separators between items; a final 。 is put back below


def _ordinal(family: str, value: str) -> int:
    if family == "首先":
        return _SEQUENCE_WORDS[value]
    if family == "circled":
        return ord(value) - 0x245F
    return cn_number(value)


def _runs_of(hits: list[_Hit]) -> list[list[_Hit]]:
    """Consecutive ordinals from 1: a new 1 starts a new run; others out of order are text."""
    runs: list[list[_Hit]] = []
    current: list[_Hit] = []
    for hit in hits:
        expected = current[-1].ordinal + 1 if current else 1
        if hit.ordinal == 1:
            if len(current) >= 2:
                runs.append(current)
            current = [hit]
        elif current and (hit.ordinal == expected or (hit.ordinal == 0 and len(current) >= 2)):
            current.append(hit)
    if len(current) >= 2:
        runs.append(current)
    return runs


def _item_end(text: str, start: int, stop: int) -> int:
    end = stop
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    # Keep the full stop that ends the item's last sentence.
    return end + 1 if end < stop and text[end] == "。" else end


def first_inline(text: str) -> int | None:
    """Where the first inline enumerator numbered one (一是, 第一, 首先, (1), ①) starts."""
    starts = [hit.start for hit in _hits(text) if hit.ordinal == 1]
    return min(starts, default=None)


def find_runs(text: str, *, offset: int = 0) -> tuple[Run, ...]:
    """The inline enumerations in `text` (one or more paragraphs joined by `\\n`).

    Only the outermost family is used: the one whose run starts first (一是 items may
    contain their own (1)(2)). An item ends where the next one starts; the last item of a
    run ends at the end of its paragraph, or, when a new run starts in the same paragraph,
    at the last sentence end before the new run's introduction. Items exclude their
    enumerator and trailing separators. Offsets are shifted by `offset`.
    """
    by_family: dict[str, list[_Hit]] = {}
    for hit in _hits(text):
        by_family.setdefault(hit.family, []).append(hit)
    best: tuple[str, list[list[_Hit]]] | None = None
    for family, hits in by_family.items():
        runs = _runs_of(hits)
        if runs and (best is None or runs[0][0].start < best[1][0][0].start):
            best = (family, runs)
    if best is None:
        return ()
    family, runs = best
    result: list[Run] = []
    intro_start = 0
    for index, run in enumerate(runs):
        last = run[-1]
        paragraph_end = text.find("\n", last.end)
        stop = len(text) if paragraph_end < 0 else paragraph_end
        next_intro = len(text)
        if index + 1 < len(runs):
            following = runs[index + 1][0].start
            if following < stop:
                ends = [m.end() for m in re.finditer(r"[。!?]", text[: following - 1])]
                stop = max([e for e in ends if e > last.end] or [following])
            next_intro = stop
        items = []
        for position, hit in enumerate(run):
            end = run[position + 1].start if position + 1 < len(run) else stop
            start = hit.end
            while start < end and text[start] in " ,:、":
                start += 1
            items.append(Segment(hit.number, offset + start, offset + _item_end(text, start, end)))
        result.append(Run(family, offset + intro_start, offset + run[0].start, tuple(items)))
        intro_start = next_intro
    return tuple(result)
