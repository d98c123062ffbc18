"""Field research writes: a visit with the problems it raised (into the ledger in the same
step), its correction or deletion, a village's household count, a role's yearly days target."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_diff, audit_record, field_values
from bihuan.errors import Conflict, DomainError, NotAllowed
from bihuan.ledger.models import Category, Source
from bihuan.ledger.services import MeasureSpec, ProblemSpec, problem_write
from bihuan.org.models import BUSINESS_ROLES, Role, Unit, UnitKind
from bihuan.workflow.scope import sees_every_unit
from bihuan.workflow.states import DeadlineKind

from .models import DaysTarget, Households, Visit

# A problem's measure when the visitor wrote none: a 待交办 draft the supervisor words before
# assigning it (the ledger wants every problem to have one).
MEASURE_TO_BE_SET = "（待制定整改措施）"
MAX_DAYS = Decimal(366)


@dataclass(frozen=True)
class VisitProblem:
    """A problem raised during a visit: what, whose, and, if the visitor has one, a measure."""

    description: str
    unit: Unit
    category: Category
    measure: str = ""


@dataclass(frozen=True)
class VisitSpec:
    unit: Unit
    people: tuple
    starts_on: dt.date
    ends_on: dt.date
    days: Decimal
    households: int = 0
    place_unit: Unit | None = None
    place: str = ""
    topics: str = ""
    findings: str = ""
    campaign: object | None = None


def _clean_visit(spec: VisitSpec, by, today: dt.date, kept: Visit | None = None) -> None:
    """`kept`: the visit being corrected, whose people and place stay allowed even when the
    corrector does not see them (a township's supervisor correcting a visit the county's
    leader joined)."""
    if not by.has_business_role:
        raise NotAllowed("只有业务人员可以填报调研走访。")
    if kept is None and not spec.unit.is_visible_to(by):
        raise DomainError(f"组织单位“{spec.unit}”不在您的管理范围内。", field="unit")
    if not spec.people:
        raise DomainError("请选择走访人员。", field="people")
    kept_people = {person.pk for person in kept.people.all()} if kept else set()
    for person in spec.people:
        if person.pk in kept_people:
            continue
        if person != by and (person.unit is None or not person.unit.is_visible_to(by)):
            raise DomainError(f"走访人员{person}不在您的管理范围内。", field="people")
    if spec.ends_on < spec.starts_on:
        raise DomainError("结束日期早于开始日期。", field="ends_on")
    if spec.starts_on > today:
        raise DomainError("走访日期晚于今天：请在走访后填报。", field="starts_on")
    length = Decimal((spec.ends_on - spec.starts_on).days + 1)
    if not Decimal(0) < spec.days <= length:
        raise DomainError(f"计入天数应大于0，且不超过走访的{length}天。", field="days")
    if spec.days * 2 != int(spec.days * 2):
        raise DomainError("计入天数以半天为单位。", field="days")
    if spec.households < 0:
        raise DomainError("走访农户数不能为负数。", field="households")
    kept_place = kept.place_unit_id if kept else None
    if (
        spec.place_unit is not None
        and spec.place_unit.pk != kept_place
        and not spec.place_unit.is_visible_to(by)
    ):
        raise DomainError(f"走访地点“{spec.place_unit}”不在您的管理范围内。", field="place_unit")
    if spec.place_unit is None and not spec.place.strip():
        raise DomainError("请选择或填写走访地点。", field="place")
    if kept is None and spec.campaign is not None and not spec.campaign.is_visible_to(by):
        raise DomainError(f"专项活动“{spec.campaign}”不在您的管理范围内。", field="campaign")


AUDITED_VISIT_FIELDS = (
    "unit",
    "starts_on",
    "ends_on",
    "days",
    "place_unit",
    "place",
    "households",
    "topics",
    "findings",
    "campaign",
)


def visit_create(
    *, spec: VisitSpec, problems: list[VisitProblem] = (), by, now: dt.datetime
) -> Visit:
    """Record a visit and put the problems it raised into the ledger (source 调研走访, tagged
    with the visit's campaign, measures 待交办): all of it, or nothing."""
    _clean_visit(spec, by, timezone.localdate(now))
    with transaction.atomic():
        visit = Visit.objects.create(
            unit=spec.unit,
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
            days=spec.days,
            place_unit=spec.place_unit,
            place=spec.place.strip(),
            households=spec.households,
            topics=spec.topics.strip(),
            findings=spec.findings.strip(),
            campaign=spec.campaign,
            created_by=by,
            created_at=now,
        )
        visit.people.set(spec.people)
        created = []
        for number, raised in enumerate(problems, start=1):
            try:
                problem = problem_write(spec=_problem_spec(raised, spec), by=by, now=now)
            except DomainError as error:
                raise DomainError(f"第{number}个问题：{error.message}", field="problems") from None
            created.append(problem)
        visit.problems.set(created)
        after = field_values(visit, AUDITED_VISIT_FIELDS) | {
            "people": sorted(person.pk for person in spec.people),
            "problems": [problem.pk for problem in created],
        }
        audit_record(AuditAction.CREATE, actor=by, obj=visit, now=now, changes={"after": after})
    return visit


@dataclass(frozen=True)
class VisitChange:
    """What a correction may change; the organising unit, the campaign and the problems raised
    stay as entered (the problems are in the ledger under that campaign already)."""

    people: tuple
    starts_on: dt.date
    ends_on: dt.date
    days: Decimal
    households: int = 0
    place_unit: Unit | None = None
    place: str = ""
    topics: str = ""
    findings: str = ""


CHANGEABLE_VISIT_FIELDS = (
    "starts_on",
    "ends_on",
    "days",
    "place_unit",
    "place",
    "households",
    "topics",
    "findings",
)


def may_correct(visit: Visit, user) -> bool:
    """Whoever entered the visit, or a supervisor who sees its organising unit."""
    if user.pk == visit.created_by_id:
        return True
    return user.has_role(Role.SUPERVISOR) and visit.unit.is_visible_to(user)


def _locked(visit: Visit, version: int | None) -> Visit:
    current = Visit.objects.select_for_update().get(pk=visit.pk)
    if version is not None and version != current.version:
        raise Conflict(
            "该走访记录已被他人修改，您的修改没有保存；请刷新页面，在最新内容上重新修改。",
            field="version",
        )
    return current


def visit_edit(
    *, visit: Visit, change: VisitChange, by, now: dt.datetime, version: int | None = None
) -> None:
    """Correct a visit's dates, people, place, days, households, topics and findings. The days
    at the grassroots and the villages' coverage are counted from visits, so they follow.
    `version` is the one the corrector's form showed."""
    if not may_correct(visit, by):
        raise NotAllowed("只有填报人或组织单位的督查员可以修改走访记录。")
    spec = VisitSpec(unit=visit.unit, campaign=visit.campaign, **change.__dict__)
    _clean_visit(spec, by, timezone.localdate(now), kept=visit)
    after = {
        "starts_on": spec.starts_on,
        "ends_on": spec.ends_on,
        "days": spec.days,
        "place_unit": spec.place_unit.pk if spec.place_unit else None,
        "place": spec.place.strip(),
        "households": spec.households,
        "topics": spec.topics.strip(),
        "findings": spec.findings.strip(),
    }
    with transaction.atomic():
        current = _locked(visit, version)
        before = field_values(current, CHANGEABLE_VISIT_FIELDS)
        changed = {name: value for name, value in after.items() if before[name] != value}
        people_before = sorted(current.people.values_list("pk", flat=True))
        people_after = sorted({person.pk for person in spec.people})
        if people_before != people_after:
            before["people"], changed["people"] = people_before, people_after
        if not changed:
            raise DomainError("没有修改任何内容。")
        columns = {name: value for name, value in changed.items() if name != "people"}
        if "place_unit" in columns:
            columns["place_unit_id"] = columns.pop("place_unit")
        Visit.objects.filter(pk=visit.pk).update(**columns, version=F("version") + 1)
        if "people" in changed:
            visit.people.set(spec.people)
        audit_record(
            AuditAction.CHANGE,
            actor=by,
            obj=visit,
            now=now,
            changes={"before": {name: before[name] for name in changed}, "after": changed},
        )
    for name in CHANGEABLE_VISIT_FIELDS:
        setattr(visit, name, getattr(spec, name))
    visit.place, visit.topics, visit.findings = after["place"], after["topics"], after["findings"]
    visit.version = current.version + 1


def visit_delete(*, visit: Visit, by, now: dt.datetime, version: int | None = None) -> None:
    """Delete a visit entered by mistake, unless it raised problems: those are in the ledger
    and point back to it, so such a visit is corrected instead."""
    if not may_correct(visit, by):
        raise NotAllowed("只有填报人或组织单位的督查员可以删除走访记录。")
    with transaction.atomic():
        current = _locked(visit, version)
        raised = current.problems.count()
        if raised:
            raise DomainError(
                f"本次走访发现的{raised}个问题已进入整改台账，走访记录不能删除；如有错误请修改。",
                field="problems",
            )
        removed = field_values(current, AUDITED_VISIT_FIELDS) | {
            "people": sorted(current.people.values_list("pk", flat=True)),
            "created_by": current.created_by_id,
        }
        Visit.objects.filter(pk=visit.pk).delete()
        audit_record(
            AuditAction.CHANGE,
            actor=by,
            obj=visit,
            object_repr=f"删除走访记录：{current}",
            now=now,
            changes={"deleted": removed},
        )


def _problem_spec(raised: VisitProblem, visit: VisitSpec) -> ProblemSpec:
    return ProblemSpec(
        source=Source.VISIT,
        category=raised.category,
        description=raised.description,
        unit=raised.unit,
        campaign=visit.campaign,
        measures=[
            MeasureSpec(
                text=raised.measure.strip() or MEASURE_TO_BE_SET,
                owner_unit=raised.unit,
                deadline_kind=DeadlineKind.UNSET,
            )
        ],
    )


def households_set(*, unit: Unit, count: int, by, now: dt.datetime) -> Households:
    """A village's household count, given by someone who sees the village."""
    if not by.has_role(Role.HANDLER, Role.SUPERVISOR):
        raise NotAllowed("只有承办人或督查员可以登记农户数。")
    if unit.kind != UnitKind.VILLAGE:
        raise DomainError(f"“{unit}”不是村·社区。", field="unit")
    if not unit.is_visible_to(by):
        raise DomainError(f"“{unit}”不在您的管理范围内。", field="unit")
    if count < 0:
        raise DomainError("农户数不能为负数。", field="count")
    with transaction.atomic():
        row = Households.objects.select_for_update().filter(unit=unit).first()
        if row is None:
            row = Households.objects.create(unit=unit, count=count, updated_by=by, updated_at=now)
            changes = {"after": {"count": count}}
            action = AuditAction.CREATE
        else:
            changes = audit_diff(row, {"count": count})
            action = AuditAction.CHANGE
            row.count, row.updated_by, row.updated_at = count, by, now
            row.save(update_fields=["count", "updated_by", "updated_at"])
        audit_record(action, actor=by, obj=row, now=now, changes=changes)
    return row


def target_set(*, year: int, role: str, days: Decimal, by, now: dt.datetime) -> DaysTarget:
    """A role's days-at-the-grassroots target for a year, set for the whole organisation by a
    supervisor who sees every unit."""
    if not (by.has_role(Role.SUPERVISOR) and sees_every_unit(by)):
        raise NotAllowed("只有县级督查员可以设置调研天数目标。")
    if role not in BUSINESS_ROLES:
        raise DomainError(f"未知的角色“{role}”。", field="role")
    if not 2000 <= year <= 2100:
        raise DomainError("年度应在 2000 到 2100 之间。", field="year")
    if not Decimal(0) <= days <= MAX_DAYS:
        raise DomainError("目标天数应在 0 到 366 之间。", field="days")
    with transaction.atomic():
        target, created = DaysTarget.objects.select_for_update().get_or_create(
            year=year, role=role, defaults={"days": days, "updated_by": by, "updated_at": now}
        )
        if created:
            changes = {"after": {"year": year, "role": role, "days": days}}
        else:
            changes = audit_diff(target, {"days": days})
            target.days, target.updated_by, target.updated_at = days, by, now
            target.save(update_fields=["days", "updated_by", "updated_at"])
        action = AuditAction.CREATE if created else AuditAction.CHANGE
        audit_record(action, actor=by, obj=target, now=now, changes=changes)
    return target
