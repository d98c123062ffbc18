import datetime as dt

import pytest
from django.utils import timezone

from bihuan.conftest import at
from bihuan.workflow.models import CalendarDay, load_calendar

D = dt.date


@pytest.fixture(autouse=True)
def in_march_2026(monkeypatch):
    # The package publishes up to 2026: 2027 is the first year an admin must enter.
    monkeypatch.setattr(timezone, "now", lambda: at(2026, 3, 2))


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.wu)
    return client


def paste(client, text, year=2027):
    return client.post(f"/calendar/{year}/", {"form": "paste", "paste-lines": text})


def add_one(client, date, is_workday="0", name="", year=2027):
    return client.post(
        f"/calendar/{year}/",
        {"form": "one", "one-date": date, "one-is_workday": is_workday, "one-name": name},
    )


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get("/calendar/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("username", ["zhou", "li", "zhao"])
def test_other_roles_are_refused_and_change_nothing(client, world, username):
    day = CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦")
    client.force_login(getattr(world, username))

    assert client.get("/calendar/").status_code == 403
    assert client.get("/calendar/2027/").status_code == 403
    assert paste(client, "2027-02-07 上班 春节调休").status_code == 403
    assert client.post(f"/calendar/days/{day.pk}/delete/").status_code == 403
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [D(2027, 1, 1)]


def test_the_index_says_where_each_years_holidays_come_from(admin_client):
    CalendarDay.objects.create(date=D(2031, 1, 1), is_workday=False, name="元旦")

    statuses = admin_client.get("/calendar/").context["statuses"]

    assert [(s.year, s.source, s.admin_days) for s in statuses] == [
        (2025, "package", 0),
        (2026, "package", 0),
        (2027, "estimated", 0),
        (2028, "estimated", 0),
        (2031, "admin", 1),
    ]


def test_the_index_opens_the_year_asked_for(admin_client):
    response = admin_client.get("/calendar/", {"year": "2029"})
    assert response.status_code == 302
    assert response["Location"] == "/calendar/2029/"


def test_a_year_out_of_range_is_not_found(admin_client):
    assert admin_client.get("/calendar/1999/").status_code == 404


def test_a_published_year_lists_the_packages_days_for_reference(admin_client):
    response = admin_client.get("/calendar/2024/")

    assert response.context["status"].source == "package"
    html = response.content.decode()
    assert "2024-10-01" in html
    assert "国庆节" in html
    assert "2024-10-12" in html  # the make-up Saturday


def test_pasting_a_years_days_records_them_all(admin_client):
    response = paste(
        admin_client, "2027-01-01 放假 元旦\n\n2027年2月6日\t上班\t春节调休\n2027/2/11　放假"
    )

    assert response.status_code == 302
    assert response["Location"] == "/calendar/2027/"
    assert list(CalendarDay.objects.values_list("date", "is_workday", "name")) == [
        (D(2027, 1, 1), False, "元旦"),
        (D(2027, 2, 6), True, "春节调休"),
        (D(2027, 2, 11), False, ""),
    ]
    calendar = load_calendar()
    assert calendar.is_known(2027)
    assert not calendar.is_workday(D(2027, 1, 1))
    assert calendar.is_workday(D(2027, 2, 6))


def test_the_year_then_reads_as_entered_by_the_admin(admin_client):
    paste(admin_client, "2027-01-01 放假 元旦")

    response = admin_client.get("/calendar/2027/")

    assert response.context["status"].source == "admin"
    assert [day.name for day in response.context["days"]] == ["元旦"]
    assert "已录入 2027 年的 1 天。" in response.content.decode()


def test_a_paste_with_any_bad_line_records_nothing_and_names_every_bad_line(admin_client):
    CalendarDay.objects.create(date=D(2027, 10, 1), is_workday=False, name="国庆节")
    text = "\n".join(
        [
            "2027-01-01 放假 元旦",  # 1: fine
            "2027-02-30 放假 春节",  # 2: no such day
            "2026-12-31 放假 元旦",  # 3: another year
            "2027-02-08 上班 春节调休",  # 4: a Monday
            "2027-01-01 放假",  # 5: repeats line 1
            "2027-10-01 放假",  # 6: already recorded
            "2027-05-01 休假",  # 7: unknown kind
            "2027-05-02",  # 8: no kind
            "五月一日 放假",  # 9: not a date
        ]
    )

    response = paste(admin_client, text)

    assert response.status_code == 200
    assert response.context["paste"].errors["lines"] == [
        "第 2 行：“2027-02-30”不是有效日期。",
        "第 3 行：2026-12-31 不是 2027 年的日期。",
        "第 4 行：2027-02-08 是星期一，本来就是工作日，无需登记为上班。",
        "第 5 行：2027-01-01 与第 1 行重复。",
        "第 6 行：2027-10-01 已录入（放假 国庆节），如需修改请先删除。",
        "第 7 行：“休假”应为“放假”或“上班”。",
        "第 8 行：2027-05-02 后缺少“放假”或“上班”。",
        "第 9 行：“五月一日”不是有效日期，应写成 2027-01-01 这样的格式。",
    ]
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [D(2027, 10, 1)]
    assert "第 4 行：2027-02-08 是星期一" in response.content.decode()


def test_an_empty_paste_is_refused(admin_client):
    response = paste(admin_client, "\n  \n")
    assert response.context["paste"].errors["lines"] == ["这个字段是必填项。"]
    assert not CalendarDay.objects.exists()


def test_adding_one_day(admin_client):
    response = add_one(admin_client, "2027-02-20", is_workday="1", name="春节调休")

    assert response.status_code == 302
    day = CalendarDay.objects.get()
    assert (day.date, day.is_workday, day.name) == (D(2027, 2, 20), True, "春节调休")


def test_adding_one_day_checks_it_like_a_pasted_line(admin_client):
    response = add_one(admin_client, "2027-02-08", is_workday="1")

    assert response.context["one"].non_field_errors() == [
        "2027-02-08 是星期一，本来就是工作日，无需登记为上班。"
    ]
    assert not CalendarDay.objects.exists()


def test_removing_a_day(admin_client):
    day = CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦")

    response = admin_client.post(f"/calendar/days/{day.pk}/delete/")

    assert response.status_code == 302
    assert response["Location"] == "/calendar/2027/"
    assert not CalendarDay.objects.exists()


def test_removing_needs_a_post(admin_client):
    day = CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦")
    assert admin_client.get(f"/calendar/days/{day.pk}/delete/").status_code == 405
    assert CalendarDay.objects.exists()


def test_entries_in_a_published_year_correct_single_days_of_the_package(admin_client):
    CalendarDay.objects.create(date=D(2026, 12, 31), is_workday=False, name="元旦")

    response = admin_client.get("/calendar/2026/")

    status = response.context["status"]
    assert (status.published, status.admin_entered, status.admin_days) == (True, False, 1)
    assert "作为更正，优先于软件包" in response.content.decode()
    calendar = load_calendar()
    assert not calendar.is_workday(D(2026, 12, 31))
    assert not calendar.is_workday(D(2026, 10, 1))  # the package's National Day still holds
