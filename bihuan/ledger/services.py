"""Ledger operations across rows or with side effects; the web UI, the API and the CLI call these."""

import datetime as dt
import mimetypes
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from bihuan.errors import DomainError, NotAllowed
from bihuan.org.models import Role, Unit
from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.states import Action, Actor, DeadlineKind, FeedbackCycle, State

from .models import (
    Category,
    Cause,
    Evidence,
    ExtensionRequest,
    ExtensionState,
    Measure,
    Problem,
    Progress,
    Source,
)

EVIDENCE_EXTENSIONS = frozenset(
    {
        ".pdf",
        ".jpg",
        ".jpeg",
        ".png",
        ".gif",
        ".webp",
        ".doc",
        ".docx",
        ".xls",
        ".xlsx",
        ".ppt",
        ".pptx",
        ".wps",
        ".et",
        ".ofd",
        ".txt",
        ".csv",
        ".zip",
        ".rar",
        ".7z",
        ".mp4",
    }
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
    if spec.deadline_kind == DeadlineKind.DATE:
        if spec.deadline is None:
            raise DomainError(f"{prefix}请填写整改时限。", field="deadline")
        if spec.deadline < today:
            raise DomainError(
                f"{prefix}整改时限{spec.deadline:%Y-%m-%d}早于今天，请重新填写。", field="deadline"
            )
    elif spec.deadline_kind == DeadlineKind.WORKING_DAYS:
        if not spec.deadline_working_days or not 0 < spec.deadline_working_days <= 365:
            raise DomainError(
                f"{prefix}工作日数应在 1 到 365 之间。", field="deadline_working_days"
            )
    elif spec.deadline_kind == DeadlineKind.ONGOING:
        if spec.feedback_cycle not in FeedbackCycle.values:
            raise DomainError(f"{prefix}长期坚持的措施须选择反馈周期。", field="feedback_cycle")
    else:
        raise DomainError(f"{prefix}未知的时限类型“{spec.deadline_kind}”。", field="deadline_kind")


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


def problem_create(*, spec: ProblemSpec, by, now: dt.datetime) -> Problem:
    """Register a problem with its causes and measures (all 待交办) in one transaction."""
    _require_supervisor(by)
    today = timezone.localdate(now)
    if spec.source not in Source.values:
        raise DomainError(f"未知的问题来源“{spec.source}”。", field="source")
    if not spec.description.strip():
        raise DomainError("请填写问题内容。", field="description")
    if not spec.unit.is_visible_to(by):
        raise DomainError(f"责任主体“{spec.unit}”不在您的管理范围内。", field="unit")
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
            created_at=now,
            created_by=by,
        )
        Cause.objects.bulk_create(
            Cause(problem=problem, text=text.strip(), order=order)
            for order, text in enumerate(spec.causes)
            if text.strip()
        )
        for seq, measure_spec in enumerate(spec.measures, start=1):
            measure = _measure_from_spec(measure_spec, problem=problem, seq=seq, by=by, now=now)
            measure.save()
            measure.events.create(
                at=now, actor=by, action=Action.CREATE, from_state=State.DRAFT, to_state=State.DRAFT
            )
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
    return measure


def problem_assign(*, problem: Problem, by, now: dt.datetime, calendar: WorkCalendar) -> int:
    """交办 every draft measure of the problem at once; all or none."""
    drafts = list(
        problem.measures.filter(state=State.DRAFT).select_related("owner_unit", "problem__unit")
    )
    if not drafts:
        raise DomainError("该问题没有待交办的整改措施。")
    with transaction.atomic():
        for measure in drafts:
            measure.assign(by=by, now=now, calendar=calendar)
    return len(drafts)


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
        if PurePath(name).suffix.lower() not in EVIDENCE_EXTENSIONS:
            raise DomainError(
                f"文件“{name}”的类型不支持；可上传 PDF、图片、Office/WPS 文档、OFD 或压缩包。",
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
    """延期申请: asked before the deadline passes, for a later date, with a reason."""
    if not measure.may(by, Actor.OWNER):
        raise NotAllowed("只有责任单位承办人或责任人可以申请延期。")
    if measure.extension_requests.filter(state=ExtensionState.PENDING).exists():
        raise DomainError("该措施已有待审批的延期申请。", field="new_deadline")
    if not measure.can_request_extension():
        raise DomainError("只有已交办、未办结且有明确时限的措施可以申请延期。", field="state")
    today = timezone.localdate(now)
    if today > measure.deadline:
        raise DomainError(
            f"已超过整改时限（{measure.deadline_label()}），不能再申请延期；逾期按原时限计算。",
            field="new_deadline",
        )
    if new_deadline <= measure.deadline:
        raise DomainError(
            f"申请延至的日期应晚于现时限（{measure.deadline_label()}）。", field="new_deadline"
        )
    if not reason.strip():
        raise DomainError("请填写延期理由。", field="reason")
    try:
        with transaction.atomic():
            request = measure.extension_requests.create(
                requested_by=by,
                requested_at=now,
                current_deadline=measure.deadline,
                new_deadline=new_deadline,
                reason=reason.strip(),
            )
            measure.record(
                Action.EXTENSION_REQUEST,
                by=by,
                now=now,
                comment=f"申请延至{new_deadline:%Y-%m-%d}：{reason.strip()}",
            )
    except IntegrityError:
        raise DomainError("该措施已有待审批的延期申请。", field="new_deadline") from None
    return request


def extension_decide(
    *, request: ExtensionRequest, by, now: dt.datetime, approve: bool, comment: str = ""
) -> None:
    """Approve (the measure gets the new deadline) or refuse (it keeps the old one)."""
    measure = request.measure
    if not measure.may(by, Actor.REVIEWER):
        raise NotAllowed("只有督查员或领导可以审批延期申请。")
    if request.state != ExtensionState.PENDING:
        lapsed = request.state == ExtensionState.LAPSED
        raise DomainError("该延期申请已失效。" if lapsed else "该延期申请已审批。", field="state")
    if not measure.is_open:
        raise DomainError(f"措施已{measure.get_state_display()}，不能再审批延期。", field="state")
    if not approve and not comment.strip():
        raise DomainError("不同意延期须填写理由。", field="comment")
    with transaction.atomic():
        updated = ExtensionRequest.objects.filter(
            pk=request.pk, state=ExtensionState.PENDING
        ).update(
            state=ExtensionState.APPROVED if approve else ExtensionState.REFUSED,
            decided_by=by,
            decided_at=now,
            decision_comment=comment.strip(),
        )
        if updated != 1:
            raise DomainError("该延期申请已审批。", field="state")
        if approve:
            measure.record(
                Action.EXTENSION_APPROVE,
                by=by,
                now=now,
                comment=comment,
                changes={"deadline": request.new_deadline},
            )
        else:
            measure.record(Action.EXTENSION_REFUSE, by=by, now=now, comment=comment)
    request.refresh_from_db()


def measure_transition(
    *,
    measure: Measure,
    action: str,
    by,
    now: dt.datetime,
    calendar: WorkCalendar,
    comment: str = "",
) -> None:
    """Run one workflow step by its name: the entry point the UI forms and the API share."""
    if action == Action.ASSIGN:
        measure.assign(by=by, now=now, calendar=calendar, comment=comment)
    elif action == Action.ACKNOWLEDGE:
        measure.acknowledge(by=by, now=now, calendar=calendar, comment=comment)
    elif action == Action.SUBMIT:
        measure.submit(by=by, now=now, comment=comment)
    elif action == Action.RETURN:
        measure.return_to_owner(by=by, now=now, comment=comment)
    elif action == Action.CLOSE:
        measure.close(by=by, now=now, comment=comment)
    elif action == Action.CANCEL:
        measure.cancel(by=by, now=now, comment=comment)
    else:
        raise DomainError(f"未知的操作“{action}”。", field="action")
