"""专项活动: campaigns, their stages and requirements, each unit's and cadre's status, 催办 of
the missing, and the summary figures. Field research and 精文减会 join this router."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from bihuan.campaigns import corrections, services
from bihuan.campaigns.models import Activity, Campaign, DueKind, Per, Requirement
from bihuan.campaigns.reminders import campaign_urge
from bihuan.campaigns.status import Status as CellStatus
from bihuan.campaigns.status import campaign_status
from bihuan.campaigns.summary import campaign_summary_figures
from bihuan.errors import DomainError
from bihuan.materials.models import MaterialKind
from bihuan.org.models import Role

from . import fieldwork, streamlining
from .clock import clock
from .errors import ERRORS
from .lookups import visible_unit
from .pagination import Page, PageQuery, paginate
from .schemas import Ref

router = Router(tags=["专项活动"])


def visible_campaign(user, pk: int) -> Campaign:
    """A campaign in a path: 404 when the user does not see it."""
    return get_object_or_404(Campaign.objects.visible_to(user), pk=pk)


# -- what goes out --------------------------------------------------------------------------


class StageOut(Schema):
    id: int
    order: int
    name: str
    starts_on: dt.date
    ends_on: dt.date


class RequirementOut(Schema):
    id: int
    stage: int = Field(description="阶段 id")
    activity: str
    material_kind: str
    per: str
    roles: list[str] = Field(description="每名干部时：哪些角色（空即干部和领导）")
    quantity: int
    due_kind: str
    due_on: dt.date | None
    due_working_days: int | None
    due: dt.date = Field(description="截止日期（工作日数已按节假日与调休折算）")
    label: str
    note: str


class CampaignRow(Schema):
    id: int
    name: str
    organiser: Ref
    starts_on: dt.date
    ends_on: dt.date


class CampaignDetail(CampaignRow):
    description: str
    version: int = Field(description="修改时带上，与当前版本不同即 409（他人已修改）")
    units: list[Ref]
    stages: list[StageOut]
    requirements: list[RequirementOut]


class CellOut(Schema):
    requirement: int
    unit: Ref
    person: Ref | None
    due: dt.date
    done: float = Field(description="已完成的份数、次数或天数")
    done_on: dt.date | None = Field(description="达到要求的日期")
    status: str = Field(
        description="done 已完成 / late 逾期完成 / missing 逾期未交 / pending 待完成"
    )
    status_label: str


class StatusOut(Schema):
    units: list[Ref]
    cells: list[CellOut]


class StatusQuery(Schema):
    requirement: int | None = Field(None, description="只看这一项要求")
    status: CellStatus | None = Field(
        None, description="只看这一种情况，如 missing 即逾期未交的名单"
    )


class UrgeIn(Schema):
    requirement: int | None = Field(None, description="只催办这一项要求；不填即全部")
    message: str = Field("", max_length=200)


class UrgeOut(Schema):
    urged: int
    notified: int
    nobody: list[str] = Field(description="没有承办人账号、未能通知的单位")


class SummaryOut(Schema):
    meetings: int
    study_sessions: int
    meeting_minutes: int
    materials: int
    materials_by_kind: dict[str, int]
    visits: int
    visit_days: float
    households: int
    problems: int
    problems_closed: int
    measures: int
    measures_closed: int


def requirement_out(requirement: Requirement, calendar) -> dict:
    fields = ("id", "activity", "material_kind", "per", "quantity", "due_kind", "due_on")
    return {
        **{name: getattr(requirement, name) for name in fields},
        "stage": requirement.stage_id,
        "roles": list(requirement.roles),
        "due_working_days": requirement.due_working_days,
        "due": requirement.due_date(calendar),
        "label": requirement.label,
        "note": requirement.note,
    }


def campaign_detail(request, campaign: Campaign) -> dict:
    calendar = clock(request).calendar
    requirements = Requirement.objects.filter(stage__campaign=campaign).select_related("stage")
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "organiser": campaign.organiser,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "description": campaign.description,
        "version": campaign.version,
        "units": list(campaign.units.order_by("path")),
        "stages": list(campaign.stages.all()),
        "requirements": [
            requirement_out(r, calendar) for r in requirements.order_by("stage__order", "pk")
        ],
    }


# -- what comes in --------------------------------------------------------------------------


class StageIn(Schema):
    name: str = Field(max_length=50)
    starts_on: dt.date
    ends_on: dt.date


class CampaignIn(Schema):
    name: str = Field(max_length=100)
    organiser: int = Field(description="牵头单位 id")
    units: list[int] = Field(max_length=500, description="参加单位 id")
    starts_on: dt.date
    ends_on: dt.date
    description: str = ""
    stages: list[StageIn] | None = Field(
        None, max_length=12, description="不填即动员部署…总结提升六个阶段，平均划分"
    )

    def spec(self, user) -> services.CampaignSpec:
        return services.CampaignSpec(
            name=self.name,
            organiser=visible_unit(user, self.organiser, field="organiser", label="牵头单位"),
            units=tuple(
                visible_unit(user, pk, field="units", label="参加单位") for pk in self.units
            ),
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            description=self.description,
            stages=tuple(services.StageSpec(s.name, s.starts_on, s.ends_on) for s in self.stages)
            if self.stages
            else None,
        )


class RequirementIn(Schema):
    stage: int = Field(description="阶段 id")
    activity: Activity
    per: Per
    material_kind: MaterialKind | None = None
    roles: list[Role] = []
    quantity: int = Field(1, ge=1, le=365)
    due_kind: DueKind = DueKind.DATE
    due_on: dt.date | None = None
    due_working_days: int | None = Field(None, ge=1, le=365)
    note: str = Field("", max_length=200)

    def spec(self) -> services.RequirementSpec:
        return services.RequirementSpec(
            activity=self.activity,
            per=self.per,
            material_kind=self.material_kind or "",
            roles=tuple(self.roles),
            quantity=self.quantity,
            due_kind=self.due_kind,
            due_on=self.due_on,
            due_working_days=self.due_working_days,
            note=self.note,
        )


# -- endpoints ------------------------------------------------------------------------------


@router.get("/campaigns", response={200: Page[CampaignRow], **ERRORS}, summary="专项活动列表")
def campaign_list(request, query: Query[PageQuery]):
    campaigns = Campaign.objects.visible_to(request.auth).select_related("organiser")
    return paginate(campaigns, query)


@router.post("/campaigns", response={201: CampaignDetail, **ERRORS}, summary="创建专项活动")
def campaign_create(request, payload: CampaignIn):
    campaign = services.campaign_create(
        spec=payload.spec(request.auth), by=request.auth, now=clock(request).now
    )
    return Status(201, campaign_detail(request, campaign))


@router.get(
    "/campaigns/{campaign_id}", response={200: CampaignDetail, **ERRORS}, summary="专项活动详情"
)
def campaign_get(request, campaign_id: int):
    return campaign_detail(request, visible_campaign(request.auth, campaign_id))


@router.post(
    "/campaigns/{campaign_id}/requirements",
    response={201: RequirementOut, **ERRORS},
    summary="为阶段添加要求",
)
def requirement_add(request, campaign_id: int, payload: RequirementIn):
    campaign = visible_campaign(request.auth, campaign_id)
    stage = campaign.stages.filter(pk=payload.stage).first()
    if stage is None:
        raise DomainError(f"阶段（id={payload.stage}）不属于该活动。", field="stage")
    moment = clock(request)
    requirement = services.requirement_add(
        stage=stage, spec=payload.spec(), by=request.auth, now=moment.now
    )
    return Status(201, requirement_out(requirement, moment.calendar))


@router.get(
    "/campaigns/{campaign_id}/status",
    response={200: StatusOut, **ERRORS},
    summary="各单位、各干部的完成情况（已完成、逾期完成、逾期未交、待完成）",
)
def status_get(request, campaign_id: int, query: Query[StatusQuery]):
    campaign = visible_campaign(request.auth, campaign_id)
    moment = clock(request)
    status = campaign_status(
        campaign=campaign,
        user=request.auth,
        today=timezone.localdate(moment.now),
        calendar=moment.calendar,
    )
    if query.requirement is not None and all(
        r.pk != query.requirement for r in status.requirements
    ):
        raise DomainError(f"要求（id={query.requirement}）不属于该活动。", field="requirement")
    cells = [
        {
            "requirement": cell.requirement.pk,
            "unit": cell.unit,
            "person": cell.person,
            "due": cell.due,
            "done": cell.done,
            "done_on": cell.done_on,
            "status": cell.status,
            "status_label": cell.status_label,
        }
        for cell in status.cells
        if (query.requirement is None or cell.requirement.pk == query.requirement)
        and (query.status is None or cell.status == query.status)
    ]
    return {"units": status.units, "cells": cells}


@router.post(
    "/campaigns/{campaign_id}/urge",
    response={200: UrgeOut, **ERRORS},
    summary="催办未完成的单位和干部",
)
def urge(request, campaign_id: int, payload: UrgeIn):
    campaign = visible_campaign(request.auth, campaign_id)
    requirement = None
    if payload.requirement is not None:
        requirement = Requirement.objects.filter(
            pk=payload.requirement, stage__campaign=campaign
        ).first()
        if requirement is None:
            raise DomainError(
                f"要求（id={payload.requirement}）不属于该活动。", field="requirement"
            )
    moment = clock(request)
    result = campaign_urge(
        campaign=campaign,
        by=request.auth,
        now=moment.now,
        calendar=moment.calendar,
        requirement=requirement,
        message=payload.message,
    )
    return {"urged": result.urged, "notified": result.notified, "nobody": list(result.nobody)}


@router.get(
    "/campaigns/{campaign_id}/summary",
    response={200: SummaryOut, **ERRORS},
    summary="活动总结的统计数：会议、材料、走访与农户、问题与整改",
)
def summary_get(request, campaign_id: int):
    figures = campaign_summary_figures(visible_campaign(request.auth, campaign_id), request.auth)
    return figures.__dict__


# -- corrections after creation -------------------------------------------------------------

VERSION = Field(None, description="读取时的 version；不填即不检查，与当前不同即 409")


class CampaignPatch(Schema):
    name: str | None = Field(None, max_length=100)
    organiser: int | None = Field(None, description="牵头单位 id")
    units: list[int] | None = Field(None, max_length=500, description="参加单位 id（全部）")
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    description: str | None = None
    version: int | None = VERSION

    def spec(self, user, campaign: Campaign) -> services.CampaignSpec:
        """The campaign as it is, with what the body gives instead; units it has keep even
        those the caller does not see."""
        organiser = campaign.organiser
        if self.organiser is not None and self.organiser != organiser.pk:
            organiser = visible_unit(user, self.organiser, field="organiser", label="牵头单位")
        current = {unit.pk: unit for unit in campaign.units.all()}
        units = tuple(current.values())
        if self.units is not None:
            units = tuple(
                current.get(pk) or visible_unit(user, pk, field="units", label="参加单位")
                for pk in dict.fromkeys(self.units)
            )
        given = self.model_dump(exclude_unset=True, exclude={"organiser", "units", "version"})
        return services.CampaignSpec(
            **{
                "name": campaign.name,
                "starts_on": campaign.starts_on,
                "ends_on": campaign.ends_on,
                "description": campaign.description,
                **{name: value for name, value in given.items() if value is not None},
            },
            organiser=organiser,
            units=units,
        )


@router.patch(
    "/campaigns/{campaign_id}",
    response={200: CampaignDetail, **ERRORS},
    summary="修改专项活动（名称、牵头和参加单位、起止日期、说明）",
)
def campaign_edit(request, campaign_id: int, payload: CampaignPatch):
    campaign = visible_campaign(request.auth, campaign_id)
    corrections.campaign_edit(
        campaign=campaign,
        spec=payload.spec(request.auth, campaign),
        by=request.auth,
        now=clock(request).now,
        version=payload.version,
    )
    return campaign_detail(request, campaign)


router.add_router("", fieldwork.router)
router.add_router("", streamlining.router)
