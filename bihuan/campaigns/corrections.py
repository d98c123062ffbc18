"""Corrections of a campaign after it was created: its name, scope and dates, its stages and
its requirements. Each holds the campaign's row for its transaction, checks the rules against
what is stored then, raises the campaign's version and writes its audit entry."""

import datetime as dt

from django.db import transaction
from django.db.models import F

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record, field_values
from bihuan.errors import Conflict, DomainError
from bihuan.workflow.calendar import WorkCalendar

from .models import Campaign, Requirement, Stage
from .services import (
    MAX_STAGES,
    REQUIREMENT_FIELDS,
    CampaignSpec,
    RequirementSpec,
    StageSpec,
    bump,
    check_due,
    clean_requirement,
    clean_scope,
    due_outside,
    locked,
    require_manager,
    requirement_values,
)
from .status import submitted_against

CAMPAIGN_FIELDS = ("name", "organiser", "starts_on", "ends_on", "description")
STAGE_FIELDS = ("name", "starts_on", "ends_on")
# Stages moving past each other go through orders no stage has, one statement each way: the
# unique (campaign, order) is checked row by row, so a direct shift would collide midway.
DETOUR = 1000


def _span(starts_on: dt.date, ends_on: dt.date) -> str:
    return f"{starts_on:%Y-%m-%d}至{ends_on:%Y-%m-%d}"


def campaign_edit(
    *, campaign: Campaign, spec: CampaignSpec, by, now: dt.datetime, version: int | None = None
) -> None:
    """Correct a campaign's name, organiser, units, dates and description (`spec.stages` is
    not read: stages are corrected one by one). Every stage must stay within the new dates.
    `version` is the one the editor's page showed."""
    require_manager(campaign, by)
    clean_scope(spec, by, kept=frozenset(campaign.units.values_list("pk", flat=True)))
    after = {
        "name": spec.name.strip(),
        "organiser": spec.organiser.pk,
        "starts_on": spec.starts_on,
        "ends_on": spec.ends_on,
        "description": spec.description.strip(),
    }
    with transaction.atomic():
        current = locked(campaign, version)
        for stage in current.stages.all():
            early, late = stage.starts_on < spec.starts_on, stage.ends_on > spec.ends_on
            if early or late:
                raise DomainError(
                    f"第{stage.order}阶段“{stage.name}”（{_span(stage.starts_on, stage.ends_on)}）"
                    f"不在新的活动起止日期内，请先调整该阶段的日期。",
                    field="starts_on" if early else "ends_on",
                )
        before = field_values(current, CAMPAIGN_FIELDS)
        changed = {name: value for name, value in after.items() if before[name] != value}
        units_before = sorted(current.units.values_list("pk", flat=True))
        units_after = sorted({unit.pk for unit in spec.units})
        if units_before != units_after:
            before["units"], changed["units"] = units_before, units_after
        if not changed:
            raise DomainError("没有修改任何内容。")
        columns = {name: value for name, value in changed.items() if name != "units"}
        if "organiser" in columns:
            columns["organiser_id"] = columns.pop("organiser")
        Campaign.objects.filter(pk=campaign.pk).update(**columns)
        if "units" in changed:
            campaign.units.set(spec.units)
        bump(campaign)
        audit_record(
            AuditAction.CHANGE,
            actor=by,
            obj=campaign,
            now=now,
            changes={"before": {name: before[name] for name in changed}, "after": changed},
        )
    for name, value in after.items():
        setattr(campaign, "organiser_id" if name == "organiser" else name, value)
    campaign.organiser = spec.organiser


def _clean_stage(spec: StageSpec, campaign: Campaign) -> None:
    if not spec.name.strip():
        raise DomainError("请填写阶段名称。", field="name")
    if spec.ends_on < spec.starts_on:
        raise DomainError("阶段的结束日期早于开始日期。", field="ends_on")
    if spec.starts_on < campaign.starts_on:
        raise DomainError(
            f"阶段的开始日期早于活动的开始日期{campaign.starts_on:%Y-%m-%d}。", field="starts_on"
        )
    if spec.ends_on > campaign.ends_on:
        raise DomainError(
            f"阶段的结束日期晚于活动的结束日期{campaign.ends_on:%Y-%m-%d}。", field="ends_on"
        )


def _shift(campaign: Campaign, *, after: int, by: int) -> None:
    """Move the stages after order `after` by `by` places."""
    stages = Stage.objects.filter(campaign=campaign)
    stages.filter(order__gt=after).update(order=F("order") + DETOUR)
    stages.filter(order__gt=DETOUR).update(order=F("order") - DETOUR + by)


def stage_add(
    *, campaign: Campaign, spec: StageSpec, by, now: dt.datetime, version: int | None = None
) -> Stage:
    """A further stage, put in its place by its start date (after the stages that start on
    or before it), the later ones renumbered."""
    require_manager(campaign, by)
    with transaction.atomic():
        current = locked(campaign, version)
        _clean_stage(spec, current)
        stages = list(current.stages.all())
        if len(stages) >= MAX_STAGES:
            raise DomainError(f"一个活动最多 {MAX_STAGES} 个阶段。", field="name")
        before = [stage for stage in stages if stage.starts_on <= spec.starts_on]
        order = len(before) + 1
        _shift(current, after=order - 1, by=1)
        stage = Stage.objects.create(
            campaign=current,
            order=order,
            name=spec.name.strip(),
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
        )
        bump(campaign)
        after = field_values(stage, ("campaign", "order", *STAGE_FIELDS))
        audit_record(AuditAction.CREATE, actor=by, obj=stage, now=now, changes={"after": after})
    return stage


def stage_edit(
    *,
    stage: Stage,
    spec: StageSpec,
    by,
    now: dt.datetime,
    calendar: WorkCalendar,
    version: int | None = None,
) -> None:
    """Rename or re-date a stage: within the campaign's dates, starting no earlier than the
    stage before it and no later than the one after it, and with every requirement of the
    stage still due within it."""
    campaign = stage.campaign
    require_manager(campaign, by)
    with transaction.atomic():
        current = locked(campaign, version)
        _clean_stage(spec, current)
        fresh = Stage.objects.get(pk=stage.pk)
        siblings = list(current.stages.exclude(pk=stage.pk))
        previous = [s for s in siblings if s.order < fresh.order]
        following = [s for s in siblings if s.order > fresh.order]
        if previous and spec.starts_on < previous[-1].starts_on:
            raise DomainError(
                f"开始日期早于上一阶段“{previous[-1].name}”的开始日期"
                f"{previous[-1].starts_on:%Y-%m-%d}：各阶段须按先后顺序。",
                field="starts_on",
            )
        if following and spec.starts_on > following[0].starts_on:
            raise DomainError(
                f"开始日期晚于下一阶段“{following[0].name}”的开始日期"
                f"{following[0].starts_on:%Y-%m-%d}：各阶段须按先后顺序。",
                field="starts_on",
            )
        for requirement in stage.requirements.all():
            outside = due_outside(
                due_kind=requirement.due_kind,
                due_on=requirement.due_on,
                due_working_days=requirement.due_working_days,
                stage=spec,
                calendar=calendar,
            )
            if outside is not None:
                due, _ = outside
                raise DomainError(
                    f"要求“{requirement.label}”的截止日期{due:%Y-%m-%d}将不在阶段的新日期"
                    f"（{_span(spec.starts_on, spec.ends_on)}）内，请先修改或删除该要求。",
                    field="starts_on" if due < spec.starts_on else "ends_on",
                )
        after = {"name": spec.name.strip(), "starts_on": spec.starts_on, "ends_on": spec.ends_on}
        changed = {name: value for name, value in after.items() if getattr(fresh, name) != value}
        if not changed:
            raise DomainError("没有修改任何内容。")
        before = {name: getattr(fresh, name) for name in changed}
        Stage.objects.filter(pk=stage.pk).update(**changed)
        bump(campaign)
        audit_record(
            AuditAction.CHANGE,
            actor=by,
            obj=stage,
            now=now,
            changes={"before": before, "after": changed},
        )
    for name, value in after.items():
        setattr(stage, name, value)


def stage_remove(*, stage: Stage, by, now: dt.datetime, version: int | None = None) -> None:
    """Remove a stage with its requirements, unless someone has already done something towards
    one of them (a material, a meeting or a visit counted on the status page); the later
    stages move up."""
    campaign = stage.campaign
    require_manager(campaign, by)
    with transaction.atomic():
        current = locked(campaign, version)
        if current.stages.count() <= 1:
            raise DomainError("活动至少要有一个阶段，不能删除最后一个阶段。", field="stage")
        requirements = list(stage.requirements.select_related("stage"))
        done = submitted_against(current, requirements)
        if done:
            raise DomainError(
                f"阶段“{stage.name}”的要求“{done[0].label}”已有单位或干部完成或部分完成，"
                "不能删除该阶段；可以修改阶段的名称和日期。",
                field="stage",
            )
        removed = field_values(stage, ("campaign", "order", *STAGE_FIELDS)) | {
            "requirements": [field_values(r, ("id", *REQUIREMENT_FIELDS)) for r in requirements]
        }
        order = stage.order
        Stage.objects.filter(pk=stage.pk).delete()
        _shift(current, after=order, by=-1)
        bump(campaign)
        audit_record(
            AuditAction.CHANGE,
            actor=by,
            obj=stage,
            object_repr=f"{campaign}：删除阶段“{stage.name}”",
            now=now,
            changes={"deleted": removed},
        )


def requirement_edit(
    *,
    requirement: Requirement,
    stage: Stage,
    spec: RequirementSpec,
    by,
    now: dt.datetime,
    calendar: WorkCalendar,
    version: int | None = None,
) -> None:
    """Correct a requirement: its stage (of the same campaign), what it asks, of whom, and by
    when, still due within its stage. What was done is derived, so nothing else changes."""
    campaign = requirement.stage.campaign
    require_manager(campaign, by)
    if stage.campaign_id != campaign.pk:
        raise DomainError(f"阶段“{stage}”不属于该活动。", field="stage")
    clean_requirement(spec)
    after = {"stage": stage.pk, **requirement_values(spec)}
    with transaction.atomic():
        locked(campaign, version)
        check_due(spec, Stage.objects.get(pk=stage.pk), calendar)
        fresh = Requirement.objects.get(pk=requirement.pk)
        before = field_values(fresh, REQUIREMENT_FIELDS)
        changed = {name: value for name, value in after.items() if before[name] != value}
        if not changed:
            raise DomainError("没有修改任何内容。")
        columns = dict(changed)
        if "stage" in columns:
            columns["stage_id"] = columns.pop("stage")
        Requirement.objects.filter(pk=requirement.pk).update(**columns)
        bump(campaign)
        audit_record(
            AuditAction.CHANGE,
            actor=by,
            obj=requirement,
            now=now,
            changes={"before": {name: before[name] for name in changed}, "after": changed},
        )
    for name, value in columns.items():
        setattr(requirement, name, value)
    requirement.stage = stage


def requirement_remove(
    *, requirement: Requirement, by, now: dt.datetime, version: int | None = None
) -> None:
    """Remove a requirement. What units and cadres submitted stays where it is (tagged with the
    campaign); only the requirement's row and its cells on the status page go."""
    campaign = requirement.stage.campaign
    require_manager(campaign, by)
    with transaction.atomic():
        locked(campaign, version)
        removed = field_values(requirement, ("id", *REQUIREMENT_FIELDS))
        if not Requirement.objects.filter(pk=requirement.pk).delete()[0]:
            raise Conflict("该要求已被他人删除。")
        bump(campaign)
        audit_record(
            AuditAction.CHANGE,
            actor=by,
            obj=requirement,
            object_id=removed["id"],
            object_repr=f"{campaign}：删除要求“{requirement.label}”",
            now=now,
            changes={"deleted": removed},
        )
