"""The normalise step: a material's raw text in, clean Simplified Chinese paragraphs out.

    cleaned = normalise(material.text)
    cleaned.text      # one paragraph per line
    cleaned.removed   # the boilerplate snippets taken out, in reading order

Each step below takes and returns a `Normalised`; `normalise` runs them in order.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import cache, partial

from bihuan.text.boilerplate import Rules, default_rules, drop_boilerplate, drop_promo_tails
from bihuan.text.state import Normalised
from bihuan.text.wrap import drop_chunk_numbers, join_wrapped_lines

__all__ = ["Normalised", "normalise"]

# NFKC would turn ① into a bare "1" and lose the enumerator; these are kept as written.
_CIRCLED = re.compile("([\u2460-\u2473])")
# The full-width forms that fill Chinese text, unfolded by a table: much faster than NFKC,
# which then only runs when something else is left to fold.
_FULL_WIDTH = {c: unicodedata.normalize("NFKC", chr(c)) for c in [*range(0xFF01, 0xFF5F), 0x3000]}


def _nfkc(text: str) -> str:
    text = text.translate(_FULL_WIDTH)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def unify_width(state: Normalised) -> Normalised:
    """NFKC: full-width letters, digits and brackets become half-width (`（一）` → `(一)`),
    compatibility forms are unfolded (`⑴` → `(1)`); circled numbers `①`–`⑳` stay as written.
    Line breaks become `\\n`."""
    text = state.text.replace("\r\n", "\n").replace("\r", "\n")
    if not _CIRCLED.search(text):
        return replace(state, text=_nfkc(text))
    parts = _CIRCLED.split(text)
    return replace(state, text="".join(p if _CIRCLED.fullmatch(p) else _nfkc(p) for p in parts))


@cache
def _converter():
    # Loading OpenCC's dictionaries costs milliseconds: once per process, on first use.
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(state: Normalised) -> Normalised:
    """Traditional characters become Simplified (OpenCC t2s); Simplified text is unchanged."""
    return replace(state, text=_converter().convert(state.text))


_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
_BASE = "aaaaeeeeiiiioooouuuuvvvvvennnm"
_UNTONE = str.maketrans(_TONED, _BASE)
_PINYIN_SPAN = re.compile(
    rf"(?<=[\u4e00-\u9fff])\(\s*([a-zA-Z{_TONED}]+[1-5]?(?:\s+[a-zA-Z{_TONED}]+[1-5]?)*)\s*\)"
)
_SYLLABLE = re.compile(
    r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?"
    r"(?:a|o|e|ai|ei|ao|ou|an|en|ang|eng|ong|er|i|ia|ie|iao|iu|ian|in|iang|ing|iong"
    r"|u|ua|uo|uai|ui|uan|un|uang|ueng|v|ve|van|vn|ue)[1-5]?"
)


def _is_pinyin(span: str) -> bool:
    """Tone-marked syllables, or plain lower-case ones (upper case is an acronym: `(AI)`)."""
    toned = any(ch in _TONED for ch in span)
    if not toned and span != span.lower():
        return False
    words = span.lower().translate(_UNTONE).split()
    return all(_SYLLABLE.fullmatch(word) for word in words)


def drop_pinyin(state: Normalised) -> Normalised:
    """Pinyin left by a broken conversion right after a hanzi goes: `镇(zhèn)` → `镇`,
    `镇(zhen)` → `镇`. Other brackets stay: `村(社区)`, `(试行)`, `(2023年)`, `智能(AI)`.
    The pinyin is not reported as removed: it is an encoding artifact, not content."""

    def keep_or_drop(match: re.Match[str]) -> str:
        return "" if _is_pinyin(match.group(1)) else match.group(0)

    return replace(state, text=_PINYIN_SPAN.sub(keep_or_drop, state.text))


def normalise(text: str, *, rules: Rules | None = None) -> Normalised:
    """Run every normalising step over `text`.

    Returns the text as paragraphs separated by single `\\n` (no blank lines, no edge spaces),
    NFKC-normalised, in Simplified characters, without pinyin artifacts, template-site
    boilerplate, site chunk numbers or hard wraps; and the removed boilerplate snippets.
    Masked words (`*`, `____理论`) are left as they are. `rules` defaults to the maintained
    list in boilerplate.json.
    """
    rules = rules or default_rules()
    state = Normalised(text)
    for step in (
        unify_width,
        to_simplified,
        drop_pinyin,
        # Whole boilerplate lines go before hard wraps are joined, or they would be glued to
        # the content around them; unfinished promotional tails only after, when a line's
        # end is a paragraph's end.
        partial(drop_boilerplate, rules=rules),
        join_wrapped_lines,
        drop_chunk_numbers,
        partial(drop_promo_tails, rules=rules),
    ):
        state = step(state)
    return state
