"""Forms for entering a year's holidays and make-up workdays; they validate, the view saves."""

import datetime as dt
import re
from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError

from .holidays import DayEntry
from .models import CalendarDay

MAX_LINES = 200
NAME_MAX = CalendarDay._meta.get_field("name").max_length
WEEKDAYS = "一二三四五六日"

HOLIDAY_WORDS = frozenset({"放假", "休", "休息", "假"})
WORKDAY_WORDS = frozenset({"上班", "班", "调休上班", "补班"})

# 2027-01-01, 2027/1/1, 2027.1.1 or 2027年1月1日, the ways dates are written in notices and sheets.
DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def parse_date(text: str) -> dt.date | None:
    match = DATE_RE.fullmatch(text.strip())
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def check_entry(
    entry: DayEntry, *, year: int, existing: Mapping[dt.date, CalendarDay]
) -> str | None:
    """Why the entry cannot be added to the year's days, or None when it can."""
    day = f"{entry.date:%Y-%m-%d}"
    if entry.date.year != year:
        return f"{day} 不是 {year} 年的日期"
    if entry.date in existing:
        recorded = existing[entry.date]
        kind = " ".join(filter(None, ["上班" if recorded.is_workday else "放假", recorded.name]))
        return f"{day} 已录入（{kind}），如需修改请先删除"
    # Notices list only weekend make-up days; a weekday "上班" is almost always a typo.
    if entry.is_workday and entry.date.weekday() < 5:
        return f"{day} 是星期{WEEKDAYS[entry.date.weekday()]}，本来就是工作日，无需登记为上班"
    if len(entry.name) > NAME_MAX:
        return f"说明不能超过 {NAME_MAX} 个字"
    return None


class CalendarForm(forms.Form):
    """Shared by both ways of adding days: each yields `entries` checked against the year."""

    def __init__(self, *args, year: int, existing: Mapping[dt.date, CalendarDay], **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.existing = existing
        self.entries: list[DayEntry] = []
        for field in self.fields.values():
            if not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs.setdefault("class", "form-control")


class CalendarDayForm(CalendarForm):
    date = forms.DateField(
        label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    is_workday = forms.TypedChoiceField(
        label="类型",
        choices=[("0", "放假"), ("1", "上班（调休）")],
        coerce=lambda value: value == "1",
        initial="0",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label="说明", max_length=NAME_MAX, required=False)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        entry = DayEntry(data["date"], data["is_workday"], data["name"].strip())
        if reason := check_entry(entry, year=self.year, existing=self.existing):
            raise ValidationError(f"{reason}。")
        self.entries = [entry]
        return data


class CalendarPasteForm(CalendarForm):
    lines = forms.CharField(
        label="批量粘贴",
        widget=forms.Textarea(
            attrs={"rows": 8, "placeholder": "2027-01-01 放假 元旦\n2027-02-07 上班 春节调休"}
        ),
        help_text="每行一天：日期、“放假”或“上班”、说明（可省略），以空格分隔。"
        "任何一行有误则全部不录入。",
    )

    def clean_lines(self) -> str:
        text = self.cleaned_data["lines"]
        rows = text.splitlines()
        if len(rows) > MAX_LINES:
            raise ValidationError(f"一次最多录入 {MAX_LINES} 行，请分批粘贴。")
        entries, errors = [], []
        first_line_of: dict[dt.date, int] = {}
        for number, row in enumerate(rows, start=1):
            if not row.strip():
                continue
            entry, reason = self._parse(row)
            if entry is not None and entry.date in first_line_of:
                reason = f"{entry.date:%Y-%m-%d} 与第 {first_line_of[entry.date]} 行重复"
            elif entry is not None:
                first_line_of[entry.date] = number
                reason = check_entry(entry, year=self.year, existing=self.existing)
            if reason:
                errors.append(ValidationError(f"第 {number} 行：{reason}。"))
            else:
                entries.append(entry)
        if errors:
            raise ValidationError(errors)
        if not entries:
            raise ValidationError("请至少填写一行。")
        self.entries = entries
        return text

    @staticmethod
    def _parse(row: str) -> tuple[DayEntry | None, str | None]:
        # A date written 2027年1月1日 may contain no spaces, so the date is matched first.
        match = DATE_RE.match(row.strip())
        if match is None:
            first = row.split()[0]
            return None, f"“{first}”不是有效日期，应写成 2027-01-01 这样的格式"
        date = parse_date(match.group(0))
        if date is None:
            return None, f"“{match.group(0).strip()}”不是有效日期"
        rest = row.strip()[match.end() :].split(None, 1)
        if not rest:
            return None, f"{date:%Y-%m-%d} 后缺少“放假”或“上班”"
        kind, name = rest[0], (rest[1].strip() if len(rest) > 1 else "")
        if kind in HOLIDAY_WORDS:
            return DayEntry(date, False, name), None
        if kind in WORKDAY_WORDS:
            return DayEntry(date, True, name), None
        return None, f"“{kind}”应为“放假”或“上班”"
