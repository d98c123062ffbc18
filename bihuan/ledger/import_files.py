"""Ledger files on their way in: upload, preview, name mappings and the commit of one batch.

The web page and `bihuan ledger import` both go through here, so a file is read, planned and
committed the same way whichever door it comes in by.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record
from bihuan.errors import DomainError
from bihuan.org.models import Unit, UnitKind
from bihuan.tabular import read_ledger
from bihuan.tabular.records import LedgerFileError, ParsedLedger
from bihuan.workflow.calendar import WorkCalendar

from .importing import ImportOptions, ImportPlan, import_commit, import_plan
from .models import Category, ImportBatch, ImportState, NameKind, NameMapping

# A child unit's kind, by its parent's, for a unit created while mapping names.
CHILD_KIND = {
    UnitKind.COUNTY: UnitKind.DEPARTMENT,
    UnitKind.DEPARTMENT: UnitKind.SECTION,
    UnitKind.TOWNSHIP: UnitKind.VILLAGE,
    UnitKind.VILLAGE: UnitKind.SECTION,
    UnitKind.SECTION: UnitKind.SECTION,
}


def parse_ledger_file(data: bytes, *, filename: str, today: dt.date) -> ParsedLedger:
    """Read a ledger file or refuse it with the reader's one clear message."""
    try:
        return read_ledger(
            data, filename=filename, today=today, max_bytes=settings.BIHUAN_IMPORT_MAX_BYTES
        )
    except LedgerFileError as error:
        raise DomainError(str(error), field="file") from None


def check_import_size(size: int) -> None:
    if size > settings.BIHUAN_IMPORT_MAX_BYTES:
        raise DomainError(
            f"文件大小 {filesizeformat(size)}，超过 "
            f"{filesizeformat(settings.BIHUAN_IMPORT_MAX_BYTES)} 的上限；"
            "请删去无关的工作表或图片后再导入。",
            field="file",
        )


def import_upload(
    *,
    data: bytes,
    filename: str,
    by,
    now: dt.datetime,
    unit: Unit,
    source: str,
    category: Category,
) -> ImportBatch:
    """Keep an uploaded file for its preview; a file that is not a ledger is refused here."""
    check_import_size(len(data))
    ledger = parse_ledger_file(data, filename=filename, today=timezone.localdate(now))
    if not ledger.problems:
        raise DomainError("文件中没有找到任何问题和整改措施。", field="file")
    batch = ImportBatch(
        original_name=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        unit=unit,
        source=source,
        category=category,
        uploaded_by=by,
        uploaded_at=now,
    )
    # Checks scope and role before anything is stored.
    batch_plan(batch, data=data, ledger=ledger, now=now, calendar=WorkCalendar())
    with transaction.atomic():
        batch.file.save(batch.original_name, ContentFile(data), save=False)
        batch.save()
        audit_record(
            AuditAction.UPLOAD,
            actor=by,
            obj=batch,
            now=now,
            changes={"sha256": batch.sha256, "size": len(data), "unit": unit, "source": source},
        )
    return batch


def batch_options(batch: ImportBatch) -> ImportOptions:
    return ImportOptions(
        unit=batch.unit,
        source=batch.source,
        category=batch.category,
        file_name=batch.original_name,
        batch_id=batch.pk,
    )


def batch_plan(
    batch: ImportBatch,
    *,
    now: dt.datetime,
    calendar: WorkCalendar,
    data: bytes | None = None,
    ledger: ParsedLedger | None = None,
) -> ImportPlan:
    if ledger is None:
        if data is None:
            with batch.file.open("rb") as stored:
                data = stored.read()
        ledger = parse_ledger_file(
            data, filename=batch.original_name, today=timezone.localdate(now)
        )
    return import_plan(
        ledger=ledger,
        by=batch.uploaded_by,
        options=batch_options(batch),
        now=now,
        calendar=calendar,
    )


def batch_commit(*, batch: ImportBatch, by, now: dt.datetime, calendar: WorkCalendar) -> dict:
    """Import a previewed batch in one transaction; a second commit of it is refused."""
    if batch.uploaded_by_id != by.pk:
        raise DomainError("只有上传该文件的人可以确认导入。")
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.state != ImportState.PREVIEW:
            raise DomainError(f"该文件{locked.get_state_display()}，不能再次导入。")
        plan = batch_plan(locked, now=now, calendar=calendar)
        result = import_commit(
            plan=plan, by=by, options=batch_options(locked), now=now, calendar=calendar
        )
        updated = ImportBatch.objects.filter(pk=batch.pk, state=ImportState.PREVIEW).update(
            state=ImportState.COMMITTED, committed_at=now, result=result
        )
        if updated != 1:
            raise DomainError("该文件已导入。")
    batch.refresh_from_db()
    return result


def batch_discard(*, batch: ImportBatch, by) -> None:
    if batch.uploaded_by_id != by.pk:
        raise DomainError("只有上传该文件的人可以放弃导入。")
    ImportBatch.objects.filter(pk=batch.pk, state=ImportState.PREVIEW).update(
        state=ImportState.DISCARDED
    )


def name_map_unit(*, text: str, unit: Unit, by, now: dt.datetime) -> NameMapping:
    """Remember that `text` in a ledger file means `unit` (for this importer's scope)."""
    if not unit.is_visible_to(by):
        raise DomainError(f"单位“{unit}”不在您的管理范围内。", field="unit")
    text = text.strip()
    with transaction.atomic():
        # One meaning per name within a scope: a new choice replaces the old one.
        NameMapping.objects.filter(
            kind=NameKind.UNIT, text=text, unit__in=Unit.objects.visible_to(by)
        ).delete()
        return NameMapping.objects.create(
            kind=NameKind.UNIT, text=text, unit=unit, created_by=by, created_at=now
        )


def name_map_person(*, text: str, user, by, now: dt.datetime) -> NameMapping:
    if user.unit is None or not user.unit.is_visible_to(by):
        raise DomainError(f"{user}不在您的管理范围内。", field="user")
    text = text.strip()
    with transaction.atomic():
        NameMapping.objects.filter(
            kind=NameKind.PERSON, text=text, user__unit__in=Unit.objects.visible_to(by)
        ).delete()
        return NameMapping.objects.create(
            kind=NameKind.PERSON, text=text, user=user, created_by=by, created_at=now
        )


def name_create_unit(*, text: str, parent: Unit, by, now: dt.datetime) -> Unit:
    """A unit the file names and the tree lacks, created under `parent` and mapped to `text`."""
    if not parent.is_visible_to(by):
        raise DomainError(f"上级单位“{parent}”不在您的管理范围内。", field="parent")
    name = text.strip()
    if not name or len(name) > 100:
        raise DomainError("单位名称应为 1 到 100 个字。", field="text")
    if Unit.objects.filter(parent=parent, name=name).exists():
        raise DomainError(f"“{parent}”下已有单位“{name}”，请直接选择它。", field="text")
    with transaction.atomic():
        unit = Unit.objects.add(name=name, kind=CHILD_KIND[parent.kind], parent=parent)
        name_map_unit(text=text, unit=unit, by=by, now=now)
    return unit
