"""bihuan calendar: a year's holidays and make-up workdays, for years chinesecalendar lacks."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError
from django.utils import timezone

from bihuan.workflow.forms import (
    HOLIDAY_WORDS,
    WEEKDAYS,
    WORKDAY_WORDS,
    check_entry,
    parse_date,
)
from bihuan.workflow.holidays import DayEntry, calendar_days_add, package_days, year_statuses
from bihuan.workflow.models import CalendarDay, load_calendar

KINDS = {"holiday": False, **dict.fromkeys(HOLIDAY_WORDS, False)}
KINDS |= {"workday": True, **dict.fromkeys(WORKDAY_WORDS, True)}


def _date(text: str) -> dt.date:
    day = parse_date(text)
    if day is None:
        raise CommandError(f"“{text}”不是有效日期，应写成 2027-01-01 这样的格式。")
    return day


def _line(day: dt.date, is_workday: bool, name: str) -> str:
    kind = "上班" if is_workday else "放假"
    return f"{day:%Y-%m-%d} 星期{WEEKDAYS[day.weekday()]} {kind} {name}".rstrip()


class Command(BaseCommand):
    help = (
        "节假日与调休：list [年份] 查看；add 日期 holiday|workday [说明] 录入；remove 日期 删除。"
        "用于 chinesecalendar 尚未收录的年份（国务院公布放假安排后录入）。"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="list|add|remove")
        listing = actions.add_parser("list", help="查看某年是否已公布及其放假、调休日期")
        listing.add_argument("year", nargs="?", type=int, help="年份，默认今年")
        adding = actions.add_parser("add", help="录入一天")
        adding.add_argument("date", help="日期，如 2027-01-01")
        adding.add_argument("kind", help="holiday（放假）或 workday（调休上班）")
        adding.add_argument("name", nargs="?", default="", help="说明，如 元旦、春节调休")
        removing = actions.add_parser("remove", help="删除管理员录入的一天")
        removing.add_argument("date", help="日期，如 2027-01-01")

    def handle(self, *, action: str, **options):
        if action == "list":
            self._list(options["year"] or timezone.localdate().year)
        elif action == "add":
            self._add(_date(options["date"]), options["kind"], options["name"].strip())
        else:
            self._remove(_date(options["date"]))

    def _list(self, year: int) -> None:
        (status,) = year_statuses([year], load_calendar())
        admin_days = list(CalendarDay.objects.filter(date__year=year))
        self.stdout.write(f"{year} 年：{status.label}")
        if status.source == "estimated":
            self.stdout.write(
                "国务院公布该年放假安排后，请逐日录入：bihuan calendar add 日期 holiday|workday 说明"
            )
        if status.published:
            for entry in package_days(year):
                self.stdout.write(_line(entry.date, entry.is_workday, entry.name))
            if admin_days:
                self.stdout.write("管理员更正：")
        for day in admin_days:
            self.stdout.write(_line(day.date, day.is_workday, day.name))

    def _add(self, day: dt.date, kind: str, name: str) -> None:
        if kind.lower() not in KINDS:
            raise CommandError(f"“{kind}”应为 holiday（放假）或 workday（上班）。")
        entry = DayEntry(day, KINDS[kind.lower()], name)
        existing = {d.date: d for d in CalendarDay.objects.filter(date=day)}
        if reason := check_entry(entry, year=day.year, existing=existing):
            raise CommandError(f"{reason}。")
        try:
            calendar_days_add([entry])
        except IntegrityError:
            raise CommandError(f"{day:%Y-%m-%d} 刚被他人录入，请先查看。") from None
        self.stdout.write(f"已录入：{_line(day, entry.is_workday, name)}")
        (status,) = year_statuses([day.year], load_calendar())
        if status.source == "admin":
            self.stdout.write(
                f"{day.year} 年已按管理员录入计算工作日（不再按周末推算），请录入该年全部放假和调休日期。"
            )

    def _remove(self, day: dt.date) -> None:
        deleted, _ = CalendarDay.objects.filter(date=day).delete()
        if not deleted:
            raise CommandError(f"{day:%Y-%m-%d} 没有管理员录入的记录。")
        self.stdout.write(f"已删除 {day:%Y-%m-%d} 的录入。")
