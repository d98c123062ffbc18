import datetime as dt
import itertools

import pytest

from bihuan.audit.models import AuditEntry
from bihuan.campaigns.models import DEFAULT_STAGES, Activity, Campaign, DueKind, Per, Requirement
from bihuan.campaigns.services import (
    CampaignSpec,
    RequirementSpec,
    StageSpec,
    campaign_create,
    requirement_add,
    split_stages,
)
from bihuan.errors import DomainError, NotAllowed
from bihuan.materials.models import MaterialKind
from bihuan.workflow.calendar import WorkCalendar


def _spec(world, **fields) -> CampaignSpec:
    return CampaignSpec(
        **{
            "name": "解放思想大讨论",
            "organiser": world.county,
            "units": (world.chengguan, world.hexi),
            "starts_on": dt.date(2024, 9, 2),
            "ends_on": dt.date(2024, 9, 30),
            **fields,
        }
    )


def test_a_campaign_gets_the_six_usual_stages_one_after_another_over_its_period(campaign, world):
    stages = list(campaign.stages.all())

    assert [stage.name for stage in stages] == list(DEFAULT_STAGES)
    assert stages[0].starts_on == dt.date(2024, 9, 2)
    assert stages[-1].ends_on == dt.date(2024, 12, 31)
    for before, after in itertools.pairwise(stages):
        assert after.starts_on == before.ends_on + dt.timedelta(days=1)
    assert set(campaign.units.all()) == {world.chengguan, world.hexi}
    entry = AuditEntry.objects.get(object_type="campaigns.campaign")
    assert entry.changes["after"]["stages"][0] == ["动员部署", "2024-09-02", "2024-09-21"]


def test_a_period_shorter_than_its_stages_gives_every_stage_a_day():
    stages = split_stages(["一", "二", "三"], dt.date(2024, 9, 2), dt.date(2024, 9, 3))

    assert [(s.starts_on.day, s.ends_on.day) for s in stages] == [(2, 2), (2, 2), (3, 3)]


def test_stages_may_be_given_with_their_own_dates(world, now):
    stages = (
        StageSpec("动员部署", dt.date(2024, 9, 2), dt.date(2024, 9, 6)),
        StageSpec("整改落实", dt.date(2024, 9, 9), dt.date(2024, 9, 30)),
    )
    campaign = campaign_create(spec=_spec(world, stages=stages), by=world.zhou, now=now)

    assert list(campaign.stages.values_list("order", "name")) == [(1, "动员部署"), (2, "整改落实")]


@pytest.mark.parametrize(
    ("by", "fields", "error", "message"),
    [
        ("li", {}, NotAllowed, "只有督查员可以组织专项活动。"),
        ("qian", {}, DomainError, "牵头单位“青山县”不在您的管理范围内。"),
        ("zhou", {"units": ()}, DomainError, "请选择参加单位。"),
        ("zhou", {"ends_on": dt.date(2024, 9, 1)}, DomainError, "结束日期早于开始日期。"),
        (
            "zhou",
            {"stages": (StageSpec("动员部署", dt.date(2024, 9, 1), dt.date(2024, 9, 6)),)},
            DomainError,
            "第1阶段“动员部署”超出了活动的起止日期。",
        ),
    ],
)
def test_a_campaign_that_cannot_be_is_refused_and_nothing_is_written(
    world, now, by, fields, error, message
):
    with pytest.raises(error, match=message):
        campaign_create(spec=_spec(world, **fields), by=getattr(world, by), now=now)

    assert not Campaign.objects.exists()
    assert not AuditEntry.objects.filter(object_type="campaigns.campaign").exists()


def test_a_township_supervisor_may_not_put_another_township_in_its_campaign(world, now):
    spec = _spec(world, organiser=world.chengguan, units=(world.dongguan, world.xihe))

    with pytest.raises(DomainError, match="参加单位“西河村”不在您的管理范围内。"):
        campaign_create(spec=spec, by=world.qian, now=now)


def test_a_deadline_in_working_days_skips_national_day_and_counts_its_make_up_sunday(
    require, campaign, world, now
):
    # 调查研究 moved to start on Friday 27 September: the 29th (Sunday) is a make-up workday,
    # 1–7 October the holiday, so the fifth working day after the 27th is Thursday 10 October.
    campaign.stages.filter(order=3).update(starts_on=dt.date(2024, 9, 27))
    requirement = require(
        3,
        Activity.MATERIAL,
        Per.UNIT,
        material_kind=MaterialKind.RESEARCH,
        due_kind=DueKind.WORKING_DAYS,
        due_working_days=5,
    )
    requirement.refresh_from_db()

    assert requirement.due_date(WorkCalendar()) == dt.date(2024, 10, 10)
    assert requirement.label == "调研报告（每个单位1份）"


def test_a_deadline_in_working_days_follows_the_admins_calendar(require, campaign):
    campaign.stages.filter(order=2).update(starts_on=dt.date(2024, 9, 27))
    requirement = require(
        2, Activity.STUDY, Per.UNIT, due_kind=DueKind.WORKING_DAYS, due_working_days=1
    )
    requirement.refresh_from_db()
    # An admin declared Sunday the 29th a rest day after all: the next working day is the 30th.
    calendar = WorkCalendar(overrides={dt.date(2024, 9, 29): False})

    assert requirement.due_date(calendar) == dt.date(2024, 9, 30)
    assert requirement.due_date(WorkCalendar()) == dt.date(2024, 9, 29)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"activity": Activity.MATERIAL, "per": Per.UNIT}, "提交材料的要求须选择材料类型。"),
        ({"activity": Activity.STUDY, "per": Per.PERSON}, "会议按召开单位统计"),
        (
            {"activity": Activity.VISIT, "per": Per.PERSON, "quantity": 0},
            "数量应在 1 到 365 之间。",
        ),
        ({"activity": Activity.VISIT, "per": Per.PERSON, "due_on": None}, "请填写截止日期。"),
        (
            {"activity": Activity.VISIT, "per": Per.PERSON, "due_on": dt.date(2024, 9, 1)},
            "截止日期2024-09-01早于阶段“动员部署”的开始日期2024-09-02：截止日期须在本阶段内。",
        ),
        (
            {"activity": Activity.VISIT, "per": Per.PERSON, "due_on": dt.date(2024, 9, 22)},
            "截止日期2024-09-22晚于阶段“动员部署”的结束日期2024-09-21",
        ),
        (
            # 动员部署 is 2–21 September; counting the make-up Saturday the 14th and skipping the
            # Mid-Autumn holiday (15–17), the 15th working day after its start is the 24th.
            {
                "activity": Activity.VISIT,
                "per": Per.PERSON,
                "due_kind": DueKind.WORKING_DAYS,
                "due_working_days": 15,
            },
            "截止日期2024-09-24（阶段开始后15个工作日）晚于阶段“动员部署”的结束日期2024-09-21",
        ),
        (
            {"activity": Activity.VISIT, "per": Per.PERSON, "roles": ("sysadmin",)},
            "干部角色只能是",
        ),
    ],
)
def test_a_requirement_that_cannot_be_is_refused(campaign, world, now, fields, message):
    spec = RequirementSpec(**{"due_on": dt.date(2024, 9, 20), **fields})

    with pytest.raises(DomainError, match=message):
        requirement_add(stage=campaign.stages.get(order=1), spec=spec, by=world.zhou, now=now)

    assert not Requirement.objects.exists()


def test_only_the_organisers_supervisors_set_requirements(campaign, world, now):
    spec = RequirementSpec(Activity.STUDY, Per.UNIT, due_on=dt.date(2024, 9, 20))

    for person in (world.qian, world.li):
        with pytest.raises(NotAllowed, match="只有牵头单位的督查员可以设置活动要求。"):
            requirement_add(stage=campaign.stages.first(), spec=spec, by=person, now=now)

    assert not Requirement.objects.exists()


def test_a_campaign_is_seen_by_its_organiser_and_its_units_only(campaign, world, now):
    own = campaign_create(
        spec=_spec(
            world, name="城关镇作风整顿", organiser=world.chengguan, units=(world.dongguan,)
        ),
        by=world.qian,
        now=now,
    )

    assert set(Campaign.objects.visible_to(world.zhou)) == {campaign, own}
    assert set(Campaign.objects.visible_to(world.li)) == {campaign, own}
    assert set(Campaign.objects.visible_to(world.wang)) == {campaign}
    assert set(Campaign.objects.visible_to(world.chen)) == {own}
    assert not Campaign.objects.visible_to(world.wu).exists()
    assert own.is_visible_to(world.chen) and not own.is_visible_to(world.wang)
