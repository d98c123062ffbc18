"""Rankings: a draft computed from the ledger, publishing (a frozen copy), and the weights.

The page, the API and the command line all call these; `user` None is the command line run
without --as, which sees the whole database (whoever runs it holds the database).
"""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record
from bihuan.errors import DomainError, NotAllowed
from bihuan.org.models import Role, Unit, UnitKind
from bihuan.workflow.models import LightCutoffs

from .figures import UnitFigures, figures_by_unit, window_for
from .models import Ranking, RankingRow, ScoringWeights
from .periods import Period
from .scoring import Score, Weights, ranks, score

# How a peer group names its members: 青山县各乡镇, 城关镇各村（社区）.
KIND_PLURAL = {
    UnitKind.COUNTY: "县（市、区）",
    UnitKind.DEPARTMENT: "部门",
    UnitKind.TOWNSHIP: "乡镇",
    UnitKind.VILLAGE: "村（社区）",
    UnitKind.SECTION: "科室",
}
# The peer group offered first: townships where there are any.
KIND_PREFERENCE = (
    UnitKind.TOWNSHIP,
    UnitKind.DEPARTMENT,
    UnitKind.VILLAGE,
    UnitKind.SECTION,
    UnitKind.COUNTY,
)


@dataclass(frozen=True)
class RankingLine:
    unit: Unit
    unit_name: str
    figures: UnitFigures
    score: Score
    rank: int | None


@dataclass(frozen=True)
class RankingTable:
    """A ranking as pages, files and the API show it: a draft, or a published one's copy."""

    period: Period
    as_of: dt.date
    parent: Unit
    kind: str
    group_label: str
    weights: Weights
    lines: tuple[RankingLine, ...]
    ranking: Ranking | None = None

    @property
    def is_draft(self) -> bool:
        return self.ranking is None

    @property
    def ranked(self) -> tuple[RankingLine, ...]:
        return tuple(line for line in self.lines if line.rank is not None)

    @property
    def total(self) -> UnitFigures:
        return sum((line.figures for line in self.lines), UnitFigures())

    @property
    def kind_plural(self) -> str:
        return KIND_PLURAL.get(self.kind, "单位")


def group_label(parent: Unit, kind: str) -> str:
    return f"{parent.name}各{KIND_PLURAL.get(kind, '单位')}"


def default_kind(parent: Unit) -> str:
    kinds = set(
        Unit.objects.subtree_of(parent)
        .exclude(pk=parent.pk)
        .filter(is_active=True)
        .values_list("kind", flat=True)
    )
    return next((kind for kind in KIND_PREFERENCE if kind in kinds), UnitKind.TOWNSHIP)


def peers(*, user, parent: Unit, kind: str) -> list[Unit]:
    """The units of `kind` under `parent` that a ranking compares; `parent` must be in scope."""
    if user is not None and not (user.has_business_role and parent.is_visible_to(user)):
        raise NotAllowed(f"“{parent}”不在您的管理范围内。")
    units = list(
        Unit.objects.subtree_of(parent)
        .exclude(pk=parent.pk)
        .filter(kind=kind, is_active=True)
        .order_by("order", "path")
    )
    if not units:
        raise DomainError(f"{parent}下没有{KIND_PLURAL.get(kind, kind)}，无法排名。", field="kind")
    return units


def _check_period(period: Period, today: dt.date) -> None:
    if not period.has_begun(today):
        raise DomainError(f"{period.label}尚未开始，无法统计。", field="period")


def ranking_draft(
    *, user, period: Period, parent: Unit, kind: str, cutoffs: LightCutoffs
) -> RankingTable:
    """The ranking as the ledger stands now, with the current weights; nothing is stored."""
    _check_period(period, cutoffs.today)
    units = peers(user=user, parent=parent, kind=kind)
    window = window_for(period, cutoffs=cutoffs)
    figures = figures_by_unit(user=user, units=units, parent=parent, window=window)
    weights = Weights.of(ScoringWeights.current())
    scores = [score(figures[unit.pk], weights) for unit in units]
    places = ranks([s.total for s in scores])
    lines = [
        RankingLine(unit, unit.name, figures[unit.pk], s, place)
        for unit, s, place in zip(units, scores, places, strict=True)
    ]
    return RankingTable(
        period=period,
        as_of=window.as_of,
        parent=parent,
        kind=kind,
        group_label=group_label(parent, kind),
        weights=weights,
        lines=_ordered(lines),
    )


def _ordered(lines: list[RankingLine]) -> tuple[RankingLine, ...]:
    # Ranked units by rank (ties in the tree's order), then those with nothing to score.
    big = 1 << 30
    return tuple(sorted(lines, key=lambda line: line.rank if line.rank is not None else big))


def ranking_publish(
    *, by, period: Period, parent: Unit, kind: str, cutoffs: LightCutoffs, now: dt.datetime
) -> Ranking:
    """Freeze the draft: the period, the group, the weights and every unit's counts."""
    if by is not None and not by.has_role(Role.SUPERVISOR):
        raise NotAllowed("只有督查员可以发布排名。")
    if Ranking.objects.filter(period=period.key, parent=parent, kind=kind).exists():
        raise DomainError(
            f"{period.label}{group_label(parent, kind)}的排名已经发布。", field="period"
        )
    table = ranking_draft(user=by, period=period, parent=parent, kind=kind, cutoffs=cutoffs)
    try:
        with transaction.atomic():
            ranking = Ranking.objects.create(
                period=period.key,
                period_label=period.label,
                period_start=period.start,
                period_end=period.end,
                as_of=table.as_of,
                parent=parent,
                kind=kind,
                group_label=table.group_label,
                weights=table.weights.as_json(),
                published_at=now,
                published_by=by,
            )
            RankingRow.objects.bulk_create(
                RankingRow(
                    ranking=ranking,
                    unit=line.unit,
                    unit_name=line.unit_name,
                    rank=line.rank,
                    score=line.score.total,
                    figures=line.figures.as_json(),
                    order=order,
                )
                for order, line in enumerate(table.lines)
            )
            audit_record(
                AuditAction.CREATE,
                actor=by,
                obj=ranking,
                now=now,
                changes={
                    "step": "publish",
                    "period": period.key,
                    "rows": [
                        {"unit": line.unit_name, "rank": line.rank, "score": line.score.total}
                        for line in table.lines
                    ],
                },
            )
    except IntegrityError:
        # Someone published the same ranking a moment earlier.
        raise DomainError(
            f"{period.label}{table.group_label}的排名已经发布。", field="period"
        ) from None
    return ranking


def ranking_table(ranking: Ranking) -> RankingTable:
    """A published ranking as it was frozen: its own weights and counts, scored again (the
    arithmetic gives the stored scores back; the test of publishing checks it does)."""
    weights = Weights.of(ranking.weights)
    lines = []
    for row in ranking.rows.select_related("unit"):
        figures = UnitFigures.from_json(row.figures)
        lines.append(
            RankingLine(row.unit, row.unit_name, figures, score(figures, weights), row.rank)
        )
    period = Period(
        ranking.period, "", ranking.period_label, ranking.period_start, ranking.period_end
    )
    return RankingTable(
        period=period,
        as_of=ranking.as_of,
        parent=ranking.parent,
        kind=ranking.kind,
        group_label=ranking.group_label,
        weights=weights,
        lines=tuple(lines),
        ranking=ranking,
    )


def published_or_draft(
    *, user, period: Period, parent: Unit, kind: str, cutoffs: LightCutoffs
) -> RankingTable:
    """The published ranking of the period and group if there is one, else a draft."""
    ranking = Ranking.objects.filter(period=period.key, parent=parent, kind=kind).first()
    if ranking is not None:
        peers(user=user, parent=parent, kind=kind)
        return ranking_table(ranking)
    return ranking_draft(user=user, period=period, parent=parent, kind=kind, cutoffs=cutoffs)


WEIGHT_FIELDS = tuple(Weights.__dataclass_fields__)


def weights_set(*, values: dict, by, now: dt.datetime) -> ScoringWeights:
    """Replace the weights; published rankings keep the ones they were scored with."""
    if not by.has_role(Role.SYSTEM_ADMIN):
        raise NotAllowed("只有系统管理员可以设置排名计分权重。")
    if any(values[name] < 0 for name in WEIGHT_FIELDS):
        raise DomainError("权重和扣分不能为负数。")
    if not any(
        values[name] for name in ("acknowledge", "feedback", "on_time", "closed", "returned")
    ):
        raise DomainError("五项比率的权重不能全为 0。")
    current = ScoringWeights.current()
    before = Weights.of(current).as_json()
    with transaction.atomic():
        for name in WEIGHT_FIELDS:
            setattr(current, name, values[name])
        current.updated_at, current.updated_by = now, by
        current.save()
        audit_record(
            AuditAction.CHANGE,
            actor=by,
            obj=current,
            now=now,
            changes={"before": before, "after": Weights.of(current).as_json()},
        )
    return current
