"""The text the duplicate check compares: a material's content characters with their offsets.

Punctuation and spacing never count (a copy with its commas changed is still a copy). Masked
words (`*`, `____理论`, `邓--理论`, `XX县`) and the common 提法 listed under `common_phrases` in
boilerplate.json are taken out: a mask is no difference, and a set phrase is no copying.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bihuan.text.boilerplate import DEFAULT_RULES_PATH

__all__ = ["Keyed", "keyed", "load_phrases"]

_CONTENT = re.compile(r"[^\W_]+")
# Template sites hide words behind stars, underlines, dashes, boxes or XX.
_MASK = re.compile(r"[*×_\-—–－○□■█]")
_MASK_X = re.compile(r"(?<![A-Za-z])[Xx]{2,}(?![A-Za-z])")
_ASCII_UPPER = re.compile(r"[A-Z]+")
_NOTHING = re.compile(r"(?!)")


@dataclass(frozen=True)
class Keyed:
    """A text reduced to what the duplicate check compares.

    text: the content characters (letters, digits, hanzi; ASCII lower-cased), nothing else.
    offsets: offsets[i] is where text[i] stands in the original text.
    ignored: the positions i of `text` with something ignored just before text[i]: a masked
        word or a common phrase (len(text) when it was at the end).
    breaks: the positions i of `text` that start a paragraph (a line break before text[i]).
    """

    text: str
    offsets: tuple[int, ...]
    ignored: frozenset[int] = frozenset()
    breaks: frozenset[int] = frozenset()

    def __len__(self) -> int:
        return len(self.text)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's offsets of text[start:end] (end > start)."""
        return self.offsets[start], self.offsets[end - 1] + 1


def _key_of(phrase: str) -> str:
    return _lower("".join(_CONTENT.findall(phrase)))


def _lower(text: str) -> str:
    """ASCII letters lower-cased, nothing else (str.lower may change a text's length)."""
    return _ASCII_UPPER.sub(lambda run: run.group().lower(), text)


def load_phrases(path: Path = DEFAULT_RULES_PATH) -> re.Pattern[str]:
    """The common phrases of the JSON file at `path` as one pattern over keyed text."""
    data = json.loads(path.read_text(encoding="utf-8"))
    keys = sorted({_key_of(p) for p in data.get("common_phrases", [])} - {""}, key=len)
    if not keys:
        return _NOTHING
    return re.compile("|".join(re.escape(k) for k in reversed(keys)))


@cache
def default_phrases() -> re.Pattern[str]:
    return load_phrases()


def keyed(text: str, *, phrases: re.Pattern[str] | None = None) -> Keyed:
    """Reduce `text` (normalised, as `normalise` returns it) to its content characters.

    `phrases` defaults to the common phrases of boilerplate.json.
    """
    text = _MASK_X.sub(lambda m: "*" * len(m.group()), text)
    chars: list[str] = []
    offsets: list[int] = []
    ignored: set[int] = set()
    breaks: set[int] = set()
    last = 0
    for run in _CONTENT.finditer(text):
        if _MASK.search(text, last, run.start()):
            ignored.add(len(offsets))
        if "\n" in text[last : run.start()]:
            breaks.add(len(offsets))
        chars.append(run.group())
        offsets.extend(range(run.start(), run.end()))
        last = run.end()
    if _MASK.search(text, last):
        ignored.add(len(offsets))
    key = _lower("".join(chars))
    cuts = [m.span() for m in (phrases or default_phrases()).finditer(key)]
    if not cuts:
        return Keyed(key, tuple(offsets), frozenset(ignored), frozenset(breaks))
    return _without(key, offsets, ignored, breaks, cuts)


def _without(
    key: str, offsets: list[int], ignored: set[int], breaks: set[int], cuts: list[tuple[int, int]]
) -> Keyed:
    """`key` with the spans `cuts` taken out, each leaving an ignored mark where it was (and a
    paragraph start where one was inside it)."""
    parts: list[str] = []
    kept: list[int] = []
    marks: set[int] = set()
    starts: set[int] = set()
    previous = 0
    for start, end in [*cuts, (len(key), len(key))]:
        shift = len(kept) - previous
        marks.update(i + shift for i in ignored if previous <= i < start)
        starts.update(i + shift for i in breaks if previous <= i < start)
        parts.append(key[previous:start])
        kept.extend(offsets[previous:start])
        if start < end or any(start <= i < end for i in ignored):
            marks.add(len(kept))
        if any(start <= i < end for i in breaks):
            starts.add(len(kept))
        previous = end
    if len(key) in ignored:
        marks.add(len(kept))
    return Keyed("".join(parts), tuple(kept), frozenset(marks), frozenset(starts))
