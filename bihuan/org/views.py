from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import AccountForm, TotpCodeForm, UnitForm
from .models import ApiToken, Role, RoleGrant, Unit, User
from .passwords import password_expires_at
from .services import user_create, user_set_active
from .totp import backup_codes_left, has_totp, totp_required


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The user's own account; a POST issues a new API token, shown this once."""
    new_token = None
    if request.method == "POST":
        new_token = ApiToken.issue(user=request.user, now=timezone.now())
    has_token = new_token is not None or ApiToken.objects.filter(user=request.user).exists()
    context = {
        "new_token": new_token,
        "has_token": has_token,
        "has_totp": has_totp(request.user),
        "backup_codes_left": backup_codes_left(request.user),
        "totp_required": totp_required(request.user),
        "password_expires_at": password_expires_at(request.user),
        "unbind_form": TotpCodeForm(),
    }
    return render(request, "org/profile.html", context)


def _only(role: str, refusal: str):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_role(role):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# 三员分立: units and accounts are the system admin's; passwords, locks and second factors the
# security admin's. Nobody else reaches these pages.
system_admin_only = _only(Role.SYSTEM_ADMIN, "只有系统管理员可以管理单位和账号。")
security_admin_only = _only(Role.SECURITY_ADMIN, "只有安全管理员可以管理密码、锁定和两步验证。")


def _organisation_page(request, *, unit_form=None, account_form=None, status=200):
    units = Unit.objects.all()
    accounts = (
        User.objects.select_related("unit")
        .prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role")))
        .order_by("unit__path", "username")
    )
    context = {
        "units": units,
        "accounts": accounts,
        "unit_form": unit_form or UnitForm(),
        "account_form": account_form or AccountForm(),
    }
    return render(request, "org/organisation.html", context, status=status)


@system_admin_only
@require_GET
def organisation(request):
    return _organisation_page(request)


@system_admin_only
@require_POST
def unit_add(request):
    form = UnitForm(request.POST)
    if not form.is_valid():
        return _organisation_page(request, unit_form=form, status=400)
    data = form.cleaned_data
    unit = Unit.objects.add(
        name=data["name"].strip(),
        short_name=data["short_name"].strip(),
        kind=data["kind"],
        parent=data["parent"],
    )
    messages.success(request, f"已增加单位“{unit}”。")
    return redirect("organisation")


@system_admin_only
@require_POST
def account_add(request):
    form = AccountForm(request.POST)
    if not form.is_valid():
        return _organisation_page(request, account_form=form, status=400)
    data = form.cleaned_data
    account = user_create(
        username=data["username"],
        name=data["name"],
        unit=data["unit"],
        roles=data["roles"],
        password=data["password"],
        title=data["title"],
    )
    messages.success(request, f"已创建账号“{account.username}”。请将初始密码当面告知本人。")
    return redirect("organisation")


@system_admin_only
@require_POST
def account_toggle_active(request, pk: int):
    account = get_object_or_404(User, pk=pk)
    if account == request.user:
        messages.error(request, "不能停用自己的账号。")
        return redirect("organisation")
    user_set_active(user=account, active=not account.is_active)
    messages.success(
        request, f"已{'启用' if account.is_active else '停用'}账号“{account.username}”。"
    )
    return redirect("organisation")
