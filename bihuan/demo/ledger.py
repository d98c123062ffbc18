"""The demo ledger: problems registered and measures driven through the real services."""

import datetime as dt
import random

from django.utils import timezone

from bihuan.ledger.models import Category, ExtensionRequest, Measure, Source
from bihuan.ledger.services import (
    MeasureSpec,
    ProblemSpec,
    extension_decide,
    extension_request,
    problem_create,
    progress_post,
)
from bihuan.org.models import Unit, UnitKind
from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.states import DeadlineKind

from . import texts
from .county import County
from .stories import EXT_DECIDE, EXT_REQUEST, Planner, Story

LEAD_TITLES = {
    UnitKind.DEPARTMENT: ("局长", "副局长"),
    # "{t}" is 镇 or 乡, after the township's name.
    UnitKind.TOWNSHIP: ("党委书记", "{t}长", "副{t}长", "纪委书记"),
    UnitKind.VILLAGE: ("党支部书记", "村委会主任"),
    UnitKind.SECTION: ("党政办主任",),
}


def office_time(rng: random.Random, day: dt.date) -> dt.datetime:
    start = dt.datetime.combine(day, dt.time(8, 30))
    return timezone.make_aware(start + dt.timedelta(minutes=rng.randint(0, 480)))


class Clock:
    """Office-hour timestamps that only move forward, one clock per measure."""

    def __init__(self, rng: random.Random, start: dt.datetime) -> None:
        self.rng = rng
        self.last = start

    def at(self, day: dt.date) -> dt.datetime:
        if day > timezone.localdate(self.last):
            self.last = office_time(self.rng, day)
        else:
            self.last += dt.timedelta(minutes=self.rng.randint(3, 40))
        return self.last


class LedgerLoader:
    def __init__(
        self, *, county: County, now: dt.datetime, calendar: WorkCalendar, rng: random.Random
    ) -> None:
        self.county = county
        self.calendar = calendar
        self.rng = rng
        today = timezone.localdate(now)
        past = (today - dt.timedelta(days=offset) for offset in range(120, 0, -1))
        self.days = [day for day in past if calendar.is_workday(day)]
        self.planner = Planner(rng=rng, days=self.days, calendar=calendar)
        self.categories = {c.name: c for c in Category.objects.filter(name__in=texts.TEXTS)}
        self.units = {unit.pk: unit for unit in Unit.objects.all()}
        self.leaders: dict[int, list[str]] = {}

    # -- planning ------------------------------------------------------------------------

    def plan(self, count: int) -> list[tuple[dt.datetime, ProblemSpec, list[Story]]]:
        plans = []
        last = len(self.days) - 1
        for number in range(count):
            recent = self.rng.random() < 0.2
            created = last - self.rng.randint(0, 10 if recent else last)
            # A few problems are registered but not yet assigned (待交办).
            draft = number % 25 == 0
            if draft:
                created = last - self.rng.randint(0, 3)
            moment = office_time(self.rng, self.days[created])
            spec, stories = self._problem(created, draft=draft, personal=number % 23 == 1)
            plans.append((moment, spec, stories))
        plans.sort(key=lambda plan: plan[0])
        return plans

    def _problem(self, created: int, *, draft: bool, personal: bool):
        rng, county = self.rng, self.county
        if personal:
            category = rng.choice([name for name in texts.PERSONAL if name in self.categories])
            unit, level, source = county.chengguan, "t", Source.MEETING
        else:
            category = rng.choice(list(self.categories))
            level = rng.choices("dtv", (35, 40, 25))[0]
            source = self._source(category)
            unit = self._unit(level)
        words = texts.TEXTS[category]
        if personal:
            problem = rng.choice(texts.PERSONAL[category])
        else:
            problem = rng.choice([p for p in words.problems if level in p.levels])
        count = min(rng.choices((1, 2, 3), (35, 45, 20))[0], len(problem.measures))
        chosen = [
            problem.measures[i] for i in sorted(rng.sample(range(len(problem.measures)), count))
        ]
        stories = [
            self.planner.story("draft" if draft else self.planner.outcome(created), created)
            for _ in chosen
        ]
        leads: dict[int, str] = {}  # one 责任领导 per owner unit of the problem
        spec = ProblemSpec(
            source=source,
            category=self.categories[category],
            description=problem.text,
            unit=unit,
            person=county.cadre if personal else None,
            causes=rng.sample(words.causes, rng.randint(1, 3)),
            target=rng.choice(words.targets),
            standard=problem.standard,
            measures=[
                self._measure(text, unit, story, personal=personal, leads=leads)
                for text, story in zip(chosen, stories, strict=True)
            ],
        )
        return spec, stories

    def _source(self, category: str) -> str:
        sources = texts.CATEGORY_SOURCES.get(category, Source.values)
        if self.rng.random() < 0.1:
            return self.rng.choice(Source.values)
        return self.rng.choices(sources, range(len(sources) * 2, 0, -2))[0]

    def _unit(self, level: str) -> Unit:
        county = self.county
        if level == "d":
            return self.rng.choice(county.departments)
        if level == "t":
            return self.rng.choice(county.townships + county.sections[:2])
        return self.rng.choice(county.villages)

    def _leaders(self, unit: Unit) -> list[str]:
        """The unit's leaders, one per title, the same all through the demo."""
        if unit.pk not in self.leaders:
            self.leaders[unit.pk] = [
                f"{self.rng.choice(texts.SURNAMES)}{self.rng.choice(texts.GIVEN_NAMES)}"
                f"（{title.format(t=unit.name[-1])}）"
                for title in LEAD_TITLES[unit.kind]
            ]
        return self.leaders[unit.pk]

    def _measure(
        self, text: str, unit: Unit, story: Story, *, personal: bool, leads: dict[int, str]
    ) -> MeasureSpec:
        county, rng = self.county, self.rng
        owner_unit = unit
        if unit.kind in (UnitKind.VILLAGE, UnitKind.SECTION) and rng.random() < 0.3:
            owner_unit = county.township_of(unit)
        elif unit.kind == UnitKind.DEPARTMENT and rng.random() < 0.15:
            owner_unit = rng.choice(county.departments)
        if owner_unit.pk not in leads:
            leads[owner_unit.pk] = rng.choice(self._leaders(owner_unit))
        return MeasureSpec(
            text=text,
            owner_unit=owner_unit,
            owner=county.cadre if personal else None,
            deadline_kind=story.deadline_kind,
            deadline=story.deadline if story.deadline_kind == DeadlineKind.DATE else None,
            deadline_working_days=story.working_days,
            feedback_cycle=story.feedback_cycle,
            lead=leads[owner_unit.pk],
        )

    # -- acting ----------------------------------------------------------------------------

    def run(self, plans) -> int:
        for moment, spec, stories in plans:
            problem = problem_create(spec=spec, by=self.county.supervisor, now=moment)
            for measure, story in zip(problem.measures.all(), stories, strict=True):
                # Keep the objects in memory so permission checks run no queries.
                measure.owner_unit = self.units[measure.owner_unit_id]
                self._act(measure, story, Clock(self.rng, moment))
        return len(plans)

    def _act(self, measure: Measure, story: Story, clock: Clock) -> None:
        rng, county = self.rng, self.county
        if measure.owner_id == county.cadre.pk:
            measure.owner = owner = county.cadre
        else:
            owner = county.handler_for(measure.owner_unit)
        request: ExtensionRequest | None = None
        for step in story.steps:
            now = clock.at(self.days[step.day])
            reviewer = county.leader if rng.random() < 0.25 else county.supervisor
            if step.action == "assign":
                measure.assign(by=county.supervisor, now=now, calendar=self.calendar)
            elif step.action == "acknowledge":
                measure.acknowledge(by=owner, now=now, calendar=self.calendar)
            elif step.action == "progress":
                ongoing = measure.deadline_kind == DeadlineKind.ONGOING
                text = rng.choice(texts.ONGOING_PROGRESS if ongoing else texts.PROGRESS).format(
                    n=rng.randint(3, 40), p=rng.choice((30, 50, 60, 80))
                )
                progress_post(measure=measure, by=owner, now=now, text=text)
            elif step.action == "submit":
                measure.submit(by=owner, now=now, comment="整改已完成，佐证材料已上传，申请销号")
            elif step.action == "return":
                comment = rng.choice(texts.RETURN_REASONS)
                measure.return_to_owner(by=reviewer, now=now, comment=comment)
            elif step.action == "close":
                measure.close(by=reviewer, now=now, comment=rng.choice(texts.CLOSE_COMMENTS))
            elif step.action == "cancel":
                comment = rng.choice(texts.CANCEL_REASONS)
                measure.cancel(by=county.supervisor, now=now, comment=comment)
            elif step.action == EXT_REQUEST:
                request = extension_request(
                    measure=measure,
                    by=owner,
                    now=now,
                    new_deadline=step.new_deadline,
                    reason=rng.choice(texts.EXTENSION_REASONS),
                )
            elif step.action == EXT_DECIDE:
                answers = texts.EXTENSION_APPROVALS if step.approve else texts.EXTENSION_REFUSALS
                extension_decide(
                    request=request,
                    by=reviewer,
                    now=now,
                    approve=step.approve,
                    comment=rng.choice(answers),
                )
