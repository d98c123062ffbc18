"""Render a list counter in one of Word's number formats (ST_NumberFormat)."""

from __future__ import annotations

_SIMPLE_DIGITS = "零一二三四五六七八九"
_SIMPLE_UNITS = ("", "十", "百", "千")
_LEGAL_SIMPLIFIED_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_LEGAL_TRADITIONAL_DIGITS = "零壹貳參肆伍陸柒捌玖"
_LEGAL_UNITS = ("", "拾", "佰", "仟")
_DIGITAL = "〇一二三四五六七八九"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def format_number(value: int, num_format: str) -> str:
    """`value` as Word writes it in `num_format`; formats this does not know fall back to 1, 2, 3."""
    if num_format == "none":
        return ""
    renderer = _RENDERERS.get(num_format)
    if renderer is None or value < 1:
        return str(value)
    return renderer(value)


def _counting(
    value: int, digits: str = _SIMPLE_DIGITS, units: tuple[str, ...] = _SIMPLE_UNITS
) -> str:
    """Chinese counting: 十, 十一, 二十, 一百零五, 一千零一十."""
    if value >= 10_000:
        return str(value)
    if 10 <= value < 20 and units is _SIMPLE_UNITS:
        return units[1] + (digits[value % 10] if value % 10 else "")
    out: list[str] = []
    pending_zero = False
    for power in (3, 2, 1, 0):
        digit = value // 10**power % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append(digits[0])
            pending_zero = False
        out.append(digits[digit] + units[power])
    return "".join(out)


def _digital(value: int) -> str:
    return "".join(_DIGITAL[int(d)] for d in str(value))


def _enclosed(value: int, ranges: tuple[tuple[int, int, int], ...]) -> str:
    for low, high, first_code in ranges:
        if low <= value <= high:
            return chr(first_code + value - low)
    return str(value)


def _letters(value: int, alphabet_start: str) -> str:
    # Word goes A … Z, AA, BB … ZZ, AAA, not spreadsheet-style AB.
    letter = chr(ord(alphabet_start) + (value - 1) % 26)
    return letter * ((value - 1) // 26 + 1)


def _roman(value: int) -> str:
    if value >= 4000:
        return str(value)
    out = []
    for amount, numeral in _ROMAN:
        count, value = divmod(value, amount)
        out.append(numeral * count)
    return "".join(out)


_CIRCLED = ((1, 20, 0x2460), (21, 35, 0x3251), (36, 50, 0x32B1))

_RENDERERS = {
    "decimal": str,
    "decimalZero": lambda v: f"{v:02d}",
    "decimalHalfWidth": str,
    "decimalFullWidth": lambda v: "".join(chr(0xFF10 + int(d)) for d in str(v)),
    "decimalFullWidth2": lambda v: "".join(chr(0xFF10 + int(d)) for d in str(v)),
    "decimalEnclosedCircle": lambda v: _enclosed(v, _CIRCLED),
    "decimalEnclosedCircleChinese": lambda v: _enclosed(v, _CIRCLED),
    "decimalEnclosedParen": lambda v: _enclosed(v, ((1, 20, 0x2474),)),
    "decimalEnclosedFullstop": lambda v: _enclosed(v, ((1, 20, 0x2488),)),
    "ideographEnclosedCircle": lambda v: _enclosed(v, ((1, 10, 0x3280),)),
    "chineseCounting": _counting,
    "chineseCountingThousand": _counting,
    "taiwaneseCounting": _counting,
    "taiwaneseCountingThousand": _counting,
    "japaneseCounting": _counting,
    "ideographDigital": _digital,
    "taiwaneseDigital": _digital,
    "japaneseDigitalTenThousand": _digital,
    "chineseLegalSimplified": lambda v: _counting(v, _LEGAL_SIMPLIFIED_DIGITS, _LEGAL_UNITS),
    "ideographLegalTraditional": lambda v: _counting(v, _LEGAL_TRADITIONAL_DIGITS, _LEGAL_UNITS),
    "japaneseLegal": lambda v: _counting(v, _LEGAL_TRADITIONAL_DIGITS, _LEGAL_UNITS),
    "ideographTraditional": lambda v: _HEAVENLY_STEMS[(v - 1) % 10],
    "ideographZodiac": lambda v: _EARTHLY_BRANCHES[(v - 1) % 12],
    "upperRoman": _roman,
    "lowerRoman": lambda v: _roman(v).lower(),
    "upperLetter": lambda v: _letters(v, "A"),
    "lowerLetter": lambda v: _letters(v, "a"),
}
