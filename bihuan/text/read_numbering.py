"""Write out Word's automatic numbering, which lives in numbering.xml and not in the text runs.

Without it `一、存在的问题` arrives as `存在的问题` and the outline of most real documents is lost.
The counters follow Word: numbering instances (w:num) that share an abstract definition continue
one list, a w:startOverride restarts it the first time its instance is used, and a level restarts
whenever a shallower level is numbered unless w:lvlRestart says otherwise.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from bihuan.text.read_numbers import format_number

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MAX_STYLE_DEPTH = 20


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _val(parent: etree._Element | None, tag: str) -> str | None:
    if parent is None:
        return None
    child = parent.find(_w(tag))
    return None if child is None else child.get(_w("val"))


def _int(value: str | None) -> int | None:
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class Level:
    """One level of a list definition (w:lvl)."""

    num_format: str = "decimal"
    text: str = ""
    start: int = 1
    restart_after: int | None = None
    legal: bool = False
    suffix: str = "tab"
    style_id: str | None = None

    @classmethod
    def parse(cls, lvl: etree._Element) -> Level:
        legal = lvl.find(_w("isLgl"))
        start = _int(_val(lvl, "start"))
        return cls(
            num_format=_num_format(lvl),
            text=_val(lvl, "lvlText") or "",
            # The standard says a missing w:start means 0; LibreOffice and sloppy writers mean 1.
            start=1 if start is None else start,
            restart_after=_int(_val(lvl, "lvlRestart")),
            legal=legal is not None and legal.get(_w("val")) not in ("0", "false", "off"),
            suffix=_val(lvl, "suff") or "tab",
            style_id=_val(lvl, "pStyle"),
        )


def _num_format(lvl: etree._Element) -> str:
    """w:numFmt, or the fallback Word 2013+ writes beside a custom format ("001, 002, …")."""
    direct = _val(lvl, "numFmt")
    if direct is not None:
        return direct
    fallback = lvl.find(f"{{{_MC}}}AlternateContent/{{{_MC}}}Fallback")
    return _val(fallback, "numFmt") or "decimal"


@dataclass(frozen=True)
class Instance:
    """A numbering instance (w:num): its abstract definition and per-level overrides."""

    abstract_id: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, Level] = field(default_factory=dict)


@dataclass(frozen=True)
class StyleNumbering:
    num_id: str | None
    ilvl: int | None
    based_on: str | None


class Numbering:
    """Numbering definitions of one document plus the running counters, fed paragraphs in order."""

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None) -> None:
        self._abstracts: dict[str, dict[int, Level]] = {}
        self._style_links: dict[str, str] = {}
        self._instances: dict[str, Instance] = {}
        self._styles: dict[str, StyleNumbering] = {}
        self._default_style: str | None = None
        self._counters: dict[str, dict[int, int]] = {}
        self._used_instances: set[str] = set()
        if numbering is not None:
            self._parse_numbering(numbering)
        if styles is not None:
            self._parse_styles(styles)

    def _parse_numbering(self, root: etree._Element) -> None:
        for abstract in root.iterfind(_w("abstractNum")):
            abstract_id = abstract.get(_w("abstractNumId"))
            if abstract_id is None:
                continue
            self._abstracts[abstract_id] = {
                ilvl: Level.parse(lvl)
                for lvl in abstract.iterfind(_w("lvl"))
                if (ilvl := _int(lvl.get(_w("ilvl")))) is not None
            }
            link = _val(abstract, "numStyleLink")
            if link:
                self._style_links[abstract_id] = link
        for num in root.iterfind(_w("num")):
            num_id, abstract_id = num.get(_w("numId")), _val(num, "abstractNumId")
            if num_id is None or abstract_id is None:
                continue
            starts: dict[int, int] = {}
            levels: dict[int, Level] = {}
            for override in num.iterfind(_w("lvlOverride")):
                ilvl = _int(override.get(_w("ilvl")))
                if ilvl is None:
                    continue
                start = _int(_val(override, "startOverride"))
                if start is not None:
                    starts[ilvl] = start
                lvl = override.find(_w("lvl"))
                if lvl is not None:
                    levels[ilvl] = Level.parse(lvl)
            self._instances[num_id] = Instance(abstract_id, starts, levels)

    def _parse_styles(self, root: etree._Element) -> None:
        for style in root.iterfind(_w("style")):
            style_id = style.get(_w("styleId"))
            if style_id is None:
                continue
            num_pr = style.find(f"{_w('pPr')}/{_w('numPr')}")
            self._styles[style_id] = StyleNumbering(
                num_id=_val(num_pr, "numId"),
                ilvl=_int(_val(num_pr, "ilvl")),
                based_on=_val(style, "basedOn"),
            )
            is_default = style.get(_w("default")) in ("1", "true", "on")
            if is_default and style.get(_w("type")) == "paragraph":
                self._default_style = style_id

    def prefix(self, paragraph: etree._Element) -> str:
        """The number Word shows before `paragraph` ("一、", "（二）", "3."), "" for none.

        Call it for every paragraph in document order: numbered paragraphs advance the counters
        even when they are empty, as in Word.
        """
        p_pr = paragraph.find(_w("pPr"))
        num_pr = None if p_pr is None else p_pr.find(_w("numPr"))
        num_id, ilvl = _val(num_pr, "numId"), _int(_val(num_pr, "ilvl"))
        style_id = _val(p_pr, "pStyle") or self._default_style
        if num_id is None or ilvl is None:
            style_num_id, style_ilvl = self._style_numbering(style_id)
            num_id = num_id if num_id is not None else style_num_id
            ilvl = ilvl if ilvl is not None else style_ilvl
        if num_id is None or num_id == "0" or num_id not in self._instances:
            return ""
        instance = self._instances[num_id]
        abstract_id = self._resolve_abstract(instance.abstract_id)
        levels = self._abstracts.get(abstract_id, {})
        if ilvl is None:
            ilvl = next((i for i, lvl in levels.items() if lvl.style_id == style_id), 0)
        level = instance.level_overrides.get(ilvl) or levels.get(ilvl)
        if level is None:
            return ""
        counters = self._advance(num_id, instance, abstract_id, levels, ilvl)
        return _render(level, counters, lambda i: instance.level_overrides.get(i) or levels.get(i))

    def _style_numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        num_id: str | None = None
        ilvl: int | None = None
        for _ in range(_MAX_STYLE_DEPTH):
            style = self._styles.get(style_id or "")
            if style is None:
                break
            num_id = num_id if num_id is not None else style.num_id
            ilvl = ilvl if ilvl is not None else style.ilvl
            style_id = style.based_on
        return num_id, ilvl

    def _resolve_abstract(self, abstract_id: str) -> str:
        """Follow w:numStyleLink: such a definition holds no levels, a numbering style does."""
        for _ in range(_MAX_STYLE_DEPTH):
            link = self._style_links.get(abstract_id)
            if link is None or self._abstracts.get(abstract_id):
                return abstract_id
            num_id, _ilvl = self._style_numbering(link)
            instance = self._instances.get(num_id or "")
            if instance is None:
                return abstract_id
            abstract_id = instance.abstract_id
        return abstract_id

    def _advance(
        self,
        num_id: str,
        instance: Instance,
        abstract_id: str,
        levels: dict[int, Level],
        ilvl: int,
    ) -> dict[int, int]:
        counters = self._counters.setdefault(abstract_id, {})
        if num_id not in self._used_instances:
            self._used_instances.add(num_id)
            for overridden in instance.start_overrides:
                counters.pop(overridden, None)
        current = counters.get(ilvl)
        start = instance.start_overrides.get(ilvl)
        if start is None:
            level = instance.level_overrides.get(ilvl) or levels.get(ilvl) or Level()
            start = level.start
        counters[ilvl] = start if current is None else current + 1
        for deeper in [i for i in counters if i > ilvl]:
            restart_after = (
                instance.level_overrides.get(deeper) or levels.get(deeper) or Level()
            ).restart_after
            if restart_after is None or (restart_after != 0 and ilvl < restart_after):
                del counters[deeper]
        return counters


_PLACEHOLDER = re.compile(r"%([1-9])")


def _render(level: Level, counters: dict[int, int], level_at: Callable[[int], Level | None]) -> str:
    if level.num_format == "bullet":
        return ""

    def number(match: re.Match[str]) -> str:
        ilvl = int(match.group(1)) - 1
        referenced = level_at(ilvl) or Level()
        value = counters.get(ilvl, referenced.start)
        num_format = (
            "decimal" if level.legal and referenced.num_format != "none" else referenced.num_format
        )
        return format_number(value, num_format)

    text = _PLACEHOLDER.sub(number, level.text).strip()
    if not text:
        return ""
    return text + _separator(text, level.suffix)


def _separator(prefix: str, suffix: str) -> str:
    """Word draws a tab after the number by default; keep a space only where text needs one.

    `一、` `（一）` `①` read naturally straight into the text, `1.` or `第一章` do not.
    """
    if suffix == "nothing":
        return ""
    last = prefix[-1]
    if last > "\x7f" and unicodedata.category(last)[0] in "PN":
        return ""
    return " "
