import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from bihuan.conftest import at
from bihuan.ledger.services import MeasureSpec
from bihuan.notify.models import ChannelKind, Delivery, Kind, Notification
from bihuan.notify.reminders import remind
from bihuan.org.models import Role
from bihuan.org.services import user_create
from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.models import CalendarDay
from bihuan.workflow.states import DeadlineKind, FeedbackCycle


def _days_reminded(calendar, start: dt.date, end: dt.date) -> None:
    day = start
    while day <= end:
        remind(now=at(day.year, day.month, day.day, 8, 30), calendar=calendar)
        day += dt.timedelta(days=1)


def _received(person) -> list[tuple[dt.date, str]]:
    return list(
        Notification.objects.filter(recipient=person).order_by("day").values_list("day", "kind")
    )


def test_reminders_fall_three_and_one_working_days_before_a_deadline_after_national_day(
    due_after_national_day, world, calendar
):
    _days_reminded(calendar, dt.date(2024, 9, 24), dt.date(2024, 10, 9))

    # Sunday 29 September is a make-up workday, so three working days before 8 October is
    # Friday 27 September; one is Monday 30 September; the holiday week sends nothing.
    assert _received(world.li) == [
        (dt.date(2024, 9, 27), Kind.DUE_SOON),
        (dt.date(2024, 9, 30), Kind.DUE_SOON),
        (dt.date(2024, 10, 9), Kind.OVERDUE),
    ]
    texts = Notification.objects.filter(recipient=world.li).values_list("text", flat=True)
    assert list(texts) == [
        "整改措施“建立首问负责制并公示”已逾期1天（时限2024年10月8日），请尽快办结。",
        "整改措施“建立首问负责制并公示”将于2024年10月8日到期（还有1个工作日），请抓紧办理。",
        "整改措施“建立首问负责制并公示”将于2024年10月8日到期（还有3个工作日），请抓紧办理。",
    ]


def test_a_day_off_entered_by_the_admin_moves_the_reminder_earlier(due_after_national_day, world):
    typhoon = WorkCalendar(overrides={dt.date(2024, 9, 27): False})

    _days_reminded(typhoon, dt.date(2024, 9, 24), dt.date(2024, 9, 30))

    assert _received(world.li) == [
        (dt.date(2024, 9, 26), Kind.DUE_SOON),
        (dt.date(2024, 9, 30), Kind.DUE_SOON),
    ]


def test_a_make_up_workday_entered_by_the_admin_gets_reminders_too(
    make_problem, world, now, calendar
):
    """Saturday 12 October 2024 is a make-up workday; a Saturday that is one by override too."""
    measure = make_problem(
        measures=[
            MeasureSpec(text="整改", owner_unit=world.chengguan, deadline=dt.date(2024, 10, 21))
        ]
    ).measures.get()
    measure.assign(by=world.zhou, now=now, calendar=calendar)
    measure.acknowledge(by=world.li, now=now, calendar=calendar)
    saturday_at_work = WorkCalendar(overrides={dt.date(2024, 10, 19): True})

    counts = remind(now=at(2024, 10, 19, 8, 30), calendar=saturday_at_work)

    assert counts.items[Kind.DUE_SOON] == 1
    assert _received(world.li) == [(dt.date(2024, 10, 19), Kind.DUE_SOON)]


def test_a_deadline_on_a_holiday_is_reminded_on_the_working_days_before_it(
    make_problem, world, now, calendar
):
    measure = make_problem(
        measures=[
            MeasureSpec(text="整改", owner_unit=world.chengguan, deadline=dt.date(2024, 10, 3))
        ]
    ).measures.get()
    measure.assign(by=world.zhou, now=now, calendar=calendar)
    measure.acknowledge(by=world.li, now=now, calendar=calendar)

    _days_reminded(calendar, dt.date(2024, 9, 26), dt.date(2024, 10, 3))

    assert [day for day, kind in _received(world.li) if kind == Kind.DUE_SOON] == [
        dt.date(2024, 9, 27),
        dt.date(2024, 9, 30),
    ]


def test_running_twice_the_same_day_sends_nothing_twice(
    due_after_national_day, world, calendar, channel, robot
):
    channel(ChannelKind.WECOM, robot.url())
    morning, noon = at(2024, 9, 27, 8, 30), at(2024, 9, 27, 12)

    first = remind(now=morning, calendar=calendar)
    second = remind(now=noon, calendar=calendar)

    assert (first.notifications, second.notifications) == (1, 0)
    assert Notification.objects.count() == 1
    assert Delivery.objects.count() == 1


def test_an_overdue_measure_reminds_each_person_once_a_working_day(
    due_after_national_day, world, calendar
):
    zhang = user_create(
        username="zhang",
        name="张承办",
        unit=world.chengguan,
        roles=[Role.HANDLER],
        password="Chengguan#2024",
        must_change_password=False,
    )
    for moment in (
        at(2024, 10, 9, 8),
        at(2024, 10, 9, 17),
        at(2024, 10, 10, 8),
        at(2024, 10, 12, 8),
        at(2024, 10, 13, 8),
    ):
        remind(now=moment, calendar=calendar)

    # Saturday 12 October is a make-up workday; Sunday 13 is not.
    days = [dt.date(2024, 10, 9), dt.date(2024, 10, 10), dt.date(2024, 10, 12)]
    assert _received(world.li) == [(day, Kind.OVERDUE) for day in days]
    assert _received(zhang) == [(day, Kind.OVERDUE) for day in days]


def test_a_named_owner_is_reminded_instead_of_the_units_handlers(
    make_problem, world, now, calendar
):
    measure = make_problem(
        measures=[
            MeasureSpec(
                text="整改",
                owner_unit=world.chengguan,
                owner=world.sun,
                deadline=dt.date(2024, 9, 25),
            )
        ]
    ).measures.get()
    measure.assign(by=world.zhou, now=now, calendar=calendar)
    measure.acknowledge(by=world.sun, now=now, calendar=calendar)

    remind(now=at(2024, 9, 26, 8), calendar=calendar)

    assert _received(world.sun) == [(dt.date(2024, 9, 26), Kind.OVERDUE)]
    assert _received(world.li) == []


def test_a_measure_submitted_late_reminds_the_nearest_supervisors_to_review_it(
    due_after_national_day, world, calendar
):
    due_after_national_day.submit(by=world.li, now=at(2024, 10, 9, 10))

    remind(now=at(2024, 10, 10, 8), calendar=calendar)

    assert _received(world.qian) == [(dt.date(2024, 10, 10), Kind.OVERDUE)]
    assert _received(world.zhou) == _received(world.li) == []
    assert "已申请销号" in Notification.objects.get().text


def test_a_measure_not_acknowledged_within_a_working_day_reminds_its_handlers(
    make_problem, world, calendar
):
    """Assigned on Monday 30 September: acknowledgement is due by the end of 8 October."""
    measure = make_problem(when=at(2024, 9, 30)).measures.get()
    measure.assign(by=world.zhou, now=at(2024, 9, 30), calendar=calendar)

    remind(now=at(2024, 10, 8, 8), calendar=calendar)
    assert _received(world.li) == []

    remind(now=at(2024, 10, 9, 8), calendar=calendar)
    assert _received(world.li) == [(dt.date(2024, 10, 9), Kind.ACK_LATE)]
    assert Notification.objects.get().text == (
        "整改措施“建立首问负责制并公示”交办已超过1个工作日仍未签收，请及时签收。"
    )


def test_an_ongoing_measure_without_weekly_feedback_reminds_its_handlers(
    make_problem, world, now, calendar
):
    spec = MeasureSpec(
        text="每周开展作风巡查",
        owner_unit=world.chengguan,
        deadline_kind=DeadlineKind.ONGOING,
        feedback_cycle=FeedbackCycle.WEEKLY,
    )
    measure = make_problem(measures=[spec]).measures.get()
    measure.assign(by=world.zhou, now=now, calendar=calendar)
    measure.acknowledge(by=world.li, now=now, calendar=calendar)

    remind(now=at(2024, 9, 27, 10), calendar=calendar)
    assert _received(world.li) == []

    remind(now=at(2024, 9, 30, 10), calendar=calendar)
    assert _received(world.li) == [(dt.date(2024, 9, 30), Kind.FEEDBACK_LATE)]


def test_an_item_gets_only_its_most_pressing_reminder(make_problem, world, calendar):
    """Not acknowledged and overdue on the same day: the overdue reminder alone."""
    measure = make_problem(
        when=at(2024, 9, 23),
        measures=[
            MeasureSpec(text="整改", owner_unit=world.chengguan, deadline=dt.date(2024, 9, 24))
        ],
    ).measures.get()
    measure.assign(by=world.zhou, now=at(2024, 9, 23), calendar=calendar)

    counts = remind(now=at(2024, 9, 26, 8), calendar=calendar)

    assert counts.items == {
        Kind.OVERDUE: 1,
        Kind.ACK_LATE: 0,
        Kind.FEEDBACK_LATE: 0,
        Kind.DUE_SOON: 0,
    }
    assert _received(world.li) == [(dt.date(2024, 9, 26), Kind.OVERDUE)]


def test_drafts_and_closed_measures_are_never_reminded(make_problem, world, now, calendar):
    make_problem(
        measures=[
            MeasureSpec(text="草稿", owner_unit=world.chengguan, deadline=dt.date(2024, 9, 24))
        ]
    )

    remind(now=at(2024, 9, 26, 8), calendar=calendar)

    assert not Notification.objects.exists()


@pytest.mark.parametrize("setting", ["1", "5,2"])
def test_the_days_ahead_are_configurable(
    due_after_national_day, world, calendar, settings, setting
):
    settings.BIHUAN_REMIND_BEFORE_WORKING_DAYS = [int(n) for n in setting.split(",")]

    _days_reminded(calendar, dt.date(2024, 9, 24), dt.date(2024, 10, 7))

    expected = {"1": [dt.date(2024, 9, 30)], "5,2": [dt.date(2024, 9, 25), dt.date(2024, 9, 29)]}
    assert [day for day, _ in _received(world.li)] == expected[setting]


def test_the_remind_command_runs_one_pass_and_prints_its_counts(due_after_national_day, world):
    out = StringIO()

    call_command("remind", "--now", "2024-09-27T08:30", stdout=out)

    assert out.getvalue().splitlines() == [
        "2024-09-27 提醒：已逾期 0 项，签收超时 0 项，反馈超时 0 项，即将到期 1 项；新通知 1 条。",
        "发送：成功 0，待重试 0，失败 0。",
    ]


def test_the_remind_command_uses_the_admins_calendar_entries(due_after_national_day, world):
    CalendarDay.objects.create(date=dt.date(2024, 9, 27), is_workday=False, name="台风停工")
    out = StringIO()

    call_command("remind", "--now", "2024-09-27T08:30", stdout=out)

    assert out.getvalue().splitlines()[0] == "2024-09-27 是休息日，不发提醒。"
    assert not Notification.objects.exists()
