"""Corrections of a campaign's stages and requirements, one path each: add, read, change and
delete. The campaign itself is changed at its own path (campaigns.py)."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from bihuan.campaigns import corrections, services
from bihuan.campaigns.models import Activity, DueKind, Per, Requirement, Stage
from bihuan.errors import DomainError
from bihuan.materials.models import MaterialKind
from bihuan.org.models import Role

from .campaigns import (
    VERSION,
    RequirementOut,
    StageIn,
    StageOut,
    requirement_out,
    visible_campaign,
)
from .clock import clock
from .errors import ERRORS

router = Router(tags=["专项活动"])


class StageAddIn(StageIn):
    version: int | None = VERSION


class StagePatch(Schema):
    name: str | None = Field(None, max_length=50)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    version: int | None = VERSION


def campaign_stage(user, campaign_id: int, stage_id: int) -> Stage:
    campaign = visible_campaign(user, campaign_id)
    return get_object_or_404(
        Stage.objects.select_related("campaign"), pk=stage_id, campaign=campaign
    )


@router.post(
    "/campaigns/{campaign_id}/stages",
    response={201: StageOut, **ERRORS},
    summary="添加阶段（按开始日期排入先后顺序）",
)
def stage_add(request, campaign_id: int, payload: StageAddIn):
    stage = corrections.stage_add(
        campaign=visible_campaign(request.auth, campaign_id),
        spec=services.StageSpec(payload.name, payload.starts_on, payload.ends_on),
        by=request.auth,
        now=clock(request).now,
        version=payload.version,
    )
    return Status(201, stage)


@router.get(
    "/campaigns/{campaign_id}/stages/{stage_id}",
    response={200: StageOut, **ERRORS},
    summary="阶段详情",
)
def stage_get(request, campaign_id: int, stage_id: int):
    return campaign_stage(request.auth, campaign_id, stage_id)


@router.patch(
    "/campaigns/{campaign_id}/stages/{stage_id}",
    response={200: StageOut, **ERRORS},
    summary="修改阶段名称或日期（须在活动期限内、按先后顺序，且本阶段各要求仍在阶段内到期）",
)
def stage_edit(request, campaign_id: int, stage_id: int, payload: StagePatch):
    stage = campaign_stage(request.auth, campaign_id, stage_id)
    moment = clock(request)
    corrections.stage_edit(
        stage=stage,
        spec=services.StageSpec(
            payload.name if payload.name is not None else stage.name,
            payload.starts_on or stage.starts_on,
            payload.ends_on or stage.ends_on,
        ),
        by=request.auth,
        now=moment.now,
        calendar=moment.calendar,
        version=payload.version,
    )
    return stage


class VersionQuery(Schema):
    version: int | None = VERSION


@router.delete(
    "/campaigns/{campaign_id}/stages/{stage_id}",
    response={204: None, **ERRORS},
    summary="删除阶段及其要求（已有单位或干部完成其要求的，不能删除）",
)
def stage_remove(request, campaign_id: int, stage_id: int, query: Query[VersionQuery]):
    corrections.stage_remove(
        stage=campaign_stage(request.auth, campaign_id, stage_id),
        by=request.auth,
        now=clock(request).now,
        version=query.version,
    )
    return Status(204, None)


class RequirementPatch(Schema):
    stage: int | None = Field(None, description="阶段 id（同一活动）")
    activity: Activity | None = None
    per: Per | None = None
    material_kind: MaterialKind | None = None
    roles: list[Role] | None = None
    quantity: int | None = Field(None, ge=1, le=365)
    due_kind: DueKind | None = None
    due_on: dt.date | None = None
    due_working_days: int | None = Field(None, ge=1, le=365)
    note: str | None = Field(None, max_length=200)
    version: int | None = VERSION

    def spec(self, requirement: Requirement) -> services.RequirementSpec:
        """The requirement as it is, with what the body gives instead."""
        current = {
            name: getattr(requirement, name)
            for name in (
                "activity", "per", "material_kind", "quantity", "due_kind", "due_on",
                "due_working_days", "note",
            )
        } | {"roles": tuple(requirement.roles)}  # fmt: skip
        given = self.model_dump(exclude_unset=True, exclude={"stage", "version"})
        if "roles" in given:
            given["roles"] = tuple(given["roles"] or ())
        if given.get("material_kind", "") is None:
            given["material_kind"] = ""
        return services.RequirementSpec(**(current | given))


def campaign_requirement(user, campaign_id: int, requirement_id: int) -> Requirement:
    campaign = visible_campaign(user, campaign_id)
    requirements = Requirement.objects.select_related("stage__campaign__organiser")
    return get_object_or_404(requirements, pk=requirement_id, stage__campaign=campaign)


@router.get(
    "/campaigns/{campaign_id}/requirements/{requirement_id}",
    response={200: RequirementOut, **ERRORS},
    summary="要求详情",
)
def requirement_get(request, campaign_id: int, requirement_id: int):
    requirement = campaign_requirement(request.auth, campaign_id, requirement_id)
    return requirement_out(requirement, clock(request).calendar)


@router.patch(
    "/campaigns/{campaign_id}/requirements/{requirement_id}",
    response={200: RequirementOut, **ERRORS},
    summary="修改要求（阶段、内容、对象、数量、截止日期；截止日期须在阶段内）",
)
def requirement_edit(request, campaign_id: int, requirement_id: int, payload: RequirementPatch):
    requirement = campaign_requirement(request.auth, campaign_id, requirement_id)
    stage = requirement.stage
    if payload.stage is not None and payload.stage != stage.pk:
        stage = requirement.stage.campaign.stages.filter(pk=payload.stage).first()
        if stage is None:
            raise DomainError(f"阶段（id={payload.stage}）不属于该活动。", field="stage")
    moment = clock(request)
    corrections.requirement_edit(
        requirement=requirement,
        stage=stage,
        spec=payload.spec(requirement),
        by=request.auth,
        now=moment.now,
        calendar=moment.calendar,
        version=payload.version,
    )
    return requirement_out(requirement, moment.calendar)


@router.delete(
    "/campaigns/{campaign_id}/requirements/{requirement_id}",
    response={204: None, **ERRORS},
    summary="删除要求（已提交的材料、会议和走访不受影响）",
)
def requirement_remove(request, campaign_id: int, requirement_id: int, query: Query[VersionQuery]):
    corrections.requirement_remove(
        requirement=campaign_requirement(request.auth, campaign_id, requirement_id),
        by=request.auth,
        now=clock(request).now,
        version=query.version,
    )
    return Status(204, None)
