"""Forms validate and translate input into the services' arguments; they never save."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from bihuan.forms import StyledForm, UnitChoiceField
from bihuan.materials.models import MaterialKind
from bihuan.org.models import Role, Unit

from .models import DEFAULT_STAGES, Activity, Campaign, DueKind, Per, Requirement, Stage
from .services import CampaignSpec, RequirementSpec, StageSpec, split_stages

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PERSON_ROLES = [(role.value, role.label) for role in (Role.CADRE, Role.LEADER, Role.HANDLER)]


class UnitTreeMultipleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, unit: Unit) -> str:
        return "\u3000" * max(unit.depth, 0) + unit.name


class CampaignForm(StyledForm):
    name = forms.CharField(label="活动名称", max_length=100)
    organiser = UnitChoiceField(label="牵头单位", queryset=Unit.objects.none())
    starts_on = forms.DateField(label="开始日期", widget=DATE_INPUT)
    ends_on = forms.DateField(label="结束日期", widget=DATE_INPUT)
    units = UnitTreeMultipleField(label="参加单位", queryset=Unit.objects.none())
    description = forms.CharField(
        label="活动说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user).filter(is_active=True)
        self.fields["organiser"].queryset = units
        self.fields["organiser"].initial = user.unit_id
        self.fields["units"].queryset = units

    def spec(self, stages: tuple[StageSpec, ...] | None) -> CampaignSpec:
        data = self.cleaned_data
        return CampaignSpec(
            name=data["name"],
            organiser=data["organiser"],
            units=tuple(data["units"]),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            description=data["description"],
            stages=stages,
        )


def version_field() -> forms.IntegerField:
    """The campaign's version the page was drawn from: a save over a newer one is refused."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": "页面已过期，请刷新后重新修改。"},
    )


class CampaignEditForm(CampaignForm):
    version = version_field()

    def __init__(self, *args, user, campaign: Campaign, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "name": campaign.name,
                "organiser": campaign.organiser_id,
                "starts_on": campaign.starts_on,
                "ends_on": campaign.ends_on,
                "units": [unit.pk for unit in campaign.units.all()],
                "description": campaign.description,
                "version": campaign.version,
            },
        )
        super().__init__(*args, user=user, **kwargs)
        # Units another supervisor added stay on offer, so saving keeps them.
        visible = self.fields["units"].queryset.order_by().values("pk")
        self.fields["units"].queryset = Unit.objects.filter(
            Q(pk__in=visible) | Q(campaigns=campaign)
        ).distinct()


class VersionForm(forms.Form):
    version = version_field()


class StageEditForm(StyledForm):
    name = forms.CharField(label="阶段名称", max_length=50)
    starts_on = forms.DateField(label="开始日期", widget=DATE_INPUT)
    ends_on = forms.DateField(label="结束日期", widget=DATE_INPUT)
    version = version_field()

    def spec(self) -> StageSpec:
        data = self.cleaned_data
        return StageSpec(data["name"], data["starts_on"], data["ends_on"])


def stage_edit_form(stage: Stage | None, campaign: Campaign, data=None) -> StageEditForm:
    """The form of one stage on the edit page (None: the form adding a stage); each has its
    own prefix, so several sit on one page."""
    if stage is None:
        return StageEditForm(data, prefix="new", initial={"version": campaign.version})
    initial = {
        "name": stage.name,
        "starts_on": stage.starts_on,
        "ends_on": stage.ends_on,
        "version": campaign.version,
    }
    return StageEditForm(data, prefix=f"stage-{stage.pk}", initial=initial)


class StageForm(StyledForm):
    name = forms.CharField(label="阶段", max_length=50, required=False)
    starts_on = forms.DateField(label="开始", required=False, widget=DATE_INPUT)
    ends_on = forms.DateField(label="结束", required=False, widget=DATE_INPUT)


class BaseStageFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = [form.cleaned_data for form in self.forms if form.cleaned_data.get("name")]
        dated = [bool(row.get("starts_on") and row.get("ends_on")) for row in rows]
        if not rows:
            raise ValidationError("至少要有一个阶段。")
        if any(dated) and not all(dated):
            raise ValidationError("各阶段的起止日期要么都填，要么都不填（按活动期限平均划分）。")

    def specs(self, form: CampaignForm) -> tuple[StageSpec, ...] | None:
        """The stages as written; with no dates, the names over the period split evenly."""
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data.get("name")]
        if rows and rows[0].get("starts_on"):
            return tuple(StageSpec(r["name"], r["starts_on"], r["ends_on"]) for r in rows)
        data = form.cleaned_data
        return split_stages([r["name"] for r in rows], data["starts_on"], data["ends_on"])


StageFormSet = forms.formset_factory(
    StageForm, formset=BaseStageFormSet, extra=0, max_num=12, validate_max=True
)


def stage_formset(data=None) -> BaseStageFormSet:
    initial = [{"name": name} for name in DEFAULT_STAGES]
    return StageFormSet(data, prefix="stages", initial=None if data else initial)


class RequirementForm(StyledForm):
    stage = forms.ModelChoiceField(label="阶段", queryset=Stage.objects.none(), empty_label=None)
    activity = forms.ChoiceField(label="活动内容", choices=Activity.choices)
    material_kind = forms.ChoiceField(
        label="材料类型", choices=[("", "—"), *MaterialKind.choices], required=False
    )
    per = forms.ChoiceField(label="对象", choices=Per.choices)
    roles = forms.MultipleChoiceField(
        label="干部范围（每名干部时）",
        choices=PERSON_ROLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选即干部和领导",
    )
    quantity = forms.IntegerField(label="数量（份/次/天）", min_value=1, max_value=365, initial=1)
    due_kind = forms.ChoiceField(label="时限类型", choices=DueKind.choices)
    due_on = forms.DateField(label="截止日期", required=False, widget=DATE_INPUT)
    due_working_days = forms.IntegerField(
        label="工作日数", required=False, min_value=1, max_value=365
    )
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = campaign.stages.all()

    def spec(self) -> RequirementSpec:
        data = self.cleaned_data
        return RequirementSpec(
            activity=data["activity"],
            per=data["per"],
            material_kind=data["material_kind"],
            roles=tuple(data["roles"]),
            quantity=data["quantity"],
            due_kind=data["due_kind"],
            due_on=data["due_on"],
            due_working_days=data["due_working_days"],
            note=data["note"],
        )


class RequirementEditForm(RequirementForm):
    version = version_field()

    @classmethod
    def of(cls, requirement: Requirement, data=None) -> "RequirementEditForm":
        """The edit form of a requirement, filled with it as stored."""
        initial = {
            name: getattr(requirement, name)
            for name in ("activity", "material_kind", "per", "roles", "quantity", "note")
        } | {
            "stage": requirement.stage_id,
            "due_kind": requirement.due_kind,
            "due_on": requirement.due_on,
            "due_working_days": requirement.due_working_days,
            "version": requirement.stage.campaign.version,
        }
        return cls(data, campaign=requirement.stage.campaign, initial=initial)


class UrgeForm(forms.Form):
    requirement = forms.IntegerField(required=False, widget=forms.HiddenInput)
    message = forms.CharField(label="催办留言", required=False, max_length=200)
