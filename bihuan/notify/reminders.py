"""Scheduled reminders: one pass, run by `bihuan remind` from a timer (as often as wanted).

On a working day, each open item that needs its people gets one reminder, the most pressing:
overdue (every working day until it is done), acknowledgement late (not acknowledged by the end
of the first working day after assignment), an ongoing item's feedback late, or the deadline
`BIHUAN_REMIND_BEFORE_WORKING_DAYS` working days ahead. Rest days (weekends, holidays, but not
调休 workdays) send nothing. A second run the same day sends nothing again.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.models import LightCutoffs
from bihuan.workflow.states import DeadlineKind, Light, State

from .items import URGEABLE_STATES, item_label, tracked_models
from .models import Kind
from .services import Notice, notify

# The order in which an item's reasons are weighed: it gets the first that applies.
KINDS = (Kind.OVERDUE, Kind.ACK_LATE, Kind.FEEDBACK_LATE, Kind.DUE_SOON)


@dataclass(frozen=True)
class ReminderCounts:
    items: dict[str, int]
    notifications: int
    rest_day: bool = False


def remind(*, now: dt.datetime, calendar: WorkCalendar) -> ReminderCounts:
    today = timezone.localdate(now)
    if not calendar.is_workday(today):
        return ReminderCounts(items=dict.fromkeys(KINDS, 0), notifications=0, rest_day=True)
    cutoffs = LightCutoffs(now=now, calendar=calendar)
    chosen: dict[tuple, Notice] = {}
    for model in tracked_models():
        for kind, items, ahead in _candidates(
            model, today=today, cutoffs=cutoffs, calendar=calendar
        ):
            for item in items.select_related("owner", *model.scope_fields):
                key = (model, item.pk)
                if key not in chosen:
                    chosen[key] = Notice(item, kind, _text(kind, item, today=today, ahead=ahead))
    notices = list(chosen.values())
    created = notify(notices, now=now, day=today) if notices else []
    counts = dict.fromkeys(KINDS, 0)
    for notice in notices:
        counts[notice.kind] += 1
    return ReminderCounts(items=counts, notifications=len(created))


def _candidates(model, *, today: dt.date, cutoffs: LightCutoffs, calendar: WorkCalendar):
    yield Kind.OVERDUE, model.objects.overdue(today=today), None
    yield (
        Kind.ACK_LATE,
        model.objects.filter(state=State.PENDING, assigned_at__lt=cutoffs.acknowledge_by),
        None,
    )
    # Yellow for an ongoing item under way means exactly: its feedback is late.
    yield (
        Kind.FEEDBACK_LATE,
        model.objects.with_light(cutoffs).filter(
            light=Light.YELLOW, deadline_kind=DeadlineKind.ONGOING, state=State.IN_PROGRESS
        ),
        None,
    )
    for ahead in sorted(settings.BIHUAN_REMIND_BEFORE_WORKING_DAYS):
        # Deadlines whose `ahead`-th working day before is today: up to the `ahead`-th working
        # day from today, and any rest days just before it (a deadline on a holiday).
        after = calendar.add_working_days(today, ahead - 1)
        until = calendar.add_working_days(today, ahead)
        yield (
            Kind.DUE_SOON,
            model.objects.filter(
                state__in=URGEABLE_STATES, deadline__gt=after, deadline__lte=until
            ),
            ahead,
        )


def _text(kind: Kind, item, *, today: dt.date, ahead: int | None) -> str:
    label = item_label(item)
    if kind == Kind.OVERDUE:
        if item.state == State.SUBMITTED:
            return f"{label}已申请销号，时限（{item.deadline_label()}）已过，请尽快审核。"
        days = (today - item.deadline).days
        return f"{label}已逾期{days}天（时限{item.deadline_label()}），请尽快办结。"
    if kind == Kind.ACK_LATE:
        return f"{label}交办已超过1个工作日仍未签收，请及时签收。"
    if kind == Kind.FEEDBACK_LATE:
        return (
            f"{label}已超过反馈周期（{item.get_feedback_cycle_display()}）未反馈进展，请及时反馈。"
        )
    return f"{label}将于{item.deadline_label()}到期（还有{ahead}个工作日），请抓紧办理。"
