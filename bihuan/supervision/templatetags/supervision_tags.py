from django import template
from django.utils.html import format_html

register = template.Library()

LEVEL_CLASSES = {"blue": "text-bg-primary", "yellow": "text-bg-warning", "red": "text-bg-danger"}


@register.simple_tag
def level_badge(item):
    """三色督办单: the item's escalation level as a coloured badge; nothing when it has none."""
    if not item.escalation_level:
        return ""
    label = item.get_escalation_level_display()
    short = label.partition("（")[2].rstrip("）") or label
    return format_html(
        '<span class="badge {}" title="{}">{}</span>',
        LEVEL_CLASSES[item.escalation_level],
        label,
        short,
    )
