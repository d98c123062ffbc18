"""Campaign writes: create a campaign with its stages, add a stage's requirements; the rules
both share with the corrections made later (corrections.py)."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record, field_values
from bihuan.errors import Conflict, DomainError, NotAllowed
from bihuan.materials.models import MaterialKind
from bihuan.org.models import BUSINESS_ROLES, Role, Unit
from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.models import load_calendar

from .models import DEFAULT_STAGES, Activity, Campaign, DueKind, Per, Requirement, Stage

MAX_STAGES = 12


@dataclass(frozen=True)
class StageSpec:
    name: str
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True)
class CampaignSpec:
    name: str
    organiser: Unit
    units: tuple[Unit, ...]
    starts_on: dt.date
    ends_on: dt.date
    description: str = ""
    # None: the six usual stages, the period split evenly between them.
    stages: tuple[StageSpec, ...] | None = None


@dataclass(frozen=True)
class RequirementSpec:
    activity: str
    per: str
    material_kind: str = ""
    roles: tuple[str, ...] = ()
    quantity: int = 1
    due_kind: str = DueKind.DATE
    due_on: dt.date | None = None
    due_working_days: int | None = None
    note: str = ""


def split_stages(names, starts_on: dt.date, ends_on: dt.date) -> tuple[StageSpec, ...]:
    """Stages one after another, splitting the period's days as evenly as they go (a period
    shorter than the number of stages gives some stages a day another has too)."""
    days = (ends_on - starts_on).days + 1
    count = len(names)
    stages = []
    for index, name in enumerate(names):
        first = index * days // count
        last = max((index + 1) * days // count - 1, first)
        stages.append(
            StageSpec(
                name=name,
                starts_on=starts_on + dt.timedelta(days=first),
                ends_on=min(starts_on + dt.timedelta(days=last), ends_on),
            )
        )
    return tuple(stages)


def default_stages(starts_on: dt.date, ends_on: dt.date) -> tuple[StageSpec, ...]:
    """动员部署, 学习研讨, 调查研究, 查摆问题, 整改落实, 总结提升 over the period."""
    return split_stages(DEFAULT_STAGES, starts_on, ends_on)


def may_manage(campaign: Campaign, user) -> bool:
    """A supervisor who sees the organising unit runs the campaign."""
    return user.has_role(Role.SUPERVISOR) and campaign.organiser.is_visible_to(user)


def require_manager(campaign: Campaign, by) -> None:
    if not may_manage(campaign, by):
        raise NotAllowed("只有牵头单位的督查员可以修改专项活动。")


def clean_scope(spec: CampaignSpec, by, kept=frozenset()) -> None:
    """Name, organiser, units and dates: the same rules for a new campaign and an edited one.
    `kept`: the ids of units an edited campaign already has, which stay even if the editor does
    not see them (another supervisor added them)."""
    if not by.has_role(Role.SUPERVISOR):
        raise NotAllowed("只有督查员可以组织专项活动。")
    if not spec.name.strip():
        raise DomainError("请填写活动名称。", field="name")
    if not spec.organiser.is_visible_to(by):
        raise DomainError(f"牵头单位“{spec.organiser}”不在您的管理范围内。", field="organiser")
    if not spec.units:
        raise DomainError("请选择参加单位。", field="units")
    for unit in spec.units:
        if unit.pk not in kept and not unit.is_visible_to(by):
            raise DomainError(f"参加单位“{unit}”不在您的管理范围内。", field="units")
    if spec.ends_on < spec.starts_on:
        raise DomainError("结束日期早于开始日期。", field="ends_on")


def _clean_campaign(spec: CampaignSpec, by) -> tuple[StageSpec, ...]:
    clean_scope(spec, by)
    stages = spec.stages or default_stages(spec.starts_on, spec.ends_on)
    if len(stages) > MAX_STAGES:
        raise DomainError(f"一个活动最多 {MAX_STAGES} 个阶段。", field="stages")
    previous = None
    for number, stage in enumerate(stages, start=1):
        where = f"第{number}阶段“{stage.name}”"
        if not stage.name.strip():
            raise DomainError(f"请填写第{number}阶段的名称。", field="stages")
        if stage.ends_on < stage.starts_on:
            raise DomainError(f"{where}的结束日期早于开始日期。", field="stages")
        if stage.starts_on < spec.starts_on or stage.ends_on > spec.ends_on:
            raise DomainError(f"{where}超出了活动的起止日期。", field="stages")
        if previous is not None and stage.starts_on < previous.starts_on:
            raise DomainError(f"{where}开始早于上一阶段，请按先后顺序填写。", field="stages")
        previous = stage
    return stages


def campaign_create(*, spec: CampaignSpec, by, now: dt.datetime) -> Campaign:
    """A campaign with its scope and stages, in one transaction."""
    stages = _clean_campaign(spec, by)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=spec.name.strip(),
            organiser=spec.organiser,
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
            description=spec.description.strip(),
            created_by=by,
            created_at=now,
        )
        campaign.units.set(spec.units)
        Stage.objects.bulk_create(
            Stage(
                campaign=campaign,
                order=order,
                name=stage.name.strip(),
                starts_on=stage.starts_on,
                ends_on=stage.ends_on,
            )
            for order, stage in enumerate(stages, start=1)
        )
        after = field_values(campaign, ("name", "organiser", "starts_on", "ends_on")) | {
            "units": sorted(unit.pk for unit in spec.units),
            "stages": [[stage.name, stage.starts_on, stage.ends_on] for stage in stages],
        }
        audit_record(AuditAction.CREATE, actor=by, obj=campaign, now=now, changes={"after": after})
    return campaign


def clean_requirement(spec: RequirementSpec) -> None:
    if spec.activity not in Activity.values:
        raise DomainError(f"未知的活动内容“{spec.activity}”。", field="activity")
    if spec.per not in Per.values:
        raise DomainError(f"未知的对象“{spec.per}”。", field="per")
    if spec.activity == Activity.MATERIAL and spec.material_kind not in MaterialKind.values:
        raise DomainError("提交材料的要求须选择材料类型。", field="material_kind")
    if spec.activity in (Activity.STUDY, Activity.MEETING) and spec.per == Per.PERSON:
        raise DomainError("会议按召开单位统计，请选择“每个单位”。", field="per")
    if not set(spec.roles) <= BUSINESS_ROLES:
        raise DomainError("干部角色只能是督查员、承办人、领导或干部。", field="roles")
    if not 0 < spec.quantity <= 365:
        raise DomainError("数量应在 1 到 365 之间。", field="quantity")
    if spec.due_kind == DueKind.DATE:
        if spec.due_on is None:
            raise DomainError("请填写截止日期。", field="due_on")
    elif spec.due_kind == DueKind.WORKING_DAYS:
        if not spec.due_working_days or not 0 < spec.due_working_days <= 365:
            raise DomainError("工作日数应在 1 到 365 之间。", field="due_working_days")
    else:
        raise DomainError(f"未知的时限类型“{spec.due_kind}”。", field="due_kind")


def due_outside(
    *, due_kind: str, due_on, due_working_days, stage: StageSpec, calendar: WorkCalendar
) -> tuple[dt.date, str] | None:
    """The deadline and the field that sets it, when it falls outside the stage's dates."""
    if due_kind == DueKind.WORKING_DAYS:
        due = calendar.add_working_days(stage.starts_on, due_working_days)
        field = "due_working_days"
    else:
        due, field = due_on, "due_on"
    if stage.starts_on <= due <= stage.ends_on:
        return None
    return due, field


def check_due(spec: RequirementSpec, stage: Stage, calendar: WorkCalendar) -> None:
    outside = due_outside(
        due_kind=spec.due_kind,
        due_on=spec.due_on,
        due_working_days=spec.due_working_days,
        stage=StageSpec(stage.name, stage.starts_on, stage.ends_on),
        calendar=calendar,
    )
    if outside is None:
        return
    due, field = outside
    when = "早于" if due < stage.starts_on else "晚于"
    edge = stage.starts_on if due < stage.starts_on else stage.ends_on
    limit = "开始" if due < stage.starts_on else "结束"
    computed = (
        f"（阶段开始后{spec.due_working_days}个工作日）" if field == "due_working_days" else ""
    )
    raise DomainError(
        f"截止日期{due:%Y-%m-%d}{computed}{when}阶段“{stage.name}”的{limit}日期"
        f"{edge:%Y-%m-%d}：截止日期须在本阶段内。",
        field=field,
    )


def requirement_values(spec: RequirementSpec) -> dict:
    """The row as stored: what does not apply to the activity or the deadline's kind is blank."""
    dated = spec.due_kind == DueKind.DATE
    return {
        "activity": spec.activity,
        "material_kind": spec.material_kind if spec.activity == Activity.MATERIAL else "",
        "per": spec.per,
        "roles": list(spec.roles) if spec.per == Per.PERSON else [],
        "quantity": spec.quantity,
        "due_kind": spec.due_kind,
        "due_on": spec.due_on if dated else None,
        "due_working_days": None if dated else spec.due_working_days,
        "note": spec.note.strip(),
    }


REQUIREMENT_FIELDS = (
    "stage",
    "activity",
    "material_kind",
    "per",
    "roles",
    "quantity",
    "due_kind",
    "due_on",
    "due_working_days",
    "note",
)


def requirement_add(
    *,
    stage: Stage,
    spec: RequirementSpec,
    by,
    now: dt.datetime,
    calendar: WorkCalendar | None = None,
) -> Requirement:
    """A requirement of a stage, due within the stage. `calendar` None: the admin's calendar
    as stored, to place a deadline given in working days."""
    if not may_manage(stage.campaign, by):
        raise NotAllowed("只有牵头单位的督查员可以设置活动要求。")
    clean_requirement(spec)
    calendar = calendar or load_calendar()
    with transaction.atomic():
        locked(stage.campaign, None)
        check_due(spec, Stage.objects.get(pk=stage.pk), calendar)
        requirement = Requirement.objects.create(stage=stage, **requirement_values(spec))
        bump(stage.campaign)
        after = field_values(requirement, REQUIREMENT_FIELDS)
        audit_record(
            AuditAction.CREATE, actor=by, obj=requirement, now=now, changes={"after": after}
        )
    return requirement


def locked(campaign: Campaign, version: int | None) -> Campaign:
    """The campaign's row, held until the transaction ends, at the version the editor saw."""
    current = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if version is not None and version != current.version:
        raise Conflict(
            "该活动已被他人修改，您的修改没有保存；请刷新页面，在最新内容上重新修改。",
            field="version",
        )
    return current


def bump(campaign: Campaign) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(version=F("version") + 1)
    campaign.version = Campaign.objects.values_list("version", flat=True).get(pk=campaign.pk)
