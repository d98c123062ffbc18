"""The ledger table's cheap rendering draws exactly what Django's own tags and widgets would."""

import pytest
from django.template import engines
from django.urls import reverse

from bihuan.ledger.forms import LedgerFilterForm
from bihuan.ledger.models import Measure


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


def test_a_ledger_row_links_its_problem_and_escapes_every_cell(client, world, make_problem):
    problem = make_problem(description="<b>窗口</b>人员推诿扯皮")
    measure = problem.measures.get()
    Measure.objects.filter(pk=measure.pk).update(owner_name="张<三>")
    client.force_login(world.zhou)

    page = client.get(reverse("ledger:list")).text

    link = reverse("ledger:problem_detail", args=[problem.pk])
    assert f'<a href="{link}">&lt;b&gt;窗口&lt;/b&gt;人员推诿扯皮</a>' in page
    assert f'<td class="text-cell" data-label="措施">1. {measure.text}</td>' in page
    assert '<div class="small text-muted">张&lt;三&gt;</div>' in page
    assert f'<td data-label="状态">{measure.get_state_display()}</td>' in page
    assert '<td data-label="类别">工作作风</td>' in page
    assert '<span class="light light-none">' in page


def test_an_empty_ledger_says_so(client, world):
    client.force_login(world.zhou)
    assert "没有符合条件的整改措施。" in client.get(reverse("ledger:list")).text


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
