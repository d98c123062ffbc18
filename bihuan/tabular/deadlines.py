"""整改时限 as ledgers write it, read into a `Deadline`.

A cell may hold a date in any common writing, the end of a month, quarter, half or year, a range
(its end is the deadline), 长期坚持 and its kin, 立行立改, or 交办后N个工作日 as Bihuan exports
a draft measure. `format_deadline` writes what `parse_deadline` reads back unchanged.
"""

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from bihuan.tabular.records import CellError, Deadline

CellValue = str | dt.date | int | float | None

_EXAMPLES = "（可写“2024年6月30日”“2024年6月底前”或“长期坚持”）"
_BLANK = "请填写整改时限" + _EXAMPLES
_UNRECOGNISED = "无法识别的日期：{text}" + _EXAMPLES
_MISSING_YEAR = "整改时限缺少年份：{text}（请写明年份，如“2024年6月底前”）"
_NO_SUCH_DAY = "日期不存在：{text}（请核对年、月、日）"
_NO_REFERENCE = (
    "整改时限为“{text}”，但表中没有填报日期，无法确定日期（请写明具体日期，如“2024年6月30日”）"
)
_TOO_MANY_DAYS = "工作日数应在 1 到 365 之间：{text}"

# Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in); numbers outside
# 1954..2119 are not dates anyone means as a deadline.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_SERIALS = (20000, 80000)

# "2024年6月底前完成并长期坚持" is ongoing: the measure outlives its first milestone.
_ONGOING_WORDS = ("长期", "常态化", "常抓不懈", "持续推进", "持续整改", "持续开展", "持续落实")
# Shortest cycle first: "每周调度、每月通报" reports weekly. The first word is the label.
_FEEDBACK_CYCLES = (
    ("weekly", ("每周", "每星期")),
    ("monthly", ("每月", "每个月")),
    ("quarterly", ("每季度", "每季", "每个季度")),
)
_IMMEDIATE = re.compile(r"(?:立行立改|立即整改|即知即改|即查即改|立查立改|马上就改)[,、;:。]*")
_WORKING_DAYS = re.compile(r"(?:(?:交办|签收|下发|印发|收到)之?后)?(?P<days>\d+)个?工作日")

_CN_DIGITS = dict(
    zip("〇○零一二两三四五六七八九", (0, 0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True)
)
_CN_NUMBER = re.compile("[〇○零一二两三四五六七八九十]+")
_CN_TENS = re.compile("(?P<tens>[一二三四五六七八九]?)十(?P<ones>[一二三四五六七八九]?)")

_BRACKETED = re.compile(r"\([^()]*\)")
_EDGE_PUNCTUATION = re.compile(r"^[,.;:、。!?]+|[,.;:、。!?]+$")
_LEADING_WORDS = re.compile(
    r"^(?:力争于|力争在|力争|计划于|计划|预计于|预计|截至|截止到|截止|于|在|到|至)"
)
_TRAILING_WORDS = re.compile(
    r"(?:之前|以前|前|完成整改|全部完成|完成|整改到位|到位|以内|之内|内|为止|止|截止)+$"
)
_RANGE_SEPARATOR = re.compile(r"—+|–|-|~|〜|至|到")
_STATED_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:\d{4})?(?!\d)")

_Y = r"(?P<year>(?:19|20)\d\d)"
_YEAR_PREFIX = rf"(?:{_Y}(?:年度|年)?)?"
_M = r"(?P<month>\d{1,2})"
_D = r"(?P<day>\d{1,2})"


class _Unclear(Exception):
    """A cell that cannot become a deadline; `template` is the Chinese message for `{text}`."""

    def __init__(self, template: str) -> None:
        super().__init__(template)
        self.template = template


def _end_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _day(match: re.Match[str], year: int) -> dt.date:
    return dt.date(year, int(match["month"]), int(match["day"]))


def _month_end(match: re.Match[str], year: int) -> dt.date:
    return _end_of_month(year, int(match["month"]))


def _xun_end(match: re.Match[str], year: int) -> dt.date:
    month = int(match["month"])
    day = {"上": 10, "中": 20}.get(match["xun"])
    return dt.date(year, month, day) if day else _end_of_month(year, month)


def _year_end(match: re.Match[str], year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _half_end(match: re.Match[str], year: int) -> dt.date:
    return _end_of_month(year, {"上半年": 6, "年中": 6, "下半年": 12}[match["half"]])


def _quarter_end(match: re.Match[str], year: int) -> dt.date:
    return _end_of_month(year, 3 * int(match["quarter"] or match["q"]))


# Each pattern must match the whole trimmed text; the first that does decides.
_POINTS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], int], dt.date]], ...] = (
    (re.compile(rf"{_Y}(?P<month>\d\d)(?P<day>\d\d)"), _day),
    (re.compile(rf"{_Y}(?P<sep>[-/.]){_M}(?P=sep){_D}"), _day),
    (re.compile(rf"(?:{_Y}年)?{_M}月{_D}[日号]?"), _day),
    (re.compile(rf"(?:{_Y}年)?{_M}月份?(?P<xun>[上中下])旬(?:底|末)?"), _xun_end),
    (re.compile(rf"{_Y}[-/.]{_M}"), _month_end),
    (re.compile(rf"(?:{_Y}年)?{_M}月份?(?:底|末)?"), _month_end),
    (re.compile(rf"(?:{_Y}(?:年度|年)?年?|年度?)(?:底|末)"), _year_end),
    (re.compile(rf"{_Y}(?:年度|年)?"), _year_end),
    (re.compile(rf"{_YEAR_PREFIX}(?P<half>上半年|下半年|年中)(?:底|末)?"), _half_end),
    (
        re.compile(rf"{_YEAR_PREFIX}(?:第?(?P<quarter>[1-4])季度?|[Qq](?P<q>[1-4]))(?:底|末)?"),
        _quarter_end,
    ),
)


def _arabic(match: re.Match[str]) -> str:
    run = match.group()
    if "十" not in run:
        return "".join(str(_CN_DIGITS[char]) for char in run)
    tens = _CN_TENS.fullmatch(run)
    if tens is None:
        return run  # "十十" and the like stay as written and fail later, named in the message
    return str(_CN_DIGITS.get(tens["tens"], 1) * 10 + _CN_DIGITS.get(tens["ones"], 0))


def _normalise(text: str) -> str:
    """Full-width digits and punctuation to ASCII, no whitespace, Chinese numerals to digits."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return _CN_NUMBER.sub(_arabic, text)


def _trim(text: str) -> str:
    """Drop what surrounds a date without changing it: notes in brackets, 力争于…, …前完成."""
    text = _EDGE_PUNCTUATION.sub("", _BRACKETED.sub("", text))
    text = _TRAILING_WORDS.sub("", _LEADING_WORDS.sub("", text))
    return _EDGE_PUNCTUATION.sub("", text)


def _point(text: str, year_hint: int | None) -> dt.date | None:
    for pattern, resolve in _POINTS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        year = int(match["year"]) if match["year"] else year_hint
        if year is None:
            raise _Unclear(_MISSING_YEAR)
        try:
            return resolve(match, year)
        except ValueError:
            raise _Unclear(_NO_SUCH_DAY) from None
    return None


def _range_end(text: str, year_hint: int | None) -> dt.date | None:
    """The end of "2024年3月至6月" or "2024.3-2024.6"; the end may borrow the start's year."""
    for separator in reversed(list(_RANGE_SEPARATOR.finditer(text))):
        start_text, end_text = _trim(text[: separator.start()]), _trim(text[separator.end() :])
        start = _point(start_text, year_hint) if start_text and end_text else None
        if start is None:
            continue
        end = _point(end_text, start.year)
        if end is not None and end < start and not _STATED_YEAR.search(end_text):
            end = _point(end_text, start.year + 1)  # 2024年11月至2月 crosses the new year
        return end
    return None


def _feedback_cycle(plain: str) -> str:
    return next(
        (cycle for cycle, words in _FEEDBACK_CYCLES if any(word in plain for word in words)), ""
    )


def _excel_day(value: CellValue) -> dt.date | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    low, high = _EXCEL_SERIALS
    if not low <= value <= high:
        return None
    return _EXCEL_EPOCH + dt.timedelta(days=int(value))


def _cell_text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 2024.0 from a number cell means 2024
    return str(value).strip()


def _understand(text: str, year_hint: int | None, reference: dt.date | None) -> Deadline:
    plain = _normalise(text)
    if any(word in plain for word in _ONGOING_WORDS):
        return Deadline(text=text, ongoing=True, feedback_cycle=_feedback_cycle(plain))
    working_days = _WORKING_DAYS.fullmatch(_trim(plain))
    if working_days:
        if not 1 <= int(working_days["days"]) <= 365:
            raise _Unclear(_TOO_MANY_DAYS)
        return Deadline(text=text, working_days=int(working_days["days"]))
    immediate = _IMMEDIATE.match(plain)
    if immediate:
        plain = plain[immediate.end() :]
        if not _trim(plain):
            if reference is None:
                raise _Unclear(_NO_REFERENCE)
            return Deadline(text=text, date=reference)
    date = _point(_trim(plain), year_hint) or _range_end(plain, year_hint)
    if date is None:
        raise _Unclear(_UNRECOGNISED)
    return Deadline(text=text, date=date)


UNSET_WORDS = ("待定", "另行确定", "待确定", "交办时确定")


def parse_deadline(
    value: CellValue, *, year_hint: int | None = None, reference: dt.date | None = None
) -> Deadline:
    """Read a 整改时限 cell. `year_hint` is the year for texts that state none (6月底前);
    `reference` is the day 立行立改 means (the ledger's 填报日期, or the import date).

    Raises CellError with a Chinese message naming the value when the cell is blank or cannot
    be understood; the caller decides whether a blank deadline is an error.
    """
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return Deadline(text=format_deadline(date=day, ongoing=False), date=day)
    serial_day = _excel_day(value)
    if serial_day is not None:
        return Deadline(text=format_deadline(date=serial_day, ongoing=False), date=serial_day)
    text = _cell_text(value)
    if not text:
        raise CellError(_BLANK)
    if _normalise(text).strip("（）()") in UNSET_WORDS:
        # A measure whose deadline the supervisor sets before assigning it: no date yet.
        return Deadline(text=UNSET_WORDS[0])
    try:
        return _understand(text, year_hint, reference)
    except _Unclear as unclear:
        raise CellError(unclear.template.format(text=text)) from None


def format_deadline(
    *,
    date: dt.date | None,
    ongoing: bool,
    working_days: int | None = None,
    feedback_cycle: str = "",
) -> str:
    """The words a ledger writes for a deadline; `parse_deadline` reads them back unchanged."""
    if ongoing:
        label = next((words[0] for cycle, words in _FEEDBACK_CYCLES if cycle == feedback_cycle), "")
        return f"长期坚持（{label}反馈）" if label else "长期坚持"
    if working_days is not None:
        return f"交办后{working_days}个工作日"
    if date is None:
        return UNSET_WORDS[0]
    return f"{date.year}年{date.month}月{date.day}日"


def year_of(value: CellValue) -> int | None:
    """The four-digit year a cell states, if any; for a range, the end's year."""
    if isinstance(value, dt.date):
        return value.year
    serial_day = _excel_day(value)
    if serial_day is not None:
        return serial_day.year
    years = _STATED_YEAR.findall(_normalise(_cell_text(value)))
    return int(years[-1]) if years else None
