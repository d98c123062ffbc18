"""Correcting a campaign after it was created: its name, scope and dates, its stages and its
requirements. The shared campaign runs 2 September – 31 December 2024 in six stages
(动员部署 2–21 September, 学习研讨 22 September – 11 October, …); 周督查 of the county runs it."""

import dataclasses
import datetime as dt

import pytest

from bihuan.audit.models import AuditAction, AuditEntry
from bihuan.campaigns.corrections import (
    campaign_edit,
    requirement_edit,
    requirement_remove,
    stage_add,
    stage_edit,
    stage_remove,
)
from bihuan.campaigns.models import Activity, Campaign, DueKind, Per, Requirement, Stage
from bihuan.campaigns.services import CampaignSpec, RequirementSpec, StageSpec
from bihuan.campaigns.status import campaign_status
from bihuan.errors import Conflict, DomainError, NotAllowed
from bihuan.materials.models import MaterialKind
from bihuan.org.models import Role

D = dt.date


def _spec(campaign, **fields) -> CampaignSpec:
    return CampaignSpec(
        **{
            "name": campaign.name,
            "organiser": campaign.organiser,
            "units": tuple(campaign.units.all()),
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "description": campaign.description,
            **fields,
        }
    )


def _version(campaign) -> int:
    """The version a page drawn now would carry (adding a requirement raises it too)."""
    return Campaign.objects.values_list("version", flat=True).get(pk=campaign.pk)


def _stages(campaign):
    return list(campaign.stages.values_list("order", "name", "starts_on", "ends_on"))


def _snapshot(campaign):
    campaign = Campaign.objects.get(pk=campaign.pk)
    return (
        campaign.name,
        campaign.starts_on,
        campaign.ends_on,
        campaign.version,
        sorted(campaign.units.values_list("pk", flat=True)),
        _stages(campaign),
        list(Requirement.objects.values_list("pk", "stage_id", "due_kind", "due_on", "per")),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def papers(require):
    """研讨材料 from each unit of 学习研讨, due 8 October."""
    return require(
        2, Activity.MATERIAL, Per.UNIT, material_kind=MaterialKind.STUDY, due_on=D(2024, 10, 8)
    )


# -- the campaign itself --------------------------------------------------------------------


def test_the_organiser_renames_a_campaign_widens_its_scope_and_the_change_is_audited(
    campaign, world, now
):
    campaign_edit(
        campaign=campaign,
        spec=_spec(
            campaign,
            name="作风革命·效能革命（第二轮）",
            units=(world.chengguan, world.hexi, world.office),
            ends_on=D(2025, 1, 31),
        ),
        by=world.zhou,
        now=now,
        version=1,
    )

    campaign.refresh_from_db()
    assert (campaign.name, campaign.ends_on, campaign.version) == (
        "作风革命·效能革命（第二轮）",
        D(2025, 1, 31),
        2,
    )
    assert set(campaign.units.all()) == {world.chengguan, world.hexi, world.office}
    entry = AuditEntry.objects.filter(object_type="campaigns.campaign").first()
    assert entry.action == AuditAction.CHANGE
    assert entry.changes["before"]["name"] == "作风革命·效能革命"
    assert entry.changes["after"]["ends_on"] == "2025-01-31"
    assert entry.changes["after"]["units"] == sorted(
        [world.chengguan.pk, world.hexi.pk, world.office.pk]
    )
    assert set(entry.changes["after"]) == {"name", "ends_on", "units"}


def test_the_campaign_may_not_shrink_past_its_stages(campaign, world, now):
    before = _snapshot(campaign)

    with pytest.raises(DomainError) as refused:
        campaign_edit(
            campaign=campaign,
            spec=_spec(campaign, ends_on=D(2024, 12, 15)),
            by=world.zhou,
            now=now,
        )

    assert refused.value.field == "ends_on"
    assert "第6阶段“总结提升”" in refused.value.message
    assert "请先调整该阶段的日期" in refused.value.message
    assert _snapshot(campaign) == before


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": " "}, "name", "请填写活动名称。"),
        ({"units": ()}, "units", "请选择参加单位。"),
        ({"starts_on": D(2025, 1, 1)}, "ends_on", "结束日期早于开始日期。"),
        ({"starts_on": D(2024, 9, 3)}, "starts_on", "第1阶段“动员部署”"),
    ],
)
def test_a_campaign_edit_that_cannot_be_names_its_field_and_changes_nothing(
    campaign, world, now, fields, field, message
):
    before = _snapshot(campaign)

    with pytest.raises(DomainError, match=message) as refused:
        campaign_edit(campaign=campaign, spec=_spec(campaign, **fields), by=world.zhou, now=now)

    assert refused.value.field == field
    assert _snapshot(campaign) == before


def test_only_the_organisers_supervisors_edit_a_campaign(campaign, world, now):
    before = _snapshot(campaign)

    for person in (world.qian, world.li, world.zhao):
        with pytest.raises(NotAllowed, match="只有牵头单位的督查员可以修改专项活动。"):
            campaign_edit(campaign=campaign, spec=_spec(campaign, name="改名"), by=person, now=now)

    assert _snapshot(campaign) == before


def test_an_edit_on_a_page_older_than_the_campaign_is_refused(campaign, world, now):
    campaign_edit(campaign=campaign, spec=_spec(campaign, name="甲"), by=world.zhou, now=now)
    before = _snapshot(campaign)

    with pytest.raises(Conflict, match="该活动已被他人修改"):
        campaign_edit(
            campaign=campaign, spec=_spec(campaign, name="乙"), by=world.zhou, now=now, version=1
        )

    assert _snapshot(campaign) == before


def test_an_edit_that_changes_nothing_says_so(campaign, world, now):
    with pytest.raises(DomainError, match="没有修改任何内容。"):
        campaign_edit(campaign=campaign, spec=_spec(campaign), by=world.zhou, now=now)


# -- stages ---------------------------------------------------------------------------------


def test_a_stage_is_renamed_and_redated_within_its_neighbours(campaign, world, now, calendar):
    stage = campaign.stages.get(order=2)

    stage_edit(
        stage=stage,
        spec=StageSpec("专题学习研讨", D(2024, 9, 23), D(2024, 10, 15)),
        by=world.zhou,
        now=now,
        calendar=calendar,
        version=campaign.version,
    )

    assert _stages(campaign)[1] == (2, "专题学习研讨", D(2024, 9, 23), D(2024, 10, 15))
    entry = AuditEntry.objects.filter(object_type="campaigns.stage").first()
    assert entry.changes == {
        "before": {"name": "学习研讨", "starts_on": "2024-09-22", "ends_on": "2024-10-11"},
        "after": {"name": "专题学习研讨", "starts_on": "2024-09-23", "ends_on": "2024-10-15"},
    }
    assert Campaign.objects.get(pk=campaign.pk).version == 2


@pytest.mark.parametrize(
    ("dates", "field", "message"),
    [
        ((D(2024, 9, 1), D(2024, 9, 21)), "starts_on", "早于活动的开始日期2024-09-02"),
        ((D(2024, 12, 1), D(2025, 1, 5)), "ends_on", "晚于活动的结束日期2024-12-31"),
        ((D(2024, 10, 1), D(2024, 9, 30)), "ends_on", "阶段的结束日期早于开始日期。"),
        ((D(2024, 9, 1), D(2024, 9, 30)), "starts_on", "早于活动的开始日期"),
        # 学习研讨 may not start after 调查研究 (12 October) nor before 动员部署 (2 September).
        ((D(2024, 10, 13), D(2024, 10, 20)), "starts_on", "晚于下一阶段“调查研究”"),
    ],
)
def test_a_stage_outside_the_campaign_or_out_of_order_is_refused(
    campaign, world, now, calendar, dates, field, message
):
    before = _snapshot(campaign)

    with pytest.raises(DomainError, match=message) as refused:
        stage_edit(
            stage=campaign.stages.get(order=2),
            spec=StageSpec("学习研讨", *dates),
            by=world.zhou,
            now=now,
            calendar=calendar,
        )

    assert refused.value.field == field
    assert _snapshot(campaign) == before


def test_a_stage_may_not_start_before_the_stage_before_it(campaign, world, now, calendar):
    with pytest.raises(DomainError, match="早于上一阶段“学习研讨”的开始日期2024-09-22") as refused:
        stage_edit(
            stage=campaign.stages.get(order=3),
            spec=StageSpec("调查研究", D(2024, 9, 20), D(2024, 10, 31)),
            by=world.zhou,
            now=now,
            calendar=calendar,
        )
    assert refused.value.field == "starts_on"


def test_a_stage_may_not_leave_a_requirement_due_outside_it(
    campaign, papers, require, world, now, calendar
):
    # 动员部署 asks for a meeting within 5 working days of its start: Monday 9 September.
    meeting = require(
        1, Activity.MEETING, Per.UNIT, due_kind=DueKind.WORKING_DAYS, due_working_days=5
    )
    before = _snapshot(campaign)

    with pytest.raises(DomainError) as early:
        stage_edit(
            stage=papers.stage,
            spec=StageSpec("学习研讨", D(2024, 9, 22), D(2024, 10, 7)),
            by=world.zhou,
            now=now,
            calendar=calendar,
        )
    with pytest.raises(DomainError) as short:
        stage_edit(
            stage=meeting.stage,
            spec=StageSpec("动员部署", D(2024, 9, 2), D(2024, 9, 6)),
            by=world.zhou,
            now=now,
            calendar=calendar,
        )

    assert early.value.field == "ends_on"
    assert early.value.message == (
        "要求“研讨材料（每个单位1份）”的截止日期2024-10-08将不在阶段的新日期"
        "（2024-09-22至2024-10-07）内，请先修改或删除该要求。"
    )
    assert short.value.field == "ends_on"
    assert "截止日期2024-09-09" in short.value.message
    assert _snapshot(campaign) == before


def test_a_stage_added_between_two_takes_its_place_and_the_later_ones_move_down(
    campaign, world, now
):
    stage = stage_add(
        campaign=campaign,
        spec=StageSpec("集中整治", D(2024, 10, 20), D(2024, 10, 31)),
        by=world.zhou,
        now=now,
        version=1,
    )

    assert stage.order == 4
    assert [(order, name) for order, name, *_ in _stages(campaign)] == [
        (1, "动员部署"),
        (2, "学习研讨"),
        (3, "调查研究"),
        (4, "集中整治"),
        (5, "查摆问题"),
        (6, "整改落实"),
        (7, "总结提升"),
    ]
    entry = AuditEntry.objects.filter(object_type="campaigns.stage").first()
    assert (entry.action, entry.changes["after"]["name"]) == (AuditAction.CREATE, "集中整治")


def test_a_stage_outside_the_campaign_is_not_added(campaign, world, now):
    before = _snapshot(campaign)

    with pytest.raises(DomainError, match="晚于活动的结束日期") as refused:
        stage_add(
            campaign=campaign,
            spec=StageSpec("回头看", D(2024, 12, 20), D(2025, 1, 10)),
            by=world.zhou,
            now=now,
        )

    assert refused.value.field == "ends_on"
    assert _snapshot(campaign) == before


def test_a_stage_with_no_requirements_is_removed_and_the_later_ones_move_up(campaign, world, now):
    stage = campaign.stages.get(order=3)

    stage_remove(stage=stage, by=world.zhou, now=now, version=1)

    assert [name for _, name, *_ in _stages(campaign)] == [
        "动员部署",
        "学习研讨",
        "查摆问题",
        "整改落实",
        "总结提升",
    ]
    assert [order for order, *_ in _stages(campaign)] == [1, 2, 3, 4, 5]
    entry = AuditEntry.objects.filter(object_type="campaigns.stage").first()
    assert entry.changes["deleted"]["name"] == "调查研究"
    assert entry.object_repr == "作风革命·效能革命：删除阶段“调查研究”"


def test_a_stage_whose_requirements_nobody_has_met_goes_with_them(campaign, papers, world, now):
    stage_remove(stage=papers.stage, by=world.zhou, now=now)

    assert not Stage.objects.filter(pk=papers.stage_id).exists()
    assert not Requirement.objects.exists()
    entry = AuditEntry.objects.filter(object_type="campaigns.stage").first()
    assert [r["id"] for r in entry.changes["deleted"]["requirements"]] == [papers.pk]


def test_a_stage_someone_has_submitted_against_is_not_removed(campaign, papers, submit, world, now):
    # 河西乡 sees nothing of 城关镇, yet what 城关镇 submitted keeps the stage for everyone.
    submit(world.sun, MaterialKind.STUDY, D(2024, 9, 23))
    before = _snapshot(campaign)

    with pytest.raises(DomainError) as refused:
        stage_remove(stage=papers.stage, by=world.zhou, now=now)

    assert refused.value.message == (
        "阶段“学习研讨”的要求“研讨材料（每个单位1份）”已有单位或干部完成或部分完成，"
        "不能删除该阶段；可以修改阶段的名称和日期。"
    )
    assert refused.value.field == "stage"
    assert _snapshot(campaign) == before


def test_a_visit_day_towards_a_cadres_requirement_keeps_its_stage(
    campaign, require, visit, world, now
):
    days = require(1, Activity.VISIT, Per.PERSON, quantity=3, due_on=D(2024, 9, 20))
    visit([world.sun], D(2024, 9, 10))

    with pytest.raises(DomainError, match="已有单位或干部完成或部分完成"):
        stage_remove(stage=days.stage, by=world.zhou, now=now)


def test_the_last_stage_is_not_removed(world, now):
    from bihuan.campaigns.services import campaign_create

    campaign = campaign_create(
        spec=CampaignSpec(
            name="一个阶段",
            organiser=world.county,
            units=(world.chengguan,),
            starts_on=D(2024, 9, 2),
            ends_on=D(2024, 9, 30),
            stages=(StageSpec("整改落实", D(2024, 9, 2), D(2024, 9, 30)),),
        ),
        by=world.zhou,
        now=now,
    )

    with pytest.raises(DomainError, match="活动至少要有一个阶段"):
        stage_remove(stage=campaign.stages.get(), by=world.zhou, now=now)
    assert campaign.stages.count() == 1


def test_a_township_supervisor_may_not_change_the_countys_stages(
    campaign, papers, world, now, calendar
):
    before = _snapshot(campaign)
    stage = campaign.stages.get(order=1)

    with pytest.raises(NotAllowed):
        stage_edit(
            stage=stage,
            spec=StageSpec("x", stage.starts_on, stage.ends_on),
            by=world.qian,
            now=now,
            calendar=calendar,
        )
    with pytest.raises(NotAllowed):
        stage_remove(stage=stage, by=world.qian, now=now)
    with pytest.raises(NotAllowed):
        stage_add(
            campaign=campaign,
            spec=StageSpec("x", D(2024, 9, 2), D(2024, 9, 3)),
            by=world.qian,
            now=now,
        )
    with pytest.raises(NotAllowed):
        requirement_remove(requirement=papers, by=world.qian, now=now)

    assert _snapshot(campaign) == before


# -- requirements ---------------------------------------------------------------------------


def _requirement_spec(requirement, **fields) -> RequirementSpec:
    current = RequirementSpec(
        activity=requirement.activity,
        per=requirement.per,
        material_kind=requirement.material_kind,
        roles=tuple(requirement.roles),
        quantity=requirement.quantity,
        due_kind=requirement.due_kind,
        due_on=requirement.due_on,
        due_working_days=requirement.due_working_days,
        note=requirement.note,
    )
    return dataclasses.replace(current, **fields)


def test_a_requirement_is_made_per_cadre_and_due_in_working_days_and_the_status_follows(
    campaign, papers, world, now, calendar
):
    requirement_edit(
        requirement=papers,
        stage=papers.stage,
        spec=_requirement_spec(
            papers,
            per=Per.PERSON,
            roles=(Role.LEADER,),
            material_kind=MaterialKind.ANALYSIS,
            due_kind=DueKind.WORKING_DAYS,
            due_working_days=3,
        ),
        by=world.zhou,
        now=now,
        calendar=calendar,
        version=_version(campaign),
    )

    papers.refresh_from_db()
    assert (papers.per, papers.roles, papers.material_kind) == (
        Per.PERSON,
        [Role.LEADER],
        MaterialKind.ANALYSIS,
    )
    # Three working days after Sunday 22 September: 23, 24, 25 September.
    assert (papers.due_on, papers.due_date(calendar)) == (None, D(2024, 9, 25))
    status = campaign_status(
        campaign=campaign, user=world.zhou, today=now.date(), calendar=calendar
    )
    assert [(cell.person, cell.due) for cell in status.cells] == [(world.qian, D(2024, 9, 25))]
    entry = AuditEntry.objects.filter(object_type="campaigns.requirement").first()
    assert entry.action == AuditAction.CHANGE
    assert entry.changes["before"] == {
        "material_kind": "study",
        "per": "unit",
        "roles": [],
        "due_kind": "date",
        "due_on": "2024-10-08",
        "due_working_days": None,
    }


def test_a_requirement_moves_to_another_stage_if_it_is_due_within_it(
    campaign, papers, world, now, calendar
):
    later = campaign.stages.get(order=3)  # 调查研究, 12–31 October
    before = _snapshot(campaign)

    with pytest.raises(DomainError, match="早于阶段“调查研究”的开始日期2024-10-12") as refused:
        requirement_edit(
            requirement=papers,
            stage=later,
            spec=_requirement_spec(papers),
            by=world.zhou,
            now=now,
            calendar=calendar,
        )
    assert (refused.value.field, _snapshot(campaign)) == ("due_on", before)

    requirement_edit(
        requirement=papers,
        stage=later,
        spec=_requirement_spec(papers, due_on=D(2024, 10, 25)),
        by=world.zhou,
        now=now,
        calendar=calendar,
    )
    papers.refresh_from_db()
    assert (papers.stage, papers.due_on) == (later, D(2024, 10, 25))


def test_a_requirement_due_after_its_stage_in_working_days_is_refused(
    campaign, papers, world, now, calendar
):
    with pytest.raises(DomainError, match="阶段开始后30个工作日") as refused:
        requirement_edit(
            requirement=papers,
            stage=papers.stage,
            spec=_requirement_spec(papers, due_kind=DueKind.WORKING_DAYS, due_working_days=30),
            by=world.zhou,
            now=now,
            calendar=calendar,
        )
    assert refused.value.field == "due_working_days"


def test_a_requirement_may_not_move_to_another_campaigns_stage(
    campaign, papers, world, now, calendar
):
    from bihuan.campaigns.services import campaign_create

    other = campaign_create(
        spec=_spec(campaign, name="另一个活动", stages=None), by=world.zhou, now=now
    )

    with pytest.raises(DomainError, match="不属于该活动") as refused:
        requirement_edit(
            requirement=papers,
            stage=other.stages.get(order=2),
            spec=_requirement_spec(papers),
            by=world.zhou,
            now=now,
            calendar=calendar,
        )
    assert refused.value.field == "stage"


def test_a_requirement_is_removed_and_what_was_submitted_stays(
    campaign, papers, submit, world, now, calendar
):
    material = submit(world.sun, MaterialKind.STUDY, D(2024, 9, 23))

    requirement_remove(requirement=papers, by=world.zhou, now=now, version=_version(campaign))

    assert not Requirement.objects.exists()
    assert material.__class__.objects.filter(pk=material.pk, campaign=campaign).exists()
    status = campaign_status(
        campaign=campaign, user=world.zhou, today=now.date(), calendar=calendar
    )
    assert status.cells == []
    entry = AuditEntry.objects.filter(object_type="campaigns.requirement").first()
    assert (entry.object_id, entry.changes["deleted"]["due_on"]) == (str(papers.pk), "2024-10-08")
    assert entry.object_repr == "作风革命·效能革命：删除要求“研讨材料（每个单位1份）”"
