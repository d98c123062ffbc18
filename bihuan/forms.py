"""Form plumbing shared by every app: Bootstrap styling and the unit tree in a select."""

from html import escape

from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from bihuan.org.models import Unit


def style_widgets(form: forms.Form) -> None:
    """Give every widget its Bootstrap class, so templates can render fields plainly."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) is forms.Select:
            # The same markup drawn in Python (QuickSelect's docstring says why).
            widget.__class__ = QuickSelect
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        elif not isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-control form-control-sm")


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class QuickSelect(forms.Select):
    """The same <select> as Django's, written in Python: Django renders every option through a
    template, about a tenth of a millisecond apiece, so a page offering the unit tree and its
    people (hundreds of options) spent most of its time drawing them."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        parts: list[str] = []

        def option(option_value, label) -> None:
            text = "" if option_value is None else str(option_value)
            selected = text in chosen and (self.allow_multiple_selected or not option.done)
            option.done = option.done or selected
            mark = " selected" if selected else ""
            parts.append(f'<option value="{escape(text)}"{mark}>{escape(str(label))}</option>')

        option.done = False
        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                parts.append(f'<optgroup label="{escape(str(group_value))}">')
                for option_value, label in group_label:
                    option(option_value, label)
                parts.append("</optgroup>")
            else:
                option(group_value, group_label)
        final_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        # Every value and label above is escaped.
        return mark_safe(f'<select name="{escape(name)}"{final_attrs}>{"".join(parts)}</select>')  # noqa: S308


# Django's widget templates that are one <input> each (every one includes input.html).
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in [
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    ]
)


def input_html(widget: dict) -> str:
    """What django/forms/widgets/input.html draws for a widget's context, attribute for attribute."""
    parts = [
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"'
    ]
    if widget["value"] is not None:
        parts.append(f' value="{conditional_escape(widget["value"])}"')
    for name, value in widget["attrs"].items():
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        elif value is not False:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    parts.append(">")
    return "".join(parts)


class QuickFormRenderer(DjangoTemplates):
    """Django's form renderer, except that an <input> is written in Python (as QuickSelect
    writes a <select>): through the template engine each took a few tenths of a millisecond,
    and the ledger's filter bar has eight."""

    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            # Every value above is escaped.
            return mark_safe(input_html(context["widget"]))  # noqa: S308
        return super().render(template_name, context, request)


class UnitChoiceIterator(forms.models.ModelChoiceIterator):
    """The unit tree's options from two columns per unit instead of a Unit built per option:
    a county's few hundred units cost the ledger filter several milliseconds a request."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name, path in self.queryset.values_list("pk", "name", "path"):
            yield (pk, unit_label(name, path))


def unit_label(name: str, path: str) -> str:
    """A unit's name indented by its depth in the tree (its path is "/1/4/17/")."""
    return "\u3000" * max(path.count("/") - 2, 0) + name


class UnitChoiceField(forms.ModelChoiceField):
    widget = QuickSelect
    iterator = UnitChoiceIterator

    def label_from_instance(self, unit: Unit) -> str:
        return unit_label(unit.name, unit.path)
