from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from bihuan.ledger.models import Measure, Problem
from bihuan.ledger.paging import KeyedRows
from bihuan.org.models import Unit
from bihuan.rankings.selectors import latest_ranking
from bihuan.streamlining.figures import year_on_year
from bihuan.supervision.models import SupervisionItem
from bihuan.workflow.metrics import Counts, ledger_figures
from bihuan.workflow.models import LightCutoffs, load_calendar
from bihuan.workflow.scope import sees_every_unit
from bihuan.workflow.states import Light, State

from . import charts, figures, streamlining
from .charts import ledger_url

OVERDUE_LIST_SIZE = 20


@dataclass(frozen=True)
class OverdueRow:
    measure: Measure
    days_late: int


def _headline(counts: Counts) -> dict:
    """The counts by state and by light, at the top of the page, each a link."""
    return {
        "states": [
            {
                "key": state.value,
                "name": state.label,
                "value": counts.by_state[state],
                "url": ledger_url(state=state.value),
            }
            for state in State
        ],
        "lights": [
            {
                "key": light.value,
                "name": light.label,
                "value": counts.by_light[light],
                "url": ledger_url(light=light.value),
            }
            for light in (Light.RED, Light.YELLOW, Light.GREEN)
        ],
    }


def _units(user) -> list[Unit]:
    """The units right below the user's, each a row of the table and a bar of the charts."""
    visible = Unit.objects.visible_to(user).filter(parent_id=user.unit_id)
    return list(visible.order_by("order", "path"))


@login_required
@require_GET
def dashboard(request):
    """The figures and the charts drawn from them; the charts that need queries of their own
    follow in a second request (`dashboard_charts`), so that the figures show at once."""
    user = request.user
    if not user.has_business_role:
        return render(request, "reports/dashboard.html", {"admin_only": True})
    now = timezone.now()
    calendar = load_calendar()
    cutoffs = LightCutoffs(now=now, calendar=calendar)
    measures = Measure.objects.visible_to(user)
    children = _units(user)
    ledger = ledger_figures(measures, units=children, own_items_of=user.unit, cutoffs=cutoffs)
    counts, table = ledger.counts, ledger.table
    overdue = KeyedRows(
        measures.overdue(today=cutoffs.today)
        .select_related("problem", "owner_unit")
        .order_by("deadline", "pk")
    )[:OVERDUE_LIST_SIZE]
    context = {
        "counts": counts,
        "table": table,
        "overdue": [OverdueRow(m, (cutoffs.today - m.deadline).days) for m in overdue],
        "calendar": calendar,
        "today": cutoffs.today,
        "estimated": calendar.is_estimated(cutoffs.today),
        "headline": _headline(counts),
        # Reversed once: the table links each of its figures there.
        "ledger_list": reverse("ledger:list"),
        "streamlining": _streamlining(user, cutoffs.today),
    }
    if counts.total:
        shown = [
            charts.states_chart(counts),
            charts.lights_chart(counts),
            charts.units_chart(ledger.lights_by_path, own=user.unit, children=children),
        ]
        context["charts"] = {chart.key: chart for chart in shown}
        context["chart_data"] = {chart.key: chart.data() for chart in shown}
    return render(request, "reports/dashboard.html", context)


def _streamlining(user, today) -> dict | None:
    """精文减会 of the user's unit with the units below it, this year against last: the
    figures of the 精文减会 pages, five queries whatever the number of records."""
    if user.unit_id is None:
        return None
    result = year_on_year(unit=user.unit, year=today.year, today=today)
    return {"figures": result, "rows": streamlining.rows(result.total)}


@login_required
@require_GET
def dashboard_charts(request):
    """The trend, the overdue ageing, the categories, the escalated 督办事项 (one query each)
    and the latest published ranking. The dashboard fetches them into its page; without
    JavaScript they are a page of their own."""
    user = request.user
    if not user.has_business_role:
        raise PermissionDenied("管理员账号不查看业务数据。")
    cutoffs = LightCutoffs(now=timezone.now(), calendar=load_calendar())
    shown = _more_charts(user, cutoffs.today)
    context = {
        "charts": shown,
        "chart_data": {chart.key: chart.data() for chart in shown},
        "today": cutoffs.today,
    }
    template = "reports/charts.html#charts" if request.htmx else "reports/charts.html"
    return render(request, template, context)


def _more_charts(user, today) -> list[charts.Chart]:
    measures = Measure.objects.visible_to(user)
    unscoped = sees_every_unit(user)
    trend = figures.closure_trend(measures, today=today, unscoped=unscoped)
    ageing = figures.overdue_ageing(measures, today=today)
    problems = Problem.objects.visible_to(user)
    categories = figures.problems_by_category(problems, unscoped=unscoped)
    levels = figures.supervision_by_level(SupervisionItem.objects.visible_to(user))
    shown = [
        charts.trend_chart(trend),
        charts.ageing_chart(ageing, today=today),
        charts.categories_chart(categories),
    ]
    if levels:
        shown.append(charts.levels_chart(levels))
    ranking = latest_ranking(user)
    if ranking is not None and ranking.ranked:
        shown.append(charts.ranking_chart(ranking))
    return shown
