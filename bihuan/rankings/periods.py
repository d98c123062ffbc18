"""The period a ranking or a report covers: a month (2026-11), a quarter (2026-Q4) or a year
(2026), each a `Period` with a key, a label for the documents and its first and last day.

Everything downstream reads only those four, so a campaign (专项活动) becomes one more parser in
`PARSERS` (say `campaign-12`, its dates the campaign's), registered by the campaigns app,
without any change to rankings or reports.
"""

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from bihuan.errors import DomainError

QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


@dataclass(frozen=True)
class Period:
    key: str  # as typed and stored: "2026-11", "2026-Q4", "2026"
    kind: str  # "month", "quarter", "year"
    label: str  # "2026年11月", "2026年第四季度", "2026年"
    start: dt.date
    end: dt.date  # the last day, included

    def as_of(self, today: dt.date) -> dt.date:
        """The day the figures are counted at: the period's last day, or today while it runs."""
        return min(self.end, today)

    def has_begun(self, today: dt.date) -> bool:
        return self.start <= today


def _month(text: str) -> Period | None:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    return Period(
        f"{year}-{month:02d}",
        "month",
        f"{year}年{month}月",
        dt.date(year, month, 1),
        dt.date(year, month, last),
    )


def _quarter(text: str) -> Period | None:
    match = re.fullmatch(r"(\d{4})-[Qq]([1-4])", text)
    if not match:
        return None
    year, quarter = int(match[1]), int(match[2])
    first = 3 * quarter - 2
    last = calendar.monthrange(year, first + 2)[1]
    return Period(
        f"{year}-Q{quarter}",
        "quarter",
        f"{year}年第{QUARTER_NAMES[quarter]}季度",
        dt.date(year, first, 1),
        dt.date(year, first + 2, last),
    )


def _year(text: str) -> Period | None:
    if not re.fullmatch(r"\d{4}", text):
        return None
    year = int(text)
    return Period(str(year), "year", f"{year}年", dt.date(year, 1, 1), dt.date(year, 12, 31))


# Tried in turn; the first that recognises the text wins.
PARSERS: list[Callable[[str], Period | None]] = [_month, _quarter, _year]


def parse_period(text: str) -> Period:
    text = (text or "").strip()
    for parse in PARSERS:
        period = parse(text)
        if period is not None and period.start.year >= 2000:
            return period
    raise DomainError(
        f"无法识别的期间“{text}”：月份写作 2026-11，季度写作 2026-Q4，年度写作 2026。",
        field="period",
    )


def month_of(day: dt.date) -> Period:
    return parse_period(f"{day.year}-{day.month:02d}")
