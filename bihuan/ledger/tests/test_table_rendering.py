"""The ledger table's cheap rendering draws exactly what Django's own tags and widgets would."""

import pytest
from django.template import engines
from django.urls import reverse

from bihuan.ledger.forms import LedgerFilterForm


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load ledger_tags %}" + source).render(context)


@pytest.mark.parametrize(
    "text", ["", "短", "政务服务大厅窗口人员脱岗" * 3, "x" * 59, "y" * 60, "z" * 61]
)
def test_clip_keeps_short_text_and_cuts_long_text_to_the_length(text):
    clipped = render("{{ text|clip:60 }}", text=text)
    if len(text) <= 60:
        assert clipped == text
    else:
        assert clipped == text[:59] + "…"
        assert len(clipped) == 60


def test_clip_output_is_escaped():
    assert render("{{ text|clip:10 }}", text="<b>窗口</b>") == "&lt;b&gt;窗口&lt;/b&gt;"


def test_problem_url_is_the_reversed_url_for_every_row():
    ids = [1, 10, 12345]
    rendered = render("{% for id in ids %}{% problem_url id %} {% endfor %}", ids=ids)
    assert rendered.split() == [reverse("ledger:problem_detail", args=[id]) for id in ids]


def test_the_filter_form_draws_the_unit_tree_and_keeps_every_choice(world):
    form = LedgerFilterForm(
        {"unit": world.chengguan.pk, "state": "in_progress", "category": world.category.pk},
        user=world.zhou,
    )
    assert form.is_valid(), form.errors
    unit_select = str(form["unit"])
    # Indented one full-width space per level below the county.
    assert '<option value="">全部</option>' in unit_select
    assert f'<option value="{world.county.pk}">青山县</option>' in unit_select
    assert f'<option value="{world.chengguan.pk}" selected>\u3000城关镇</option>' in unit_select
    assert f'<option value="{world.dongguan.pk}">\u3000\u3000东关村</option>' in unit_select
    assert form.cleaned_data["unit"] == world.chengguan
    assert '<option value="in_progress" selected>' in str(form["state"])
    assert f'<option value="{world.category.pk}" selected>' in str(form["category"])
    assert 'class="form-select form-select-sm"' in str(form["state"])


def test_a_unit_outside_the_scope_is_refused_by_the_filter(world):
    form = LedgerFilterForm({"unit": world.hexi.pk}, user=world.li)
    assert not form.is_valid()
    assert "unit" in form.errors
