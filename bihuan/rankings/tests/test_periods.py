import datetime as dt

import pytest

from bihuan.errors import DomainError
from bihuan.rankings.periods import month_of, parse_period


@pytest.mark.parametrize(
    ("text", "key", "label", "start", "end"),
    [
        ("2026-11", "2026-11", "2026年11月", dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        ("2024-2", "2024-02", "2024年2月", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2026-Q4", "2026-Q4", "2026年第四季度", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2026-q1", "2026-Q1", "2026年第一季度", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (" 2026 ", "2026", "2026年", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ],
)
def test_months_quarters_and_years_are_understood(text, key, label, start, end):
    period = parse_period(text)

    assert (period.key, period.label, period.start, period.end) == (key, label, start, end)


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["", "2026-13", "2026-Q5", "11月", "1999"])
def test_anything_else_is_refused_with_the_forms_it_takes(text):
    with pytest.raises(
        DomainError,
        match="月份写作 2026-11，季度写作 2026-Q4，年度写作 2026，专项活动写作 campaign-12",
    ):
        parse_period(text)


def test_a_running_period_is_counted_until_today():
    november = parse_period("2026-11")

    assert november.as_of(dt.date(2026, 11, 23)) == dt.date(2026, 11, 23)
    assert november.as_of(dt.date(2027, 1, 5)) == dt.date(2026, 11, 30)
    assert month_of(dt.date(2026, 11, 23)) == november
