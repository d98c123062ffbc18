"""What each unit and each cadre of a campaign has done against each requirement, derived from
the materials, meetings and visits tagged with the campaign: nothing is reported twice.

A requirement is met on the day its `quantity`-th material, meeting or visit (for a person's
visits: day of visits) arrives, counting what arrived from its stage's start on. Met by the
deadline: 已完成; after it: 逾期完成; not met and past the deadline: 逾期未交; else 待完成.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import timezone

from bihuan.fieldwork.models import Visit
from bihuan.materials.models import Material
from bihuan.org.models import RoleGrant, Unit, User
from bihuan.streamlining.models import Meeting, MeetingKind
from bihuan.workflow.calendar import WorkCalendar

from .models import Activity, Campaign, Per, Requirement


class Status(models.TextChoices):
    DONE = "done", "已完成"
    LATE = "late", "逾期完成"
    MISSING = "missing", "逾期未交"
    PENDING = "pending", "待完成"


OPEN = (Status.MISSING, Status.PENDING)


@dataclass
class Cell:
    """One requirement for one unit (person None) or one person of a unit."""

    requirement: Requirement
    unit: Unit
    person: User | None
    due: dt.date
    done: Decimal
    done_on: dt.date | None
    status: str
    urged_at: dt.datetime | None = None  # shown on the campaign page

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def who(self) -> str:
        return f"{self.unit} {self.person}" if self.person else str(self.unit)


@dataclass(frozen=True)
class Tally:
    requirement: Requirement
    due: dt.date
    counts: dict[str, int]

    @property
    def open(self) -> int:
        return sum(self.counts[status] for status in OPEN)


@dataclass
class CampaignStatus:
    campaign: Campaign
    requirements: list[Requirement]
    units: list[Unit]
    people: list[User]
    cells: list[Cell] = field(default_factory=list)

    def _by(self, per: str):
        return [r for r in self.requirements if r.per == per]

    @property
    def unit_requirements(self) -> list[Requirement]:
        return self._by(Per.UNIT)

    @property
    def person_requirements(self) -> list[Requirement]:
        return self._by(Per.PERSON)

    @property
    def unit_rows(self) -> list[tuple[Unit, list[Cell | None]]]:
        found = {(c.unit.pk, c.requirement.pk): c for c in self.cells if c.person is None}
        return [
            (unit, [found.get((unit.pk, r.pk)) for r in self.unit_requirements])
            for unit in self.units
        ]

    @property
    def person_rows(self) -> list[tuple[User, list[Cell | None]]]:
        """A person's row has no cell for a requirement their roles are not asked."""
        found = {(c.person.pk, c.requirement.pk): c for c in self.cells if c.person is not None}
        return [
            (person, [found.get((person.pk, r.pk)) for r in self.person_requirements])
            for person in self.people
        ]

    @property
    def tallies(self) -> list[Tally]:
        counts: dict[int, dict[str, int]] = {
            r.pk: dict.fromkeys(Status.values, 0) for r in self.requirements
        }
        dues = {}
        for cell in self.cells:
            counts[cell.requirement.pk][cell.status] += 1
            dues[cell.requirement.pk] = cell.due
        return [
            Tally(requirement=r, due=dues.get(r.pk), counts=counts[r.pk]) for r in self.requirements
        ]

    def open_cells(self, requirement: Requirement | None = None) -> list[Cell]:
        return [
            cell
            for cell in self.cells
            if cell.is_open and (requirement is None or cell.requirement.pk == requirement.pk)
        ]


def _met_on(events: list[tuple[dt.date, Decimal]], quantity: int) -> tuple[Decimal, dt.date | None]:
    """What was done, and the day the running total first reached the quantity."""
    total, met = Decimal(0), None
    for day, amount in sorted(events):
        total += amount
        if met is None and total >= quantity:
            met = day
    return total, met


def _status(met: dt.date | None, due: dt.date, today: dt.date) -> str:
    if met is not None:
        return Status.DONE if met <= due else Status.LATE
    return Status.MISSING if today > due else Status.PENDING


class _Activities:
    """The campaign's materials, meetings and visits, read once, as events per requirement."""

    ONE = Decimal(1)

    def __init__(self, campaign: Campaign) -> None:
        self.materials = [
            (unit_id, author_id, kind, timezone.localdate(at))
            for unit_id, author_id, kind, at in Material.objects.filter(campaign=campaign)
            .order_by()
            .values_list("unit_id", "author_id", "kind", "uploaded_at")
        ]
        self.meetings = list(
            Meeting.objects.filter(campaign=campaign)
            .order_by()
            .values_list("unit_id", "kind", "held_on")
        )
        self.visits = {
            pk: (unit_id, starts_on, ends_on, days)
            for pk, unit_id, starts_on, ends_on, days in Visit.objects.filter(campaign=campaign)
            .order_by()
            .values_list("pk", "unit_id", "starts_on", "ends_on", "days")
        }
        self.visitors: dict[int, list[int]] = defaultdict(list)
        through = Visit.people.through.objects.filter(visit__campaign=campaign).order_by()
        for visit_id, user_id in through.values_list("visit_id", "user_id"):
            self.visitors[user_id].append(visit_id)

    def events(self, requirement: Requirement, *, unit: Unit, person: User | None):
        start = requirement.stage.starts_on
        activity = requirement.activity
        if activity == Activity.MATERIAL:
            return [
                (day, self.ONE)
                for unit_id, author_id, kind, day in self.materials
                if kind == requirement.material_kind
                and day >= start
                and (author_id == person.pk if person else unit_id == unit.pk)
            ]
        if activity in (Activity.STUDY, Activity.MEETING):
            return [
                (held_on, self.ONE)
                for unit_id, kind, held_on in self.meetings
                if unit_id == unit.pk
                and held_on >= start
                and (activity == Activity.MEETING or kind == MeetingKind.STUDY)
            ]
        if person is not None:
            visits = (self.visits[pk] for pk in self.visitors.get(person.pk, ()))
            return [(ends_on, days) for _, starts_on, ends_on, days in visits if starts_on >= start]
        return [
            (ends_on, self.ONE)
            for unit_id, starts_on, ends_on, _ in self.visits.values()
            if unit_id == unit.pk and starts_on >= start
        ]


def campaign_units(campaign: Campaign, user) -> list[Unit]:
    """The campaign's units the user sees, in the tree's order."""
    visible = Unit.objects.visible_to(user).order_by().values("pk")
    return list(campaign.units.filter(pk__in=visible).order_by("path"))


def _people(units: list[Unit], requirements: list[Requirement]):
    """The active people of `units` holding a role some per-person requirement asks, with
    their roles: two queries, none when no requirement is per person."""
    roles_wanted = {role for r in requirements if r.per == Per.PERSON for role in r.person_roles}
    people: list[User] = []
    roles: dict[int, set[str]] = defaultdict(set)
    if roles_wanted and units:
        people = list(
            User.objects.filter(unit__in=units, is_active=True, role_grants__role__in=roles_wanted)
            .distinct()
            .select_related("unit")
            .order_by("unit__path", "pk")
        )
        grants = RoleGrant.objects.filter(user__in=people).values_list("user_id", "role")
        for user_id, role in grants:
            roles[user_id].add(role)
    return people, roles


def _targets(requirement: Requirement, units, people, roles):
    """Who a requirement asks: each unit, or each person of a role it wants."""
    if requirement.per == Per.UNIT:
        return [(unit, None) for unit in units]
    wanted = set(requirement.person_roles)
    return [(person.unit, person) for person in people if roles[person.pk] & wanted]


def campaign_status(
    *, campaign: Campaign, user, today: dt.date, calendar: WorkCalendar
) -> CampaignStatus:
    """Every requirement's cell for each unit and person of the campaign that the user sees;
    a fixed number of queries whatever the campaign's size."""
    requirements = list(
        Requirement.objects.filter(stage__campaign=campaign)
        .select_related("stage")
        .order_by("stage__order", "pk")
    )
    units = campaign_units(campaign, user)
    people, roles = _people(units, requirements)
    activities = _Activities(campaign)
    result = CampaignStatus(campaign, requirements, units, people)
    for requirement in requirements:
        due = requirement.due_date(calendar)
        for unit, person in _targets(requirement, units, people, roles):
            events = activities.events(requirement, unit=unit, person=person)
            done, met = _met_on(events, requirement.quantity)
            result.cells.append(
                Cell(requirement, unit, person, due, done, met, _status(met, due, today))
            )
    return result


def submitted_against(campaign: Campaign, requirements: list[Requirement]) -> list[Requirement]:
    """The requirements that some unit or cadre of the campaign, whoever sees them, has done
    something towards: what the status page counts, so a stage with any figure on it above
    zero is never removed from under it."""
    units = list(campaign.units.all())
    people, roles = _people(units, requirements)
    activities = _Activities(campaign)
    return [
        requirement
        for requirement in requirements
        if any(
            activities.events(requirement, unit=unit, person=person)
            for unit, person in _targets(requirement, units, people, roles)
        )
    ]
