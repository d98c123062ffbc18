"""Forms translate input into the services' arguments; they never save."""

from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe

from bihuan.errors import DomainError
from bihuan.forms import StyledForm, UnitChoiceField
from bihuan.ledger.forms import DATE_INPUT, ScopedForm
from bihuan.org.models import Unit, UnitKind

from .figures import FIGURE_LABELS
from .letterhead import Letterhead, default_mark
from .notices import NoticeKind
from .periods import parse_period, period_options
from .services import WEIGHT_FIELDS

PERIOD_HELP = "月份 2026-11，季度 2026-Q4，年度 2026，专项活动可从列表中选择"
UNSET = object()


class PeriodInput(forms.TextInput):
    """A text box that suggests periods from a <datalist> (recent months, this quarter and
    year, the campaigns the user sees); any month, quarter or year may still be typed."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.options: list[tuple[str, str]] = []

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or f'id_{name}'}-options"
        attrs["list"] = list_id
        box = super().render(name, value, attrs, renderer)
        options = "".join(
            f'<option value="{escape(key)}">{escape(label)}</option>' for key, label in self.options
        )
        # The box is Django's own rendering; every key and label here is escaped.
        return mark_safe(f'{box}<datalist id="{list_id}">{options}</datalist>')  # noqa: S308


class PeriodField(forms.CharField):
    """A period as `parse_period` reads it in the form's user's scope: a campaign the user does
    not see is refused like one that does not exist."""

    widget = PeriodInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "期间")
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("help_text", PERIOD_HELP)
        super().__init__(**kwargs)
        self.user = UNSET

    def clean(self, value):
        if self.user is UNSET:
            raise RuntimeError("A PeriodField reads periods in a user's scope: use PeriodForm.")
        text = super().clean(value)
        try:
            return parse_period(text, user=self.user)
        except DomainError as error:
            raise ValidationError(error.message) from None


class PeriodForm(ScopedForm):
    """A scoped form with a `period`: parsed as the user sees it; given `today`, its box offers
    the periods to pick."""

    def __init__(self, *args, user, today=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        field = self.fields["period"]
        field.user = user
        if today is not None:
            field.widget.options = period_options(user, today)


class RankingForm(PeriodForm):
    period = PeriodField()
    parent = UnitChoiceField(label="上级单位", queryset=Unit.objects.none())
    kind = forms.ChoiceField(label="参与排名的单位", choices=UnitKind.choices)


class RowsForm(PeriodForm):
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
    mark = forms.CharField(
        label="发文机关标志（红头）",
        max_length=60,
        help_text="红色居中排在首页顶端，如“中共青山县委办公室”或“中共青山县委办公室文件”。",
    )
    number = forms.CharField(
        label="发文字号", max_length=50, required=False, help_text="如：青办通〔2026〕3号"
    )
    copies_to = forms.CharField(label="抄送机关", max_length=300, required=False)
    printer = forms.CharField(
        label="印发机关", max_length=100, required=False, help_text="留空则为发文机关署名"
    )


class ReportForm(PeriodForm):
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


class LetterheadFields(forms.Form):
    """The 红头 option of a report: 版头 and 版记, as `letterhead.Letterhead` takes them."""

    red_header = forms.BooleanField(label="红头文件格式（版头、版记）", required=False)
    mark = forms.CharField(
        label="发文机关标志", max_length=60, required=False, help_text="留空则为“单位名称文件”"
    )
    number = forms.CharField(label="发文字号", max_length=50, required=False)
    copies_to = forms.CharField(label="抄送机关", max_length=300, required=False)
    printer = forms.CharField(
        label="印发机关", max_length=100, required=False, help_text="留空则为发文机关署名"
    )

    def letterhead(self, issuer: str) -> Letterhead | None:
        data = self.cleaned_data
        if not data["red_header"]:
            return None
        return Letterhead(
            mark=data["mark"].strip() or default_mark(issuer),
            number=data["number"],
            copies_to=data["copies_to"],
            printer=data["printer"],
        )


class ReportDocumentForm(LetterheadFields, ReportForm):
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


class CampaignSummaryOptionsForm(ScopedForm):
    """Whose 活动总结 and which typical cases: the draft is made from these."""

    unit = UnitChoiceField(label="总结单位", queryset=Unit.objects.none(), required=False)
    cases = IdListField(label="典型案例", required=False)


class CampaignSummaryForm(LetterheadFields, ScopedForm):
    """The edited draft of a 活动总结; `unit` says whose figures go in its table."""

    unit = UnitChoiceField(label="总结单位", queryset=Unit.objects.none(), widget=forms.HiddenInput)
    title = forms.CharField(label="标题", max_length=200)
    recipients = forms.CharField(label="主送机关", max_length=200, required=False)
    body = forms.CharField(
        label="正文",
        max_length=40000,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="每行一段；以“一、”“（一）”“1．”“（1）”开头的行按标题层次排版。",
    )
    issuer = forms.CharField(label="发文机关署名", max_length=100)
    date = forms.DateField(label="成文日期", widget=DATE_INPUT)
    with_table = forms.BooleanField(label="附各单位整改情况表", required=False, initial=True)
