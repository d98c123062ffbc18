"""Several articles on one page: where each begins (篇一, 【第一篇】, 材料1, or a title that
repeats with a running number: `…专题研讨材料1`, `…专题研讨2`)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

__all__ = ["ArticleStart", "article_starts", "article_title"]

_NUMERAL = r"[一二三四五六七八九十\d]{1,3}"
_MARKER = re.compile(
    rf"^【?\s*(第{_NUMERAL}篇|篇{_NUMERAL}|(?:范文|材料|文章|例文|素材)\s*{_NUMERAL})\s*】?\s*[:、.]?\s*"
)
_NUMBERED_TITLE = re.compile(r"^(.{6,}?)\s*(\d{1,2})$")
_SENTENCE = re.compile(r"[。,;:!?]")


@dataclass(frozen=True)
class ArticleStart:
    """The paragraph at `index` opens an article: its marker, title, and any body text that
    follows the marker on the same line."""

    index: int
    number: str
    title: str
    body: str = ""


def _marked(index: int, text: str) -> ArticleStart | None:
    match = _MARKER.match(text)
    if not match:
        return None
    rest = text[match.end() :].strip()
    if len(rest) <= 60 and not _SENTENCE.search(rest):
        return ArticleStart(index, match.group(1).replace(" ", ""), rest)
    return ArticleStart(index, match.group(1).replace(" ", ""), "", rest)


def article_title(paragraph: str) -> str:
    """A paragraph without its article marker: `【第一篇】剖析材料` → `剖析材料`."""
    match = _MARKER.match(paragraph)
    return paragraph[match.end() :].strip() if match else paragraph


def article_starts(paragraphs: list[str]) -> list[ArticleStart]:
    """Where the articles on a page begin, in order; fewer than two means one article."""
    marked = [s for i, text in enumerate(paragraphs) if (s := _marked(i, text))]
    if len(marked) >= 2:
        return marked
    groups: dict[str, list[ArticleStart]] = defaultdict(list)
    for index, text in enumerate(paragraphs):
        if len(text) > 60 or _SENTENCE.search(text):
            continue
        match = _NUMBERED_TITLE.match(text)
        if match:
            groups[match.group(1)[:6]].append(ArticleStart(index, match.group(2), text))
    best = max(groups.values(), key=len, default=[])
    numbers = {start.number for start in best}
    return best if len(best) >= 2 and len(numbers) == len(best) else []
