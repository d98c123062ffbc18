"""Ledger operations across rows or with side effects; the web UI, the API and the CLI call these."""

import datetime as dt
import mimetypes
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record, field_values
from bihuan.duties.gate import duty_gate
from bihuan.errors import DomainError, NotAllowed
from bihuan.materials.recurrence import recurrences_record
from bihuan.notify.steps import step_notice
from bihuan.org.models import Role, Unit
from bihuan.workflow import services as workflow
from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.states import Action, Actor, DeadlineKind, State

from . import filetypes
from .models import (
    Category,
    Cause,
    Evidence,
    ExtensionRequest,
    Measure,
    Problem,
    Progress,
    Source,
)


@dataclass(frozen=True)
class MeasureSpec:
    """What a supervisor writes for one measure; validated by `clean_measure_spec`."""

    text: str
    owner_unit: Unit
    deadline_kind: str = DeadlineKind.DATE
    deadline: dt.date | None = None
    deadline_working_days: int | None = None
    feedback_cycle: str = ""
    lead: str = ""
    owner: object | None = None


@dataclass(frozen=True)
class ProblemSpec:
    source: str
    category: Category
    description: str
    unit: Unit
    measures: list[MeasureSpec]
    causes: list[str] = field(default_factory=list)
    target: str = ""
    standard: str = ""
    person: object | None = None
    campaign: object | None = None  # 专项活动 the problem was found in


def clean_measure_spec(spec: MeasureSpec, *, by, today: dt.date, prefix: str = "") -> None:
    if not spec.text.strip():
        raise DomainError(f"{prefix}请填写整改措施内容。", field="text")
    if not spec.owner_unit.is_visible_to(by):
        raise DomainError(
            f"{prefix}责任单位“{spec.owner_unit}”不在您的管理范围内。", field="owner_unit"
        )
    if (
        spec.owner is not None
        and spec.owner.unit_id is not None
        and not spec.owner_unit.contains(spec.owner.unit)
    ):
        raise DomainError(
            f"{prefix}责任人{spec.owner}不属于责任单位“{spec.owner_unit}”。", field="owner"
        )
    workflow.clean_deadline(
        kind=spec.deadline_kind,
        deadline=spec.deadline,
        working_days=spec.deadline_working_days,
        feedback_cycle=spec.feedback_cycle,
        today=today,
        prefix=prefix,
    )


def _measure_from_spec(spec: MeasureSpec, *, problem: Problem, seq: int, by, now) -> Measure:
    is_ongoing = spec.deadline_kind == DeadlineKind.ONGOING
    return Measure(
        problem=problem,
        seq=seq,
        text=spec.text.strip(),
        lead=spec.lead.strip(),
        owner_unit=spec.owner_unit,
        owner=spec.owner,
        deadline_kind=spec.deadline_kind,
        deadline=spec.deadline if spec.deadline_kind == DeadlineKind.DATE else None,
        deadline_working_days=(
            spec.deadline_working_days if spec.deadline_kind == DeadlineKind.WORKING_DAYS else None
        ),
        feedback_cycle=spec.feedback_cycle if is_ongoing else "",
        created_at=now,
        created_by=by,
    )


def _require_supervisor(by) -> None:
    if not by.has_role(Role.SUPERVISOR):
        raise NotAllowed("只有督查员可以登记问题和整改措施。")


AUDITED_PROBLEM_FIELDS = (
    "source",
    "category",
    "description",
    "unit",
    "person",
    "target",
    "standard",
    "campaign",
)
AUDITED_MEASURE_FIELDS = (
    "seq",
    "text",
    "lead",
    "owner_unit",
    "owner",
    "deadline_kind",
    "deadline",
    "deadline_working_days",
    "feedback_cycle",
)


def problem_create(*, spec: ProblemSpec, by, now: dt.datetime) -> Problem:
    """Register a problem with its causes and measures (all 待交办) in one transaction."""
    _require_supervisor(by)
    return problem_write(spec=spec, by=by, now=now)


def problem_write(*, spec: ProblemSpec, by, now: dt.datetime) -> Problem:
    """`problem_create` for a caller that has decided who may register: a material's author
    turns their own material into ledger rows."""
    today = timezone.localdate(now)
    if spec.source not in Source.values:
        raise DomainError(f"未知的问题来源“{spec.source}”。", field="source")
    if not spec.description.strip():
        raise DomainError("请填写问题内容。", field="description")
    if not spec.unit.is_visible_to(by):
        raise DomainError(f"责任主体“{spec.unit}”不在您的管理范围内。", field="unit")
    if spec.campaign is not None and not spec.campaign.is_visible_to(by):
        raise DomainError(f"专项活动“{spec.campaign}”不在您的管理范围内。", field="campaign")
    if not spec.measures:
        raise DomainError("每个问题至少要有一条整改措施。", field="measures")
    for number, measure_spec in enumerate(spec.measures, start=1):
        clean_measure_spec(measure_spec, by=by, today=today, prefix=f"第{number}条措施：")
    with transaction.atomic():
        problem = Problem.objects.create(
            source=spec.source,
            category=spec.category,
            description=spec.description.strip(),
            unit=spec.unit,
            person=spec.person,
            target=spec.target.strip(),
            standard=spec.standard.strip(),
            campaign=spec.campaign,
            created_at=now,
            created_by=by,
        )
        Cause.objects.bulk_create(
            Cause(problem=problem, text=text.strip(), order=order)
            for order, text in enumerate(spec.causes)
            if text.strip()
        )
        measures = []
        for seq, measure_spec in enumerate(spec.measures, start=1):
            measure = _measure_from_spec(measure_spec, problem=problem, seq=seq, by=by, now=now)
            measure.save()
            measure.events.create(
                at=now, actor=by, action=Action.CREATE, from_state=State.DRAFT, to_state=State.DRAFT
            )
            measures.append(field_values(measure, ("id", *AUDITED_MEASURE_FIELDS)))
        after = field_values(problem, AUDITED_PROBLEM_FIELDS) | {
            "causes": [text.strip() for text in spec.causes if text.strip()],
            "measures": measures,
        }
        audit_record(AuditAction.CREATE, actor=by, obj=problem, now=now, changes={"after": after})
        recurrences_record(problems=[problem], now=now)
    return problem


def measure_add(*, problem: Problem, spec: MeasureSpec, by, now: dt.datetime) -> Measure:
    _require_supervisor(by)
    if not Problem.objects.visible_to(by).filter(pk=problem.pk).exists():
        raise NotAllowed("该问题不在您的管理范围内。")
    clean_measure_spec(spec, by=by, today=timezone.localdate(now))
    with transaction.atomic():
        seq = (problem.measures.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
        measure = _measure_from_spec(spec, problem=problem, seq=seq, by=by, now=now)
        measure.save()
        measure.events.create(
            at=now, actor=by, action=Action.CREATE, from_state=State.DRAFT, to_state=State.DRAFT
        )
        after = field_values(measure, ("problem", *AUDITED_MEASURE_FIELDS))
        audit_record(AuditAction.CREATE, actor=by, obj=measure, now=now, changes={"after": after})
    return measure


EDITABLE_FIELDS = {
    "text": "措施内容",
    "owner_unit": "责任单位",
    "owner": "责任人",
    "lead": "责任领导",
    "deadline_kind": "时限类型",
    "deadline": "整改时限",
    "deadline_working_days": "工作日数",
    "feedback_cycle": "反馈周期",
}


def measure_edit(
    *, measure: Measure, spec: MeasureSpec, by, now: dt.datetime, version: int | None = None
) -> None:
    """Correct a measure before it is assigned (text, owner, deadline); once assigned, only an
    extension request or a cancellation changes it, so the unit is never surprised. `version`
    is the one the editor's form showed: a save over someone else's newer one is refused."""
    _require_supervisor(by)
    if not measure.is_visible_to(by):
        raise NotAllowed("该措施不在您的管理范围内。")
    if measure.state != State.DRAFT:
        raise DomainError(
            f"措施已{measure.get_state_display()}，不能再修改；如需调整时限请申请延期。",
            field="state",
        )
    measure.check_version(version)
    clean_measure_spec(spec, by=by, today=timezone.localdate(now))
    edited = _measure_from_spec(spec, problem=measure.problem, seq=measure.seq, by=by, now=now)
    changes = {
        name: getattr(edited, name)
        for name in EDITABLE_FIELDS
        if getattr(edited, name) != getattr(measure, name)
    }
    if not changes:
        raise DomainError("没有修改任何内容。")
    comment = "；".join(f"{EDITABLE_FIELDS[name]}已修改" for name in changes)
    measure.record(Action.EDIT, by=by, now=now, comment=comment, changes=changes)


def problem_assign(
    *, problem: Problem, by, now: dt.datetime, calendar: WorkCalendar, duties: dict | None = None
) -> int:
    """交办 every draft measure of the problem at once; all or none. A measure for a village is
    checked against its duty lists (`duties`: measure id → list entry, see `duty_gate`); one
    held for 准入审批 is not counted."""
    drafts = list(
        problem.measures.filter(state=State.DRAFT).select_related("owner_unit", "problem__unit")
    )
    if not drafts:
        raise DomainError("该问题没有待交办的整改措施。")
    assigned = 0
    with transaction.atomic():
        for measure in drafts:
            if duty_gate(item=measure, choice=(duties or {}).get(measure.pk), by=by, now=now):
                measure.assign(by=by, now=now, calendar=calendar)
                step_notice(item=measure, action=Action.ASSIGN, by=by, now=now)
                assigned += 1
    return assigned


def _check_evidence(files: list[UploadedFile]) -> None:
    if len(files) > settings.BIHUAN_EVIDENCE_MAX_FILES:
        raise DomainError(
            f"一次最多上传 {settings.BIHUAN_EVIDENCE_MAX_FILES} 个佐证材料。", field="files"
        )
    limit = filesizeformat(settings.BIHUAN_EVIDENCE_MAX_BYTES)
    for upload in files:
        name = PurePath(upload.name or "").name
        if upload.size > settings.BIHUAN_EVIDENCE_MAX_BYTES:
            raise DomainError(
                f"文件“{name}”超过 {limit} 的上限，请压缩或拆分后再上传。", field="files"
            )
        if upload.size == 0:
            raise DomainError(f"文件“{name}”是空文件。", field="files")
        if PurePath(name).suffix.lower() not in filetypes.EXTENSIONS:
            raise DomainError(
                f"文件“{name}”的类型不支持；可上传 PDF、图片、Office/WPS 文档、OFD 或压缩包。",
                field="files",
            )
        head = upload.read(64)
        upload.seek(0)
        if not filetypes.content_agrees(name, head):
            raise DomainError(
                f"文件“{name}”的内容与扩展名不符（可能是改了扩展名的其他文件），请上传原始文件。",
                field="files",
            )


def progress_post(
    *, measure: Measure, by, now: dt.datetime, text: str, files: list[UploadedFile] = ()
) -> Progress:
    """整改进展: a dated update with optional evidence, by the owner while the work is under way."""
    files = list(files)
    if not measure.may(by, Actor.OWNER):
        raise NotAllowed("只有责任单位承办人或责任人可以反馈整改进展。")
    if measure.state != State.IN_PROGRESS:
        raise DomainError(
            f"当前状态为“{measure.get_state_display()}”，不能反馈进展。", field="state"
        )
    if not text.strip():
        raise DomainError("请填写整改进展。", field="text")
    _check_evidence(files)
    with transaction.atomic():
        progress = Progress.objects.create(measure=measure, author=by, at=now, text=text.strip())
        for upload in files:
            name = PurePath(upload.name or "file").name[:255]
            Evidence.objects.create(
                progress=progress,
                file=upload,
                original_name=name,
                size=upload.size,
                content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
            )
        measure.record(
            Action.PROGRESS,
            by=by,
            now=now,
            comment=text.strip()[:200],
            changes={"last_feedback_at": now},
        )
    return progress


def extension_request(
    *, measure: Measure, by, now: dt.datetime, new_deadline: dt.date, reason: str
) -> ExtensionRequest:
    """延期申请: asked before the deadline passes, for a later date, with a reason; the
    reviewers are told."""
    with transaction.atomic():
        request = workflow.extension_request(
            item=measure, by=by, now=now, new_deadline=new_deadline, reason=reason
        )
        wish = f"申请延期至{new_deadline:%Y-%m-%d}（{reason.strip()}）"
        step_notice(item=measure, action=Action.EXTENSION_REQUEST, by=by, now=now, comment=wish)
    return request


def extension_decide(
    *, request: ExtensionRequest, by, now: dt.datetime, approve: bool, comment: str = ""
) -> None:
    """Approve (the measure gets the new deadline) or refuse (it keeps the old one)."""
    with transaction.atomic():
        workflow.extension_decide(
            request=request, item=request.measure, by=by, now=now, approve=approve, comment=comment
        )
        action = Action.EXTENSION_APPROVE if approve else Action.EXTENSION_REFUSE
        step_notice(item=request.measure, action=action, by=by, now=now, comment=comment)


def measure_transition(
    *,
    measure: Measure,
    action: str,
    by,
    now: dt.datetime,
    calendar: WorkCalendar,
    comment: str = "",
    duty: str = "",
) -> bool:
    """Run one workflow step by its name: the entry point the UI forms and the API share; the
    people who must act next are told. False when a 交办 to a village is held for 准入审批."""
    with transaction.atomic():
        if action == Action.ASSIGN and not duty_gate(item=measure, choice=duty, by=by, now=now):
            return False
        workflow.transition(
            item=measure, action=action, by=by, now=now, calendar=calendar, comment=comment
        )
        step_notice(item=measure, action=action, by=by, now=now, comment=comment)
    return True


def evidence_open(*, evidence: Evidence, by, now: dt.datetime):
    """The evidence file, opened for download by someone who may see it; the download is
    recorded. A file missing from storage raises FileNotFoundError."""
    handle = evidence.file.open("rb")
    audit_record(
        AuditAction.DOWNLOAD,
        actor=by,
        obj=evidence,
        now=now,
        changes={"progress": evidence.progress_id, "size": evidence.size},
    )
    return handle
