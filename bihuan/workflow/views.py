"""The system admin's pages for a year's holidays and make-up workdays (节假日与调休)."""

from collections import Counter
from dataclasses import dataclass

import chinese_calendar
from chinese_calendar.constants import Holiday
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bihuan.org.views import system_admin_only

from .calendar import WorkCalendar
from .forms import CalendarDayForm, CalendarPasteForm, DayEntry
from .models import CalendarDay, load_calendar

FIRST_YEAR, LAST_YEAR = 2000, 2100
# Knows only what the chinesecalendar package publishes: no admin entries.
PACKAGE_ONLY = WorkCalendar()


@dataclass(frozen=True)
class YearStatus:
    year: int
    admin_days: int
    published: bool  # by the chinesecalendar package
    admin_entered: bool  # the year's rules come from the admin's entries, not the package

    @property
    def source(self) -> str:
        if self.admin_entered:
            return "admin"
        return "package" if self.published else "estimated"

    @property
    def label(self) -> str:
        return {
            "admin": "管理员录入",
            "package": "已发布（chinesecalendar）",
            "estimated": "未公布，按周末推算",
        }[self.source]


def _statuses(years, calendar: WorkCalendar) -> list[YearStatus]:
    admin_days = Counter(day.year for day in calendar.overrides)
    return [
        YearStatus(
            year=year,
            admin_days=admin_days[year],
            published=PACKAGE_ONLY.is_known(year),
            admin_entered=year in calendar.admin_years,
        )
        for year in years
    ]


def _package_days(year: int) -> list[DayEntry]:
    """The package's own holidays and make-up days of a year, shown for reference."""

    def chinese(name: str) -> str:
        return Holiday(name).chinese if name in Holiday._value2member_map_ else name

    holidays = chinese_calendar.constants.holidays
    workdays = chinese_calendar.constants.workdays
    days = [DayEntry(d, False, chinese(n)) for d, n in holidays.items() if d.year == year]
    days += [DayEntry(d, True, chinese(n)) for d, n in workdays.items() if d.year == year]
    return sorted(days, key=lambda entry: entry.date)


@system_admin_only
@require_GET
def calendar_index(request):
    today = timezone.localdate()
    if "year" in request.GET:
        try:
            year = int(request.GET["year"])
        except ValueError:
            year = 0
        if FIRST_YEAR <= year <= LAST_YEAR:
            return redirect("calendar:year", year=year)
        messages.error(request, f"请输入 {FIRST_YEAR} 到 {LAST_YEAR} 之间的年份。")
    calendar = load_calendar()
    years = sorted({*range(today.year - 1, today.year + 3), *(d.year for d in calendar.overrides)})
    return render(
        request,
        "workflow/calendar_index.html",
        {"statuses": _statuses(years, calendar), "this_year": today.year},
    )


def _add_days(entries: list[DayEntry]) -> None:
    # All or nothing: the date is unique, so a day someone else just added aborts the lot.
    with transaction.atomic():
        CalendarDay.objects.bulk_create(
            CalendarDay(date=entry.date, is_workday=entry.is_workday, name=entry.name)
            for entry in entries
        )


@system_admin_only
@require_http_methods(["GET", "POST"])
def calendar_year(request, year: int):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    days = list(CalendarDay.objects.filter(date__year=year))
    existing = {day.date: day for day in days}
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    one = CalendarDayForm(
        posted if which == "one" else None, year=year, existing=existing, prefix="one"
    )
    paste = CalendarPasteForm(
        posted if which == "paste" else None, year=year, existing=existing, prefix="paste"
    )
    form = {"one": one, "paste": paste}.get(which)
    if form is not None and form.is_valid():
        try:
            _add_days(form.entries)
        except IntegrityError:
            form.add_error(None, "其中有日期刚被他人录入，本次未录入任何日期，请刷新后重试。")
        else:
            messages.success(request, f"已录入 {year} 年的 {len(form.entries)} 天。")
            return redirect("calendar:year", year=year)
    (status,) = _statuses([year], load_calendar())
    context = {
        "year": year,
        "status": status,
        "days": days,
        "one": one,
        "paste": paste,
        "package_days": _package_days(year) if status.published else [],
    }
    return render(request, "workflow/calendar_year.html", context)


@system_admin_only
@require_POST
def calendar_day_delete(request, pk: int):
    day = get_object_or_404(CalendarDay, pk=pk)
    year = day.date.year
    day.delete()
    messages.success(request, f"已删除 {day}。")
    return redirect("calendar:year", year=year)
