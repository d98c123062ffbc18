"""问题: list, register with causes and measures, read, 交办 all drafts, add a measure."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator

from bihuan.ledger import services
from bihuan.ledger.models import Problem, Source
from bihuan.ledger.services import MeasureSpec, ProblemSpec
from bihuan.workflow.states import DeadlineKind, FeedbackCycle

from .clock import clock
from .errors import ERRORS
from .lookups import active_category, visible_campaign, visible_person, visible_unit
from .pagination import Page, PageQuery, paginate
from .reads import measure_detail, problem_detail, problem_rows
from .schemas import MeasureDetail, ProblemDetail, ProblemRow

router = Router(tags=["问题"])


class MeasureIn(Schema):
    text: str = Field(description="整改措施")
    owner_unit: int = Field(description="责任单位 id")
    owner: int | None = Field(None, description="责任人 id")
    lead: str = Field("", max_length=100, description="责任领导")
    deadline_kind: DeadlineKind = DeadlineKind.DATE
    deadline: dt.date | None = Field(None, description="整改时限（deadline_kind=date）")
    deadline_working_days: int | None = Field(
        None, description="交办后的工作日数（deadline_kind=working_days）"
    )
    feedback_cycle: FeedbackCycle | None = Field(
        None, description="反馈周期（deadline_kind=ongoing）"
    )

    @field_validator("feedback_cycle", mode="before")
    @classmethod
    def blank_cycle_is_none(cls, value):
        """Rows show a dated measure's cycle as "", so "" must also be accepted back."""
        return value or None

    def spec(self, user, *, prefix: str = "") -> MeasureSpec:
        owner_unit = visible_unit(
            user, self.owner_unit, field="owner_unit", label="责任单位", prefix=prefix
        )
        return MeasureSpec(
            text=self.text,
            owner_unit=owner_unit,
            owner=visible_person(user, self.owner, field="owner", prefix=prefix),
            lead=self.lead,
            deadline_kind=self.deadline_kind,
            deadline=self.deadline,
            deadline_working_days=self.deadline_working_days,
            feedback_cycle=self.feedback_cycle or "",
        )


class ProblemIn(Schema):
    source: Source = Field(description="问题来源")
    category: int = Field(description="问题类别 id")
    description: str = Field(description="问题内容")
    unit: int = Field(description="责任主体（单位）id")
    person: int | None = Field(None, description="责任人 id（个人问题时填写）")
    causes: list[str] = Field([], max_length=50, description="原因剖析，每项一条")
    target: str = Field("", description="整改目标")
    standard: str = Field("", description="整改标准")
    measures: list[MeasureIn] = Field(max_length=50, description="整改措施，至少一条")
    campaign: int | None = Field(None, description="专项活动 id（在活动中查摆的问题）")

    def spec(self, user) -> ProblemSpec:
        return ProblemSpec(
            source=self.source,
            category=active_category(self.category),
            description=self.description,
            unit=visible_unit(user, self.unit, field="unit", label="责任主体"),
            person=visible_person(user, self.person, field="person"),
            causes=self.causes,
            target=self.target,
            standard=self.standard,
            campaign=visible_campaign(user, self.campaign),
            measures=[
                measure.spec(user, prefix=f"第{number}条措施：")
                for number, measure in enumerate(self.measures, start=1)
            ],
        )


class ProblemQuery(PageQuery):
    unit: int | None = Field(None, description="责任主体 id（含下级单位）")
    category: int | None = None
    source: Source | None = None
    keyword: str = Field("", max_length=100)
    campaign: int | None = Field(None, description="专项活动 id：该活动中查摆的问题")

    def filters(self, user) -> dict:
        unit = None
        if self.unit is not None:
            unit = visible_unit(user, self.unit, field="unit", label="单位")
        return {
            "unit": unit,
            "category": self.category,
            "source": self.source or "",
            "keyword": self.keyword,
            "campaign": self.campaign,
        }


@router.get("/problems", response={200: Page[ProblemRow], **ERRORS}, summary="问题清单")
def problem_list(request, query: Query[ProblemQuery]):
    return paginate(problem_rows(user=request.auth, **query.filters(request.auth)), query)


@router.post("/problems", response={201: ProblemDetail, **ERRORS}, summary="登记问题")
def problem_create(request, payload: ProblemIn):
    problem = services.problem_create(
        spec=payload.spec(request.auth), by=request.auth, now=clock(request).now
    )
    return Status(201, problem_detail(request, problem.pk))


@router.get("/problems/{problem_id}", response={200: ProblemDetail, **ERRORS}, summary="问题详情")
def problem_get(request, problem_id: int):
    return problem_detail(request, problem_id)


@router.post(
    "/problems/{problem_id}/assign",
    response={200: ProblemDetail, **ERRORS},
    summary="交办问题的全部待交办措施",
)
def problem_assign(request, problem_id: int):
    problem = get_object_or_404(Problem.objects.visible_to(request.auth), pk=problem_id)
    moment = clock(request)
    services.problem_assign(
        problem=problem, by=request.auth, now=moment.now, calendar=moment.calendar
    )
    return problem_detail(request, problem_id)


@router.post(
    "/problems/{problem_id}/measures",
    response={201: MeasureDetail, **ERRORS},
    summary="为问题增加整改措施",
)
def measure_add(request, problem_id: int, payload: MeasureIn):
    problem = get_object_or_404(Problem.objects.visible_to(request.auth), pk=problem_id)
    measure = services.measure_add(
        problem=problem, spec=payload.spec(request.auth), by=request.auth, now=clock(request).now
    )
    return Status(201, measure_detail(request, measure.pk))
