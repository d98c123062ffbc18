"""精文减会: the meetings and documents registers, each unit's targets, and this year against
last year."""

import datetime as dt

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from bihuan.streamlining import services
from bihuan.streamlining.figures import Figures, UnitYear, year_on_year
from bihuan.streamlining.models import Document, Meeting, MeetingKind, MeetingLevel

from .clock import clock
from .errors import ERRORS
from .fieldwork import visible_campaign_in_body
from .lookups import visible_unit
from .pagination import Page, PageQuery, paginate
from .schemas import Ref

router = Router(tags=["精文减会"])


class MeetingOut(Schema):
    id: int
    unit: Ref
    held_on: dt.date
    title: str
    kind: str
    level: str
    minutes: int
    attendees: int
    merged: bool
    by_video: bool
    campaign: Ref | None


class MeetingIn(Schema):
    unit: int = Field(description="召开单位 id")
    held_on: dt.date
    title: str = Field(max_length=200)
    kind: MeetingKind
    level: MeetingLevel
    minutes: int = Field(ge=1, le=1440)
    attendees: int = Field(0, ge=0)
    merged: bool = False
    by_video: bool = False
    campaign: int | None = None


class DocumentOut(Schema):
    id: int
    unit: Ref
    number: str
    title: str
    issued_on: dt.date
    chars: int = Field(description="字数（从文件读取，不计空白）")
    original_name: str


class YearQuery(PageQuery):
    year: int | None = Field(None, ge=2000, le=2100)


@router.get(
    "/streamlining/meetings", response={200: Page[MeetingOut], **ERRORS}, summary="会议登记"
)
def meeting_list(request, query: Query[YearQuery]):
    meetings = Meeting.objects.visible_to(request.auth).select_related("unit", "campaign")
    if query.year:
        meetings = meetings.filter(held_on__year=query.year)
    return paginate(meetings, query)


@router.post("/streamlining/meetings", response={201: MeetingOut, **ERRORS}, summary="登记会议")
def meeting_register(request, payload: MeetingIn):
    user = request.auth
    spec = services.MeetingSpec(
        **payload.dict(exclude={"unit", "campaign"}),
        unit=visible_unit(user, payload.unit, field="unit", label="召开单位"),
        campaign=visible_campaign_in_body(user, payload.campaign),
    )
    return Status(201, services.meeting_register(spec=spec, by=user, now=clock(request).now))


@router.get(
    "/streamlining/documents", response={200: Page[DocumentOut], **ERRORS}, summary="发文登记"
)
def document_list(request, query: Query[YearQuery]):
    documents = Document.objects.visible_to(request.auth).select_related("unit")
    if query.year:
        documents = documents.filter(issued_on__year=query.year)
    return paginate(documents, query)


@router.post(
    "/streamlining/documents",
    response={201: DocumentOut, **ERRORS},
    summary="登记发文（multipart：unit、number、title、issued_on、file；字数从文件读取）",
)
def document_register(
    request,
    unit: Form[int],
    number: Form[str],
    issued_on: Form[dt.date],
    file: File[UploadedFile],
    title: Form[str] = "",
):
    document = services.document_register(
        unit=visible_unit(request.auth, unit, field="unit", label="发文单位"),
        number=number,
        title=title,
        issued_on=issued_on,
        data=file.read(),
        filename=file.name or "file",
        by=request.auth,
        now=clock(request).now,
    )
    return Status(201, document)


@router.get(
    "/streamlining/documents/{document_id}/file",
    response=ERRORS,
    openapi_extra={"responses": {200: {"description": "文件内容（附件下载）"}}},
    summary="下载发文文件",
)
def document_file(request, document_id: int):
    document = get_object_or_404(Document.objects.visible_to(request.auth), pk=document_id)
    try:
        handle = services.document_open(document=document, by=request.auth, now=clock(request).now)
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=document.original_name)


class TargetIn(Schema):
    unit: int
    year: int = Field(ge=2000, le=2100)
    documents_cut_percent: int | None = Field(None, ge=0, le=100, description="发文比上年减少（%）")
    meetings_cut_percent: int | None = Field(None, ge=0, le=100, description="会议比上年减少（%）")
    meeting_max_minutes: int | None = Field(None, ge=1, le=1440, description="会议时长上限（分钟）")


class TargetOut(Schema):
    unit: Ref
    year: int
    documents_cut_percent: int | None
    meetings_cut_percent: int | None
    meeting_max_minutes: int | None


@router.post(
    "/streamlining/targets", response={200: TargetOut, **ERRORS}, summary="设置单位年度目标"
)
def target_set(request, payload: TargetIn):
    spec = services.TargetSpec(
        **payload.dict(exclude={"unit"}),
        unit=visible_unit(request.auth, payload.unit, field="unit", label="单位"),
    )
    return services.target_set(spec=spec, by=request.auth, now=clock(request).now)


class FiguresOut(Schema):
    meetings: int
    minutes: int
    long_meetings: int = Field(description="超过目标时长上限的会议")
    merged: int
    by_video: int
    documents: int
    chars: int
    average_minutes: int | None = Field(description="会议平均时长（分钟）；没有会议即 null")
    merged_share: float | None = Field(description="合并召开的会议占比，0.25 即 25%")
    video_share: float | None = Field(description="视频会议占比")
    average_chars: int | None = Field(description="发文平均字数")


class UnitYearOut(Schema):
    unit: Ref
    this_year: FiguresOut = Field(description="本年1月1日至今")
    same_days: FiguresOut = Field(description="上年同期")
    last_year: FiguresOut = Field(description="上年全年")
    documents_change: float | None = Field(description="发文同比，-0.3 即减少30%")
    meetings_change: float | None
    documents_allowed: int | None = Field(description="按目标本年发文上限")
    meetings_allowed: int | None
    target: TargetOut | None = Field(description="适用的目标（本单位或上级单位设定）")


class YearOnYearOut(Schema):
    year: int
    through: dt.date
    rows: list[UnitYearOut] = Field(description="首行为所选单位合计，其后为各直属下级单位")


class FiguresQuery(Schema):
    unit: int | None = Field(None, description="不填即本人单位")
    year: int | None = Field(None, ge=2001, le=2100)


def _figures(figures: Figures) -> dict:
    derived = ("average_minutes", "merged_share", "video_share", "average_chars")
    return figures.__dict__ | {name: getattr(figures, name) for name in derived}


def _row(row: UnitYear) -> dict:
    return {
        "unit": row.unit,
        "this_year": _figures(row.this_year),
        "same_days": _figures(row.same_days),
        "last_year": _figures(row.last_year),
        "documents_change": row.documents_change,
        "meetings_change": row.meetings_change,
        "documents_allowed": row.documents_allowed,
        "meetings_allowed": row.meetings_allowed,
        "target": row.target,
    }


@router.get(
    "/streamlining/figures",
    response={200: YearOnYearOut, **ERRORS},
    summary="精文减会同比：本年与上年同期、上年全年，及目标",
)
def figures(request, query: Query[FiguresQuery]):
    user = request.auth
    today = timezone.localdate(clock(request).now)
    if query.unit is not None:
        unit = visible_unit(user, query.unit, field="unit", label="单位")
    elif user.unit is not None and user.unit.is_visible_to(user):
        unit = user.unit
    else:
        raise Http404
    result = year_on_year(unit=unit, year=query.year or today.year, today=today)
    return {"year": result.year, "through": result.through, "rows": [_row(r) for r in result.rows]}
