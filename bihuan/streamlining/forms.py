"""Forms validate and translate input into the services' arguments; they never save."""

from django import forms

from bihuan.campaigns.models import Campaign
from bihuan.forms import StyledForm, UnitChoiceField
from bihuan.org.models import Unit

from .models import MeetingKind, MeetingLevel
from .services import MeetingSpec, TargetSpec

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _UnitForm(StyledForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).filter(is_active=True)
        self.fields["unit"].initial = user.unit_id


class MeetingForm(_UnitForm):
    unit = UnitChoiceField(label="召开单位", queryset=Unit.objects.none())
    held_on = forms.DateField(label="召开日期", widget=DATE_INPUT)
    title = forms.CharField(label="会议名称", max_length=200)
    kind = forms.ChoiceField(label="会议类型", choices=MeetingKind.choices)
    level = forms.ChoiceField(label="会议级别", choices=MeetingLevel.choices)
    minutes = forms.IntegerField(label="时长（分钟）", min_value=1, max_value=1440)
    attendees = forms.IntegerField(label="参会人数", min_value=0, initial=0)
    merged = forms.BooleanField(label="合并召开", required=False)
    by_video = forms.BooleanField(label="视频会议", required=False)
    campaign = forms.ModelChoiceField(
        label="专项活动", queryset=Campaign.objects.none(), required=False, empty_label="—"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)

    def spec(self) -> MeetingSpec:
        return MeetingSpec(**self.cleaned_data)


class DocumentForm(_UnitForm):
    unit = UnitChoiceField(label="发文单位", queryset=Unit.objects.none())
    number = forms.CharField(label="文号", max_length=50, help_text="如：青办发〔2024〕12号")
    title = forms.CharField(label="标题（不填则取文件首行）", max_length=200, required=False)
    issued_on = forms.DateField(label="发文日期", widget=DATE_INPUT)
    file = forms.FileField(
        label="文件",
        help_text="Word（.docx/.doc/.wps）、PDF（须有文字层）或文本（.txt）；字数从文件读取",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,.pdf,.doc,.wps"}),
    )


class TargetForm(_UnitForm):
    unit = UnitChoiceField(label="单位", queryset=Unit.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    documents_cut_percent = forms.IntegerField(
        label="发文比上年减少（%）", min_value=0, max_value=100, required=False
    )
    meetings_cut_percent = forms.IntegerField(
        label="会议比上年减少（%）", min_value=0, max_value=100, required=False
    )
    meeting_max_minutes = forms.IntegerField(
        label="会议时长上限（分钟）", min_value=1, max_value=1440, required=False
    )

    def spec(self) -> TargetSpec:
        return TargetSpec(**self.cleaned_data)


class FiguresForm(StyledForm):
    unit = UnitChoiceField(label="单位", queryset=Unit.objects.none(), required=False)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).filter(is_active=True)
