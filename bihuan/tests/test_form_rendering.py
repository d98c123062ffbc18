"""The project's form renderer writes <input>s in Python: exactly what Django's templates write."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from bihuan.forms import INPUT_TEMPLATES, QuickFormRenderer

WIDGETS = [
    (forms.TextInput(attrs={"class": "form-control", "maxlength": 100}), '窗口<b>"推诿"</b>&'),
    (forms.TextInput(), None),
    (forms.TextInput(attrs={"required": True, "disabled": False}), ""),
    (forms.DateInput(attrs={"type": "date"}), dt.date(2026, 11, 23)),
    (forms.DateTimeInput(), dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.timezone.utc)),
    (forms.NumberInput(attrs={"min": 0, "step": "0.5"}), 3),
    (forms.EmailInput(), "li@example.org"),
    (forms.PasswordInput(render_value=True), "secret'"),
    (forms.HiddenInput(), 42),
    (forms.URLInput(), "https://example.org/?a=1&b=2"),
    (forms.CheckboxInput(attrs={"class": "form-check-input"}), True),
    (forms.CheckboxInput(), False),
    (forms.TimeInput(), dt.time(8, 0)),
    (forms.TextInput(attrs={"data-x": mark_safe("<i>safe</i>")}), mark_safe("&amp;")),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=lambda w: type(w).__name__)
def test_an_input_is_drawn_as_djangos_template_draws_it(widget, value):
    django_html = widget.render(
        "field", value, attrs={"id": "id_field"}, renderer=DjangoTemplates()
    )
    quick_html = widget.render(
        "field", value, attrs={"id": "id_field"}, renderer=QuickFormRenderer()
    )
    assert quick_html == django_html


def test_every_input_template_is_one_input_in_django():
    # A Django upgrade that gives one of these templates more than input.html shows up here.
    renderer = DjangoTemplates()
    for name in INPUT_TEMPLATES:
        source = renderer.get_template(name).template.source.strip()
        assert source == '{% include "django/forms/widgets/input.html" %}', name


def test_other_widgets_still_go_through_the_templates():
    html = forms.Textarea().render("text", "第一行", renderer=QuickFormRenderer())
    assert html == forms.Textarea().render("text", "第一行", renderer=DjangoTemplates())
