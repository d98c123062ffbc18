"""Forms validate and translate input into the services' arguments; they never save."""

from django import forms
from django.core.exceptions import ValidationError

from bihuan.forms import StyledForm, UnitChoiceField
from bihuan.org.models import Unit

from .models import ROBOTS, ChannelKind
from .services import MESSAGE_MAX_LENGTH


class UrgeForm(StyledForm):
    message = forms.CharField(
        label="催办留言",
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "可不填，默认“请抓紧办理，及时反馈进展。”"}
        ),
    )


class ChannelForm(StyledForm):
    unit = UnitChoiceField(label="单位", queryset=Unit.objects.filter(is_active=True))
    kind = forms.ChoiceField(label="渠道", choices=ChannelKind.choices)
    webhook_url = forms.URLField(
        label="Webhook 地址",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="群机器人的 Webhook 地址；电子邮件不填",
    )
    secret = forms.CharField(
        label="加签密钥",
        required=False,
        max_length=200,
        help_text="钉钉机器人开启“加签”时填写（SEC 开头）",
    )

    def clean(self):
        data = super().clean()
        kind, url = data.get("kind"), data.get("webhook_url", "")
        if kind in ROBOTS and not url:
            self.add_error("webhook_url", "群机器人须填写 Webhook 地址。")
        if kind == ChannelKind.EMAIL and (url or data.get("secret")):
            raise ValidationError(
                "电子邮件渠道发往本单位人员账号中的邮箱，不填 Webhook 地址和密钥。"
            )
        if kind == ChannelKind.WECOM and data.get("secret"):
            self.add_error("secret", "企业微信群机器人没有加签密钥。")
        return data
