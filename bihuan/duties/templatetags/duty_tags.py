"""The duty-list pick on the 交办 forms of measures and 督办事项, and the check's outcome on
their pages. Both stay silent (and run no query) for a task that goes to no village."""

from django import template

from bihuan.workflow.states import State

from ..gate import UNLISTED, UNLISTED_LABEL, checked_levels, live_check, village_units
from ..models import DutyAssignment
from ..selectors import entry_choices

register = template.Library()


@register.inclusion_tag("duties/_duty_field.html")
def duty_field(item, bulk: bool = False):
    """A select of the list entries a draft task for a village may fall under; in the bulk
    form of a problem, one per measure (`duty-<id>`)."""
    if item.state != State.DRAFT or not village_units(item):
        return {}
    levels = checked_levels(item)
    if not levels:
        return {}
    live = live_check(item)
    name = f"duty-{item.pk}" if bulk else "duty"
    villages = "、".join(unit.name for unit in village_units(item))
    label = f"措施{item.seq}（{villages}）" if bulk else f"交由{villages}承担"
    return {
        "live": live,
        "name": name,
        "id": f"{name}-{item.pk}" if not bulk else name,
        "label": f"{label}：所属清单事项",
        "groups": [] if live else entry_choices(levels),
        "unlisted": UNLISTED,
        "unlisted_label": UNLISTED_LABEL,
    }


@register.inclusion_tag("duties/_duty_status.html")
def duty_status(item):
    """What the duty-list check said of a task for a village: its entry, or its 准入审批."""
    if not village_units(item):
        return {}
    check = DutyAssignment.objects.for_item(item).select_related("entry", "decided_by").first()
    return {"check": check}
