"""The period a ranking or a report covers: a month (2026-11), a quarter (2026-Q4), a year
(2026) or a campaign (campaign-12), each a `Period` with a key, a label for the documents, its
first and last day, and for a campaign the campaign whose problems alone it counts.

A parser reads a text in a user's scope; the campaigns app registers the campaign parser
(campaigns/periods.py, from its AppConfig.ready), so this module knows no campaign model.
`user` None is the command line run without --as: it sees everything.
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
    key: str  # as stored: "2026-11", "2026-Q4", "2026", "campaign-12"
    kind: str  # "month", "quarter", "year", "campaign"
    label: str  # "2026年11月", "2026年第四季度", "2026年", the campaign's name
    start: dt.date
    end: dt.date  # the last day, included
    # A campaign's period counts only the problems tagged with the campaign and their measures.
    campaign_id: int | None = None

    def as_of(self, today: dt.date) -> dt.date:
        """The day the figures are counted at: the period's last day, or today while it runs."""
        return min(self.end, today)

    def has_begun(self, today: dt.date) -> bool:
        return self.start <= today


def _month(text: str, user=None) -> Period | None:
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


def _quarter(text: str, user=None) -> Period | None:
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


def _year(text: str, user=None) -> Period | None:
    if not re.fullmatch(r"\d{4}", text):
        return None
    year = int(text)
    return Period(str(year), "year", f"{year}年", dt.date(year, 1, 1), dt.date(year, 12, 31))


# (text, user) → the period, None for a text it does not recognise; a parser that recognises
# the text but finds nothing the user may see raises DomainError itself.
Parser = Callable[[str, object], Period | None]
# A parser's options for a picker: (key, label) pairs the user may choose.
Options = Callable[[object], list[tuple[str, str]]]

# Tried in turn; the first that recognises the text wins.
PARSERS: list[Parser] = [_month, _quarter, _year]
FORMATS: list[str] = ["月份写作 2026-11", "季度写作 2026-Q4", "年度写作 2026"]
OPTIONS: list[Options] = []


def register_parser(parse: Parser, *, format_hint: str, options: Options | None = None) -> None:
    """Add a kind of period (the campaigns app adds campaigns); registering twice is harmless."""
    if parse in PARSERS:
        return
    PARSERS.append(parse)
    FORMATS.append(format_hint)
    if options is not None:
        OPTIONS.append(options)


def parse_period(text: str, *, user=None) -> Period:
    """The period `text` names, as `user` may see it (None: the command line, everything)."""
    text = (text or "").strip()
    for parse in PARSERS:
        period = parse(text, user)
        if period is not None and period.start.year >= 2000:
            return period
    raise DomainError(f"无法识别的期间“{text}”：{'，'.join(FORMATS)}。", field="period")


def period_options(user, today: dt.date) -> list[tuple[str, str]]:
    """What a period picker offers: this month and the two before it, this quarter and year,
    then whatever the registered kinds offer the user (the campaigns they see)."""
    months = []
    first = today.replace(day=1)
    for _ in range(3):
        months.append(month_of(first))
        first = (first - dt.timedelta(days=1)).replace(day=1)
    quarter = parse_period(f"{today.year}-Q{(today.month - 1) // 3 + 1}")
    found = [(p.key, p.label) for p in (*months, quarter, parse_period(str(today.year)))]
    for options in OPTIONS:
        found += options(user)
    return found


def month_of(day: dt.date) -> Period:
    return parse_period(f"{day.year}-{day.month:02d}")
