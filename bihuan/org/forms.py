from django import forms
from django.contrib.auth.password_validation import validate_password
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
