"""The 查重 reference library: known template texts that every material is compared with."""

import datetime as dt
import hashlib
from pathlib import PurePath

from django.conf import settings
from django.db import transaction

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record
from bihuan.errors import DomainError
from bihuan.text.dupcheck import keyed
from bihuan.text.meta import title_of
from bihuan.text.normalise import normalise
from bihuan.text.read import MaterialFileError, read_material

from .models import ReferenceText
from .pool import pool_add, pool_remove


def reference_add(
    *, text: str, name: str, source_name: str = "", by=None, now: dt.datetime
) -> tuple[ReferenceText, bool]:
    """Add a text (raw, as read) to the library under its own title, else `name`; returns the
    library text and whether it was added (False: the same text is in the library already).
    A text once removed comes back."""
    clean = normalise(text).text
    content = keyed(clean)
    if not len(content):
        raise DomainError("没有可比对的文字。")
    sha256 = hashlib.sha256(clean.encode()).hexdigest()
    with transaction.atomic():
        reference = ReferenceText.objects.select_for_update().filter(sha256=sha256).first()
        if reference is not None and reference.removed_at is None:
            return reference, False
        if reference is not None:
            ReferenceText.objects.filter(pk=reference.pk).update(removed_at=None)
            reference.removed_at = None
            audit_record(
                AuditAction.CHANGE, actor=by, obj=reference, now=now, changes={"removed_at": None}
            )
        else:
            title = title_of([p for p in clean.split("\n") if p.strip()]) or name
            reference = ReferenceText.objects.create(
                title=title[:200],
                source_name=source_name[:255],
                clean_text=clean,
                sha256=sha256,
                added_by=by,
                added_at=now,
            )
            audit_record(
                AuditAction.CREATE,
                actor=by,
                obj=reference,
                now=now,
                changes={"source_name": reference.source_name, "sha256": sha256},
            )
        pool_add(text=content, reference=reference)
    return reference, True


def reference_add_file(
    *, data: bytes, filename: str, source_name: str = "", by, now: dt.datetime
) -> tuple[ReferenceText, bool]:
    """`reference_add` for an uploaded file (any format a material may have): its source is
    `source_name`, else the file's name."""
    try:
        read = read_material(data, filename=filename, max_bytes=settings.BIHUAN_MATERIAL_MAX_BYTES)
    except MaterialFileError as error:
        raise DomainError(error.message, field="files") from None
    return reference_add(
        text=read.text,
        name=PurePath(filename).stem,
        source_name=source_name or filename,
        by=by,
        now=now,
    )


def reference_remove(*, reference: ReferenceText, by=None, now: dt.datetime) -> None:
    """Take a text out of the library: later checks no longer compare with it; earlier results
    still name it."""
    with transaction.atomic():
        removed = ReferenceText.objects.filter(pk=reference.pk, removed_at=None).update(
            removed_at=now
        )
        if removed != 1:
            raise DomainError(f"参考文本 {reference.pk} 已不在库中。")
        pool_remove(reference=reference)
        audit_record(
            AuditAction.CHANGE, actor=by, obj=reference, now=now, changes={"removed_at": now}
        )
    reference.removed_at = now
