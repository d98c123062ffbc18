from django import template

register = template.Library()


@register.filter
def percent(rate: float | None) -> str:
    """A rate as a percentage with one decimal; a dash when there was nothing to judge."""
    if rate is None:
        return "—"
    return f"{rate * 100:.1f}%"
