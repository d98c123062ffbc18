"""Forms translate input into the services' arguments; they never save."""

from django import forms
from django.core.exceptions import ValidationError

from bihuan.errors import DomainError
from bihuan.forms import StyledForm, UnitChoiceField
from bihuan.ledger.forms import DATE_INPUT, ScopedForm
from bihuan.org.models import Unit, UnitKind

from .figures import FIGURE_LABELS
from .notices import NoticeKind
from .periods import parse_period
from .services import WEIGHT_FIELDS

PERIOD_HELP = "月份 2026-11，季度 2026-Q4，年度 2026"


class PeriodField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "期间")
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", PERIOD_HELP)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        try:
            return parse_period(text)
        except DomainError as error:
            raise ValidationError(error.message) from None


class RankingForm(ScopedForm):
    period = PeriodField()
    parent = UnitChoiceField(label="上级单位", queryset=Unit.objects.none())
    kind = forms.ChoiceField(label="参与排名的单位", choices=UnitKind.choices)


class RowsForm(ScopedForm):
    period = PeriodField()
    unit = UnitChoiceField(label="单位", queryset=Unit.objects.none())
    figure = forms.ChoiceField(label="指标", choices=list(FIGURE_LABELS.items()))
    # A published ranking counted at its own day; absent, at the period's end or today.
    as_of = forms.DateField(label="统计截至", required=False, widget=DATE_INPUT)


class NoticeOptionsForm(StyledForm):
    kind = forms.ChoiceField(label="通报类型", choices=NoticeKind.choices)
    count = forms.IntegerField(label="通报单位数", min_value=1, max_value=20, initial=3)


class NoticeForm(StyledForm):
    kind = forms.ChoiceField(choices=NoticeKind.choices, widget=forms.HiddenInput)
    title = forms.CharField(label="标题", max_length=200)
    recipients = forms.CharField(label="主送机关", max_length=200, required=False)
    body = forms.CharField(
        label="正文",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="每行一段；以“一、”“（一）”“1．”“（1）”开头的行按标题层次排版。",
    )
    issuer = forms.CharField(label="发文机关署名", max_length=100)
    date = forms.DateField(label="成文日期", widget=DATE_INPUT)
    with_table = forms.BooleanField(label="附排名情况表", required=False, initial=True)


class ReportForm(ScopedForm):
    unit = UnitChoiceField(label="单位", queryset=Unit.objects.none())
    period = PeriodField()


class IdListField(forms.Field):
    """Ids sent as repeated parameters (checkboxes the page draws); which ids may be picked is
    the service's to judge."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            return [int(item) for item in value or ()]
        except (TypeError, ValueError):
            raise ValidationError("应为整改措施的编号。") from None


class ReportDocumentForm(ReportForm):
    recipients = forms.CharField(label="主送机关", max_length=200, required=False)
    issuer = forms.CharField(label="发文机关署名", max_length=100, required=False)
    cases = IdListField(label="典型案例", required=False)


class WeightsForm(StyledForm):
    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        for name in WEIGHT_FIELDS:
            model_field = current._meta.get_field(name)
            self.fields[name] = forms.DecimalField(
                label=model_field.verbose_name,
                help_text=model_field.help_text,
                min_value=0,
                max_digits=6,
                decimal_places=2,
                initial=getattr(current, name),
            )
