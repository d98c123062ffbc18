import datetime as dt

import pytest

from bihuan.tabular.deadlines import format_deadline, parse_deadline, year_of
from bihuan.tabular.records import CellError, Deadline

# Spreadsheet readers hand over naive datetimes: a cell has no time zone.
MIDNIGHT = dt.datetime(2024, 6, 30)  # noqa: DTZ001
EVENING = dt.datetime(2024, 6, 30, 17, 30)  # noqa: DTZ001
EXAMPLES = "（可写“2024年6月30日”“2024年6月底前”或“长期坚持”）"


def date_of(value, **hints) -> dt.date | None:
    return parse_deadline(value, **hints).date


@pytest.mark.parametrize(
    "text",
    ["2024年3月底前", "2024年3月", "2024.03", "2024.3", "2024年3月底", "2024年3月末", "2024-03"],
)
def test_month_end_before_is_last_day_of_month(text):
    assert parse_deadline(text) == Deadline(text=text, date=dt.date(2024, 3, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年2月底前", dt.date(2024, 2, 29)),
        ("2023年2月底前", dt.date(2023, 2, 28)),
        ("2024年6月份", dt.date(2024, 6, 30)),
        ("2024.12", dt.date(2024, 12, 31)),
        ("2024/11", dt.date(2024, 11, 30)),
    ],
)
def test_month_end_knows_month_lengths_and_leap_years(text, expected):
    assert date_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2024年底",
        "2024年底前",
        "2024年年底",
        "2024年末",
        "2024年年末",
        "2024年",
        "2024年度",
        "2024年内",
    ],
)
def test_year_end_is_december_31(text):
    assert date_of(text) == dt.date(2024, 12, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年上半年", dt.date(2024, 6, 30)),
        ("2024年下半年", dt.date(2024, 12, 31)),
        ("2024年年中", dt.date(2024, 6, 30)),
        ("2024年中", dt.date(2024, 6, 30)),
        ("2024年第一季度", dt.date(2024, 3, 31)),
        ("2024年第二季度", dt.date(2024, 6, 30)),
        ("2024年三季度", dt.date(2024, 9, 30)),
        ("2024年第四季度末", dt.date(2024, 12, 31)),
        ("2024年Q2", dt.date(2024, 6, 30)),
    ],
)
def test_half_year_and_quarter_end_on_their_last_day(text, expected):
    assert date_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2024年6月30日",
        "2024年6月30日前",
        "2024年6月30日之前",
        "2024年6月30号",
        "2024-06-30",
        "2024/6/30",
        "2024.6.30",
        "20240630",
        "2024年6月30日以前完成",
        "力争2024年6月30日前完成",
        "2024年6月30日（视进展调整）",
        "  2024年6月30日。",
    ],
)
def test_full_dates_in_any_common_writing(text):
    assert parse_deadline(text) == Deadline(text=text.strip(), date=dt.date(2024, 6, 30))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年6月上旬", dt.date(2024, 6, 10)),
        ("2024年6月中旬", dt.date(2024, 6, 20)),
        ("2024年6月下旬", dt.date(2024, 6, 30)),
        ("2024年2月下旬", dt.date(2024, 2, 29)),
    ],
)
def test_ten_day_periods_end_on_the_10th_20th_and_month_end(text, expected):
    assert date_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年3月—2024年6月", dt.date(2024, 6, 30)),
        ("2024年3月至6月", dt.date(2024, 6, 30)),
        ("2024年3月-6月底", dt.date(2024, 6, 30)),
        ("2024.3-2024.6", dt.date(2024, 6, 30)),
        ("2024年3月1日~2024年5月15日", dt.date(2024, 5, 15)),
        ("2024年11月至2025年2月", dt.date(2025, 2, 28)),
        ("2024年11月至2月", dt.date(2025, 2, 28)),
    ],
)
def test_a_range_is_due_at_its_end(text, expected):
    assert date_of(text) == expected


def test_a_range_without_a_year_uses_the_year_hint():
    assert date_of("3月至6月", year_hint=2025) == dt.date(2025, 6, 30)


@pytest.mark.parametrize(
    "text",
    [
        "2024年6月底前",
        "2024年6月底前完成",
        "2024年6月底以前",
        "2024年6月底之前完成整改",
        "2024年6月内",
        "2024年6月底前全部完成",
        "于2024年6月底前完成",
        "截至2024年6月底",
        "2024年6月底止",
    ],
)
def test_words_around_the_date_are_ignored(text):
    assert date_of(text) == dt.date(2024, 6, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("二〇二四年三月底前", dt.date(2024, 3, 31)),
        ("二○二四年三月底前", dt.date(2024, 3, 31)),
        ("二零二四年十月底", dt.date(2024, 10, 31)),
        ("2024年十二月底", dt.date(2024, 12, 31)),
        ("二〇二四年十二月三十一日", dt.date(2024, 12, 31)),
        ("2024年六月二十日", dt.date(2024, 6, 20)),
    ],
)
def test_chinese_numerals_read_as_digits(text, expected):
    assert date_of(text) == expected


@pytest.mark.parametrize(
    "text",
    ["２０２４年６月３０日", "２０２４－０６－３０", "２０２４．６．３０", "２０２４年６月底前"],
)
def test_full_width_digits_and_punctuation_read_as_ascii(text):
    assert date_of(text) == dt.date(2024, 6, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6月底前", dt.date(2023, 6, 30)),
        ("六月底前", dt.date(2023, 6, 30)),
        ("6月30日", dt.date(2023, 6, 30)),
        ("6月中旬", dt.date(2023, 6, 20)),
        ("年底前", dt.date(2023, 12, 31)),
        ("年末", dt.date(2023, 12, 31)),
        ("上半年", dt.date(2023, 6, 30)),
        ("下半年", dt.date(2023, 12, 31)),
        ("年中", dt.date(2023, 6, 30)),
        ("一季度", dt.date(2023, 3, 31)),
        ("第二季度", dt.date(2023, 6, 30)),
        ("二季度", dt.date(2023, 6, 30)),
        ("二季度末", dt.date(2023, 6, 30)),
        ("三季度", dt.date(2023, 9, 30)),
        ("四季度", dt.date(2023, 12, 31)),
    ],
)
def test_texts_without_a_year_take_the_year_hint(text, expected):
    assert date_of(text, year_hint=2023) == expected


def test_a_stated_year_wins_over_the_year_hint():
    assert date_of("2024年6月底前", year_hint=2023) == dt.date(2024, 6, 30)


@pytest.mark.parametrize("text", ["6月底前", "年底前", "第二季度", "二季度末", "3月至6月"])
def test_texts_without_a_year_and_no_hint_are_refused_naming_the_missing_year(text):
    with pytest.raises(CellError) as refused:
        parse_deadline(text)

    assert str(refused.value) == f"整改时限缺少年份：{text}（请写明年份，如“2024年6月底前”）"


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2024, 6, 30),
        MIDNIGHT,
        EVENING,
        45473,
        45473.0,
    ],
)
def test_an_excel_date_is_that_day(value):
    assert parse_deadline(value) == Deadline(text="2024年6月30日", date=dt.date(2024, 6, 30))


def test_an_excel_serial_keeps_only_the_day_of_a_date_and_time():
    assert date_of(45473.75) == dt.date(2024, 6, 30)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (20240630, dt.date(2024, 6, 30)),
        (2024, dt.date(2024, 12, 31)),
        (2024.0, dt.date(2024, 12, 31)),
        (2024.03, dt.date(2024, 3, 31)),
        (2024.12, dt.date(2024, 12, 31)),
    ],
)
def test_numbers_outside_the_excel_date_range_read_as_they_are_written(value, expected):
    assert date_of(value) == expected


@pytest.mark.parametrize(
    "text",
    [
        "长期坚持",
        "长期",
        "常态化",
        "持续推进",
        "持续整改",
        "长期坚持、持续推进",
        "立行立改、长期坚持",
        "2024年6月底前完成并长期坚持",
        "常态化推进",
        " 长期坚持 ",
    ],
)
def test_ongoing_texts_have_no_date(text):
    assert parse_deadline(text) == Deadline(text=text.strip(), ongoing=True)


@pytest.mark.parametrize(
    ("text", "cycle"),
    [
        ("长期坚持，每周调度", "weekly"),
        ("长期坚持（每月反馈）", "monthly"),
        ("持续推进，每月报送进展", "monthly"),
        ("常态化开展，每季度通报", "quarterly"),
        ("长期坚持（每季度反馈）", "quarterly"),
        ("长期坚持，每周调度、每月通报", "weekly"),
    ],
)
def test_an_ongoing_text_names_its_feedback_cycle(text, cycle):
    assert parse_deadline(text) == Deadline(text=text, ongoing=True, feedback_cycle=cycle)


def test_a_feedback_word_without_ongoing_is_not_a_cycle():
    with pytest.raises(CellError):
        parse_deadline("每月")


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("交办后5个工作日", 5),
        ("5个工作日内", 5),
        ("5个工作日", 5),
        ("交办后10个工作日内完成", 10),
        ("交办后五个工作日", 5),
        ("签收后15个工作日内", 15),
    ],
)
def test_working_days_after_assignment_have_no_date(text, days):
    assert parse_deadline(text) == Deadline(text=text, working_days=days)


@pytest.mark.parametrize("text", ["0个工作日", "交办后400个工作日"])
def test_working_days_outside_a_year_are_refused(text):
    with pytest.raises(CellError) as refused:
        parse_deadline(text)

    assert str(refused.value) == f"工作日数应在 1 到 365 之间：{text}"


def test_immediate_rectification_is_due_on_the_reference_day():
    filed = dt.date(2024, 1, 10)

    assert parse_deadline("立行立改", reference=filed) == Deadline(text="立行立改", date=filed)
    assert date_of("立行立改。", reference=filed) == filed
    assert date_of("立即整改", reference=filed) == filed


def test_immediate_rectification_with_a_date_is_due_on_that_date():
    assert date_of("立行立改，2024年3月底前", reference=dt.date(2024, 1, 10)) == dt.date(
        2024, 3, 31
    )
    assert date_of("立行立改，2024年3月底前") == dt.date(2024, 3, 31)


def test_immediate_rectification_without_a_reference_day_is_refused():
    with pytest.raises(CellError) as refused:
        parse_deadline("立行立改")

    assert str(refused.value) == (
        "整改时限为“立行立改”，但表中没有填报日期，无法确定日期（请写明具体日期，如“2024年6月30日”）"
    )


@pytest.mark.parametrize("value", [None, "", "   ", "\n"])
def test_a_blank_deadline_is_refused_so_the_caller_decides(value):
    with pytest.raises(CellError) as refused:
        parse_deadline(value)

    assert str(refused.value) == "请填写整改时限" + EXAMPLES


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("下个月", "下个月"),
        ("尽快", "尽快"),
        ("已完成", "已完成"),
        ("每月", "每月"),
        ("2024.1.2.3", "2024.1.2.3"),
        ("0630", "0630"),
        (" 近期 ", "近期"),
        (12.5, "12.5"),
        (True, "True"),
    ],
)
def test_anything_not_understood_is_refused_naming_the_value(value, shown):
    with pytest.raises(CellError) as refused:
        parse_deadline(value)

    assert str(refused.value) == f"无法识别的日期：{shown}" + EXAMPLES


@pytest.mark.parametrize(
    "text",
    ["2024年2月30日", "2023年2月29日", "2024-04-31", "20241301", "2024年13月", "2024年0月底"],
)
def test_days_that_do_not_exist_are_refused_naming_the_value(text):
    with pytest.raises(CellError) as refused:
        parse_deadline(text)

    assert str(refused.value) == f"日期不存在：{text}（请核对年、月、日）"


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"date": dt.date(2024, 3, 31), "ongoing": False}, "2024年3月31日"),
        ({"date": dt.date(2024, 6, 5), "ongoing": False}, "2024年6月5日"),
        ({"date": None, "ongoing": True}, "长期坚持"),
        ({"date": None, "ongoing": True, "feedback_cycle": "monthly"}, "长期坚持（每月反馈）"),
        ({"date": None, "ongoing": True, "feedback_cycle": "weekly"}, "长期坚持（每周反馈）"),
        ({"date": None, "ongoing": True, "feedback_cycle": "quarterly"}, "长期坚持（每季度反馈）"),
        ({"date": None, "ongoing": False, "working_days": 5}, "交办后5个工作日"),
    ],
)
def test_format_deadline_writes_ledger_words(kwargs, text):
    assert format_deadline(**kwargs) == text


def test_a_deadline_with_nothing_decided_is_written_as_undecided_and_read_back():
    assert format_deadline(date=None, ongoing=False) == "待定"
    assert parse_deadline("待定") == Deadline(text="待定")
    assert parse_deadline("（另行确定）").is_unset


@pytest.mark.parametrize(
    "deadline",
    [
        Deadline(text="", date=dt.date(2024, 3, 31)),
        Deadline(text="", date=dt.date(2024, 1, 1)),
        Deadline(text="", date=dt.date(2025, 12, 9)),
        Deadline(text="", ongoing=True),
        Deadline(text="", ongoing=True, feedback_cycle="weekly"),
        Deadline(text="", ongoing=True, feedback_cycle="monthly"),
        Deadline(text="", ongoing=True, feedback_cycle="quarterly"),
        Deadline(text="", working_days=5),
        Deadline(text="", working_days=30),
    ],
)
def test_formatted_deadlines_read_back_unchanged(deadline):
    text = format_deadline(
        date=deadline.date,
        ongoing=deadline.ongoing,
        working_days=deadline.working_days,
        feedback_cycle=deadline.feedback_cycle,
    )

    assert parse_deadline(text) == Deadline(
        text=text,
        date=deadline.date,
        ongoing=deadline.ongoing,
        working_days=deadline.working_days,
        feedback_cycle=deadline.feedback_cycle,
    )


@pytest.mark.parametrize(
    ("value", "year"),
    [
        ("2024年3月底前", 2024),
        ("2024.03", 2024),
        ("20240630", 2024),
        ("２０２４年６月", 2024),
        ("二〇二四年三月底前", 2024),
        ("2023年12月至2024年3月", 2024),
        (dt.date(2023, 6, 30), 2023),
        (EVENING, 2024),
        (45473, 2024),
        (2024, 2024),
        ("6月底前", None),
        ("第二季度", None),
        ("长期坚持", None),
        ("交办后5个工作日", None),
        ("12345", None),
        ("", None),
        (None, None),
    ],
)
def test_year_of_finds_the_year_a_cell_states(value, year):
    assert year_of(value) == year
