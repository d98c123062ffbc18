"""The four lists from a spreadsheet, as counties publish them: one sheet per list, or one sheet
with a 清单类型 column or section rows (一、村级组织依法自治事项 …), a title row or two above the
header. All rows are checked first; then everything is written in one transaction, and a file
imported again changes nothing.
"""

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import transaction

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record
from bihuan.errors import DomainError
from bihuan.tabular.cells import cell_text, clean_text, joined
from bihuan.tabular.records import LedgerFileError
from bihuan.tabular.workbook import Grid, read_grids

from .models import DutyEntry, DutyKind, DutyLevel
from .services import EntrySpec, clean_entry, require_admin

# Header words, compared without spaces; the first list of each is also matched by part.
COLUMNS = {
    "name": ("事项名称", "清单事项", "事项内容", "工作事项", "服务事项", "事项", "名称"),
    "number": ("序号", "编号"),
    "kind": ("清单类型", "清单类别", "所属清单", "清单"),
    "level": ("适用层级", "层级", "适用范围", "适用对象"),
    "basis": ("依据", "法律依据", "政策依据", "设定依据", "办理依据", "法律法规依据"),
    "note": ("说明", "备注", "具体内容", "工作要求", "事项说明"),
}
LABELS = {"name": "事项名称", "number": "序号", "kind": "清单类型", "level": "适用层级"}
HEADER_ROWS = 15
BOTH = "both"
LEVEL_CHOICES = [
    (DutyLevel.VILLAGE.value, "村"),
    (DutyLevel.COMMUNITY.value, "社区"),
    (BOTH, "村和社区通用"),
]


class ImportRefused(DomainError):
    """The file has rows that cannot be read; nothing was written."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"导入未完成，共 {len(errors)} 处问题，请修改文件后重新导入。")
        self.errors = errors


@dataclass(frozen=True)
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ReadEntries:
    specs: list[EntrySpec] = field(default_factory=list)
    # The optional columns the file has: one it lacks leaves what an entry says unchanged.
    columns: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


def kind_in(text: str) -> str | None:
    if "负面" in text:
        return DutyKind.NEGATIVE
    if "证明" in text:
        return DutyKind.CERTIFICATE
    if "协助" in text or "配合" in text:
        return DutyKind.ASSIST
    if "自治" in text:
        return DutyKind.AUTONOMY
    return None


def levels_in(text: str) -> list[str]:
    community = "社区" in text or "居委会" in text
    village = bool(re.search(r"村(?!民小组)", text)) or "村级" in text
    if community and village:
        return [DutyLevel.VILLAGE, DutyLevel.COMMUNITY]
    if community:
        return [DutyLevel.COMMUNITY]
    return [DutyLevel.VILLAGE] if village else []


def _label(value: object) -> str:
    return re.sub(r"\s+", "", cell_text(value)).rstrip(":：")


def _column_of(label: str) -> str | None:
    for key, words in COLUMNS.items():
        if label in words:
            return key
    if "名称" in label:
        return "name"
    if "依据" in label:
        return "basis"
    return None


def _header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    for number, row in enumerate(grid.rows[:HEADER_ROWS]):
        columns: dict[str, int] = {}
        for col, value in enumerate(row):
            key = _column_of(_label(value))
            if key and key not in columns:
                columns[key] = col
        if "name" in columns:
            return number, columns
    return None


def read_entries(data: bytes, *, filename: str, level: str) -> ReadEntries:
    """Every entry of the file with the levels it applies to (`level`, unless the file says),
    or the errors that stop it, each naming sheet, row, column and value."""
    try:
        grids = read_grids(data, filename=filename, max_bytes=settings.BIHUAN_IMPORT_MAX_BYTES)
    except LedgerFileError as error:
        raise DomainError(str(error).replace("台账", "清单"), field="file") from None
    default_levels = [DutyLevel.VILLAGE, DutyLevel.COMMUNITY] if level == BOTH else [level]
    read = ReadEntries()
    seen: dict[tuple, str] = {}
    for grid in grids:
        if not grid.hidden:
            _read_sheet(grid, read, seen, default_levels)
    if not read.specs and not read.errors:
        read.errors.append("文件中没有找到清单事项：表头应有「事项名称」列。")
    return read


def _read_sheet(grid: Grid, read: ReadEntries, seen: dict, default_levels: list[str]) -> None:
    found = _header(grid)
    if found is None:
        if any(cell_text(value) for row in grid.rows for value in row):
            read.errors.append(f"工作表「{grid.name}」没有找到「事项名称」列，已跳过整个工作表。")
        return
    head, columns = found
    read.columns |= set(columns) & {"basis", "note"}
    title = " ".join(cell_text(value) for row in grid.rows[:head] for value in row)
    kind = kind_in(grid.name) or kind_in(title)
    sheet_levels = levels_in(f"{grid.name} {title}") or default_levels
    for number, row in enumerate(grid.rows[head + 1 :], start=head + 2):
        texts = [cell_text(value) for value in row]
        filled = [(col, text) for col, text in enumerate(texts) if text]
        if not filled:
            continue
        where = f"工作表「{grid.name}」第 {number} 行"
        if _is_section(filled, columns):
            kind = kind_in(filled[0][1]) or kind
            continue
        spec = _row(texts, columns, where=where, kind=kind, levels=sheet_levels, read=read)
        for level_spec in spec:
            key = (level_spec.level, level_spec.kind, level_spec.name)
            if key in seen:
                read.errors.append(f"{where}「事项名称」值 {level_spec.name}：与{seen[key]}重复。")
            else:
                seen[key] = where
                read.specs.append(level_spec)


def _is_section(filled: list[tuple[int, str]], columns: dict[str, int]) -> bool:
    """A heading row inside a sheet: one cell, not a name, or a name numbered 一、二、 that
    names a list."""
    if len(filled) != 1:
        return False
    col, text = filled[0]
    if col != columns["name"]:
        return not text.isdigit()
    return bool(re.match(r"^[一二三四五六七八九十]+[、.．]", text)) and kind_in(text) is not None


def _cell(texts: list[str], columns: dict[str, int], key: str) -> str:
    col = columns.get(key)
    return texts[col] if col is not None and col < len(texts) else ""


def _row(texts, columns, *, where: str, kind, levels, read: ReadEntries) -> list[EntrySpec]:
    def refuse(key: str, reason: str) -> list:
        read.errors.append(
            f"{where}「{LABELS[key]}」值 {_cell(texts, columns, key) or '（空）'}：{reason}"
        )
        return []

    name = clean_text(_cell(texts, columns, "name"))
    if not name:
        return refuse("name", "事项名称不能为空。")
    if "kind" in columns:
        kind = kind_in(_cell(texts, columns, "kind")) or None
        if kind is None:
            return refuse("kind", "应为自治事项、协助政府事项、出具证明事项或负面清单。")
    if kind is None:
        return refuse(
            "kind", "无法判断属于哪张清单：请增加「清单类型」列，或以清单名称命名工作表。"
        )
    if "level" in columns and _cell(texts, columns, "level"):
        levels = levels_in(_cell(texts, columns, "level"))
        if not levels:
            return refuse("level", "应为村、社区或村（社区）。")
    number_text = _cell(texts, columns, "number")
    number = int(number_text) if number_text.isdigit() else 0
    spec = EntrySpec(
        level=levels[0],
        kind=kind,
        name=name,
        number=number,
        basis=joined(_cell(texts, columns, "basis")),
        note=joined(_cell(texts, columns, "note")),
    )
    try:
        spec = clean_entry(spec)
    except DomainError as error:
        read.errors.append(f"{where}：{error.message}")
        return []
    return [replace(spec, level=level) for level in levels]


def entries_import(*, data: bytes, filename: str, level: str, by, now: dt.datetime) -> ImportCounts:
    """Add the file's entries and correct the ones it changes, all or nothing; entries not in
    the file are kept (stop them one by one)."""
    require_admin(by)
    if level not in (*DutyLevel.values, BOTH):
        raise DomainError("请选择清单适用的层级。", field="level")
    read = read_entries(data, filename=filename, level=level)
    if read.errors:
        raise ImportRefused(read.errors)
    fields = ("number", *sorted(read.columns))
    created = updated = unchanged = 0
    with transaction.atomic():
        existing = {(e.level, e.kind, e.name): e for e in DutyEntry.objects.all()}
        for spec in read.specs:
            entry = existing.get((spec.level, spec.kind, spec.name))
            if entry is None:
                DutyEntry.objects.create(**spec.__dict__, created_at=now, updated_at=now)
                created += 1
                continue
            changes = {
                name: getattr(spec, name)
                for name in fields
                if getattr(entry, name) != getattr(spec, name)
            }
            if not entry.is_active:
                changes["is_active"] = True
            if changes:
                DutyEntry.objects.filter(pk=entry.pk).update(**changes, updated_at=now)
                updated += 1
            else:
                unchanged += 1
        counts = ImportCounts(created=created, updated=updated, unchanged=unchanged)
        audit_record(
            AuditAction.IMPORT,
            actor=by,
            object_type="duties.dutyentry",
            object_repr=f"村（社区）职责清单：{filename}",
            now=now,
            changes={"file": filename, "level": level, **counts.__dict__},
        )
    return counts
