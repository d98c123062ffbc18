"""排名: the published rankings the caller sees, one in full with each score's parts, and the
draft of a period and group computed from the ledger as it stands."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from bihuan.org.models import UnitKind
from bihuan.rankings import services
from bihuan.rankings.figures import FIGURE_NAMES
from bihuan.rankings.models import Ranking
from bihuan.rankings.periods import parse_period

from .clock import clock
from .errors import ERRORS
from .lookups import visible_unit
from .pagination import Page, PageQuery, paginate
from .schemas import Ref

router = Router(tags=["排名"])


class RankingSummary(Schema):
    id: int
    period: str
    period_label: str
    parent: Ref
    kind: str
    group_label: str
    as_of: dt.date
    published_at: dt.datetime
    published_by: Ref


class PartOut(Schema):
    key: str
    label: str
    rate: float | None
    weight: float
    points: float | None = Field(description="该项折算得分；无可计分事项时为 null")
    max_points: float | None


class UnitName(Schema):
    id: int
    name: str = Field(description="发布时的单位名称")


class RankingRowOut(Schema):
    unit: UnitName
    rank: int | None = Field(description="名次；无可计分事项的单位为 null")
    score: float | None
    base: float | None
    overdue_deduction: float
    escalation_deduction: float
    parts: list[PartOut]
    figures: dict[str, float] = Field(description="计分所依据的各项计数")


class RankingOut(Schema):
    id: int | None = Field(description="已发布排名的 id；草稿为 null")
    draft: bool
    period: str
    period_label: str
    period_start: dt.date
    period_end: dt.date
    as_of: dt.date
    parent: Ref
    kind: str
    group_label: str
    weights: dict[str, float]
    rows: list[RankingRowOut]


class DraftQuery(Schema):
    period: str = Field(
        description="2026-11（月）、2026-Q4（季度）、2026（年），或专项活动 campaign-12"
        "（只统计标注为该活动的问题及其整改措施；看不到的活动按不存在处理）"
    )
    parent: int = Field(description="上级单位 id：对其下属的同类单位排名")
    kind: UnitKind = Field(UnitKind.TOWNSHIP, description="参与排名的单位类型")


def _number(value) -> float | None:
    return None if value is None else float(value)


def _out(table: services.RankingTable) -> dict:
    return {
        "id": table.ranking.pk if table.ranking else None,
        "draft": table.is_draft,
        "period": table.period.key,
        "period_label": table.period.label,
        "period_start": table.period.start,
        "period_end": table.period.end,
        "as_of": table.as_of,
        "parent": table.parent,
        "kind": table.kind,
        "group_label": table.group_label,
        "weights": {k: float(v) for k, v in table.weights.as_json().items()},
        "rows": [
            {
                "unit": {"id": line.unit.pk, "name": line.unit_name},
                "rank": line.rank,
                "score": _number(line.score.total),
                "base": _number(line.score.base),
                "overdue_deduction": float(line.score.overdue_deduction),
                "escalation_deduction": float(line.score.escalation_deduction),
                "parts": [
                    {
                        "key": part.key,
                        "label": part.label,
                        "rate": part.rate,
                        "weight": float(part.weight),
                        "points": _number(part.points),
                        "max_points": _number(part.max_points),
                    }
                    for part in line.score.parts
                ],
                "figures": {name: float(getattr(line.figures, name)) for name in FIGURE_NAMES},
            }
            for line in table.lines
        ],
    }


@router.get("/rankings", response={200: Page[RankingSummary], **ERRORS}, summary="已发布的排名")
def ranking_list(request, query: Query[PageQuery]):
    rankings = Ranking.objects.visible_to(request.auth).select_related("parent", "published_by")
    return paginate(rankings, query)


@router.get(
    "/rankings/draft",
    response={200: RankingOut, **ERRORS},
    summary="排名草稿：按台账当前数据计算（不保存）",
)
def ranking_draft(request, query: Query[DraftQuery]):
    user = request.auth
    parent = visible_unit(user, query.parent, field="parent", label="上级单位")
    table = services.ranking_draft(
        user=user,
        period=parse_period(query.period, user=user),
        parent=parent,
        kind=query.kind,
        cutoffs=clock(request).cutoffs,
    )
    return _out(table)


@router.get(
    "/rankings/{ranking_id}",
    response={200: RankingOut, **ERRORS},
    summary="一个已发布的排名：各单位得分及其构成",
)
def ranking_get(request, ranking_id: int):
    ranking = get_object_or_404(
        Ranking.objects.visible_to(request.auth).select_related("parent"), pk=ranking_id
    )
    return _out(services.ranking_table(ranking))
