"""Decode a plain-text material whose encoding nobody wrote down."""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from functools import cache

# Order breaks ties: mainland materials are GB18030/GBK far more often than Big5.
_LEGACY_CANDIDATES = ("gb18030", "cp950", "big5hkscs", "utf-16-le", "utf-16-be")
_ENCODING_NAMES = {"cp950": "big5", "big5hkscs": "big5"}
# UTF-32 first: its little-endian BOM starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAMPLE_CHARS = 20_000
_MIN_PLAUSIBILITY = 0.6
_MAX_REPLACED_SHARE = 0.01
_MAX_CONTROL_SHARE = 0.005
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1a")


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from bytes, the encoding it was decoded with, and remarks on repairs."""

    text: str
    encoding: str
    notes: tuple[str, ...] = ()


def decode_text(data: bytes) -> DecodedText | None:
    """Decode `data` as text, or return None when it does not look like text at all.

    A BOM decides outright; strict UTF-8 is trusted next (GBK or Big5 bytes almost never form
    valid UTF-8); otherwise every legacy encoding that decodes strictly is scored by the share
    of its non-ASCII characters that are common hanzi or CJK punctuation, because GB18030
    decodes nearly any byte string, just into nonsense. Files with a few broken bytes (a
    download cut off mid-character) are decoded leniently and the broken bytes dropped.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            strict = _strict(data[len(bom) :], encoding)
            if strict is None:
                return _decode_leniently(data[len(bom) :], (encoding,))
            return _as_text(strict, encoding)
    try:
        as_utf8 = _as_text(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    if as_utf8 is not None:
        return as_utf8
    scored = [
        (_plausibility(text), encoding, text)
        for encoding in _LEGACY_CANDIDATES
        if (text := _strict(data, encoding)) is not None
    ]
    # sort() is stable, so candidate order breaks ties.
    for score, encoding, text in sorted(scored, key=lambda item: -item[0]):
        decoded = _as_text(text, encoding) if score >= _MIN_PLAUSIBILITY else None
        if decoded is not None:
            return decoded
    return _decode_leniently(data, ("utf-8", *_LEGACY_CANDIDATES))


def _strict(data: bytes, encoding: str) -> str | None:
    if encoding.startswith("utf-16") and len(data) % 2:
        return None  # a BOM-less guess needs whole code units; a BOM-ed file goes lenient
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _decode_leniently(data: bytes, encodings: tuple[str, ...]) -> DecodedText | None:
    best: tuple[float, str, str, int] | None = None
    for encoding in encodings:
        text = data.decode(encoding, errors="replace")
        replaced = text.count("\ufffd")
        if replaced > max(1, len(text) * _MAX_REPLACED_SHARE):
            continue
        score = _plausibility(text)
        if score >= _MIN_PLAUSIBILITY and (best is None or score > best[0]):
            best = (score, encoding, text, replaced)
    if best is None:
        return None
    _, encoding, text, replaced = best
    decoded = _as_text(text.replace("\ufffd", ""), encoding)
    if decoded is None:
        return None
    note = f"文件中有 {replaced} 处字节无法按 {decoded.encoding.upper()} 解码，已略去。"
    return DecodedText(decoded.text, decoded.encoding, (note,))


def _as_text(text: str, encoding: str) -> DecodedText | None:
    """Refuse decodings full of control characters: that is binary data, not text."""
    sample = text[:_SAMPLE_CHARS]
    controls = sum(1 for ch in sample if ch < " " and ch not in _ALLOWED_CONTROLS)
    if sample and controls > len(sample) * _MAX_CONTROL_SHARE:
        return None
    return DecodedText(text, _ENCODING_NAMES.get(encoding, encoding))


def _plausibility(text: str) -> float:
    """Share of the non-ASCII characters that a Chinese text would plausibly contain."""
    common = _common_characters()
    total = plausible = 0
    for ch in text[:_SAMPLE_CHARS]:
        if ch < "\x80":
            continue
        total += 1
        if ch in common or _is_cjk_punctuation(ch):
            plausible += 1
    return plausible / total if total else 1.0


def _is_cjk_punctuation(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3000 <= code <= 0x303F
        or 0xFF01 <= code <= 0xFF5E
        or 0x2010 <= code <= 0x2027
        or 0x2460 <= code <= 0x2473
        or 0x2160 <= code <= 0x217F
        or code in (0x00B7, 0x00D7, 0x2103, 0x2116, 0x25CF, 0x25A0, 0x2605)
    )


@cache
def _common_characters() -> frozenset[str]:
    """The frequent hanzi, taken from the encodings themselves rather than a shipped table.

    GB2312 level 1 (rows 0xB0–0xD7) holds the 3,755 most frequent simplified hanzi, and Big5's
    常用字 block (0xA440–0xC67E) the 5,401 most frequent traditional ones.
    """
    pairs = [bytes((lead, trail)) for lead in range(0xB0, 0xD8) for trail in range(0xA1, 0xFF)]
    simplified = {pair.decode("gb2312", errors="replace") for pair in pairs}
    big5_trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    traditional = {
        bytes((lead, trail)).decode("big5", errors="replace")
        for lead in range(0xA4, 0xC7)
        for trail in big5_trails
        if (lead << 8 | trail) <= 0xC67E
    }
    return frozenset(
        ch for ch in simplified | traditional if len(ch) == 1 and unicodedata.category(ch) == "Lo"
    )
