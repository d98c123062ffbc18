"""Forms validate and translate input into the services' arguments; they never save."""

from django import forms
from django.core.exceptions import ValidationError

from bihuan.campaigns.models import Campaign
from bihuan.forms import QuickSelect, StyledForm, UnitChoiceField
from bihuan.org.models import Unit, User
from bihuan.workflow.states import DeadlineKind, FeedbackCycle, State

from .models import Category, Source
from .selectors import LIGHT_CHOICES, SORT_CHOICES, LedgerFilters
from .services import MeasureSpec, ProblemSpec

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank(choices, label="全部"):
    return [("", label), *choices]


class ScopedForm(StyledForm):
    """A form whose unit and person choices are limited to what the user sees."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        units = Unit.objects.visible_to(user).filter(is_active=True)
        people = User.objects.filter(unit__in=units, is_active=True).order_by("unit__path", "name")
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.queryset.model is Unit:
                field.queryset = units
            elif isinstance(field, forms.ModelChoiceField) and field.queryset.model is User:
                field.queryset = people


class CategoryForm(StyledForm):
    name = forms.CharField(label="类别名称", max_length=50)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Category.objects.filter(name=name).exists():
            raise ValidationError(f"已有问题类别“{name}”。")
        return name


class LedgerFilterForm(ScopedForm):
    unit = UnitChoiceField(
        label="责任单位", queryset=Unit.objects.none(), required=False, empty_label="全部"
    )
    unit_only = forms.BooleanField(
        label="仅本级（不含下属单位）",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    category = forms.ModelChoiceField(
        label="问题类别", queryset=Category.objects.all(), required=False, empty_label="全部"
    )
    source = forms.ChoiceField(label="问题来源", choices=_blank(Source.choices), required=False)
    state = forms.ChoiceField(label="状态", choices=_blank(State.choices), required=False)
    light = forms.ChoiceField(label="红黄绿灯", choices=_blank(LIGHT_CHOICES), required=False)
    deadline_from = forms.DateField(label="时限自", required=False, widget=DATE_INPUT)
    deadline_to = forms.DateField(label="时限至", required=False, widget=DATE_INPUT)
    keyword = forms.CharField(label="关键词", required=False, max_length=100)
    sort = forms.ChoiceField(label="排序", choices=SORT_CHOICES, required=False)
    created_from = forms.DateField(label="登记日期自", required=False, widget=DATE_INPUT)
    created_to = forms.DateField(label="登记日期至", required=False, widget=DATE_INPUT)
    closed_from = forms.DateField(label="销号日期自", required=False, widget=DATE_INPUT)
    closed_to = forms.DateField(label="销号日期至", required=False, widget=DATE_INPUT)
    campaign = forms.ModelChoiceField(
        label="专项活动", queryset=Campaign.objects.none(), required=False, empty_label="全部"
    )

    # Rarely set by hand, mostly by a drill-down (dashboard, campaign page): folded unless in use.
    MORE = ("campaign", "unit_only", "created_from", "created_to", "closed_from", "closed_to")
    RANGES = (("deadline", "时限"), ("created", "登记日期"), ("closed", "销号日期"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user).order_by(
            "-starts_on", "-pk"
        )

    def main_fields(self):
        return [field for field in self if field.name not in self.MORE]

    def more_fields(self):
        return [field for field in self if field.name in self.MORE]

    def more_in_use(self) -> bool:
        return any(self.data.get(name) for name in self.MORE)

    def clean(self):
        data = super().clean()
        for prefix, label in self.RANGES:
            start, end = data.get(f"{prefix}_from"), data.get(f"{prefix}_to")
            if start and end and start > end:
                raise ValidationError(f"{label}范围的起始日期晚于结束日期。")
        return data

    def filters(self) -> LedgerFilters:
        data = self.cleaned_data
        return LedgerFilters(
            unit=data["unit"],
            category=data["category"].pk if data["category"] else None,
            source=data["source"],
            state=data["state"],
            light=data["light"],
            deadline_from=data["deadline_from"],
            deadline_to=data["deadline_to"],
            created_from=data["created_from"],
            created_to=data["created_to"],
            closed_from=data["closed_from"],
            closed_to=data["closed_to"],
            keyword=data["keyword"],
            unit_only=data["unit_only"],
            campaign=data["campaign"].pk if data["campaign"] else None,
            sort=data["sort"] or "new",
        )


class ProblemForm(ScopedForm):
    source = forms.ChoiceField(label="问题来源", choices=Source.choices)
    category = forms.ModelChoiceField(
        label="问题类别", queryset=Category.objects.filter(is_active=True)
    )
    description = forms.CharField(label="问题内容", widget=forms.Textarea(attrs={"rows": 3}))
    unit = UnitChoiceField(label="责任主体", queryset=Unit.objects.none())
    person = forms.ModelChoiceField(
        label="责任人（个人问题时填写）",
        queryset=User.objects.none(),
        required=False,
        widget=QuickSelect,
    )
    campaign = forms.ModelChoiceField(
        label="专项活动", queryset=Campaign.objects.none(), required=False, empty_label="—"
    )
    causes = forms.CharField(
        label="原因剖析（每行一条）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    target = forms.CharField(
        label="整改目标", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    standard = forms.CharField(
        label="整改标准", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)

    def spec(self, measures: list[MeasureSpec]) -> ProblemSpec:
        data = self.cleaned_data
        return ProblemSpec(
            source=data["source"],
            category=data["category"],
            description=data["description"],
            unit=data["unit"],
            person=data["person"],
            causes=[line for line in data["causes"].splitlines() if line.strip()],
            target=data["target"],
            standard=data["standard"],
            campaign=data["campaign"],
            measures=measures,
        )


class MeasureForm(ScopedForm):
    text = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 2}))
    owner_unit = UnitChoiceField(label="责任单位", queryset=Unit.objects.none())
    owner = forms.ModelChoiceField(
        label="责任人", queryset=User.objects.none(), required=False, widget=QuickSelect
    )
    lead = forms.CharField(label="责任领导", required=False, max_length=100)
    deadline_kind = forms.ChoiceField(
        label="时限类型", choices=DeadlineKind.choices, initial=DeadlineKind.DATE
    )
    deadline = forms.DateField(label="整改时限", required=False, widget=DATE_INPUT)
    deadline_working_days = forms.IntegerField(
        label="工作日数", required=False, min_value=1, max_value=365
    )
    feedback_cycle = forms.ChoiceField(
        label="反馈周期", choices=_blank(FeedbackCycle.choices, "—"), required=False
    )

    def spec(self) -> MeasureSpec:
        data = self.cleaned_data
        return MeasureSpec(
            text=data["text"],
            owner_unit=data["owner_unit"],
            owner=data["owner"],
            lead=data["lead"],
            deadline_kind=data["deadline_kind"],
            deadline=data["deadline"],
            deadline_working_days=data["deadline_working_days"],
            feedback_cycle=data["feedback_cycle"],
        )


class MeasureEditForm(MeasureForm):
    """The edit form carries the version it was drawn from, so a save over a newer one fails."""

    version = forms.IntegerField(
        label="版本",
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": "页面已过期，请刷新后重新修改。"},
    )


class BaseMeasureFormSet(forms.BaseFormSet):
    def specs(self) -> list[MeasureSpec]:
        return [form.spec() for form in self.forms if form.has_changed()]


MeasureFormSet = forms.formset_factory(
    MeasureForm, formset=BaseMeasureFormSet, extra=1, max_num=20, validate_max=True
)


class CommentForm(StyledForm):
    comment = forms.CharField(
        label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ProgressForm(StyledForm):
    text = forms.CharField(label="整改进展", widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label="佐证材料", required=False)


class ExtensionForm(StyledForm):
    new_deadline = forms.DateField(label="申请延至", widget=DATE_INPUT)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(StyledForm):
    approve = forms.TypedChoiceField(
        label="审批意见",
        choices=[("yes", "同意延期"), ("no", "不同意")],
        coerce=lambda value: value == "yes",
    )
    comment = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportUploadForm(ScopedForm):
    file = forms.FileField(
        label="台账文件",
        help_text="Excel（.xlsx/.xls）、WPS/LibreOffice（.ods）或 CSV；表头、合并单元格照原样即可。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.ods,.csv"}),
    )
    unit = UnitChoiceField(label="问题责任主体", queryset=Unit.objects.none())
    source = forms.ChoiceField(label="问题来源", choices=Source.choices, initial=Source.SELF)
    category = forms.ModelChoiceField(
        label="默认问题类别",
        queryset=Category.objects.filter(is_active=True),
        help_text="台账没有“问题类别”列、或类别不在清单中时使用",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].initial = user.unit_id
        self.fields["category"].initial = self.fields["category"].queryset.first()


class UnitMappingForm(ScopedForm):
    """A unit name the file writes: map it to a unit, or create it under a parent."""

    text = forms.CharField(widget=forms.HiddenInput, max_length=100)
    unit = UnitChoiceField(label="对应到", queryset=Unit.objects.none(), required=False)
    parent = UnitChoiceField(label="或新建于", queryset=Unit.objects.none(), required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("unit")) == bool(data.get("parent")):
            raise ValidationError("请选择对应的单位，或选择新建单位的上级单位（二选一）。")
        return data


class PersonMappingForm(ScopedForm):
    text = forms.CharField(widget=forms.HiddenInput, max_length=100)
    user = forms.ModelChoiceField(label="对应到账号", queryset=User.objects.none())
