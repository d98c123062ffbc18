from django import template

from bihuan.workflow.states import Action, Actor

from ..forms import UrgeForm
from ..items import URGEABLE_STATES

register = template.Library()


@register.inclusion_tag("notify/_urge.html", takes_context=True)
def urge_panel(context, item):
    """How often the item was urged, and the 催办 button for a supervisor who may urge it.

    Counts the item's prefetched `events`, so a page of cards runs no query for it.
    """
    user = context["request"].user
    return {
        "item": item,
        "model": item._meta.label_lower,
        "count": sum(event.action == Action.URGE for event in item.events.all()),
        "may_urge": item.state in URGEABLE_STATES and item.may(user, Actor.ASSIGNER),
        "form": UrgeForm(auto_id=f"urge-{item.pk}-%s"),
        "csrf_token": context.get("csrf_token"),
    }
