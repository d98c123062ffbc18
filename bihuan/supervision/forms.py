"""Forms validate and translate input into the services' arguments; they never save."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from bihuan.duties.gate import UNLISTED, UNLISTED_LABEL
from bihuan.duties.models import DutyLevel
from bihuan.duties.selectors import entry_choices
from bihuan.forms import StyledForm, UnitChoiceField
from bihuan.ledger.forms import DATE_INPUT, ScopedForm
from bihuan.org.models import Unit, User
from bihuan.workflow.states import DeadlineKind, FeedbackCycle, State

from .models import STATE_LABELS, EscalationRule, Level, Source
from .selectors import SORT_CHOICES, ItemFilters
from .services import ItemSpec, RuleSpec

LIGHT_CHOICES = [("red", "红灯"), ("yellow", "黄灯"), ("green", "绿灯")]
LEVEL_CHOICES = [(level.value, level.label) for level in Level if level != Level.NONE]
STATE_CHOICES = [(state.value, STATE_LABELS.get(state, state.label)) for state in State]
# Ongoing items report by cycle; one with a deadline reports once, when it asks to close.
DEADLINE_CHOICES = [
    (DeadlineKind.DATE, "指定日期（办结时一次反馈）"),
    (DeadlineKind.WORKING_DAYS, "交办后N个工作日（办结时一次反馈）"),
    (DeadlineKind.ONGOING, "长期坚持（定期反馈）"),
]


def _blank(choices, label="全部"):
    return [("", label), *choices]


class ItemFilterForm(ScopedForm):
    unit = UnitChoiceField(
        label="牵头或配合单位", queryset=Unit.objects.none(), required=False, empty_label="全部"
    )
    source = forms.ChoiceField(label="事项来源", choices=_blank(Source.choices), required=False)
    state = forms.ChoiceField(label="状态", choices=_blank(STATE_CHOICES), required=False)
    light = forms.ChoiceField(label="红黄绿灯", choices=_blank(LIGHT_CHOICES), required=False)
    level = forms.ChoiceField(label="督办等级", choices=_blank(LEVEL_CHOICES), required=False)
    keyword = forms.CharField(label="关键词", required=False, max_length=100)
    sort = forms.ChoiceField(label="排序", choices=SORT_CHOICES, required=False)

    def filters(self) -> ItemFilters:
        data = self.cleaned_data
        return ItemFilters(
            unit=data["unit"],
            source=data["source"],
            state=data["state"],
            light=data["light"],
            level=data["level"],
            keyword=data["keyword"],
            sort=data["sort"] or "new",
        )


class ItemForm(ScopedForm):
    source = forms.ChoiceField(label="事项来源", choices=Source.choices)
    title = forms.CharField(label="督办事项", max_length=200)
    instruction = forms.CharField(
        label="批示或议定内容", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    instructed_by = forms.CharField(
        label="批示人或会议", required=False, max_length=100, help_text="如：县委书记张三"
    )
    instructed_on = forms.DateField(label="批示或会议日期", required=False, widget=DATE_INPUT)
    owner_unit = UnitChoiceField(label="牵头单位", queryset=Unit.objects.none())
    partner_units = forms.ModelMultipleChoiceField(
        label="配合单位（可多选）",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    owner = forms.ModelChoiceField(label="责任人", queryset=User.objects.none(), required=False)
    deadline_kind = forms.ChoiceField(
        label="时限与反馈", choices=DEADLINE_CHOICES, initial=DeadlineKind.DATE
    )
    deadline = forms.DateField(label="办结时限", required=False, widget=DATE_INPUT)
    deadline_working_days = forms.IntegerField(
        label="工作日数", required=False, min_value=1, max_value=365
    )
    feedback_cycle = forms.ChoiceField(
        label="反馈周期（长期坚持）", choices=_blank(FeedbackCycle.choices, "—"), required=False
    )
    duty = forms.ChoiceField(
        label="村（社区）职责清单事项",
        required=False,
        help_text="牵头或配合单位有村、社区时必选：属于负面清单的不得交办，清单外事项须经准入审批。",
    )
    assign = forms.BooleanField(label="保存后立即交办", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = entry_choices(DutyLevel.values)
        self.fields["duty"].choices = [
            ("", "不涉及村（社区）"),
            *groups,
            (UNLISTED, UNLISTED_LABEL),
        ]

    def spec(self) -> ItemSpec:
        data = self.cleaned_data
        return ItemSpec(
            source=data["source"],
            title=data["title"],
            instruction=data["instruction"],
            instructed_by=data["instructed_by"],
            instructed_on=data["instructed_on"],
            owner_unit=data["owner_unit"],
            partner_units=tuple(data["partner_units"]),
            owner=data["owner"],
            deadline_kind=data["deadline_kind"],
            deadline=data["deadline"],
            deadline_working_days=data["deadline_working_days"],
            feedback_cycle=data["feedback_cycle"],
        )


class TextForm(StyledForm):
    text = forms.CharField(label="内容", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class EscalationRulesForm(StyledForm):
    """Per level: days overdue at which it starts (blank leaves the level unused), urges left
    unanswered at which it also starts (blank: not by urges), and the points it costs."""

    def __init__(self, *args, rules: dict[str, EscalationRule], **kwargs):
        super().__init__(*args, **kwargs)
        for level, label in LEVEL_CHOICES:
            rule = rules.get(level)
            self.fields[level] = forms.IntegerField(
                label=f"{label}：逾期天数达到",
                required=False,
                min_value=1,
                max_value=3650,
                initial=rule and rule.days_overdue,
            )
            self.fields[f"{level}_urges"] = forms.IntegerField(
                label=f"{label}：或催办未回应次数达到",
                required=False,
                min_value=1,
                max_value=100,
                initial=rule and rule.urges_ignored,
            )
            self.fields[f"{level}_deduction"] = forms.DecimalField(
                label=f"{label}：扣分",
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=1,
                initial=rule.deduction if rule else None,
            )

    def clean(self):
        data = super().clean()
        days = [data.get(level) for level, _label in LEVEL_CHOICES if data.get(level)]
        if days != sorted(days) or len(set(days)) != len(days):
            raise ValidationError("天数应随等级升高而增加：蓝色 < 黄色 < 红色。")
        for level, label in LEVEL_CHOICES:
            if not data.get(level) and data.get(f"{level}_urges"):
                self.add_error(f"{level}_urges", f"请先填写{label}的逾期天数。")
        return data

    def rules(self) -> dict[str, RuleSpec]:
        data = self.cleaned_data
        return {
            level: RuleSpec(
                days_overdue=data[level],
                urges_ignored=data[f"{level}_urges"],
                deduction=data[f"{level}_deduction"] or Decimal(0),
            )
            for level, _ in LEVEL_CHOICES
            if data[level]
        }
