from django import template
from django.utils.html import format_html

from bihuan.workflow.states import Light

register = template.Library()


@register.simple_tag
def light_badge(light: str):
    return format_html('<span class="light light-{}">{}</span>', light, Light(light).label)


@register.simple_tag
def deadline(item, calendar):
    """The deadline in words, flagged when its year's holidays are not yet published."""
    if item.deadline is not None and calendar.is_estimated(item.deadline):
        return format_html(
            '{}<div class="estimated" title="该年度节假日安排尚未公布，工作日暂按周末推算">'
            "（节假日未公布，按周末推算）</div>",
            item.deadline_label(),
        )
    return item.deadline_label()
