"""村（社区）职责清单 (清单制): the lists, their import, 交办 of a task to a village with its list
entry, 准入审批 of tasks outside the lists, and the burden report."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from pydantic import model_validator

from bihuan.duties import importing, services
from bihuan.duties.models import DutyAssignment, DutyEntry, DutyKind, DutyLevel, DutyState
from bihuan.duties.selectors import PERIODS, burden_report
from bihuan.errors import DomainError
from bihuan.ledger.models import Measure
from bihuan.supervision.selectors import visible_item

from .clock import clock
from .errors import ERRORS
from .pagination import Page, PageQuery, paginate
from .schemas import Ref

router = Router(tags=["村（社区）职责清单"])


class EntryOut(Schema):
    id: int
    level: str
    level_label: str
    kind: str
    kind_label: str
    number: int
    name: str
    basis: str
    note: str
    is_active: bool

    @staticmethod
    def resolve_level_label(obj) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class EntryIn(Schema):
    level: DutyLevel = Field(description="village 村，community 社区")
    kind: DutyKind = Field(
        description="autonomy 自治事项，assist 协助政府事项，certificate 出具证明事项，negative 负面清单"
    )
    name: str = Field(max_length=300, description="事项名称")
    number: int = Field(0, ge=0, le=9999, description="序号")
    basis: str = Field("", max_length=4000, description="依据")
    note: str = Field("", max_length=4000, description="说明")

    def spec(self) -> services.EntrySpec:
        return services.EntrySpec(
            level=self.level,
            kind=self.kind,
            name=self.name,
            number=self.number,
            basis=self.basis,
            note=self.note,
        )


class EntryQuery(Schema):
    level: DutyLevel | None = None
    kind: DutyKind | None = None
    include_stopped: bool = Field(False, description="true 含已停用的事项")


class ActiveIn(Schema):
    active: bool


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int


class CheckOut(Schema):
    id: int
    task: str
    task_type: str = Field(description="ledger.measure 或 supervision.supervisionitem")
    task_id: int
    unit: Ref = Field(description="承担的村（社区）")
    assigning_unit: Ref
    entry: EntryOut | None
    state: str
    state_label: str
    requested_by: Ref
    requested_at: dt.datetime
    decided_by: Ref | None
    decided_at: dt.datetime | None
    decision_comment: str

    @staticmethod
    def resolve_task_type(obj) -> str:
        return "ledger.measure" if obj.measure_id else "supervision.supervisionitem"

    @staticmethod
    def resolve_task_id(obj) -> int:
        return obj.measure_id or obj.supervision_item_id

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj.get_state_display()


class CheckQuery(PageQuery):
    state: DutyState | None = None


class AssignIn(Schema):
    measure: int | None = Field(None, description="整改措施 id（与 supervision_item 二选一）")
    supervision_item: int | None = Field(None, description="督办事项 id")
    duty: str = Field(
        "",
        max_length=20,
        description="所属清单事项 id；不在清单内填 unlisted（须准入审批）；非村（社区）任务可不填",
    )
    comment: str = Field("", max_length=2000)

    @model_validator(mode="after")
    def one_task(self):
        if (self.measure is None) == (self.supervision_item is None):
            raise ValueError("measure 与 supervision_item 须且只须填写一个")
        return self


class AssignOut(Schema):
    assigned: bool = Field(description="true 已交办；false 清单外任务已提交准入审批")
    state: str = Field(description="任务现在的状态")


class DecisionIn(Schema):
    approve: bool
    comment: str = Field("", max_length=2000)


class DecisionOut(Schema):
    approved: bool
    assigned: bool = Field(description="同意后是否已交办")
    problem: str = Field(description="同意但未能交办的原因")


class ReportQuery(Schema):
    year: int = Field(ge=2000, le=2100)
    period: str = Field(
        "month", json_schema_extra={"enum": [key for key, _ in PERIODS]}, description="统计周期"
    )


class BurdenRowOut(Schema):
    unit: Ref | None = Field(description="交办单位；合计行为 null")
    period: str
    pushed: int = Field(description="下派村（社区）的任务数")
    listed: int = Field(description="清单内")
    outside: int = Field(description="清单外（须准入审批）")
    approved: int
    refused: int
    pending: int
    outside_rate: float | None


class BurdenOut(Schema):
    rows: list[BurdenRowOut]
    total: BurdenRowOut


# -- the lists ------------------------------------------------------------------------------


@router.get("/duties/entries", response={200: list[EntryOut], **ERRORS}, summary="职责清单事项")
def entry_list(request, query: Query[EntryQuery]):
    entries = DutyEntry.objects.all() if query.include_stopped else DutyEntry.objects.active()
    if query.level:
        entries = entries.filter(level=query.level)
    if query.kind:
        entries = entries.filter(kind=query.kind)
    return entries.order_by("level", "kind", "number", "pk")


@router.post(
    "/duties/entries", response={201: EntryOut, **ERRORS}, summary="增加清单事项（系统管理员）"
)
def entry_create(request, payload: EntryIn):
    entry = services.entry_create(spec=payload.spec(), by=request.auth, now=clock(request).now)
    return Status(201, entry)


# Before /duties/entries/{entry_id}, which would otherwise take “import” for an id.
@router.post(
    "/duties/entries/import",
    response={200: ImportOut, **ERRORS},
    summary="从 Excel 导入职责清单（multipart：file 和 level；系统管理员）",
    description="level 为 village、community 或 both。全部行检查无误才写入；"
    "有问题时返回 400，detail 后附逐行说明。",
)
def entries_import(request, level: Form[str], file: File[UploadedFile]):
    try:
        return importing.entries_import(
            data=file.read(), filename=file.name, level=level, by=request.auth,
            now=clock(request).now,
        )  # fmt: skip
    except importing.ImportRefused as refusal:
        raise DomainError(
            f"{refusal.message}\n" + "\n".join(refusal.errors), field="file"
        ) from None


def _entry(request, entry_id: int) -> DutyEntry:
    services.require_admin(request.auth)
    return get_object_or_404(DutyEntry, pk=entry_id)


@router.put(
    "/duties/entries/{entry_id}",
    response={200: EntryOut, **ERRORS},
    summary="修改清单事项（系统管理员）",
)
def entry_edit(request, entry_id: int, payload: EntryIn):
    entry = _entry(request, entry_id)
    services.entry_edit(entry=entry, spec=payload.spec(), by=request.auth, now=clock(request).now)
    return entry


@router.post(
    "/duties/entries/{entry_id}/active",
    response={200: EntryOut, **ERRORS},
    summary="启用或停用清单事项（系统管理员）",
)
def entry_active(request, entry_id: int, payload: ActiveIn):
    entry = _entry(request, entry_id)
    services.entry_set_active(
        entry=entry, active=payload.active, by=request.auth, now=clock(request).now
    )
    return entry


# -- tasks pushed to villages ----------------------------------------------------------------


@router.post(
    "/duties/assign",
    response={200: AssignOut, **ERRORS},
    summary="交办整改措施或督办事项，并注明所属清单事项（交给村、社区的任务须注明）",
)
def task_assign(request, payload: AssignIn):
    user = request.auth
    if payload.measure is not None:
        measures = Measure.objects.visible_to(user).select_related(
            "owner_unit", "owner", "problem__unit"
        )
        item = get_object_or_404(measures, pk=payload.measure)
    else:
        item = visible_item(user, payload.supervision_item)
    moment = clock(request)
    assigned = services.task_assign(
        item=item,
        by=user,
        now=moment.now,
        calendar=moment.calendar,
        duty=payload.duty,
        comment=payload.comment,
    )
    item.refresh_from_db(fields=["state"])
    return {"assigned": assigned, "state": item.state}


def _checks(user):
    return DutyAssignment.objects.visible_to(user).select_related(
        "unit", "assigning_unit", "entry", "requested_by", "decided_by"
    )


@router.get(
    "/duties/checks",
    response={200: Page[CheckOut], **ERRORS},
    summary="下派村（社区）的任务及其准入审批",
)
def check_list(request, query: Query[CheckQuery]):
    checks = _checks(request.auth)
    if query.state:
        checks = checks.filter(state=query.state)
    return paginate(checks.order_by("-requested_at", "-pk"), query)


@router.post(
    "/duties/checks/{check_id}/decision",
    response={200: DecisionOut, **ERRORS},
    summary="准入审批：同意即以交办人名义交办",
)
def check_decide(request, check_id: int, payload: DecisionIn):
    check = get_object_or_404(
        _checks(request.auth).select_related("measure", "supervision_item"), pk=check_id
    )
    moment = clock(request)
    return services.approval_decide(
        check=check,
        by=request.auth,
        now=moment.now,
        calendar=moment.calendar,
        approve=payload.approve,
        comment=payload.comment,
    )


@router.get(
    "/duties/report",
    response={200: BurdenOut, **ERRORS},
    summary="下派村（社区）任务统计：按交办单位和期间，清单外任务数",
)
def report(request, query: Query[ReportQuery]):
    if query.period not in dict(PERIODS):
        raise DomainError("统计周期应为 month、quarter 或 year。", field="period")
    rows, total = burden_report(user=request.auth, year=query.year, period=query.period)
    return {"rows": rows, "total": total}
