"""调研走访: visits (with the problems they raise, into the ledger in one call), each person's
days at the grassroots against the yearly target, each village's household coverage."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from bihuan.campaigns.models import Campaign
from bihuan.errors import DomainError
from bihuan.fieldwork import services
from bihuan.fieldwork.models import Visit
from bihuan.fieldwork.selectors import days_progress, village_coverage
from bihuan.org.models import Role

from .clock import clock
from .errors import ERRORS
from .lookups import active_category, visible_person, visible_unit
from .pagination import Page, PageQuery, paginate
from .schemas import Ref

router = Router(tags=["调研走访"])


def visible_campaign_in_body(user, pk: int | None) -> Campaign | None:
    if pk is None:
        return None
    campaign = Campaign.objects.visible_to(user).filter(pk=pk).first()
    if campaign is None:
        raise DomainError(f"专项活动（id={pk}）不存在或不在您的管理范围内。", field="campaign")
    return campaign


class ProblemRef(Schema):
    id: int
    description: str
    unit: Ref


class VisitOut(Schema):
    id: int
    unit: Ref
    people: list[Ref]
    starts_on: dt.date
    ends_on: dt.date
    days: float
    place_unit: Ref | None
    place: str
    households: int
    topics: str
    findings: str
    campaign: Ref | None
    problems: list[ProblemRef]
    created_by: Ref
    created_at: dt.datetime
    version: int = Field(description="修改时带上，与当前版本不同即 409（他人已修改）")

    @staticmethod
    def resolve_people(obj) -> list:
        return list(obj.people.all())

    @staticmethod
    def resolve_problems(obj) -> list:
        return sorted(obj.problems.all(), key=lambda problem: problem.pk)


class VisitProblemIn(Schema):
    description: str = Field(description="问题内容")
    unit: int | None = Field(None, description="责任单位 id；不填即走访地点，再不然组织单位")
    category: int = Field(description="问题类别 id")
    measure: str = Field("", max_length=500, description="整改建议；不填即“待制定”")


class VisitIn(Schema):
    unit: int = Field(description="组织单位 id")
    people: list[int] = Field(min_length=1, max_length=50, description="走访人员 id")
    starts_on: dt.date
    ends_on: dt.date | None = Field(None, description="不填即当天")
    days: Decimal = Field(gt=0, max_digits=4, decimal_places=1, description="计入天数（每人）")
    place_unit: int | None = Field(None, description="走访的村、乡镇 id")
    place: str = Field("", max_length=100)
    households: int = Field(0, ge=0)
    topics: str = Field("", max_length=200)
    findings: str = ""
    campaign: int | None = None
    problems: list[VisitProblemIn] = Field([], max_length=20, description="走访中发现的问题")

    def spec(self, user) -> services.VisitSpec:
        return services.VisitSpec(
            unit=visible_unit(user, self.unit, field="unit", label="组织单位"),
            people=tuple(visible_person(user, pk, field="people") for pk in self.people),
            starts_on=self.starts_on,
            ends_on=self.ends_on or self.starts_on,
            days=self.days,
            households=self.households,
            place_unit=visible_unit(user, self.place_unit, field="place_unit", label="走访地点")
            if self.place_unit is not None
            else None,
            place=self.place,
            topics=self.topics,
            findings=self.findings,
            campaign=visible_campaign_in_body(user, self.campaign),
        )

    def problem_specs(self, user, visit: services.VisitSpec) -> list[services.VisitProblem]:
        found = []
        for number, problem in enumerate(self.problems, start=1):
            unit = visit.place_unit or visit.unit
            if problem.unit is not None:
                unit = visible_unit(
                    user,
                    problem.unit,
                    field="problems",
                    label="责任单位",
                    prefix=f"第{number}个问题：",
                )
            found.append(
                services.VisitProblem(
                    description=problem.description,
                    unit=unit,
                    category=active_category(problem.category),
                    measure=problem.measure,
                )
            )
        return found


class VisitQuery(PageQuery):
    year: int | None = Field(None, ge=2000, le=2100, description="走访开始的年度")


def _visits(user):
    return (
        Visit.objects.visible_to(user)
        .select_related("unit", "place_unit", "campaign", "created_by")
        .prefetch_related("people", "problems__unit")
    )


@router.get("/visits", response={200: Page[VisitOut], **ERRORS}, summary="走访记录")
def visit_list(request, query: Query[VisitQuery]):
    visits = _visits(request.auth)
    if query.year:
        visits = visits.filter(starts_on__year=query.year)
    return paginate(visits, query)


@router.post(
    "/visits",
    response={201: VisitOut, **ERRORS},
    summary="填报走访（发现的问题同时进入整改台账，待交办）",
)
def visit_create(request, payload: VisitIn):
    spec = payload.spec(request.auth)
    visit = services.visit_create(
        spec=spec,
        problems=payload.problem_specs(request.auth, spec),
        by=request.auth,
        now=clock(request).now,
    )
    return Status(201, get_object_or_404(_visits(request.auth), pk=visit.pk))


@router.get("/visits/{visit_id}", response={200: VisitOut, **ERRORS}, summary="走访详情")
def visit_get(request, visit_id: int):
    return get_object_or_404(_visits(request.auth), pk=visit_id)


class VisitPatch(Schema):
    """Only what is given changes; the organising unit, the campaign and the problems raised
    stay as entered."""

    people: list[int] | None = Field(None, min_length=1, max_length=50, description="走访人员 id")
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    days: Decimal | None = Field(None, gt=0, max_digits=4, decimal_places=1)
    place_unit: int | None = Field(None, description="走访的村、乡镇 id；显式 null 即其他地点")
    place: str | None = Field(None, max_length=100)
    households: int | None = Field(None, ge=0)
    topics: str | None = Field(None, max_length=200)
    findings: str | None = None
    version: int | None = Field(None, description="读取时的 version；不填即不检查")

    def change(self, user, visit: Visit) -> services.VisitChange:
        given = self.model_fields_set
        people = list(visit.people.all())
        if "people" in given and self.people is not None:
            kept = {person.pk: person for person in people}
            people = [
                kept.get(pk) or visible_person(user, pk, field="people")
                for pk in dict.fromkeys(self.people)
            ]
        place_unit = visit.place_unit
        if "place_unit" in given and self.place_unit != visit.place_unit_id:
            place_unit = (
                visible_unit(user, self.place_unit, field="place_unit", label="走访地点")
                if self.place_unit is not None
                else None
            )
        starts_on = self.starts_on or visit.starts_on
        # A new single day moves the end with it unless an end is given.
        ends_on = self.ends_on or (
            starts_on if "starts_on" in given and visit.ends_on == visit.starts_on
            else visit.ends_on
        )  # fmt: skip

        def value(name: str):
            mine = getattr(self, name)
            return mine if name in given and mine is not None else getattr(visit, name)

        return services.VisitChange(
            people=tuple(people),
            starts_on=starts_on,
            ends_on=ends_on,
            days=value("days"),
            households=value("households"),
            place_unit=place_unit,
            place=value("place"),
            topics=value("topics"),
            findings=value("findings"),
        )


@router.patch(
    "/visits/{visit_id}",
    response={200: VisitOut, **ERRORS},
    summary="修改走访记录（填报人或组织单位的督查员）；天数与覆盖率随之重新统计",
)
def visit_edit(request, visit_id: int, payload: VisitPatch):
    visit = get_object_or_404(_visits(request.auth), pk=visit_id)
    services.visit_edit(
        visit=visit,
        change=payload.change(request.auth, visit),
        by=request.auth,
        now=clock(request).now,
        version=payload.version,
    )
    return get_object_or_404(_visits(request.auth), pk=visit_id)


class VersionQuery(Schema):
    version: int | None = Field(None, description="读取时的 version；不填即不检查")


@router.delete(
    "/visits/{visit_id}",
    response={204: None, **ERRORS},
    summary="删除误填的走访记录（发现的问题已进入台账的不能删除）",
)
def visit_delete(request, visit_id: int, query: Query[VersionQuery]):
    visit = get_object_or_404(_visits(request.auth), pk=visit_id)
    services.visit_delete(
        visit=visit, by=request.auth, now=clock(request).now, version=query.version
    )
    return Status(204, None)


class ProgressOut(Schema):
    person: Ref
    unit: Ref
    days: float
    target: float | None
    met: bool


class ProgressQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="不填即今年")
    unit: int | None = Field(None, description="只看此单位及下级")


@router.get(
    "/fieldwork/progress",
    response={200: list[ProgressOut], **ERRORS},
    summary="每人年度基层调研天数与目标",
)
def progress(request, query: Query[ProgressQuery]):
    year = query.year or timezone.localdate(clock(request).now).year
    unit = (
        visible_unit(request.auth, query.unit, field="unit", label="单位") if query.unit else None
    )
    rows = days_progress(user=request.auth, year=year, unit=unit)
    return [
        {
            "person": r.person,
            "unit": r.person.unit,
            "days": r.days,
            "target": r.target,
            "met": r.met,
        }
        for r in rows
    ]


class VillageOut(Schema):
    village: Ref
    households: int | None
    visited: int
    share: float | None
    covered: bool


class CoverageOut(Schema):
    start: dt.date
    end: dt.date
    households: int
    visited: int
    villages: list[VillageOut]
    uncovered: list[Ref] = Field(description="尚未全覆盖的村·社区")


class CoverageQuery(Schema):
    start: dt.date | None = Field(None, description="不填即今年1月1日")
    end: dt.date | None = Field(None, description="不填即今天")
    unit: int | None = Field(None, description="只看此单位下的村·社区")


@router.get(
    "/fieldwork/coverage",
    response={200: CoverageOut, **ERRORS},
    summary="走访全覆盖：各村农户数、已走访户数与覆盖率",
)
def coverage(request, query: Query[CoverageQuery]):
    today = timezone.localdate(clock(request).now)
    start, end = query.start or dt.date(today.year, 1, 1), query.end or today
    if start > end:
        raise DomainError("起始日期晚于结束日期。", field="start")
    unit = (
        visible_unit(request.auth, query.unit, field="unit", label="单位") if query.unit else None
    )
    result = village_coverage(user=request.auth, start=start, end=end, unit=unit)
    return {
        "start": start,
        "end": end,
        "households": result.households,
        "visited": result.visited,
        "villages": [
            {
                "village": row.village,
                "households": row.households,
                "visited": row.visited,
                "share": row.share,
                "covered": row.covered,
            }
            for row in result.villages
        ],
        "uncovered": [row.village for row in result.uncovered],
    }


class HouseholdsIn(Schema):
    unit: int = Field(description="村·社区 id")
    count: int = Field(ge=0, le=100000)


class HouseholdsOut(Schema):
    unit: Ref
    count: int


@router.post(
    "/fieldwork/households", response={200: HouseholdsOut, **ERRORS}, summary="登记村的农户数"
)
def households_set(request, payload: HouseholdsIn):
    unit = visible_unit(request.auth, payload.unit, field="unit", label="村·社区")
    return services.households_set(
        unit=unit, count=payload.count, by=request.auth, now=clock(request).now
    )


class TargetIn(Schema):
    year: int = Field(ge=2000, le=2100)
    role: Role
    days: Decimal = Field(ge=0, le=366, max_digits=4, decimal_places=1)


class TargetOut(Schema):
    year: int
    role: str
    days: float


@router.post(
    "/fieldwork/targets", response={200: TargetOut, **ERRORS}, summary="设置角色的年度调研天数目标"
)
def target_set(request, payload: TargetIn):
    return services.target_set(
        year=payload.year,
        role=payload.role,
        days=payload.days,
        by=request.auth,
        now=clock(request).now,
    )
