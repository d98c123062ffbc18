"""整改措施: the ledger list, one measure in full, its transitions, progress with evidence, and
extension requests."""

import datetime as dt

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Status, UploadedFile
from pydantic import field_validator

from bihuan.ledger import services
from bihuan.ledger.models import Evidence, Measure, Source
from bihuan.ledger.selectors import SORT_ORDERS, LedgerFilters, ledger_measures
from bihuan.workflow.states import Light, State

from .clock import clock
from .errors import ERRORS
from .lookups import visible_unit
from .pagination import Page, PageQuery, paginate
from .reads import measure_detail
from .schemas import ExtensionIn, ExtensionOut, MeasureDetail, MeasureRow, ProgressOut, TransitionIn

router = Router(tags=["整改措施"])


class MeasureQuery(PageQuery):
    unit: int | None = Field(None, description="责任单位 id（含下级单位）")
    category: int | None = None
    source: Source | None = None
    state: State | None = None
    light: Light | None = None
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    keyword: str = Field("", max_length=100)
    problem: int | None = None
    campaign: int | None = Field(None, description="专项活动 id：该活动中查摆的问题的措施")
    sort: str = Field(
        "new",
        json_schema_extra={"enum": list(SORT_ORDERS)},
        description="new 最新登记在前，deadline 时限最近在前，urgency 红黄灯在前",
    )

    @field_validator("sort")
    @classmethod
    def known_sort(cls, value):
        if value not in SORT_ORDERS:
            raise ValueError(f"取值应为 {', '.join(SORT_ORDERS)}")
        return value

    @field_validator("deadline_to")
    @classmethod
    def after_deadline_from(cls, value, info):
        start = info.data.get("deadline_from")
        if value and start and start > value:
            raise ValueError("时限范围的起始日期晚于结束日期")
        return value

    def filters(self, user) -> LedgerFilters:
        unit = None
        if self.unit is not None:
            unit = visible_unit(user, self.unit, field="unit", label="责任单位")
        return LedgerFilters(
            unit=unit,
            category=self.category,
            source=self.source or "",
            state=self.state or "",
            light=self.light or "",
            deadline_from=self.deadline_from,
            deadline_to=self.deadline_to,
            keyword=self.keyword,
            problem=self.problem,
            campaign=self.campaign,
            sort=self.sort,
        )


def _visible_measure(request, pk: int) -> Measure:
    measures = Measure.objects.visible_to(request.auth)
    return get_object_or_404(measures.select_related("owner_unit", "problem__unit"), pk=pk)


@router.get("/measures", response={200: Page[MeasureRow], **ERRORS}, summary="整改台账")
def measure_list(request, query: Query[MeasureQuery]):
    measures = ledger_measures(
        user=request.auth, filters=query.filters(request.auth), cutoffs=clock(request).cutoffs
    )
    return paginate(measures, query)


@router.get("/measures/{measure_id}", response={200: MeasureDetail, **ERRORS}, summary="措施详情")
def measure_get(request, measure_id: int):
    return measure_detail(request, measure_id)


@router.post(
    "/measures/{measure_id}/transitions",
    response={200: MeasureDetail, **ERRORS},
    summary="办理：交办、签收、申请销号、退回、销号、撤销",
)
def measure_transition(request, measure_id: int, payload: TransitionIn):
    measure = _visible_measure(request, measure_id)
    moment = clock(request)
    services.measure_transition(
        measure=measure,
        action=payload.action,
        by=request.auth,
        now=moment.now,
        calendar=moment.calendar,
        comment=payload.comment,
    )
    return measure_detail(request, measure_id)


@router.post(
    "/measures/{measure_id}/progress",
    response={201: ProgressOut, **ERRORS},
    summary="反馈整改进展（multipart：text 和 files）",
)
def progress_post(
    request, measure_id: int, text: Form[str], files: File[list[UploadedFile]] = None
):
    measure = _visible_measure(request, measure_id)
    progress = services.progress_post(
        measure=measure, by=request.auth, now=clock(request).now, text=text, files=files or []
    )
    return Status(201, progress)


@router.post(
    "/measures/{measure_id}/extensions",
    response={201: ExtensionOut, **ERRORS},
    summary="申请延期",
)
def extension_request(request, measure_id: int, payload: ExtensionIn):
    measure = _visible_measure(request, measure_id)
    extension = services.extension_request(
        measure=measure,
        by=request.auth,
        now=clock(request).now,
        new_deadline=payload.new_deadline,
        reason=payload.reason,
    )
    return Status(201, extension)


@router.get(
    "/evidence/{evidence_id}",
    response=ERRORS,
    openapi_extra={"responses": {200: {"description": "文件内容（附件下载）"}}},
    url_name="evidence_download",
    summary="下载佐证材料",
)
def evidence_download(request, evidence_id: int):
    evidence = get_object_or_404(
        Evidence.objects.visible_to(request.auth),
        pk=evidence_id,
    )
    try:
        content = services.evidence_open(evidence=evidence, by=request.auth, now=clock(request).now)
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(content, as_attachment=True, filename=evidence.original_name)
