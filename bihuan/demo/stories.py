"""What happens to each demo measure, planned on the working days of the past months.

A story is the list of workflow steps a measure goes through, each on a working day given by
its index into `days` (oldest first, the last one before today), with the deadline chosen so
that the story is possible: the real transitions refuse a deadline before the assignment day
and an extension asked after the deadline.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.states import DeadlineKind, FeedbackCycle

# Step actions, besides the workflow's own action names.
EXT_REQUEST = "ext_request"
EXT_DECIDE = "ext_decide"

# Measure outcomes by how many working days ago the problem was registered.
OUTCOME_WEIGHTS = (
    (2, {"pending": 70, "in_progress": 25, "cancelled": 5}),
    (10, {"pending": 20, "in_progress": 55, "submitted": 15, "closed": 5, "cancelled": 5}),
    (30, {"pending": 5, "in_progress": 45, "submitted": 15, "closed": 30, "cancelled": 5}),
    (10_000, {"pending": 3, "in_progress": 30, "submitted": 10, "closed": 52, "cancelled": 5}),
)


@dataclass
class Step:
    action: str
    day: int
    approve: bool = False
    new_deadline: dt.date | None = None


@dataclass
class Story:
    outcome: str
    deadline_kind: str = DeadlineKind.DATE
    deadline: dt.date | None = None
    working_days: int | None = None
    feedback_cycle: str = ""
    steps: list[Step] = field(default_factory=list)


def month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return following - dt.timedelta(days=1)


class Planner:
    def __init__(self, *, rng: random.Random, days: list[dt.date], calendar: WorkCalendar):
        self.rng = rng
        self.days = days
        self.last = len(days) - 1
        self.today = days[-1] + dt.timedelta(days=1)
        self.calendar = calendar

    def outcome(self, created: int) -> str:
        age = self.last - created
        weights = next(weights for limit, weights in OUTCOME_WEIGHTS if age <= limit)
        return self.rng.choices(list(weights), list(weights.values()))[0]

    def story(self, outcome: str, created: int) -> Story:
        rng = self.rng
        story = Story(outcome)
        story.deadline_kind = rng.choices(
            [DeadlineKind.DATE, DeadlineKind.WORKING_DAYS, DeadlineKind.ONGOING], [65, 20, 15]
        )[0]
        if story.deadline_kind == DeadlineKind.ONGOING:
            story.feedback_cycle = rng.choice(FeedbackCycle.values)
        elif story.deadline_kind == DeadlineKind.WORKING_DAYS:
            story.working_days = rng.choice((5, 10, 15, 20, 30))
        if outcome == "draft":
            if rng.random() < 0.3:
                # Drafts from a material arrive without a deadline for the supervisor to set.
                story.deadline_kind = DeadlineKind.UNSET
            elif story.deadline_kind == DeadlineKind.DATE:
                story.deadline = month_end(self.today + dt.timedelta(days=rng.randint(20, 90)))
            return story
        assign = min(created + rng.choice((0, 0, 0, 1, 1, 2)), self.last)
        story.steps.append(Step("assign", assign))
        if outcome == "cancelled":
            self._cancelled(story, assign)
        elif outcome != "pending":
            self._worked(story, assign)
        self._set_deadline(story, assign)
        if outcome in ("in_progress", "submitted", "closed") and rng.random() < 0.5:
            self._extension(story)
        return story

    def _acknowledge_day(self, assign: int) -> int:
        gap = self.rng.choices((0, 1, 2, 3, 5), (55, 30, 7, 5, 3))[0]
        return min(assign + gap, self.last)

    def _cancelled(self, story: Story, assign: int) -> None:
        stage = self.rng.choice(("draft", "pending", "in_progress"))
        if stage == "draft":
            story.steps = [Step("cancel", assign)]
            return
        day = assign
        if stage == "in_progress":
            day = self._acknowledge_day(assign)
            story.steps.append(Step("acknowledge", day))
            story.steps.append(Step("progress", self.rng.randint(day, self.last)))
            day = story.steps[-1].day
        story.steps.append(Step("cancel", self.rng.randint(day, self.last)))

    def _worked(self, story: Story, assign: int) -> None:
        rng = self.rng
        acknowledged = self._acknowledge_day(assign)
        progress = rng.choice((0, 1, 1, 2, 3) if story.outcome == "in_progress" else (1, 1, 2, 3))
        if story.deadline_kind == DeadlineKind.ONGOING:
            progress = rng.randint(1, 5)
        returned = rng.random() < (0.12 if story.outcome == "in_progress" else 0.2)
        final = ["submit"] if story.outcome in ("submitted", "closed") else []
        # One step a working day at most: a recent measure has had fewer days to go through.
        window = range(acknowledged, self.last + 1)
        returned = returned and len(final) + 3 <= len(window)
        retry = ["submit", "return", "progress"] if returned else []
        progress = max(0, min(progress, len(window) - len(final) - len(retry)))
        actions = ["progress"] * progress + retry + final
        if len(window) >= len(actions):
            days = sorted(rng.sample(window, len(actions)))
        else:
            days = sorted(rng.choice(window) for _ in actions)
        if story.outcome == "closed":
            # Review takes a day or a few after the final submission.
            closing = min(days[-1] + rng.choice((0, 1, 1, 2, 3)), self.last)
            actions.append("close")
            days.append(closing)
        story.steps.append(Step("acknowledge", acknowledged))
        story.steps += [Step(action, day) for action, day in zip(actions, days, strict=True)]

    def _random_date(self, first: dt.date, last: dt.date) -> dt.date:
        day = first + dt.timedelta(days=self.rng.randint(0, (last - first).days))
        # Ledgers like month ends ("6月底前"): use one when it stays in range.
        if self.rng.random() < 0.4 and month_end(day) <= last:
            return month_end(day)
        return day

    def _set_deadline(self, story: Story, assign: int) -> None:
        rng = self.rng
        assigned = self.days[assign]
        if story.deadline_kind == DeadlineKind.WORKING_DAYS:
            story.deadline = self.calendar.add_working_days(assigned, story.working_days)
            return
        if story.deadline_kind != DeadlineKind.DATE:
            return
        submits = [step.day for step in story.steps if step.action == "submit"]
        yesterday = self.days[-1]
        # Nobody sets a deadline of a day or two: at least ten days after assignment.
        earliest = assigned + dt.timedelta(days=10)
        late = rng.random() < 0.3
        if story.outcome in ("submitted", "closed"):
            submitted = self.days[submits[-1]]
            if late and earliest < submitted:
                story.deadline = self._random_date(earliest, submitted - dt.timedelta(days=1))
            else:
                first = max(submitted, earliest)
                story.deadline = self._random_date(first, first + dt.timedelta(days=40))
        elif story.outcome in ("pending", "in_progress") and late and earliest <= yesterday:
            story.deadline = self._random_date(earliest, yesterday)
        else:
            start = max(earliest, self.today + dt.timedelta(days=3))
            story.deadline = self._random_date(
                start, start + dt.timedelta(days=rng.randint(10, 80))
            )

    def _extension(self, story: Story) -> None:
        """延期申请 between acknowledgement and the first submission, before the deadline."""
        if story.deadline_kind == DeadlineKind.ONGOING:
            return
        rng, steps = self.rng, story.steps
        acknowledged = next(i for i, step in enumerate(steps) if step.action == "acknowledge")
        submit = next((step.day for step in steps if step.action == "submit"), None)
        window_end = self.last if submit is None else submit
        # Asked as the deadline draws near, not weeks ahead of it.
        if story.deadline > self.days[window_end] + dt.timedelta(days=10):
            return
        latest = window_end
        while latest > steps[acknowledged].day and self.days[latest] > story.deadline:
            latest -= 1
        if self.days[latest] > story.deadline:
            return
        asked = rng.randint(max(steps[acknowledged].day, latest - 6), latest)
        new_deadline = story.deadline + dt.timedelta(days=rng.choice((10, 15, 20, 30, 45)))
        if submit is not None:
            # Asked because the work would run late: the new date covers the submission.
            new_deadline = max(new_deadline, self.days[submit])
        position = _insert(steps, Step(EXT_REQUEST, asked, new_deadline=new_deadline), acknowledged)
        if submit is None and rng.random() < 0.4:
            return  # still waiting for a decision
        decided = rng.randint(asked, min(asked + 3, window_end))
        _insert(steps, Step(EXT_DECIDE, decided, approve=rng.random() < 0.7), position)


def _insert(steps: list[Step], new: Step, after: int) -> int:
    """Put a step after position `after`, in day order, and before any submission."""
    position = next(
        (
            i
            for i in range(after + 1, len(steps))
            if steps[i].day > new.day or steps[i].action == "submit"
        ),
        len(steps),
    )
    steps.insert(position, new)
    return position
