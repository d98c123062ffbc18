"""精文减会 writes: register a meeting, register a document (its length read from the file),
set a unit's targets for a year."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_diff, audit_record, field_values
from bihuan.errors import DomainError, NotAllowed
from bihuan.org.models import Role, Unit
from bihuan.text.read import MaterialFileError, read_material

from .models import Document, Meeting, MeetingKind, MeetingLevel, Target

MAX_MINUTES = 24 * 60


def _require_recorder(by, unit: Unit, noun: str) -> None:
    if not by.has_role(Role.HANDLER, Role.SUPERVISOR):
        raise NotAllowed(f"只有承办人或督查员可以登记{noun}。")
    if not unit.is_visible_to(by):
        raise DomainError(f"“{unit}”不在您的管理范围内。", field="unit")


@dataclass(frozen=True)
class MeetingSpec:
    unit: Unit
    held_on: dt.date
    title: str
    kind: str
    level: str
    minutes: int
    attendees: int = 0
    merged: bool = False
    by_video: bool = False
    campaign: object | None = None


MEETING_FIELDS = (
    "unit",
    "held_on",
    "title",
    "kind",
    "level",
    "minutes",
    "attendees",
    "merged",
    "by_video",
    "campaign",
)


def meeting_register(*, spec: MeetingSpec, by, now: dt.datetime) -> Meeting:
    _require_recorder(by, spec.unit, "会议")
    if not spec.title.strip():
        raise DomainError("请填写会议名称。", field="title")
    if spec.kind not in MeetingKind.values:
        raise DomainError(f"未知的会议类型“{spec.kind}”。", field="kind")
    if spec.level not in MeetingLevel.values:
        raise DomainError(f"未知的会议级别“{spec.level}”。", field="level")
    if not 0 < spec.minutes <= MAX_MINUTES:
        raise DomainError(f"会议时长应在 1 到 {MAX_MINUTES} 分钟之间。", field="minutes")
    if spec.attendees < 0:
        raise DomainError("参会人数不能为负数。", field="attendees")
    if spec.held_on > timezone.localdate(now):
        raise DomainError("召开日期晚于今天：请在会后登记。", field="held_on")
    if spec.campaign is not None and not spec.campaign.is_visible_to(by):
        raise DomainError(f"专项活动“{spec.campaign}”不在您的管理范围内。", field="campaign")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            **{name: getattr(spec, name) for name in MEETING_FIELDS if name != "title"},
            title=spec.title.strip(),
            created_by=by,
            created_at=now,
        )
        after = field_values(meeting, MEETING_FIELDS)
        audit_record(AuditAction.CREATE, actor=by, obj=meeting, now=now, changes={"after": after})
    return meeting


def text_chars(text: str) -> int:
    """A document's length as 字数: its characters, whitespace aside."""
    return sum(1 for char in text if not char.isspace())


def document_register(
    *,
    unit: Unit,
    number: str,
    title: str,
    issued_on: dt.date,
    data: bytes,
    filename: str,
    by,
    now: dt.datetime,
) -> Document:
    """A document issued by the unit; its length is read from the file, never typed."""
    _require_recorder(by, unit, "发文")
    number, title = number.strip(), title.strip()
    if not number:
        raise DomainError("请填写文号。", field="number")
    if issued_on > timezone.localdate(now):
        raise DomainError("发文日期晚于今天。", field="issued_on")
    if len(data) > settings.BIHUAN_MATERIAL_MAX_BYTES:
        limit = filesizeformat(settings.BIHUAN_MATERIAL_MAX_BYTES)
        raise DomainError(f"文件超过 {limit} 的上限。", field="file")
    try:
        read = read_material(data, filename=filename, max_bytes=settings.BIHUAN_MATERIAL_MAX_BYTES)
    except MaterialFileError as error:
        raise DomainError(str(error), field="file") from None
    chars = text_chars(read.text)
    if not chars:
        raise DomainError("文件中没有可读的文字。", field="file")
    if not title:
        title = next((line.strip() for line in read.text.splitlines() if line.strip()), filename)
    if Document.objects.filter(unit=unit, number=number).exists():
        raise DomainError(f"{unit}已登记文号“{number}”的发文。", field="number")
    document = Document(
        unit=unit,
        number=number,
        title=title[:200],
        issued_on=issued_on,
        chars=chars,
        original_name=filename[:255],
        size=len(data),
        created_by=by,
        created_at=now,
    )
    try:
        with transaction.atomic():
            document.file.save(document.original_name, ContentFile(data), save=False)
            document.save()
            after = field_values(document, ("unit", "number", "title", "issued_on", "chars"))
            audit_record(
                AuditAction.UPLOAD, actor=by, obj=document, now=now, changes={"after": after}
            )
    except IntegrityError:
        document.file.delete(save=False)
        raise DomainError(f"{unit}已登记文号“{number}”的发文。", field="number") from None
    return document


def document_open(*, document: Document, by, now: dt.datetime):
    handle = document.file.open("rb")
    audit_record(AuditAction.DOWNLOAD, actor=by, obj=document, now=now)
    return handle


@dataclass(frozen=True)
class TargetSpec:
    unit: Unit
    year: int
    documents_cut_percent: int | None = None
    meetings_cut_percent: int | None = None
    meeting_max_minutes: int | None = None


TARGET_FIELDS = ("documents_cut_percent", "meetings_cut_percent", "meeting_max_minutes")


def target_set(*, spec: TargetSpec, by, now: dt.datetime) -> Target:
    """A unit's targets for a year, set by a supervisor who sees the unit."""
    if not by.has_role(Role.SUPERVISOR):
        raise NotAllowed("只有督查员可以设置精文减会目标。")
    if not spec.unit.is_visible_to(by):
        raise DomainError(f"“{spec.unit}”不在您的管理范围内。", field="unit")
    if not 2000 <= spec.year <= 2100:
        raise DomainError("年度应在 2000 到 2100 之间。", field="year")
    for name in ("documents_cut_percent", "meetings_cut_percent"):
        value = getattr(spec, name)
        if value is not None and not 0 <= value <= 100:
            raise DomainError("减少比例应在 0 到 100 之间。", field=name)
    if spec.meeting_max_minutes is not None and not 0 < spec.meeting_max_minutes <= MAX_MINUTES:
        raise DomainError(
            f"会议时长上限应在 1 到 {MAX_MINUTES} 分钟之间。", field="meeting_max_minutes"
        )
    values = {name: getattr(spec, name) for name in TARGET_FIELDS}
    with transaction.atomic():
        target = Target.objects.select_for_update().filter(unit=spec.unit, year=spec.year).first()
        if target is None:
            target = Target.objects.create(
                unit=spec.unit, year=spec.year, updated_by=by, updated_at=now, **values
            )
            action, changes = AuditAction.CREATE, {"after": {"year": spec.year, **values}}
        else:
            action, changes = AuditAction.CHANGE, audit_diff(target, values)
            for name, value in values.items():
                setattr(target, name, value)
            target.updated_by, target.updated_at = by, now
            target.save(update_fields=[*TARGET_FIELDS, "updated_by", "updated_at"])
        audit_record(action, actor=by, obj=target, now=now, changes=changes)
    return target
