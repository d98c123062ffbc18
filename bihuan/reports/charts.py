"""The dashboard's charts: labels, series and, for every figure, the ledger list of the rows it
counts. The page draws them with ECharts and prints the same numbers as tables."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from django.urls import get_script_prefix, reverse
from django.utils.http import urlencode

from bihuan.ledger.models import Category
from bihuan.org.models import Unit
from bihuan.supervision.models import STATE_LABELS, Level
from bihuan.workflow.metrics import Counts
from bihuan.workflow.states import Light, State

from .figures import AGE_BUCKETS, Trend, age_range


@dataclass(frozen=True)
class Bar:
    """One figure of a chart and the list of the rows it counts (for a score, the page that
    breaks it down)."""

    value: int | float
    url: str


@dataclass(frozen=True)
class Series:
    key: str
    name: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    # line, bar (upright), hbar (sideways), stack (upright, series stacked), units (sideways,
    # stacked, as tall as its labels need) or pie (the first series).
    kind: str
    axis: str  # what the labels are, the table's first column
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    note: str = ""
    keys: tuple[str, ...] = ()  # the labels' own keys, where they carry a colour (lights)

    def rows(self) -> list[tuple[str, list[Bar]]]:
        """The table's rows: a label and its figure in each series."""
        return [
            (label, [series.bars[i] for series in self.series])
            for i, label in enumerate(self.labels)
        ]

    def data(self) -> dict:
        """What the page's script draws, passed with `json_script`."""
        return {
            "kind": self.kind,
            "title": self.title,
            "labels": list(self.labels),
            "keys": list(self.keys),
            "series": [
                {
                    "key": series.key,
                    "name": series.name,
                    "values": [bar.value for bar in series.bars],
                    "urls": [bar.url for bar in series.bars],
                }
                for series in self.series
            ],
        }


@cache
def _ledger_list(script_prefix: str) -> str:
    # The charts link a few hundred figures, and reversing a URL is slow enough to show.
    return reverse("ledger:list")


def ledger_url(**params) -> str:
    base = _ledger_list(get_script_prefix())
    shown = {name: value for name, value in params.items() if value not in (None, "")}
    return f"{base}?{urlencode(shown)}" if shown else base


def states_chart(counts: Counts) -> Chart:
    return Chart(
        key="states",
        title="各状态措施数",
        kind="hbar",
        axis="状态",
        labels=tuple(state.label for state in State),
        series=(
            Series(
                key="measures",
                name="措施数",
                bars=tuple(
                    Bar(counts.by_state[state], ledger_url(state=state.value)) for state in State
                ),
            ),
        ),
    )


LIGHTS = (Light.RED, Light.YELLOW, Light.GREEN)


def lights_chart(counts: Counts) -> Chart:
    return Chart(
        key="lights",
        title="在办措施红黄绿灯",
        kind="pie",
        axis="红黄绿灯",
        labels=tuple(light.label for light in LIGHTS),
        keys=tuple(light.value for light in LIGHTS),
        series=(
            Series(
                key="measures",
                name="措施数",
                bars=tuple(
                    Bar(counts.by_light[light], ledger_url(light=light.value)) for light in LIGHTS
                ),
            ),
        ),
    )


def _month_end(start: dt.date) -> dt.date:
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def trend_chart(trend: Trend) -> Chart:
    ends = [_month_end(start) for start in trend.months]
    lines = (
        ("registered", "新登记措施", trend.registered, "created"),
        ("closed", "销号措施", trend.closed, "closed"),
    )
    return Chart(
        key="trend",
        title="近12个月登记与销号",
        kind="line",
        axis="月份",
        labels=tuple(f"{start.year}年{start.month}月" for start in trend.months),
        series=tuple(
            Series(
                key=key,
                name=name,
                bars=tuple(
                    Bar(n, ledger_url(**{f"{prefix}_from": start, f"{prefix}_to": end}))
                    for n, start, end in zip(counts, trend.months, ends, strict=True)
                ),
            )
            for key, name, counts, prefix in lines
        ),
        note="按登记时间和销号时间所在月份计；本月截至今日。",
    )


def _short(unit: Unit) -> str:
    return unit.short_name or unit.name


def _ancestor_path(path: str, *, depth: int) -> str:
    """The path of the unit at `depth` on the way to `path`: "/1/4/17/" at depth 1 is "/1/4/"."""
    return "/".join(path.split("/")[: depth + 2]) + "/"


def units_chart(
    lights_by_path: dict[str, dict[str, int]], *, own: Unit | None, children: Sequence[Unit]
) -> Chart:
    """Open measures under each light for the user's own unit (本级, its own measures only)
    and each unit below it (with the units below that)."""
    subtotals = {unit.path: dict.fromkeys(LIGHTS, 0) for unit in children}
    # The children are siblings: the one a path lies under is its ancestor at their depth.
    depth = children[0].depth if children else 0
    for path, counts in lights_by_path.items():
        subtotal = subtotals.get(_ancestor_path(path, depth=depth))
        if subtotal is None:
            continue
        for light in LIGHTS:
            subtotal[light] += counts[light]
    bars: list[tuple[str, dict[str, int], dict]] = []
    if own is not None:
        lit = lights_by_path.get(own.path, {})
        bars.append((f"{_short(own)}（本级）", lit, {"unit": own.pk, "unit_only": "on"}))
    bars += [(_short(unit), subtotals[unit.path], {"unit": unit.pk}) for unit in children]
    return Chart(
        key="units",
        title="各单位在办措施红黄绿灯",
        kind="units",
        axis="单位",
        labels=tuple(label for label, _, _ in bars),
        series=tuple(
            Series(
                key=light.value,
                name=light.label,
                bars=tuple(
                    Bar(lit.get(light, 0), ledger_url(**params, light=light.value))
                    for _, lit, params in bars
                ),
            )
            for light in LIGHTS
        ),
        note="下属单位的数字含其下属各单位。",
    )


def categories_chart(categories: Sequence[tuple[Category, int]]) -> Chart:
    return Chart(
        key="categories",
        title="各类别问题数",
        kind="bar",
        axis="问题类别",
        labels=tuple(category.name for category, _ in categories),
        series=(
            Series(
                key="problems",
                name="问题数",
                bars=tuple(Bar(n, ledger_url(category=category.pk)) for category, n in categories),
            ),
        ),
        note="点击查看该类别问题的整改措施。",
    )


def _age_label(bucket: tuple[int, int | None]) -> str:
    fewest, most = bucket
    return f"{fewest}–{most}天" if most is not None else f"超过{fewest - 1}天"


def ageing_chart(counts: Sequence[int], *, today: dt.date) -> Chart:
    bars = []
    for n, bucket in zip(counts, AGE_BUCKETS, strict=True):
        earliest, latest = age_range(today, bucket)
        url = ledger_url(light=Light.RED.value, deadline_from=earliest, deadline_to=latest)
        bars.append(Bar(n, url))
    return Chart(
        key="ageing",
        title="逾期措施按逾期天数",
        kind="bar",
        axis="逾期天数",
        labels=tuple(_age_label(bucket) for bucket in AGE_BUCKETS),
        series=(Series(key="overdue", name="逾期措施", bars=tuple(bars)),),
        note="逾期天数按自然日计，自整改时限次日起算。",
    )


LEVELS = (Level.RED, Level.YELLOW, Level.BLUE)
LEVEL_STATES = (State.PENDING, State.IN_PROGRESS, State.SUBMITTED, State.CLOSED, State.CANCELLED)


def levels_chart(counts: dict[tuple[str, str], int]) -> Chart:
    states = [state for state in LEVEL_STATES if any(s == state for _, s in counts)]
    url = reverse("supervision:list")
    return Chart(
        key="levels",
        title="升级督办事项",
        kind="stack",
        axis="督办等级",
        labels=tuple(level.label for level in LEVELS),
        series=tuple(
            Series(
                key=state.value,
                name=STATE_LABELS.get(state, state.label),
                bars=tuple(
                    Bar(
                        counts.get((level.value, state.value), 0),
                        f"{url}?{urlencode({'level': level.value, 'state': state.value})}",
                    )
                    for level in LEVELS
                ),
            )
            for state in states
        ),
        note="督办事项逾期后按规则升级为蓝色、黄色、红色督办。",
    )


def ranking_chart(table) -> Chart:
    """The latest published ranking (a rankings.services.RankingTable): each ranked unit's
    score, first place first. A bar leads to the ranking's page, where each part of a score
    links to the rows behind it."""
    url = table.ranking.get_absolute_url()
    lines = table.ranked
    return Chart(
        key="ranking",
        title=f"{table.period.label}{table.group_label}排名",
        kind="hbar",
        axis="名次",
        labels=tuple(f"{line.rank}. {line.unit_name}" for line in lines),
        series=(
            Series(
                key="score",
                name="得分",
                bars=tuple(Bar(float(line.score.total), url) for line in lines),
            ),
        ),
        note=f"最近发布的排名，统计截至{table.as_of.year}年{table.as_of.month}月{table.as_of.day}日。",
    )
