from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from bihuan.workflow.states import Light

register = template.Library()


@register.filter
def clip(text: str, length: int) -> str:
    """`truncatechars` for plain text: at most `length` characters, the last an ellipsis, without
    the HTML-aware Truncator, which took a fifth of a fifty-row table's rendering."""
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


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


MEASURE_ROW = (
    '<tr><td data-label="灯">{}</td>'
    '<td class="text-cell" data-label="问题"><a href="{}">{}</a></td>'
    '<td class="text-cell" data-label="措施">{}. {}</td>'
    '<td data-label="责任单位">{}{}</td>'
    '<td data-label="时限">{}</td>'
    '<td data-label="状态">{}</td>'
    '<td data-label="类别">{}</td></tr>'
)


@register.simple_tag
def measure_rows(measures, calendar):
    """The rows of the ledger and inbox tables (each measure with `light`, as the selectors
    annotate it), drawn in Python: through the template engine, fifty rows of seven cells were
    a third of a ledger page's time. Every value is escaped by format_html."""
    # Reversed once, not once a row; the key is put back in where the 0 stands.
    head, _, tail = reverse("ledger:problem_detail", args=[0]).rpartition("/0/")
    return format_html_join(
        "",
        MEASURE_ROW,
        (
            (
                light_badge(m.light),
                f"{head}/{m.problem_id}/{tail}",
                clip(m.problem.description, 60),
                m.seq,
                clip(m.text, 80),
                m.owner_unit,
                format_html('<div class="small text-muted">{}</div>', m.owner_label)
                if m.owner_label
                else "",
                deadline(m, calendar),
                m.get_state_display(),
                m.problem.category,
            )
            for m in measures
        ),
    )
