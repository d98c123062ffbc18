"""The shared world's county runs a campaign in 城关镇 and 河西乡; helpers that record what the
units and cadres do for it, each through its own service."""

import datetime as dt
from decimal import Decimal

import pytest

from bihuan.campaigns.services import (
    CampaignSpec,
    RequirementSpec,
    campaign_create,
    requirement_add,
)
from bihuan.conftest import at
from bihuan.fieldwork.services import VisitSpec, visit_create
from bihuan.materials.services import material_upload
from bihuan.materials.tests.materials_texts import ANALYSIS
from bihuan.streamlining.models import MeetingKind, MeetingLevel
from bihuan.streamlining.services import MeetingSpec, meeting_register


@pytest.fixture
def campaign(world, now):
    """作风革命·效能革命 from Monday 2 September to 31 December 2024, organised by the county
    for 城关镇 and 河西乡, in the six usual stages (the first, 动员部署, 2–21 September)."""
    return campaign_create(
        spec=CampaignSpec(
            name="作风革命·效能革命",
            organiser=world.county,
            units=(world.chengguan, world.hexi),
            starts_on=dt.date(2024, 9, 2),
            ends_on=dt.date(2024, 12, 31),
        ),
        by=world.zhou,
        now=now,
    )


@pytest.fixture
def require(campaign, world, now):
    """`require(stage_order, activity, per, **fields)`: a requirement added by 周督查."""

    def add(order: int, activity: str, per: str, **fields):
        stage = campaign.stages.get(order=order)
        spec = RequirementSpec(activity=activity, per=per, **fields)
        return requirement_add(stage=stage, spec=spec, by=world.zhou, now=now)

    return add


@pytest.fixture
def submit(campaign):
    """`submit(author, kind, day)`: the author uploads a material for the campaign that day."""

    def upload(author, kind: str, day: dt.date, tagged=True):
        return material_upload(
            data=ANALYSIS.encode(),
            filename=f"{kind}.txt",
            kind=kind,
            author=author,
            by=author,
            now=at(day.year, day.month, day.day, 10),
            campaign=campaign if tagged else None,
        )

    return upload


@pytest.fixture
def hold(campaign):
    """`hold(unit, by, day, kind=study, minutes=60)`: a meeting registered for the campaign."""

    def register(unit, by, day: dt.date, kind=MeetingKind.STUDY, minutes=60):
        return meeting_register(
            spec=MeetingSpec(
                unit=unit,
                held_on=day,
                title="专题学习研讨会",
                kind=kind,
                level=MeetingLevel.TOWNSHIP,
                minutes=minutes,
                attendees=20,
                campaign=campaign,
            ),
            by=by,
            now=at(day.year, day.month, day.day, 17),
        )

    return register


@pytest.fixture
def visit(campaign, world):
    """`visit(people, day, days=1, place=东关村, households=0)`: a visit for the campaign."""

    def record(people, day: dt.date, days="1", place=None, households=0, unit=None, by=None):
        return visit_create(
            spec=VisitSpec(
                unit=unit or people[0].unit,
                people=tuple(people),
                starts_on=day,
                ends_on=day + dt.timedelta(days=max(int(Decimal(days)) - 1, 0)),
                days=Decimal(days),
                place_unit=place or world.dongguan,
                households=households,
                campaign=campaign,
            ),
            by=by or people[0],
            now=at(day.year, day.month, day.day, 18),
        )

    return record
