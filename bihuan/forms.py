"""Form plumbing shared by every app: Bootstrap styling and the unit tree in a select."""

from django import forms

from bihuan.org.models import Unit


def style_widgets(form: forms.Form) -> None:
    """Give every widget its Bootstrap class, so templates can render fields plainly."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        elif not isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-control form-control-sm")


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit: Unit) -> str:
        return "\u3000" * max(unit.depth, 0) + unit.name
