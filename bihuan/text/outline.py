"""The outline step: normalised text in, its heading tree out.

    tree = outline(cleaned.text)

Headings are paragraphs opening with an enumerator of any GB/T 9704 level (一、 (一) 1. (1)
and variants) or, with no number, naming a problems / causes / measures section on their
own. Levels follow the order in which a document nests its styles, whatever that order is.
A table of contents before the body is skipped, and a page holding several articles (篇一,
【第一篇】, 材料1 …) becomes one article node per article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bihuan.text.articles import article_starts
from bihuan.text.numbering import Numbered, Run, find_runs, first_inline, leading_number
from bihuan.text.sections import heading_role

__all__ = ["Node", "Outline", "Span", "outline", "paragraph_spans"]


@dataclass(frozen=True)
class Span:
    """A stretch of the normalised text: `text == clean_text[start:end]`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Node:
    """A heading with what it covers.

    style: "document", "article", or the enumerator style ("cn", "cn_paren", "num", …,
        "plain" for an unnumbered section name).
    number: the enumerator as written ("一、", "(一)", "篇一"), "" when none.
    heading: the heading's words: up to the first full stop or colon when the heading runs
        straight into its body.
    span: the heading's whole paragraph (None for the document).
    body: what follows the heading up to its first sub-heading: the rest of its own
        paragraph, then whole paragraphs.
    heading_only: the paragraph holds nothing but the heading.
    runs: the inline enumerations in the body (一是…二是…), offsets into the whole text.
    role: "problems", "causes", "measures" or "other"; set by the extract step.
    """

    level: int
    style: str
    number: str
    heading: str
    span: Span | None
    body: tuple[Span, ...]
    children: tuple[Node, ...]
    heading_only: bool = True
    runs: tuple[Run, ...] = ()
    role: str = "other"

    @property
    def words_start(self) -> int:
        """Where the heading's words start, after the enumerator."""
        if self.span is None:
            return 0
        return self.span.end - len(_rest(self.span.text))


def _rest(paragraph: str) -> str:
    numbered = leading_number(paragraph)
    return numbered.rest if numbered else paragraph.lstrip()


@dataclass(frozen=True)
class Outline:
    """The heading tree of one text.

    root: the document; its children are the top-level headings, or one "article" node per
        article when the page holds several.
    tables: the paragraphs that are table rows (`cell | cell | cell`), left out of bodies.
    toc: the paragraphs of a table of contents, left out of the tree.
    """

    text: str
    root: Node
    tables: tuple[Span, ...] = ()
    toc: tuple[Span, ...] = ()


def paragraph_spans(text: str) -> tuple[Span, ...]:
    """The non-empty lines of `text` with their offsets."""
    spans, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append(Span(start, start + len(line), line))
        start += len(line) + 1
    return tuple(spans)


def is_table_row(text: str) -> bool:
    return " | " in text or (text.startswith("|") and text.count("|") >= 2)


_HEAD_END = re.compile(r"[。!?:]")
_HEAD_KEYWORD = re.compile(r"方面|问题|原因|措施|打算|不足|差距")


def _split_heading(rest: str) -> tuple[str, int]:
    """The heading's words and where the body starts, in a heading paragraph's text after
    its number. A heading may run straight into its body: at a space, at the body's first
    一是 / 第一, or with no mark at all."""
    stops = [m.start() for m in (_HEAD_END.search(rest),) if m]
    space = re.search(r"\s", rest)
    # A space parts heading and body only before a body (`存在问题 在学习上…。`), not inside
    # a heading's words (`XX县 2023年度整改方案`).
    if space and (len(rest) - space.end() > 30 or re.search(r"[。!?;]", rest[space.end() :])):
        stops.append(space.start())
    inline = first_inline(rest)
    if inline:
        stops.append(inline)
    stop = min((at for at in stops if 0 < at <= 60), default=None)
    if stop is not None:
        skip = 1 if stop < len(rest) and (rest[stop] in "。!?:" or rest[stop].isspace()) else 0
        return rest[:stop], stop + skip
    if len(rest) <= 60:
        return rest, len(rest)
    keyword = _HEAD_KEYWORD.search(rest, 0, 30)
    if keyword:
        return rest[: keyword.end()], keyword.end()
    first_clause = rest.split(",", 1)[0]
    return (first_clause if len(first_clause) <= 30 else rest[:20]), 0


def _is_inline_list(paragraph: str) -> bool:
    """`①…。②…。` or `1.…;2.…` on one line: a list of items, not a heading."""
    runs = find_runs(paragraph)
    return bool(runs) and runs[0].intro_end == 0 and runs[0].family != "是"


def _plain_heading(text: str) -> Numbered | None:
    """An unnumbered line that is only a section name: `存在的主要问题`, `整改措施:`."""
    cleaned = text.strip().rstrip(":。")
    if len(cleaned) > 20 or re.search(r"[,。;!?]", cleaned):
        return None
    return Numbered("plain", "", 0, text) if heading_role(cleaned, strict=True) else None


@dataclass
class _Draft:
    level: int
    style: str
    number: str = ""
    heading: str = ""
    span: Span | None = None
    body: list[Span] = field(default_factory=list)
    children: list[_Draft] = field(default_factory=list)
    heading_only: bool = True

    def freeze(self, text: str) -> Node:
        runs: tuple[Run, ...] = ()
        if self.body:
            start = self.body[0].start
            runs = find_runs(text[start : self.body[-1].end], offset=start)
        return Node(
            self.level,
            self.style,
            self.number,
            self.heading,
            self.span,
            tuple(self.body),
            tuple(child.freeze(text) for child in self.children),
            self.heading_only,
            runs,
        )


def _heading_draft(paragraph: Span, numbered: Numbered, level: int) -> _Draft:
    rest_at = paragraph.end - len(numbered.rest)
    heading, body_at = _split_heading(numbered.rest)
    body_text = numbered.rest[body_at:]
    lead = len(body_text) - len(body_text.lstrip())
    draft = _Draft(level, numbered.style, numbered.number, heading.strip(), paragraph)
    if body_text.strip():
        draft.heading_only = False
        start = rest_at + body_at + lead
        draft.body.append(Span(start, paragraph.end, body_text[lead:]))
    return draft


def _tree(paragraphs: list[Span], into: _Draft, skip: set[int]) -> None:
    """Nest `paragraphs` under `into`: a style already open closes everything below it;
    a new style opens one level deeper."""
    stack = [into]
    for paragraph in paragraphs:
        if paragraph.start in skip:
            continue
        numbered = leading_number(paragraph.text) or _plain_heading(paragraph.text)
        if numbered is None or _is_inline_list(paragraph.text):
            stack[-1].body.append(paragraph)
            continue
        for depth in range(len(stack) - 1, 0, -1):
            if stack[depth].style == numbered.style:
                del stack[depth:]
                break
        draft = _heading_draft(paragraph, numbered, stack[-1].level + 1)
        stack[-1].children.append(draft)
        stack.append(draft)


def _toc(paragraphs: tuple[Span, ...]) -> set[int]:
    """Starts of the paragraphs of a table of contents: bare headings before the body whose
    first heading comes again where the body starts. After a `目录` line anything up to that
    repetition is the table; without one, only an unbroken run of short numbered lines."""

    def key(text: str) -> str:
        numbered = leading_number(text)
        words = numbered.rest if numbered else text
        return re.sub(r"[\s.…·\-_]*\d*$", "", words).replace(" ", "")

    for index, paragraph in enumerate(paragraphs[:40]):
        marker = paragraph.text.replace(" ", "") in ("目录", "目次")
        first = index + 1 if marker else index
        if first >= len(paragraphs) or not leading_number(paragraphs[first].text):
            continue
        wanted = key(paragraphs[first].text)
        for later in range(first + 1, min(len(paragraphs), first + 60)):
            text = paragraphs[later].text
            if leading_number(text) and key(text) == wanted:
                return {paragraphs[i].start for i in range(index, later)}
            if not marker and (not leading_number(text) or len(text) > 60):
                break
    return set()


def outline(text: str) -> Outline:
    """The heading tree of normalised `text` (one paragraph per line).

    Every paragraph lands in exactly one node's body, a heading's own paragraph, a table,
    or the table of contents.
    """
    paragraphs = paragraph_spans(text)
    tables = tuple(p for p in paragraphs if is_table_row(p.text))
    toc = _toc(paragraphs)
    skip = toc | {p.start for p in tables}
    root = _Draft(0, "document")
    starts = article_starts([p.text for p in paragraphs])
    if len(starts) < 2:
        _tree(list(paragraphs), root, skip)
    else:
        _tree(list(paragraphs[: starts[0].index]), root, skip)
        bounds = [s.index for s in starts] + [len(paragraphs)]
        for start, stop in zip(starts, bounds[1:], strict=False):
            head = paragraphs[start.index]
            article = _Draft(0, "article", start.number, start.title, head)
            if start.body:
                article.body.append(Span(head.end - len(start.body), head.end, start.body))
            _tree(list(paragraphs[start.index + 1 : stop]), article, skip)
            root.children.append(article)
    toc_spans = tuple(p for p in paragraphs if p.start in toc)
    return Outline(text, root.freeze(text), tables, toc_spans)
