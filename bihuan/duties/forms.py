"""Forms validate and translate input into the services' arguments; they never save."""

import datetime as dt

from django import forms

from bihuan.forms import StyledForm

from .importing import LEVEL_CHOICES
from .models import DutyKind, DutyLevel
from .selectors import PERIODS
from .services import EntrySpec


class EntryForm(StyledForm):
    level = forms.ChoiceField(label="层级", choices=DutyLevel.choices)
    kind = forms.ChoiceField(label="清单", choices=DutyKind.choices)
    number = forms.IntegerField(label="序号", min_value=0, max_value=9999, required=False)
    name = forms.CharField(label="事项名称", max_length=300)
    basis = forms.CharField(label="依据", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def spec(self) -> EntrySpec:
        data = self.cleaned_data
        return EntrySpec(
            level=data["level"],
            kind=data["kind"],
            name=data["name"],
            number=data["number"] or 0,
            basis=data["basis"],
            note=data["note"],
        )


class ImportForm(StyledForm):
    file = forms.FileField(
        label="清单文件",
        help_text="Excel（.xlsx/.xls）、WPS/LibreOffice（.ods）或 CSV；"
        "须有「事项名称」列，可有序号、清单类型、适用层级、依据、说明列。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.ods,.et,.csv"}),
    )
    level = forms.ChoiceField(
        label="适用层级",
        choices=LEVEL_CHOICES,
        help_text="文件有「适用层级」列或工作表名写明村、社区时，以文件为准。",
    )


class ApprovalForm(StyledForm):
    approve = forms.TypedChoiceField(
        label="审批意见",
        choices=[("yes", "同意下派"), ("no", "不同意")],
        coerce=lambda value: value == "yes",
    )
    comment = forms.CharField(
        label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    period = forms.ChoiceField(label="统计周期", choices=PERIODS, initial="month")

    def __init__(self, data=None, *, today: dt.date):
        super().__init__(data or None, initial={"year": today.year, "period": "month"})
        self.today = today

    def params(self) -> tuple[int, str]:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["year"], self.cleaned_data["period"]
        return self.today.year, "month"


def bulk_duty_choices(data) -> dict[int, str]:
    """The duty-list picks of a problem's bulk 交办 form (`duty-<measure id>`), by measure id."""
    return {
        int(key.removeprefix("duty-")): value
        for key, value in data.items()
        if key.startswith("duty-") and key.removeprefix("duty-").isdigit()
    }
