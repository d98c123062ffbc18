"""查重 of materials: every material is checked when it is uploaded and again on demand, against
the other materials and the reference library (the pool). The text work is bihuan.text.dupcheck's.

Scope: the check compares with the whole pool, so a 复制比 is one figure whoever looks at it.
What a viewer sees of each source follows the one scope rule: a library text, or a material of a
unit they see, is shown with its title, author and text side by side; a material of a unit they
do not see is counted only, as "其他单位材料" with the number of such materials and the largest
overlap: never its title, author, unit or text, nor where in it the passage stands.
"""

import dataclasses
import datetime as dt

from django.conf import settings
from django.db import transaction

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record
from bihuan.text.dupcheck import (
    KINDS,
    Comparison,
    Keyed,
    compare,
    find_markers,
    fingerprints_of,
    keyed,
)
from bihuan.text.read import MaterialFileError, read_material

from .models import DuplicateCheck, DuplicateMatch, Material, PoolEntry
from .pool import pool_add, pool_sources

__all__ = [
    "DupcheckView",
    "dupcheck_view",
    "match_visible",
    "material_dupcheck",
    "pool_compare",
]

# Candidates aligned passage by passage; the index ranks them, most fingerprints shared first.
CANDIDATES = 20


def _raw_text(material: Material) -> str | None:
    """The text of the stored original, for markers; None when it cannot be read again."""
    try:
        with material.file.open("rb") as handle:
            data = handle.read()
        return read_material(data, filename=material.original_name).text
    except (OSError, MaterialFileError):
        return None


def _markers(material: Material, raw_text: str | None) -> list[dict]:
    raw_text = raw_text if raw_text is not None else _raw_text(material)
    if raw_text is None:
        last = material.dupchecks.first()
        return last.markers if last else []
    return [dataclasses.asdict(marker) for marker in find_markers(raw_text)]


def _document(entry: PoolEntry):
    return entry.material or entry.reference


def _matches(check: DuplicateCheck, result: Comparison, entries: dict[str, PoolEntry]):
    return [
        DuplicateMatch(
            dupcheck=check,
            rank=rank,
            source_material=entries[match.key].material,
            source_reference=entries[match.key].reference,
            overlap_chars=match.overlap_chars,
            source_overlap_chars=match.source_overlap_chars,
            source_chars=match.source_chars,
            spans=[[s.start, s.end, s.source_start, s.source_end] for s in match.spans],
        )
        for rank, match in enumerate(result.matches, start=1)
    ]


def pool_compare(text: Keyed, *, exclude: str = "") -> tuple[Comparison, dict[str, PoolEntry]]:
    """`text` against its likeliest sources in the pool (all but the entry `exclude`): the
    comparison, and the pool entries its matches' keys name."""
    entries = {
        e.key: e for e in pool_sources(fingerprints_of(text), exclude=exclude, limit=CANDIDATES)
    }
    result = compare(text, [(key, keyed(_document(e).clean_text)) for key, e in entries.items()])
    return result, entries


def material_dupcheck(
    *, material: Material, by, now: dt.datetime, raw_text: str | None = None
) -> DuplicateCheck:
    """Check `material` and store the result. `raw_text` is the text as read at upload; on
    demand the stored original is read again for its markers (the last check's are kept when
    it cannot be). The material joins the pool at its first check."""
    text = keyed(material.clean_text)
    markers = _markers(material, raw_text)
    entry = PoolEntry.objects.filter(material=material).first()
    # Read and compare first: the transaction holds SQLite's write lock only for the writes.
    result, entries = pool_compare(text, exclude=entry.key if entry else "")
    with transaction.atomic():
        if entry is None:
            pool_add(text=text, material=material)
        check = DuplicateCheck.objects.create(
            material=material,
            checked_at=now,
            checked_by=by,
            chars=result.chars,
            copied_chars=result.copied_chars,
            markers=markers,
        )
        DuplicateMatch.objects.bulk_create(_matches(check, result, entries))
        audit_record(
            AuditAction.CREATE,
            actor=by,
            obj=check,
            now=now,
            changes={
                "material": material,
                "copy_ratio": f"{result.copy_ratio:.4f}",
                "sources": len(result.matches),
                "markers": len(markers),
            },
        )
    return check


@dataclasses.dataclass(frozen=True)
class MarkerLine:
    line: int
    text: str
    kinds: tuple[str, ...]  # what the page calls each kind of marker found on the line
    patterns: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Hidden:
    """The sources of units the viewer does not see: how many, and the largest overlap."""

    count: int
    overlap_chars: int
    percent: str


@dataclasses.dataclass(frozen=True)
class DupcheckView:
    """The latest check of a material as one viewer may see it (None: never checked)."""

    check: DuplicateCheck | None
    markers: tuple[MarkerLine, ...] = ()
    sources: tuple[DuplicateMatch, ...] = ()
    hidden: Hidden | None = None
    # The 复制比 from which supervisors see the material listed (BIHUAN_DUPCHECK_THRESHOLD_PERCENT).
    threshold: float = 0.3


def _percent(part: int, whole: int) -> str:
    return f"{part / whole if whole else 0:.1%}"


def match_visible(match: DuplicateMatch, user) -> bool:
    """A library text is everyone's; a material only within the viewer's scope."""
    return match.source_material is None or match.source_material.unit.is_visible_to(user)


def _marker_lines(markers: list[dict]) -> tuple[MarkerLine, ...]:
    lines: dict[int, MarkerLine] = {}
    for marker in markers:
        line = lines.get(marker["line"]) or MarkerLine(marker["line"], marker["text"], (), ())
        kind = KINDS.get(marker["kind"], marker["kind"])
        lines[marker["line"]] = dataclasses.replace(
            line,
            kinds=line.kinds if kind in line.kinds else (*line.kinds, kind),
            patterns=(*line.patterns, marker["pattern"]),
        )
    return tuple(lines[number] for number in sorted(lines))


def dupcheck_view(material: Material, user) -> DupcheckView:
    """The material's latest check for `user`: its markers by line, the sources the user may
    see (ranked) and the others counted as one row."""
    check = material.dupchecks.first()
    if check is None:
        return DupcheckView(None)
    matches = list(
        check.matches.select_related(
            "source_material__unit", "source_material__author", "source_reference"
        )
    )
    for match in matches:
        match.percent = _percent(match.overlap_chars, check.chars)
    shown = tuple(m for m in matches if match_visible(m, user))
    others = [m for m in matches if not match_visible(m, user)]
    hidden = None
    if others:
        largest = max(m.overlap_chars for m in others)
        hidden = Hidden(len(others), largest, _percent(largest, check.chars))
    threshold = settings.BIHUAN_DUPCHECK_THRESHOLD_PERCENT / 100
    return DupcheckView(check, _marker_lines(check.markers), shown, hidden, threshold)
