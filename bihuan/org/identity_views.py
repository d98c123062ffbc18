"""The user's own identity pages: password change, TOTP verification and binding, backup codes,
logging out of every device."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from .forms import PasswordChangeForm, SecondFactorForm, TotpCodeForm
from .passwords import password_expired
from .services import user_change_password, user_end_sessions
from .sessions import NEEDS_OTP
from .totp import (
    backup_codes_issue,
    backup_codes_left,
    new_key,
    qr_svg,
    second_factor_verify,
    secret_for_typing,
    totp_device,
    totp_enrol,
    totp_remove,
    totp_required,
)

PENDING_KEY = "bihuan_totp_pending_key"


def _next(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return settings.LOGIN_REDIRECT_URL


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    user = request.user
    form = PasswordChangeForm(user, request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            user_change_password(
                user=user, password=form.cleaned_data["new_password"], now=timezone.now()
            )
        except ValidationError as error:
            form.add_error("new_password", error)
        else:
            # The new hash ends the user's other sessions; this one carries on.
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改，其他设备上的登录已失效。")
            return redirect(_next(request))
    if user.must_change_password:
        reason = "初始密码或重置的密码须修改后才能使用系统。"
    elif password_expired(user, now=timezone.now()):
        reason = f"密码已使用超过 {settings.BIHUAN_PASSWORD_MAX_AGE_DAYS} 天，请修改。"
    else:
        reason = ""
    context = {"form": form, "reason": reason, "next": _next(request)}
    return render(request, "org/password_change.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def totp_verify(request):
    """The second step of a login, for a user with an authenticator: its code or a backup code."""
    if totp_device(request.user) is None:
        # Unbound since this login (by the security admin): nothing left to verify.
        request.session[NEEDS_OTP] = False
        return redirect(_next(request))
    if request.user.is_verified():
        return redirect(_next(request))
    form = SecondFactorForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            device = second_factor_verify(
                user=request.user, code=form.cleaned_data["code"], now=timezone.now()
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    f"已用备用验证码登录，还剩 {backup_codes_left(request.user)} 个。"
                    "手机丢失的，请在“个人信息”页重新绑定身份验证器。",
                )
            return redirect(_next(request))
    context = {"form": form, "next": _next(request)}
    return render(request, "org/totp_verify.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def totp_bind(request):
    """Bind an authenticator app: scan the code, confirm with the number it shows."""
    key = request.session.get(PENDING_KEY)
    if key is None:
        key = request.session[PENDING_KEY] = new_key()
    form = TotpCodeForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            enrolment = totp_enrol(user=request.user, key=key, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            del request.session[PENDING_KEY]
            otp_login(request, enrolment.device)
            messages.success(request, "已绑定身份验证器，今后登录时须输入其中的验证码。")
            return _backup_codes_page(request, enrolment.backup_codes)
    context = {
        "form": form,
        "qr": qr_svg(request.user, key),
        "secret": secret_for_typing(key),
        "totp_required": totp_required(request.user),
        "next": _next(request),
    }
    return render(request, "org/totp_bind.html", context, status=400 if form.errors else 200)


def _backup_codes_page(request, codes: list[str]):
    """The codes, this once: never cached, never shown again."""
    response = render(request, "org/backup_codes.html", {"codes": codes, "next": _next(request)})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def backup_codes_new(request):
    """New backup codes from the profile page; the earlier ones stop working."""
    if totp_device(request.user) is None:
        messages.info(request, "尚未绑定身份验证器，无需备用验证码。")
        return redirect("profile")
    return _backup_codes_page(request, backup_codes_issue(user=request.user))


@login_required
@require_POST
def totp_unbind(request):
    """The owner unbinds their authenticator, proving they still hold it."""
    device = totp_device(request.user)
    form = TotpCodeForm(request.POST)
    if device is None:
        messages.info(request, "尚未绑定身份验证器。")
    elif form.is_valid() and device.verify_token(form.cleaned_data["code"]):
        totp_remove(user=request.user)
        messages.success(request, "已解除绑定身份验证器。")
    else:
        messages.error(request, "验证码不正确，身份验证器未解除绑定。")
    return redirect("profile")


@login_required
@require_POST
def sessions_end(request):
    """退出所有设备: every session of the user ends, this one too. API tokens are kept."""
    user_end_sessions(user=request.user)
    logout(request)
    messages.success(request, "已退出所有设备上的登录，请重新登录。")
    return redirect(settings.LOGIN_URL)
