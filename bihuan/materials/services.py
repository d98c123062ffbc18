"""Materials: upload (read, clean, extract), review of the extracted items, and confirmation
into ledger rows. The text work is `bihuan.text`'s; this module adapts it to the database."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record
from bihuan.errors import DomainError, NotAllowed
from bihuan.ledger.models import Category
from bihuan.ledger.services import MeasureSpec, ProblemSpec, problem_write
from bihuan.org.models import Role
from bihuan.text import extract_text, extraction_json
from bihuan.text.punctuation import cjk_punctuation
from bihuan.text.read import MaterialFileError, read_material
from bihuan.workflow.states import DeadlineKind

from .dupcheck import material_dupcheck
from .linking import default_links
from .models import ItemRole, Material, MaterialItem, MaterialKind, MaterialState


def material_upload(
    *, data: bytes, filename: str, kind: str, author, by, now: dt.datetime, campaign=None
) -> Material:
    """Read and extract an uploaded material; an unreadable file is refused with one message.
    `campaign`: the 专项活动 it is submitted for, counted against that campaign's requirements."""
    if author != by and not (
        by.has_role(Role.SUPERVISOR) and author.unit and author.unit.is_visible_to(by)
    ):
        raise NotAllowed("只能上传本人的材料；督查员可代本单位及下级的干部上传。")
    if author.unit is None:
        raise DomainError(f"{author}没有所属单位，不能上传材料。", field="author")
    if kind not in MaterialKind.values:
        raise DomainError(f"未知的材料类型“{kind}”。", field="kind")
    if campaign is not None and not campaign.is_visible_to(by):
        raise DomainError(f"专项活动“{campaign}”不在您的管理范围内。", field="campaign")
    if len(data) > settings.BIHUAN_MATERIAL_MAX_BYTES:
        raise DomainError(
            f"文件大小 {filesizeformat(len(data))}，超过 "
            f"{filesizeformat(settings.BIHUAN_MATERIAL_MAX_BYTES)} 的上限。",
            field="file",
        )
    try:
        read = read_material(data, filename=filename, max_bytes=settings.BIHUAN_MATERIAL_MAX_BYTES)
    except MaterialFileError as error:
        raise DomainError(str(error), field="file") from None
    extraction = extract_text(read.text)
    clean = extraction.clean_text
    if not clean.strip():
        raise DomainError("文件中没有可读的文字。", field="file")
    with transaction.atomic():
        material = Material(
            kind=kind,
            title=(extraction.title or filename)[:200],
            author=author,
            unit=author.unit,
            original_name=filename[:255],
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=by,
            uploaded_at=now,
            campaign=campaign,
            clean_text=clean,
            removed=list(extraction.removed),
            # The outline as the extraction contract writes it, for the page to show.
            outline=extraction_json(extraction)["outline"],
        )
        material.file.save(material.original_name, ContentFile(data), save=False)
        material.save()
        MaterialItem.objects.bulk_create(
            MaterialItem(
                material=material,
                role=role,
                order=order,
                text=cjk_punctuation(item.text),
                label=cjk_punctuation(item.category or item.group or "")[:100],
                start=item.start,
                end=item.end,
            )
            for role, items in (
                (ItemRole.PROBLEM, extraction.problems),
                (ItemRole.CAUSE, extraction.causes),
                (ItemRole.MEASURE, extraction.measures),
            )
            for order, item in enumerate(items)
        )
        default_links(material)
        material_dupcheck(material=material, raw_text=read.text, by=by, now=now)
        audit_record(
            AuditAction.UPLOAD,
            actor=by,
            obj=material,
            now=now,
            changes={"sha256": material.sha256, "size": len(data), "author": author},
        )
    return material


def material_open(*, material: Material, by, now: dt.datetime):
    """The original file, opened for a download that is recorded."""
    audit_record(AuditAction.DOWNLOAD, actor=by, obj=material, now=now)
    return material.file.open("rb")


def may_review(material: Material, by) -> bool:
    return material.author_id == by.pk or (
        by.has_role(Role.SUPERVISOR) and material.unit.is_visible_to(by)
    )


@dataclass(frozen=True)
class ItemEdit:
    """What the review form says of one item."""

    item: MaterialItem
    text: str
    label: str
    included: bool
    problems: tuple[int, ...] = ()  # item ids of the problems a cause or measure belongs to
    merge_up: bool = False  # join this item onto the one above it (same role)


def material_review(
    *, material: Material, edits: list[ItemEdit], added: list[tuple[str, str, str]], by
) -> None:
    """Save the reviewer's edits: texts, labels, drops, merges, splits (a blank line in a text
    splits it) and new items (role, text, label)."""
    _check_reviewable(material, by)
    with transaction.atomic():
        previous: dict[str, MaterialItem] = {}
        for edit in edits:
            item = edit.item
            parts = [part.strip() for part in edit.text.replace("\r", "").split("\n\n")]
            parts = [part for part in parts if part]
            if edit.merge_up and item.role in previous:
                target = previous[item.role]
                target.text = f"{target.text}{''.join(parts)}"
                target.save(update_fields=["text"])
                item.delete()
                continue
            if not parts:
                item.included = False
                item.save(update_fields=["included"])
                continue
            if parts[0] != item.text:
                item.start = item.end = None
            item.text, item.label, item.included = parts[0], edit.label[:100], edit.included
            item.save(update_fields=["text", "label", "included", "start", "end"])
            if item.role != ItemRole.PROBLEM:
                item.problems.set(edit.problems)
            for order, part in enumerate(parts[1:], start=1):
                extra = MaterialItem.objects.create(
                    material=material, role=item.role, order=item.order, text=part, label=item.label
                )
                if item.role != ItemRole.PROBLEM:
                    extra.problems.set(edit.problems)
                item.order += order
            previous[item.role] = item
        last = {
            role: max((e.item.order for e in edits if e.item.role == role), default=0)
            for role in ItemRole.values
        }
        for role, text, label in added:
            if text.strip():
                last[role] += 1
                MaterialItem.objects.create(
                    material=material,
                    role=role,
                    order=last[role],
                    text=text.strip(),
                    label=label[:100],
                )


def _check_reviewable(material: Material, by) -> None:
    if not may_review(material, by):
        raise NotAllowed("只有材料作者或其单位的督查员可以修改和确认。")
    if material.state != MaterialState.REVIEW:
        raise DomainError("材料已转入台账，不能再修改。")


def _category_for(label: str, categories: list[Category], default: Category) -> Category:
    label = label.removeprefix("在").removesuffix("方面")
    for category in categories:
        if label and (category.name in label or label in category.name):
            return category
    return default


def material_confirm(*, material: Material, by, now: dt.datetime, default_category: Category):
    """Turn the included problems, with their linked causes and measures, into ledger rows:
    all of them, or none. Unit and person come from the author; deadlines stay 待定."""
    _check_reviewable(material, by)
    items = list(material.items.filter(included=True).prefetch_related("problems"))
    problems = [item for item in items if item.role == ItemRole.PROBLEM]
    if not problems:
        raise DomainError("没有勾选要转入台账的问题。")
    linked: dict[int, list[MaterialItem]] = {item.pk: [] for item in problems}
    for item in items:
        for problem in item.problems.all():
            if problem.pk in linked:
                linked[problem.pk].append(item)
    categories = list(Category.objects.filter(is_active=True))
    created = []
    with transaction.atomic():
        for number, item in enumerate(problems, start=1):
            measures = [i for i in linked[item.pk] if i.role == ItemRole.MEASURE]
            causes = [i for i in linked[item.pk] if i.role == ItemRole.CAUSE]
            if not measures:
                raise DomainError(
                    f"问题{number}“{item.text[:20]}…”没有整改措施：请勾选至少一条措施，或不转入该问题。"
                )
            spec = ProblemSpec(
                source=material.source,
                category=_category_for(item.label, categories, default_category),
                description=item.text,
                unit=material.unit,
                person=material.author,
                campaign=material.campaign,
                causes=[cause.text for cause in causes],
                measures=[
                    MeasureSpec(
                        text=measure.text,
                        owner_unit=material.unit,
                        owner=material.author,
                        deadline_kind=DeadlineKind.UNSET,
                    )
                    for measure in measures
                ],
            )
            problem = problem_write(spec=spec, by=by, now=now)
            MaterialItem.objects.filter(pk=item.pk).update(problem=problem)
            for measure_item, measure in zip(
                measures, problem.measures.order_by("seq"), strict=True
            ):
                # A measure shared by two problems becomes two rows; the item links the first.
                MaterialItem.objects.filter(pk=measure_item.pk, measure=None).update(
                    measure=measure
                )
            created.append(problem)
        updated = Material.objects.filter(pk=material.pk, state=MaterialState.REVIEW).update(
            state=MaterialState.CONFIRMED, confirmed_by=by, confirmed_at=now
        )
        if updated != 1:
            raise DomainError("材料已转入台账。")
    return created
