"""Forms validate and translate input into the services' arguments; they never save."""

from django import forms

from bihuan.campaigns.models import Campaign
from bihuan.forms import StyledForm
from bihuan.ledger.models import Category
from bihuan.org.models import Role, Unit, User

from .models import MaterialKind

ACCEPT = ".txt,.docx,.pdf,.doc,.wps"


class MaterialUploadForm(StyledForm):
    file = forms.FileField(
        label="材料文件",
        help_text="Word（.docx/.doc/.wps）、PDF（须有文字层）或文本（.txt）",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    kind = forms.ChoiceField(label="材料类型", choices=MaterialKind.choices)
    author = forms.ModelChoiceField(label="作者", queryset=User.objects.none())
    campaign = forms.ModelChoiceField(
        label="专项活动", queryset=Campaign.objects.none(), required=False, empty_label="—"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)
        self.fields["author"].initial = user.pk
        if user.has_role(Role.SUPERVISOR):
            units = Unit.objects.visible_to(user)
            self.fields["author"].queryset = User.objects.filter(
                unit__in=units, is_active=True
            ).order_by("unit__path", "name")
        else:
            self.fields["author"].queryset = User.objects.filter(pk=user.pk)


class ConfirmForm(StyledForm):
    category = forms.ModelChoiceField(
        label="未注明类别的问题归入",
        queryset=Category.objects.filter(is_active=True),
        empty_label=None,
    )
