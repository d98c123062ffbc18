import datetime as dt
from decimal import Decimal

import pytest

from bihuan.audit.models import AuditEntry
from bihuan.campaigns.services import CampaignSpec, campaign_create
from bihuan.errors import DomainError, NotAllowed
from bihuan.fieldwork.models import DaysTarget, Households, Visit
from bihuan.fieldwork.services import (
    MEASURE_TO_BE_SET,
    VisitProblem,
    VisitSpec,
    households_set,
    target_set,
    visit_create,
)
from bihuan.ledger.models import Measure, Problem, Source
from bihuan.org.models import Role
from bihuan.workflow.states import DeadlineKind, State

D = dt.date


def _spec(world, **fields) -> VisitSpec:
    return VisitSpec(
        **{
            "unit": world.chengguan,
            "people": (world.qian, world.sun),
            "starts_on": D(2024, 9, 20),
            "ends_on": D(2024, 9, 20),
            "days": Decimal(1),
            "place_unit": world.dongguan,
            "households": 15,
            "topics": "农村人居环境整治",
            **fields,
        }
    )


def test_a_visit_with_two_problems_puts_both_into_the_ledger_in_one_step(world, now):
    campaign = campaign_create(
        spec=CampaignSpec(
            name="作风革命·效能革命",
            organiser=world.county,
            units=(world.chengguan,),
            starts_on=D(2024, 9, 1),
            ends_on=D(2024, 12, 31),
        ),
        by=world.zhou,
        now=now,
    )
    problems = [
        VisitProblem("村务公开栏内容两年未更新", world.dongguan, world.category),
        VisitProblem("便民服务站无人值守", world.chengguan, world.category, measure="落实轮值"),
    ]

    visit = visit_create(
        spec=_spec(world, campaign=campaign), problems=problems, by=world.qian, now=now
    )

    assert set(visit.people.all()) == {world.qian, world.sun}
    raised = list(visit.problems.order_by("pk"))
    assert [(p.description, p.unit, p.source, p.campaign) for p in raised] == [
        ("村务公开栏内容两年未更新", world.dongguan, Source.VISIT, campaign),
        ("便民服务站无人值守", world.chengguan, Source.VISIT, campaign),
    ]
    measures = list(Measure.objects.filter(problem__in=raised).order_by("pk"))
    assert [(m.text, m.owner_unit, m.state, m.deadline_kind) for m in measures] == [
        (MEASURE_TO_BE_SET, world.dongguan, State.DRAFT, DeadlineKind.UNSET),
        ("落实轮值", world.chengguan, State.DRAFT, DeadlineKind.UNSET),
    ]
    entry = AuditEntry.objects.get(object_type="fieldwork.visit")
    assert entry.changes["after"]["problems"] == [p.pk for p in raised]
    assert entry.changes["after"]["days"] == "1"


def _nothing_written():
    return (Visit.objects.count(), Problem.objects.count())


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"days": Decimal(2)}, "计入天数应大于0，且不超过走访的1天。"),
        ({"days": Decimal("0.3")}, "计入天数以半天为单位。"),
        ({"starts_on": D(2024, 9, 24), "ends_on": D(2024, 9, 24)}, "走访日期晚于今天"),
        ({"ends_on": D(2024, 9, 19)}, "结束日期早于开始日期。"),
        ({"people": ()}, "请选择走访人员。"),
        ({"place_unit": None}, "请选择或填写走访地点。"),
        ({"place_unit": "xihe"}, "走访地点“西河村”不在您的管理范围内。"),
        ({"people": ("wang",)}, "走访人员王承办不在您的管理范围内。"),
    ],
)
def test_a_visit_that_cannot_be_is_refused_and_nothing_is_written(world, now, fields, message):
    for name in ("place_unit",):
        if isinstance(fields.get(name), str):
            fields[name] = getattr(world, fields[name])
    if fields.get("people") and isinstance(fields["people"][0], str):
        fields["people"] = tuple(getattr(world, name) for name in fields["people"])

    with pytest.raises(DomainError, match=message):
        visit_create(spec=_spec(world, **fields), by=world.qian, now=now)

    assert _nothing_written() == (0, 0)


def test_a_problem_the_visitor_may_not_register_undoes_the_whole_visit(world, now):
    problems = [
        VisitProblem("村务公开栏内容陈旧", world.dongguan, world.category),
        VisitProblem("河西乡的问题", world.hexi, world.category),
    ]

    with pytest.raises(DomainError, match="第2个问题：责任主体“河西乡”不在您的管理范围内。"):
        visit_create(spec=_spec(world), problems=problems, by=world.qian, now=now)

    assert _nothing_written() == (0, 0)


def test_a_visit_over_several_days_counts_the_days_given(world, now):
    visit = visit_create(
        spec=_spec(world, starts_on=D(2024, 9, 18), days=Decimal("2.5")), by=world.sun, now=now
    )

    assert (visit.ends_on, visit.days) == (D(2024, 9, 20), Decimal("2.5"))


def test_the_admin_may_not_record_visits(world, now):
    with pytest.raises(NotAllowed):
        visit_create(spec=_spec(world), by=world.wu, now=now)


def test_a_villages_household_count_is_set_then_corrected(world, now):
    households_set(unit=world.dongguan, count=120, by=world.chen, now=now)
    households_set(unit=world.dongguan, count=126, by=world.li, now=now)

    assert Households.objects.get(unit=world.dongguan).count == 126
    entries = AuditEntry.objects.filter(object_type="fieldwork.households").order_by("seq")
    assert [e.changes for e in entries] == [
        {"after": {"count": 120}},
        {"before": {"count": 120}, "after": {"count": 126}},
    ]


@pytest.mark.parametrize(
    ("unit", "by", "message"),
    [
        ("chengguan", "li", "“城关镇”不是村·社区。"),
        ("xihe", "li", "“西河村”不在您的管理范围内。"),
        ("dongguan", "sun", "只有承办人或督查员可以登记农户数。"),
    ],
)
def test_a_household_count_that_cannot_be_is_refused(world, now, unit, by, message):
    with pytest.raises(DomainError, match=message):
        households_set(unit=getattr(world, unit), count=10, by=getattr(world, by), now=now)

    assert not Households.objects.exists()


def test_the_county_sets_a_roles_target_and_a_township_may_not(world, now):
    target_set(year=2024, role=Role.CADRE, days=Decimal(30), by=world.zhou, now=now)
    target_set(year=2024, role=Role.CADRE, days=Decimal(40), by=world.zhou, now=now)

    with pytest.raises(NotAllowed, match="只有县级督查员可以设置调研天数目标。"):
        target_set(year=2024, role=Role.CADRE, days=Decimal(5), by=world.qian, now=now)
    assert DaysTarget.objects.get().days == Decimal(40)
