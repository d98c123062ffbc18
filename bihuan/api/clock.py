"""The clock is read once per request and the working-day calendar loaded at most once."""

import datetime as dt
from functools import cached_property

from django.utils import timezone

from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.models import LightCutoffs, load_calendar


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    @cached_property
    def calendar(self) -> WorkCalendar:
        return load_calendar()

    @cached_property
    def cutoffs(self) -> LightCutoffs:
        return LightCutoffs(now=self.now, calendar=self.calendar)


def clock(request) -> Clock:
    found = getattr(request, "bihuan_clock", None)
    if found is None:
        found = request.bihuan_clock = Clock(timezone.now())
    return found
