"""督办事项: the 督办台账, registration, one item in full, its workflow steps, progress, the
partner units' parts, extension requests, per-unit figures and escalation."""

import datetime as dt
from decimal import Decimal

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from pydantic import field_validator

from bihuan.ledger.services import evidence_open
from bihuan.org.models import Unit
from bihuan.supervision import services
from bihuan.supervision.figures import supervision_by_unit
from bihuan.supervision.models import (
    Level,
    PartnerPart,
    Source,
    SupervisionEvidence,
    SupervisionExtensionRequest,
    SupervisionItem,
)
from bihuan.supervision.selectors import (
    SORT_ORDERS,
    ItemFilters,
    item_detail,
    supervision_items,
    visible_item,
    visible_part,
)
from bihuan.workflow.states import Action, DeadlineKind, FeedbackCycle, Light, State

from .clock import clock
from .errors import ERRORS
from .lookups import visible_person, visible_unit
from .pagination import Page, PageQuery, paginate
from .schemas import (
    ActionOut,
    DecisionIn,
    EventOut,
    ExtensionFields,
    ExtensionIn,
    Ref,
    TransitionIn,
)

router = Router(tags=["督办事项"])


# -- what goes out --------------------------------------------------------------------------


class PartnerPartOut(Schema):
    id: int
    unit: Ref
    state: str
    state_label: str
    acknowledged_at: dt.datetime | None
    acknowledged_on_time: bool | None
    report: str
    reported_by: Ref | None
    reported_at: dt.datetime | None

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj.get_state_display()


class SupervisionItemRow(Schema):
    id: int
    source: str
    source_label: str
    title: str
    instructed_by: str
    instructed_on: dt.date | None
    assigning_unit: Ref
    owner_unit: Ref
    owner: Ref | None
    partners: list[PartnerPartOut]
    state: str
    state_label: str
    light: str
    light_label: str
    escalation_level: str
    escalation_level_label: str
    deadline_kind: str
    deadline: dt.date | None
    original_deadline: dt.date | None
    deadline_working_days: int | None
    feedback_cycle: str
    deadline_label: str
    assigned_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    acknowledged_on_time: bool | None
    last_feedback_at: dt.datetime | None
    feedback_due: int = Field(description="长期坚持事项已到期的反馈周期数")
    feedback_met: int = Field(description="其中按时反馈的期数")
    overdue_days: int = Field(description="逾期天数（未办结按今天计，已办结按申请办结日计）")
    submitted_at: dt.datetime | None
    closed_at: dt.datetime | None
    closed_on_time: bool | None
    version: int

    @staticmethod
    def resolve_source_label(obj) -> str:
        return obj.get_source_display()

    @staticmethod
    def resolve_partners(obj) -> list:
        return list(obj.partner_parts.all())

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_light_label(obj) -> str:
        return Light(obj.light).label

    @staticmethod
    def resolve_escalation_level_label(obj) -> str:
        return Level(obj.escalation_level).label

    @staticmethod
    def resolve_deadline_label(obj) -> str:
        return obj.deadline_label()


class SupervisionEvidenceOut(Schema):
    id: int
    name: str
    size: int
    url: str = Field(description="下载地址")

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.original_name

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("api:supervision_evidence_download", args=[obj.pk])


class SupervisionProgressOut(Schema):
    id: int
    at: dt.datetime
    author: Ref
    text: str
    evidence: list[SupervisionEvidenceOut]

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(obj.evidence.all())


class SupervisionExtensionOut(ExtensionFields):
    item_id: int
    reviewed_by: Ref | None = Field(description="初审人（督查员）；decided_by 为审批人（领导）")
    reviewed_at: dt.datetime | None
    review_comment: str


class SupervisionItemDetail(SupervisionItemRow):
    instruction: str
    escalated_at: dt.datetime | None
    deduction: Decimal = Field(description="升级督办对牵头单位的扣分")
    urges: int = Field(description="催办次数")
    allowed_actions: list[ActionOut]
    events: list[EventOut]
    progress: list[SupervisionProgressOut]
    extensions: list[SupervisionExtensionOut]

    @staticmethod
    def resolve_allowed_actions(obj, context) -> list[dict]:
        actions = obj.allowed_actions(context["request"].auth)
        return [{"action": a.value, "label": obj.action_label(a)} for a in actions]

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())

    @staticmethod
    def resolve_urges(obj) -> int:
        return sum(event.action == Action.URGE for event in obj.events.all())

    @staticmethod
    def resolve_progress(obj) -> list:
        return list(obj.progress_updates.all())

    @staticmethod
    def resolve_extensions(obj) -> list:
        return list(obj.extension_requests.all())


class SupervisionUnitFigures(Schema):
    unit: Ref
    subtree: bool = Field(description="false：仅本级牵头的事项")
    assigned: int
    acknowledged_on_time: int
    acknowledge_due: int
    acknowledge_rate: float | None = Field(description="签收及时率")
    feedback_met: int
    feedback_due: int
    feedback_rate: float | None = Field(description="反馈及时率")
    closed_on_time: int
    close_due: int
    on_time_rate: float | None = Field(description="按期办结率")
    overdue: int
    overdue_days: int = Field(description="目前逾期事项的逾期天数合计")
    overdue_days_max: int
    escalated: int = Field(description="升级为蓝、黄、红色督办的事项数")
    deduction: Decimal = Field(description="督办扣分（按各事项达到的最高等级）")
    closed: int


class EscalatedItemOut(Schema):
    id: int
    title: str
    level: str
    level_label: str


# -- what comes in --------------------------------------------------------------------------


class SupervisionItemQuery(PageQuery):
    unit: int | None = Field(None, description="牵头或配合单位 id（含下级单位）")
    state: State | None = None
    light: Light | None = None
    source: Source | None = None
    level: Level | None = Field(None, description="督办等级 blue、yellow、red")
    keyword: str = Field("", max_length=100)
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

    def filters(self, user) -> ItemFilters:
        unit = None
        if self.unit is not None:
            unit = visible_unit(user, self.unit, field="unit", label="单位")
        return ItemFilters(
            unit=unit,
            state=self.state or "",
            light=self.light or "",
            source=self.source or "",
            level=self.level or "",
            keyword=self.keyword,
            sort=self.sort,
        )


class SupervisionItemIn(Schema):
    source: Source = Field(description="事项来源")
    title: str = Field(max_length=200, description="督办事项")
    instruction: str = Field("", description="批示或议定内容")
    instructed_by: str = Field("", max_length=100, description="批示人或会议，如“县委书记张三”")
    instructed_on: dt.date | None = None
    owner_unit: int = Field(description="牵头单位 id")
    partner_units: list[int] = Field([], max_length=50, description="配合单位 id")
    owner: int | None = Field(None, description="责任人 id")
    deadline_kind: DeadlineKind = Field(
        DeadlineKind.DATE, description="date、working_days 为办结时一次反馈；ongoing 定期反馈"
    )
    deadline: dt.date | None = None
    deadline_working_days: int | None = None
    feedback_cycle: FeedbackCycle | None = None
    assign: bool = Field(True, description="登记后立即交办")
    duty: str = Field(
        "", max_length=20, description="交办给村、社区时：所属清单事项 id，或 unlisted"
    )

    def spec(self, user) -> services.ItemSpec:
        partners = tuple(
            visible_unit(user, pk, field="partner_units", label="配合单位")
            for pk in self.partner_units
        )
        return services.ItemSpec(
            source=self.source,
            title=self.title,
            instruction=self.instruction,
            instructed_by=self.instructed_by,
            instructed_on=self.instructed_on,
            owner_unit=visible_unit(user, self.owner_unit, field="owner_unit", label="牵头单位"),
            partner_units=partners,
            owner=visible_person(user, self.owner, field="owner"),
            deadline_kind=self.deadline_kind,
            deadline=self.deadline,
            deadline_working_days=self.deadline_working_days,
            feedback_cycle=self.feedback_cycle or "",
        )


class SupervisionTextIn(Schema):
    text: str = Field(max_length=4000)


class ItemTransitionIn(TransitionIn):
    duty: str = Field(
        "",
        max_length=20,
        description="交办（assign）给村、社区时：所属清单事项 id，或 unlisted（清单外，须准入审批，"
        "审批同意前事项仍为待交办）",
    )


class WaiveIn(Schema):
    reason: str = Field(max_length=2000)


class EscalateIn(Schema):
    dry_run: bool = Field(False, description="只列出将升级的事项，不写入")


# -- endpoints ------------------------------------------------------------------------------


def _detail(request, item_id: int) -> SupervisionItem:
    return item_detail(user=request.auth, pk=item_id, cutoffs=clock(request).cutoffs)


@router.get(
    "/supervision/items", response={200: Page[SupervisionItemRow], **ERRORS}, summary="督办台账"
)
def item_list(request, query: Query[SupervisionItemQuery]):
    items = supervision_items(
        user=request.auth, filters=query.filters(request.auth), cutoffs=clock(request).cutoffs
    )
    return paginate(items, query)


@router.post(
    "/supervision/items", response={201: SupervisionItemDetail, **ERRORS}, summary="登记督办事项"
)
def item_create(request, payload: SupervisionItemIn):
    moment = clock(request)
    item = services.item_create(
        spec=payload.spec(request.auth),
        by=request.auth,
        now=moment.now,
        calendar=moment.calendar,
        assign=payload.assign,
        duty=payload.duty,
    )
    return Status(201, _detail(request, item.pk))


@router.get(
    "/supervision/items/{item_id}",
    response={200: SupervisionItemDetail, **ERRORS},
    summary="督办事项详情",
)
def item_get(request, item_id: int):
    return _detail(request, item_id)


@router.post(
    "/supervision/items/{item_id}/transitions",
    response={200: SupervisionItemDetail, **ERRORS},
    summary="办理：交办、签收、申请办结、退回、办结、撤销",
)
def item_transition(request, item_id: int, payload: ItemTransitionIn):
    moment = clock(request)
    services.item_transition(
        item=visible_item(request.auth, item_id),
        action=payload.action,
        by=request.auth,
        now=moment.now,
        calendar=moment.calendar,
        comment=payload.comment,
        duty=payload.duty,
    )
    return _detail(request, item_id)


@router.post(
    "/supervision/items/{item_id}/progress",
    response={201: SupervisionProgressOut, **ERRORS},
    summary="牵头单位反馈办理进展",
)
def progress_post(request, item_id: int, payload: SupervisionTextIn):
    progress = services.progress_post(
        item=visible_item(request.auth, item_id),
        by=request.auth,
        now=clock(request).now,
        text=payload.text,
    )
    return Status(201, progress)


@router.post(
    "/supervision/items/{item_id}/progress/files",
    response={201: SupervisionProgressOut, **ERRORS},
    summary="牵头单位反馈办理进展并上传佐证材料（multipart：text 和 files）",
)
def progress_upload(request, item_id: int, text: Form[str], files: File[list[UploadedFile]] = None):
    progress = services.progress_post(
        item=visible_item(request.auth, item_id),
        by=request.auth,
        now=clock(request).now,
        text=text,
        files=files or [],
    )
    return Status(201, progress)


@router.get(
    "/supervision/evidence/{evidence_id}",
    response=ERRORS,
    openapi_extra={"responses": {200: {"description": "文件内容（附件下载）"}}},
    url_name="supervision_evidence_download",
    summary="下载督办事项的佐证材料",
)
def item_evidence_download(request, evidence_id: int):
    evidence = get_object_or_404(
        SupervisionEvidence.objects.visible_to(request.auth), pk=evidence_id
    )
    try:
        content = evidence_open(evidence=evidence, by=request.auth, now=clock(request).now)
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(content, as_attachment=True, filename=evidence.original_name)


def _part(request, item_id: int, part_id: int) -> PartnerPart:
    return visible_part(request.auth, item_id, part_id)


@router.post(
    "/supervision/items/{item_id}/partners/{part_id}/acknowledge",
    response={200: PartnerPartOut, **ERRORS},
    summary="配合单位签收",
)
def partner_acknowledge(request, item_id: int, part_id: int):
    part = _part(request, item_id, part_id)
    moment = clock(request)
    services.partner_acknowledge(
        part=part, by=request.auth, now=moment.now, calendar=moment.calendar
    )
    return part


@router.post(
    "/supervision/items/{item_id}/partners/{part_id}/report",
    response={200: PartnerPartOut, **ERRORS},
    summary="配合单位反馈办理情况（可更新，直至牵头单位申请办结）",
)
def partner_report(request, item_id: int, part_id: int, payload: SupervisionTextIn):
    part = _part(request, item_id, part_id)
    moment = clock(request)
    services.partner_report(
        part=part, by=request.auth, now=moment.now, calendar=moment.calendar, text=payload.text
    )
    return part


@router.post(
    "/supervision/items/{item_id}/partners/{part_id}/waive",
    response={200: PartnerPartOut, **ERRORS},
    summary="免予配合单位反馈（交办单位督查员，须填写理由）",
)
def partner_waive(request, item_id: int, part_id: int, payload: WaiveIn):
    part = _part(request, item_id, part_id)
    services.partner_waive(
        part=part, by=request.auth, now=clock(request).now, reason=payload.reason
    )
    return part


@router.post(
    "/supervision/items/{item_id}/extensions",
    response={201: SupervisionExtensionOut, **ERRORS},
    summary="申请延期",
)
def extension_request(request, item_id: int, payload: ExtensionIn):
    extension = services.extension_request(
        item=visible_item(request.auth, item_id),
        by=request.auth,
        now=clock(request).now,
        new_deadline=payload.new_deadline,
        reason=payload.reason,
    )
    return Status(201, extension)


def _visible_extensions(user):
    return SupervisionExtensionRequest.objects.visible_to(user).select_related(
        "item__owner_unit", "item__assigning_unit", "item__owner", "requested_by",
        "reviewed_by", "decided_by",
    )  # fmt: skip


@router.post(
    "/supervision/extensions/{extension_id}/review",
    response={200: SupervisionExtensionOut, **ERRORS},
    summary="初审督办事项延期申请（交办单位督查员；不同意即结束）",
)
def extension_review(request, extension_id: int, payload: DecisionIn):
    return _extension_step(request, extension_id, payload, services.extension_review)


@router.post(
    "/supervision/extensions/{extension_id}/decision",
    response={200: SupervisionExtensionOut, **ERRORS},
    summary="审批督办事项延期申请（交办单位领导，须先经初审）",
)
def extension_decide(request, extension_id: int, payload: DecisionIn):
    return _extension_step(request, extension_id, payload, services.extension_decide)


def _extension_step(request, extension_id: int, payload: DecisionIn, step):
    """初审 or 审批 of a visible extension request; answers with the request as it now stands."""
    extension = get_object_or_404(_visible_extensions(request.auth), pk=extension_id)
    step(
        request=extension,
        by=request.auth,
        now=clock(request).now,
        approve=payload.approve,
        comment=payload.comment,
    )
    return get_object_or_404(_visible_extensions(request.auth), pk=extension_id)


@router.get(
    "/supervision/figures",
    response={200: list[SupervisionUnitFigures], **ERRORS},
    summary="督办统计：本级和各下级单位的签收及时率、反馈及时率、按期办结率、逾期",
)
def figures(request):
    user = request.auth
    children = Unit.objects.visible_to(user).filter(parent_id=user.unit_id)
    table = supervision_by_unit(
        SupervisionItem.objects.visible_to(user),
        units=list(children.order_by("order", "path")),
        own_items_of=user.unit if user.has_business_role else None,
        cutoffs=clock(request).cutoffs,
    )
    rows = [table.own] if table.own else []
    return [_figures(row) for row in [*rows, *table.rows]]


def _figures(row) -> dict:
    t, f = row.timeliness, row.feedback
    return {
        "unit": row.unit,
        "subtree": row.subtree,
        "assigned": t.assigned,
        "acknowledged_on_time": t.acknowledged_on_time,
        "acknowledge_due": t.acknowledge_due,
        "acknowledge_rate": t.acknowledge_rate,
        "feedback_met": f.feedback_met,
        "feedback_due": f.feedback_due,
        "feedback_rate": f.feedback_rate,
        "closed_on_time": t.closed_on_time,
        "close_due": t.close_due,
        "on_time_rate": t.on_time_rate,
        "overdue": t.overdue,
        "overdue_days": f.overdue_days,
        "overdue_days_max": f.overdue_days_max,
        "escalated": f.escalated,
        "deduction": f.deduction,
        "closed": t.closed,
    }


@router.post(
    "/supervision/escalations",
    response={200: list[EscalatedItemOut], **ERRORS},
    summary="按升级规则升级逾期督办事项（督查员，仅其交办的事项）",
)
def escalate(request, payload: EscalateIn):
    raised = services.escalate(
        items=SupervisionItem.objects.visible_to(request.auth),
        by=request.auth,
        now=clock(request).now,
        dry_run=payload.dry_run,
    )
    return [
        {"id": item.pk, "title": item.title, "level": level, "level_label": Level(level).label}
        for item, level in raised
    ]
