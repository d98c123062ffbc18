"""Cell values as text: numbers and dates written the way people read them, numbering in front
of a text dropped, wrapped lines joined, and a cell of numbered items split into its items."""

import datetime as dt
import re
from itertools import pairwise

CJK = r"\u3400-\u9fff\uf900-\ufaff"
CHINESE_DIGITS = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PAREN_DIGITS = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
DIGITS = "0-9０-９"

# One numbering mark in front of a text; the group captures the number when it has one.
NUMBERING = re.compile(
    rf"""^\s*(?:
        [（(]\s*([{DIGITS}]+|[{CHINESE_DIGITS}]+)\s*[)）]\s*[、.．，,:：]?
      | ([{DIGITS}]+)\s*(?:[、．]|\.(?![{DIGITS}])|[)）])
      | ([{CHINESE_DIGITS}]+)\s*[、.．，,]
      | ([{CHINESE_DIGITS}]+)是\s*[，,：:]?
      | 第([{CHINESE_DIGITS}]+|[{DIGITS}]+)[，,、：:．.]
      | (?:问题|措施)\s*([{DIGITS}]+|[{CHINESE_DIGITS}]+)\s*[、.．:：]
      | ([{CIRCLED}{PAREN_DIGITS}])
    )\s*""",
    re.VERBOSE,
)


def cell_text(value: object) -> str:
    """A cell as text: 1.0 → "1", an Excel date → ISO, None → ""; text is kept as written."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def joined(text: str) -> str:
    """Wrapped lines and runs of spaces collapsed: nothing between Chinese characters, one space
    between Latin words."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    out = ""
    for line in filter(None, lines):
        if out and re.match(r"[A-Za-z0-9]", line) and re.search(r"[A-Za-z0-9,.;:]$", out):
            out += " "
        out += line
    return re.sub(rf"(?<=[{CJK}，。、；：）])\s+|\s+(?=[{CJK}，。、；：（])", "", out)


def unnumbered(text: str) -> str:
    """The text without the numbering in front of it (`1.`, `（一）`, `一是`, `①` …), unless
    the text goes on to a second item numbered the same way (`一是……；二是……`): then the
    number belongs to an enumeration inside the text."""
    match = NUMBERING.match(text)
    if not match or match.end() >= len(text.rstrip()):
        return text.strip()
    rest = text[match.end() :].strip()
    if _next_mark(match) in rest:
        return text.strip()
    return rest


def _next_mark(match: re.Match[str]) -> str:
    """The mark that would number item 2 in the style of `match` ("二是" after "一是")."""
    mark = next((group for group in match.groups() if group), "")
    two = {"1": "2", "１": "２", "一": "二", "①": "②", "⑴": "⑵"}.get(mark)
    if two is None:
        return "\0"  # never in a text
    prefix = match.group().strip()
    return prefix.replace(mark, two, 1).rstrip("，,：: ")


def clean_text(value: object) -> str:
    return unnumbered(joined(cell_text(value)))


def names_text(value: object) -> str:
    """A lead, unit or owner cell: names on separate lines or apart by spaces become one
    `、`-separated string, but `张　三` (a two-character name padded to line up with
    three-character ones) stays one name."""
    out = ""
    for piece in re.split(r"(\n|[、，,;；/])", cell_text(value)):
        if piece == "\n":
            out += "、"
            continue
        parts = piece.split()
        if not parts:
            continue
        text = parts[0]
        for left, right in pairwise(parts):
            padded = len(left) == 1 or len(right) == 1 or right[0] in "（("
            text += ("" if padded else "、") + right
        out += text
    return re.sub(r"([、，,;；/])[、，,;；/]+", r"\1", out).strip("、，,;；/")


def numbered_items(value: object) -> list[str]:
    """The items of a cell written as `1.…` / `（1）…` / `①…` on separate lines, numbered 1, 2,
    3 …; a cell that is not such a list is one item. Lines without a number continue the item
    above them (a long item wrapped by hand)."""
    text = cell_text(value)
    items: list[list[str]] = []
    expected = 1
    for line in filter(None, (line.strip() for line in text.splitlines())):
        number = _number_of(line)
        if number == expected:
            items.append([line])
            expected += 1
        elif items:
            items[-1].append(line)
        else:
            return [clean_text(text)] if text else []
    if len(items) < 2:
        return [clean_text(text)] if text else []
    return [_item_text("\n".join(lines)) for lines in items]


def _item_text(text: str) -> str:
    return clean_text(text).rstrip("；;，, ")


def _number_of(line: str) -> int | None:
    match = NUMBERING.match(line)
    if not match:
        return None
    mark = next((group for group in match.groups() if group), "")
    return number_value(mark)


def number_value(mark: str) -> int | None:
    """1 for `1`, `１`, `一`, `①`, `⑴`; 12 for `十二`; None for anything else."""
    if not mark:
        return None
    if mark in CIRCLED:
        return CIRCLED.index(mark) + 1
    if mark in PAREN_DIGITS:
        return PAREN_DIGITS.index(mark) + 1
    if mark.isdigit():
        return int(mark)
    if all(char in CHINESE_DIGITS for char in mark):
        tens, _, ones = mark.partition("十")
        if "十" not in mark:
            return CHINESE_DIGITS.index(mark) + 1 if len(mark) == 1 else None
        return (CHINESE_DIGITS.index(tens) + 1 if tens else 1) * 10 + (
            CHINESE_DIGITS.index(ones) + 1 if ones else 0
        )
    return None
