from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError

from bihuan.forms import StyledForm, UnitChoiceField

from .models import Role, Unit, UnitKind, User
from .services import check_role_combination


class UnitForm(StyledForm):
    name = forms.CharField(label="单位名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=50, required=False)
    kind = forms.ChoiceField(label="类型", choices=UnitKind.choices)
    parent = UnitChoiceField(label="上级单位", queryset=Unit.objects.filter(is_active=True))

    def clean(self):
        data = super().clean()
        parent = data.get("parent")
        name = data.get("name", "").strip()
        if parent and parent.children.filter(name=name).exists():
            raise ValidationError(f"“{parent}”下已有名为“{name}”的单位。")
        return data


class AccountForm(StyledForm):
    username = forms.RegexField(
        label="用户名",
        max_length=50,
        regex=r"^[A-Za-z0-9_.-]+$",
        error_messages={"invalid": "用户名只能包含字母、数字和 _ . -"},
    )
    name = forms.CharField(label="姓名", max_length=50)
    unit = UnitChoiceField(label="所在单位", queryset=Unit.objects.filter(is_active=True))
    title = forms.CharField(label="职务", max_length=50, required=False)
    roles = forms.MultipleChoiceField(
        label="角色", choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    password = forms.CharField(
        label="初始密码", widget=forms.PasswordInput(render_value=False), strip=False
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError("该用户名已被使用。")
        return username

    def clean_roles(self):
        roles = self.cleaned_data["roles"]
        check_role_combination(roles)
        return roles

    def clean(self):
        data = super().clean()
        if data.get("password"):
            try:
                validate_password(data["password"], User(username=data.get("username", "")))
            except ValidationError as error:
                self.add_error("password", error)
        return data


class LoginForm(AuthenticationForm):
    """The same answer for an unknown account, a wrong password and an inactive account.

    A lock is per account and address, and unknown accounts are locked just like real ones, so
    saying "locked" reveals nothing either.
    """

    error_messages = {
        "invalid_login": "用户名或密码错误。",
        "inactive": "用户名或密码错误。",
    }

    def get_invalid_login_error(self):
        if getattr(self.request, "axes_locked_out", False):
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            return ValidationError(
                f"登录失败次数过多，已暂停从本机登录该账号 {minutes} 分钟。"
                "如需提前解除，请联系安全管理员。",
                code="locked",
            )
        return super().get_invalid_login_error()


class PasswordChangeForm(StyledForm):
    old_password = forms.CharField(label="当前密码", strip=False, widget=forms.PasswordInput)
    new_password = forms.CharField(label="新密码", strip=False, widget=forms.PasswordInput)
    new_password_again = forms.CharField(
        label="再次输入新密码", strip=False, widget=forms.PasswordInput
    )

    def __init__(self, user: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["new_password"].help_text = " ".join(password_validators_help_texts()[:2])
        self.fields["old_password"].widget.attrs["autocomplete"] = "current-password"
        for name in ("new_password", "new_password_again"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise ValidationError("当前密码不正确。")
        return old

    def clean(self):
        data = super().clean()
        new, again = data.get("new_password"), data.get("new_password_again")
        if new and again and new != again:
            self.add_error("new_password_again", "两次输入的新密码不一致。")
        return data


class TotpCodeForm(StyledForm):
    code = forms.RegexField(
        label="验证码",
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": "请输入身份验证器上显示的 6 位数字。"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        )


class SecondFactorForm(StyledForm):
    """The login's second step: the authenticator's six digits, or one backup code."""

    code = forms.CharField(label="验证码", max_length=20)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        )
