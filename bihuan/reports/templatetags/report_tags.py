from django import template

register = template.Library()


@register.filter
def percent(rate: float | None) -> str:
    """A rate as a percentage with one decimal; a dash when there was nothing to judge."""
    if rate is None:
        return "—"
    return f"{rate * 100:.1f}%"


@register.filter
def figure(value, is_share: bool = False) -> str:
    """A count as it is, a share as a whole percentage; a dash when there was nothing."""
    if value is None:
        return "—"
    if is_share:
        return f"{round(value * 100)}%"
    return str(value)
