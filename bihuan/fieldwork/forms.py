"""Forms validate and translate input into the services' arguments; they never save. The visit
form is drawn for a phone: one column, large inputs, everything defaulted that can be."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from bihuan.campaigns.models import Campaign
from bihuan.forms import QuickSelect, StyledForm, UnitChoiceField
from bihuan.ledger.models import Category
from bihuan.org.models import BUSINESS_ROLES, Role, Unit, UnitKind, User

from .models import Visit
from .services import VisitChange, VisitProblem, VisitSpec

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class QuickSelectMultiple(QuickSelect):
    allow_multiple_selected = True

    def __init__(self, attrs=None, choices=()):
        super().__init__({"multiple": True, **(attrs or {})}, choices)

    value_from_datadict = forms.SelectMultiple.value_from_datadict
    value_omitted_from_data = forms.SelectMultiple.value_omitted_from_data


def _large(form: forms.Form) -> None:
    """Phone-sized inputs: Bootstrap's large variants."""
    for field in form.fields.values():
        css = field.widget.attrs.get("class", "")
        field.widget.attrs["class"] = css.replace("-sm", "-lg")


class VisitForm(StyledForm):
    starts_on = forms.DateField(label="走访日期", widget=DATE_INPUT)
    ends_on = forms.DateField(label="结束日期（多日时填）", required=False, widget=DATE_INPUT)
    days = forms.DecimalField(
        label="计入天数",
        min_value=Decimal("0.5"),
        max_digits=4,
        decimal_places=1,
        initial=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    place_unit = UnitChoiceField(
        label="走访地点", queryset=Unit.objects.none(), required=False, empty_label="其他地点"
    )
    place = forms.CharField(label="地点说明", required=False, max_length=100)
    households = forms.IntegerField(
        label="走访农户数",
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    topics = forms.CharField(label="调研主题", required=False, max_length=200)
    findings = forms.CharField(
        label="调研发现", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    people = forms.ModelMultipleChoiceField(
        label="走访人员", queryset=User.objects.none(), widget=QuickSelectMultiple
    )
    unit = UnitChoiceField(label="组织单位", queryset=Unit.objects.none())
    campaign = forms.ModelChoiceField(
        label="专项活动", queryset=Campaign.objects.none(), required=False, empty_label="—"
    )

    def __init__(self, *args, user, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user).filter(is_active=True)
        self.fields["unit"].queryset = units
        self.fields["unit"].initial = user.unit_id
        self.fields["place_unit"].queryset = units.filter(
            kind__in=[UnitKind.VILLAGE, UnitKind.TOWNSHIP]
        )
        self.fields["people"].queryset = User.objects.filter(
            unit__in=units, is_active=True
        ).order_by("unit__path", "name")
        self.fields["people"].initial = [user.pk]
        self.fields["starts_on"].initial = today
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user).filter(
            starts_on__lte=today, ends_on__gte=today
        )
        _large(self)

    def spec(self) -> VisitSpec:
        data = self.cleaned_data
        return VisitSpec(
            unit=data["unit"],
            people=tuple(data["people"]),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"] or data["starts_on"],
            days=data["days"],
            households=data["households"],
            place_unit=data["place_unit"],
            place=data["place"],
            topics=data["topics"],
            findings=data["findings"],
            campaign=data["campaign"],
        )


class VisitEditForm(VisitForm):
    """The visit form for a correction: the same fields but the organising unit and the
    campaign, which stay as entered; it carries the version it was drawn from."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": "页面已过期，请刷新后重新修改。"},
    )

    def __init__(self, *args, user, today: dt.date, visit: Visit, **kwargs):
        people = list(visit.people.all())
        kwargs.setdefault(
            "initial",
            {
                "starts_on": visit.starts_on,
                "ends_on": visit.ends_on if visit.ends_on != visit.starts_on else None,
                "days": visit.days,
                "place_unit": visit.place_unit_id,
                "place": visit.place,
                "households": visit.households,
                "topics": visit.topics,
                "findings": visit.findings,
                "people": [person.pk for person in people],
                "version": visit.version,
            },
        )
        super().__init__(*args, user=user, today=today, **kwargs)
        del self.fields["unit"], self.fields["campaign"]
        # Who and where the visit already names stay on offer, seen by the corrector or not.
        offered = self.fields["people"].queryset
        self.fields["people"].queryset = User.objects.filter(
            Q(pk__in=offered.order_by().values("pk")) | Q(pk__in=[p.pk for p in people])
        ).order_by("unit__path", "name")
        if visit.place_unit_id:
            places = self.fields["place_unit"].queryset.order_by().values("pk")
            self.fields["place_unit"].queryset = Unit.objects.filter(
                Q(pk__in=places) | Q(pk=visit.place_unit_id)
            ).order_by("path")

    def change(self) -> VisitChange:
        data = self.cleaned_data
        return VisitChange(
            people=tuple(data["people"]),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"] or data["starts_on"],
            days=data["days"],
            households=data["households"],
            place_unit=data["place_unit"],
            place=data["place"],
            topics=data["topics"],
            findings=data["findings"],
        )


class VersionForm(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": "页面已过期，请刷新后重试。"},
    )


class VisitProblemForm(StyledForm):
    description = forms.CharField(
        label="发现的问题", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    unit = UnitChoiceField(
        label="责任单位", queryset=Unit.objects.none(), required=False, empty_label="同走访地点"
    )
    category = forms.ModelChoiceField(
        label="问题类别", queryset=Category.objects.filter(is_active=True), empty_label=None
    )
    measure = forms.CharField(label="整改建议（可不填）", required=False, max_length=500)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).filter(is_active=True)
        _large(self)

    @property
    def is_filled(self) -> bool:
        return bool(self.cleaned_data.get("description", "").strip())


class BaseVisitProblemFormSet(forms.BaseFormSet):
    def problems(self, visit: VisitSpec) -> list[VisitProblem]:
        """The problems written, each with its unit: as chosen, else the place visited, else
        the visit's unit."""
        return [
            VisitProblem(
                description=form.cleaned_data["description"],
                unit=form.cleaned_data["unit"] or visit.place_unit or visit.unit,
                category=form.cleaned_data["category"],
                measure=form.cleaned_data["measure"],
            )
            for form in self.forms
            if form.is_filled
        ]


VisitProblemFormSet = forms.formset_factory(
    VisitProblemForm, formset=BaseVisitProblemFormSet, extra=2, max_num=10, validate_max=True
)


class PeriodForm(StyledForm):
    start = forms.DateField(label="自", required=False, widget=DATE_INPUT)
    end = forms.DateField(label="至", required=False, widget=DATE_INPUT)
    unit = UnitChoiceField(
        label="范围", queryset=Unit.objects.none(), required=False, empty_label="全部"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).filter(
            is_active=True, kind__in=[UnitKind.COUNTY, UnitKind.TOWNSHIP]
        )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError("起始日期晚于结束日期。")
        return data


class YearForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)
    unit = UnitChoiceField(
        label="范围", queryset=Unit.objects.none(), required=False, empty_label="全部"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).filter(is_active=True)


class HouseholdsForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none())
    count = forms.IntegerField(label="农户数", min_value=0, max_value=100000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).filter(kind=UnitKind.VILLAGE)


class DaysTargetForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    role = forms.ChoiceField(
        label="角色", choices=[(r.value, r.label) for r in Role if r in BUSINESS_ROLES]
    )
    days = forms.DecimalField(
        label="目标天数", min_value=0, max_value=366, max_digits=4, decimal_places=1
    )
