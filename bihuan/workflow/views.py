"""The system admin's pages for a year's holidays and make-up workdays (节假日与调休)."""

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bihuan.org.views import system_admin_only

from .forms import CalendarDayForm, CalendarPasteForm
from .holidays import calendar_days_add, package_days, year_statuses
from .models import CalendarDay, load_calendar

FIRST_YEAR, LAST_YEAR = 2000, 2100


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
        {"statuses": year_statuses(years, calendar), "this_year": today.year},
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
            calendar_days_add(form.entries)
        except IntegrityError:
            form.add_error(None, "其中有日期刚被他人录入，本次未录入任何日期，请刷新后重试。")
        else:
            messages.success(request, f"已录入 {year} 年的 {len(form.entries)} 天。")
            return redirect("calendar:year", year=year)
    (status,) = year_statuses([year], load_calendar())
    context = {
        "year": year,
        "status": status,
        "days": days,
        "one": one,
        "paste": paste,
        "package_days": package_days(year) if status.published else [],
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
