"""Template-site markers: the fingerprints a text copied from a template site still carries.

    markers = find_markers(material.text)   # the raw text, as read_material returns it

The patterns are boilerplate.json's, the list the normaliser removes (sites, line_patterns,
inline_patterns, promo_phrases, footer_markers) plus any URL that is not a government one.
The normaliser removes these snippets, so markers are looked for in the raw text, each raw line
folded on its own (full width, traditional characters, pinyin debris) so that the line numbers
are the raw text's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bihuan.text.boilerplate import DEFAULT_RULES_PATH, URL, Rules, load_rules
from bihuan.text.normalise import drop_pinyin, to_simplified, unify_width
from bihuan.text.state import Normalised

__all__ = ["KINDS", "Marker", "MarkerRules", "find_markers", "load_marker_rules"]

# The part of boilerplate.json each pattern comes from, and what the page calls it.
KINDS = {
    "site": "模板网站名称",
    "url": "网址",
    "line": "网站用语",
    "paywall": "付费或隐藏提示",
    "promo": "推广用语",
    "footer": "网站页脚",
}
_SOURCES = (
    ("line", "line_patterns"),
    ("paywall", "inline_patterns"),
    ("promo", "promo_phrases"),
    ("footer", "footer_markers"),
)
_GOVERNMENT = re.compile(r"\.gov(?:\.cn)?(?![A-Za-z])", re.IGNORECASE)


@dataclass(frozen=True)
class Marker:
    """One fingerprint: its kind (a key of KINDS), the pattern or site name that matched as
    written in boilerplate.json (or the URL itself), the 1-based line of the raw text and
    that line as written."""

    kind: str
    pattern: str
    line: int
    text: str


@dataclass(frozen=True)
class MarkerRules:
    """boilerplate.json compiled for finding markers: `screen` finds the candidate lines
    fast, `named` tells which pattern matched."""

    screen: Rules
    sites: tuple[tuple[str, re.Pattern[str]], ...]
    named: tuple[tuple[str, str, re.Pattern[str]], ...]


def _site(name: str) -> re.Pattern[str]:
    body = r"\s*".join(re.escape(ch) for ch in name if not ch.isspace())
    return re.compile(body, re.IGNORECASE)


def load_marker_rules(path: Path = DEFAULT_RULES_PATH) -> MarkerRules:
    data = json.loads(path.read_text(encoding="utf-8"))
    return MarkerRules(
        screen=load_rules(path),
        sites=tuple((name, _site(name)) for name in data["sites"]),
        named=tuple(
            (kind, pattern, re.compile(pattern, re.IGNORECASE))
            for kind, key in _SOURCES
            for pattern in data[key]
        ),
    )


@cache
def default_marker_rules() -> MarkerRules:
    return load_marker_rules()


def _fold(text: str) -> str:
    state = Normalised(text)
    for step in (unify_width, to_simplified, drop_pinyin):
        state = step(state)
    return state.text


def _screened(line: str, rules: Rules) -> bool:
    return any(
        pattern.search(line)
        for pattern in (rules.sites, rules.lines, rules.inline, rules.promo, rules.footer)
    ) or bool(rules.line_starts.match(line))


def _line_markers(number: int, raw: str, line: str, rules: MarkerRules) -> list[Marker]:
    found = [
        Marker("url", url.group(0), number, raw)
        for url in URL.finditer(line)
        if not _GOVERNMENT.search(url.group(0))
    ]
    if not _screened(line, rules.screen):
        return found
    found += [Marker("site", name, number, raw) for name, site in rules.sites if site.search(line)]
    found += [
        Marker(kind, pattern, number, raw)
        for kind, pattern, compiled in rules.named
        if compiled.search(line)
    ]
    return found


def find_markers(text: str, *, rules: MarkerRules | None = None) -> tuple[Marker, ...]:
    """The template-site markers in `text`, a material's raw text (lines split on "\\n"),
    in line order; within a line, URLs first, then sites, then the patterns in file order.
    A URL the site name already accounts for (笔杆儿网www.bgzjy.cn) is reported too."""
    rules = rules or default_marker_rules()
    raw_lines = text.split("\n")
    folded = _fold(text).split("\n")
    if len(folded) != len(raw_lines):  # a fold that moved a line break: fold line by line
        folded = [_fold(line) for line in raw_lines]
    markers: list[Marker] = []
    for number, (raw, line) in enumerate(zip(raw_lines, folded, strict=True), start=1):
        if line.strip():
            markers += _line_markers(number, raw.strip(), line, rules)
    return tuple(markers)
