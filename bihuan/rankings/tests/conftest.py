"""September 2024 in 青山县, ranked on 8 October: 城关镇 closed one measure on time, and its
village 东关村 acknowledged one late and let it run past its deadline; 河西乡 acknowledged both of
its measures on time and closed one on time after one return.

    城关镇 (with 东关村)  签收 1/2  办结 1/1 of 2 due  销号 1/2  逾期 1  退回 0/1
    河西乡               签收 2/2  办结 1/1          销号 1/2  逾期 0  退回 1/1
"""

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from types import SimpleNamespace

import pytest

from bihuan.campaigns.models import Activity, DueKind, Per
from bihuan.campaigns.services import (
    CampaignSpec,
    RequirementSpec,
    campaign_create,
    requirement_add,
)
from bihuan.conftest import at
from bihuan.fieldwork.services import VisitSpec, visit_create
from bihuan.ledger.models import Source
from bihuan.ledger.services import MeasureSpec, ProblemSpec, problem_create
from bihuan.materials.models import MaterialKind
from bihuan.materials.services import material_upload
from bihuan.materials.tests.materials_texts import ANALYSIS
from bihuan.streamlining.models import MeetingKind, MeetingLevel
from bihuan.streamlining.services import MeetingSpec, meeting_register

SEPTEMBER = "2024-09"


@pytest.fixture
def october_8():
    return at(2024, 10, 8, 10)


@pytest.fixture
def september(world, make_problem, calendar):
    def measure(unit, text, deadline, *, when):
        spec = MeasureSpec(text=text, owner_unit=unit, deadline=deadline)
        problem = make_problem(unit=unit, measures=[spec], when=when, description=f"{text}的问题")
        return problem.measures.get()

    a = measure(world.chengguan, "公示首问负责制", dt.date(2024, 9, 20), when=at(2024, 9, 1))
    b = measure(world.dongguan, "整治村务公开栏", dt.date(2024, 9, 15), when=at(2024, 9, 1))
    c = measure(world.hexi, "清理办事窗口", dt.date(2024, 9, 25), when=at(2024, 9, 2))
    d = measure(world.hexi, "建立回访制度", dt.date(2024, 10, 31), when=at(2024, 9, 2))

    a.assign(by=world.zhou, now=at(2024, 9, 2), calendar=calendar)
    a.acknowledge(by=world.li, now=at(2024, 9, 2, 15), calendar=calendar)
    a.submit(by=world.li, now=at(2024, 9, 10))
    a.close(by=world.zhou, now=at(2024, 9, 12))

    b.assign(by=world.zhou, now=at(2024, 9, 2), calendar=calendar)
    b.acknowledge(by=world.chen, now=at(2024, 9, 5), calendar=calendar)  # late: due 3 Sept

    c.assign(by=world.zhou, now=at(2024, 9, 3), calendar=calendar)
    c.acknowledge(by=world.wang, now=at(2024, 9, 3, 11), calendar=calendar)
    c.submit(by=world.wang, now=at(2024, 9, 20))
    c.return_to_owner(by=world.zhou, now=at(2024, 9, 21), comment="佐证材料不全")
    c.submit(by=world.wang, now=at(2024, 9, 24))
    c.close(by=world.zhou, now=at(2024, 9, 26))

    d.assign(by=world.zhou, now=at(2024, 9, 3), calendar=calendar)
    d.acknowledge(by=world.wang, now=at(2024, 9, 4), calendar=calendar)
    return SimpleNamespace(a=a, b=b, c=c, d=d)


CAMPAIGN_NAME = "作风革命·效能革命"


@pytest.fixture
def campaign(world):
    """作风革命·效能革命, 2 September to 31 December 2024, organised by the county for 城关镇 and
    河西乡 in the six usual stages (动员部署 2–21 September); 动员部署 asks each unit for one
    study session by 20 September."""
    campaign = campaign_create(
        spec=CampaignSpec(
            name=CAMPAIGN_NAME,
            organiser=world.county,
            units=(world.chengguan, world.hexi),
            starts_on=dt.date(2024, 9, 2),
            ends_on=dt.date(2024, 12, 31),
        ),
        by=world.zhou,
        now=at(2024, 9, 1),
    )
    requirement_add(
        stage=campaign.stages.get(order=1),
        spec=RequirementSpec(
            activity=Activity.STUDY,
            per=Per.UNIT,
            due_kind=DueKind.DATE,
            due_on=dt.date(2024, 9, 20),
        ),
        by=world.zhou,
        now=at(2024, 9, 1),
    )
    return campaign


def tagged_measure(world, campaign, unit, text, deadline, *, when):
    problem = problem_create(
        spec=ProblemSpec(
            source=Source.SUPERVISION,
            category=world.category,
            description=f"{text}的问题",
            unit=unit,
            campaign=campaign,
            measures=[MeasureSpec(text=text, owner_unit=unit, deadline=deadline)],
        ),
        by=world.zhou,
        now=when,
    )
    return problem.measures.get()


@pytest.fixture
def in_campaign(world, september, campaign, calendar):
    """Beside September's four untagged measures, three of problems found in the campaign:
    城关镇 closed e on time; 河西乡's f was returned once and is past its 25 September deadline;
    东关村's g is a draft. 城关镇 held the required study session on 10 September, 河西乡 none;
    城关镇's 孙干部 submitted a 研讨材料 and 李承办 visited 东关村's 12 households."""
    e = tagged_measure(world, campaign, world.chengguan, "规范窗口服务", dt.date(2024, 9, 30),
                       when=at(2024, 9, 3))  # fmt: skip
    f = tagged_measure(world, campaign, world.hexi, "整治庸懒散", dt.date(2024, 9, 25),
                       when=at(2024, 9, 3))  # fmt: skip
    g = tagged_measure(world, campaign, world.dongguan, "公开村务", dt.date(2024, 11, 30),
                       when=at(2024, 9, 5))  # fmt: skip
    e.assign(by=world.zhou, now=at(2024, 9, 3, 10), calendar=calendar)
    e.acknowledge(by=world.li, now=at(2024, 9, 3, 11), calendar=calendar)
    e.submit(by=world.li, now=at(2024, 9, 20))
    e.close(by=world.zhou, now=at(2024, 9, 21))
    f.assign(by=world.zhou, now=at(2024, 9, 4), calendar=calendar)
    f.acknowledge(by=world.wang, now=at(2024, 9, 4, 15), calendar=calendar)
    f.submit(by=world.wang, now=at(2024, 9, 20))
    f.return_to_owner(by=world.zhou, now=at(2024, 9, 21), comment="整改不彻底")
    meeting = MeetingSpec(
        unit=world.chengguan, held_on=dt.date(2024, 9, 10), title="专题学习研讨会",
        kind=MeetingKind.STUDY, level=MeetingLevel.TOWNSHIP, minutes=90, attendees=30,
        campaign=campaign,
    )  # fmt: skip
    meeting_register(spec=meeting, by=world.li, now=at(2024, 9, 10, 17))
    # Not the campaign's: counted nowhere in its summary.
    meeting_register(
        spec=replace(meeting, campaign=None, title="周例会", kind=MeetingKind.WORK),
        by=world.li,
        now=at(2024, 9, 11, 17),
    )
    material_upload(
        data=ANALYSIS.encode(), filename="研讨材料.txt", kind=MaterialKind.STUDY,
        author=world.sun, by=world.sun, now=at(2024, 9, 15), campaign=campaign,
    )  # fmt: skip
    visit_create(
        spec=VisitSpec(
            unit=world.chengguan, people=(world.li,), starts_on=dt.date(2024, 9, 12),
            ends_on=dt.date(2024, 9, 12), days=Decimal(1), place_unit=world.dongguan,
            households=12, campaign=campaign,
        ),
        by=world.li,
        now=at(2024, 9, 12, 18),
    )  # fmt: skip
    return SimpleNamespace(e=e, f=f, g=g)
