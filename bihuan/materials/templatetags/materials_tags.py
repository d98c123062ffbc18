from django import template

from ..recurrence import recurrences_of

register = template.Library()


@register.inclusion_tag("materials/_recurrences.html", takes_context=True)
def problem_recurrences(context, problem):
    """年年提、年年改 on a problem's page: the earlier problems of the same unit or person it
    resembles, with their closing records, and the later ones that resemble it. One query when
    there are none, four otherwise."""
    earlier, later = recurrences_of(problem, context["request"].user)
    return {"earlier": earlier, "later": later}
