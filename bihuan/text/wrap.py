"""Hard wraps and site chunk numbers: lines back into the paragraphs they were cut from."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from bihuan.text.numbering import leading_number
from bihuan.text.state import Normalised

__all__ = ["drop_chunk_numbers", "join_wrapped_lines"]

_CLOSERS = "”’」』)》】"
_SENTENCE_ENDS = "。!?;:…"
_CONTINUATION_START = ",。、;:!?)》”’」』…"
_MID_SENTENCE_END = ",、"
_NEW_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[是要]|第[一二三四五六七八九十]{1,3}[,、:]|其[一二三四五六七八九十][,、:]"
    r"|首先|【|篇[一二三四五六七八九十\d]|第[一二三四五六七八九十\d]+篇|同志们)"
)
_GENRE_END = re.compile(
    r"(?:材料|发言|讲话|总结|方案|报告|提纲|清单|体会|汇报|意见|通知|决定|规定|办法|纪要|\(\d+篇\))$"
)


_NARROW = re.compile(r"[A-Za-z0-9 ]")


def _width(line: str) -> int:
    """Printed width: a hanzi or a (formerly full-width) punctuation mark is two columns."""
    return 2 * len(line) - len(_NARROW.findall(line))


def _wrap_width(lines: list[str]) -> int | None:
    """The width a PDF or a fixed-width page wrapped its lines at, if it did: many lines
    are then nearly as wide as the widest common line."""
    widths = [_width(line) for line in lines if len(line) >= 10]
    if len(widths) < 6:
        return None
    common = Counter(widths)
    best = max(common, key=lambda w: (sum(common[x] for x in range(w - 4, w + 1)), w))
    share = sum(common[x] for x in range(best - 4, best + 1))
    return best if share >= max(4, 0.35 * len(widths)) and best <= 200 else None


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS)
    if not stripped:
        return True
    return stripped[-1] in _SENTENCE_ENDS or stripped.endswith("...")


def _is_table_row(line: str) -> bool:
    return line.count("|") >= 1 and (" | " in line or line.startswith("|"))


def _title_like(line: str) -> bool:
    return len(line) <= 50 and not re.search(r"[。,;:!?]", line) and bool(_GENRE_END.search(line))


def _continues(previous: str, line: str, *, width: int | None, after_blank: bool) -> bool:
    """Whether `line` is the rest of the sentence that `previous` was cut in."""
    if _is_table_row(previous) or _is_table_row(line):
        return False
    if line[0] in _CONTINUATION_START:
        return True
    if _ends_sentence(previous) or leading_number(line) or _NEW_ITEM.match(line):
        return False
    if _title_like(previous):
        return False
    if width is not None:
        return _width(previous) >= width - 6
    if after_blank:
        return False
    if previous[-1] in _MID_SENTENCE_END:
        return True
    return len(previous) >= 30 and not leading_number(previous)


def join_wrapped_lines(state: Normalised) -> Normalised:
    """Join lines hard-wrapped mid-sentence (`班子\\n成员`) back into paragraphs.

    A line continues the one before when that one ends mid-sentence and the line does not
    open a heading, an item or a table row; in wrapped text (PDFs, fixed-width pages) only
    a full-width line is continued, even across a blank line (a page break). Real paragraph
    and heading breaks stay. Returns one paragraph per line, without blank lines.
    """
    lines = state.text.split("\n")
    width = _wrap_width([line.strip() for line in lines])
    paragraphs: list[str] = []
    after_blank = False
    for raw in lines:
        line = raw.strip()
        if not line:
            after_blank = True
            continue
        if paragraphs and _continues(paragraphs[-1], line, width=width, after_blank=after_blank):
            previous = paragraphs[-1]
            space = " " if previous[-1].isascii() and line[0].isascii() else ""
            paragraphs[-1] = previous + space + line
        else:
            paragraphs.append(line)
        after_blank = False
    return replace(state, text="\n".join(paragraphs))


_CHUNK_NUMBER = re.compile(r"^(\d{1,3})、\s*")
_INTRO_END = re.compile(r"(?:方面|如下|以下|几点|表现在|主要有|包括|有|是|为)$")


def drop_chunk_numbers(state: Normalised) -> Normalised:
    """Remove the chunk numbers (`2、`) that document sites insert where they cut a text.

    A lone `N、` line goes. A paragraph opening with `N、` right after a long paragraph
    that stops mid-sentence is that paragraph's continuation: the number goes and the two
    are joined (a real first item `1、` after an unfinished introduction stays).
    """
    removed = list(state.removed)
    paragraphs: list[str] = []
    for paragraph in state.text.split("\n"):
        match = _CHUNK_NUMBER.match(paragraph)
        if match and not paragraph[match.end() :].strip():
            removed.append(paragraph.strip())
            continue
        if match and paragraphs:
            previous = paragraphs[-1]
            first = int(match.group(1)) == 1
            if (
                len(previous) >= 60
                and not _ends_sentence(previous)
                and not _is_table_row(previous)
                and not (first and _INTRO_END.search(previous))
            ):
                removed.append(match.group(0).strip())
                paragraphs[-1] = previous + paragraph[match.end() :]
                continue
        paragraphs.append(paragraph)
    return replace(state, text="\n".join(paragraphs), removed=tuple(removed))
