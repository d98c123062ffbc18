from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from bihuan.ledger.models import Measure
from bihuan.ledger.paging import KeyedRows
from bihuan.org.models import Unit
from bihuan.workflow.metrics import Counts, ledger_figures
from bihuan.workflow.models import LightCutoffs, load_calendar
from bihuan.workflow.states import Light, State

OVERDUE_LIST_SIZE = 20


@dataclass(frozen=True)
class OverdueRow:
    measure: Measure
    days_late: int


def _ledger_url(**params) -> str:
    return f"{reverse('ledger:list')}?{urlencode(params)}"


def _chart_data(counts: Counts) -> dict:
    """What the charts draw, passed to the page's script with `json_script`."""
    return {
        "states": [
            {
                "key": state.value,
                "name": state.label,
                "value": counts.by_state[state],
                "url": _ledger_url(state=state.value),
            }
            for state in State
        ],
        "lights": [
            {
                "key": light.value,
                "name": light.label,
                "value": counts.by_light[light],
                "url": _ledger_url(light=light.value),
            }
            for light in (Light.RED, Light.YELLOW, Light.GREEN)
        ],
    }


@login_required
@require_GET
def dashboard(request):
    user = request.user
    if not user.has_business_role:
        return render(request, "reports/dashboard.html", {"admin_only": True})
    now = timezone.now()
    calendar = load_calendar()
    cutoffs = LightCutoffs(now=now, calendar=calendar)
    measures = Measure.objects.visible_to(user)
    children = Unit.objects.visible_to(user).filter(parent_id=user.unit_id)
    figures = ledger_figures(
        measures,
        units=list(children.order_by("order", "path")),
        own_items_of=user.unit,
        cutoffs=cutoffs,
    )
    counts, table = figures.counts, figures.table
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
        "chart_data": _chart_data(counts),
    }
    return render(request, "reports/dashboard.html", context)
