"""The security admin's page (三员分立): locks, password and TOTP resets, the policy in force.

It shows accounts and their units, never business data.
"""

from django.conf import settings
from django.contrib import messages
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from .lockout import current_attempts, lockout_release
from .models import Role, RoleGrant, User
from .services import user_reset_password
from .totp import required_roles, totp_remove
from .views import security_admin_only


def policy() -> list[tuple[str, str]]:
    """The thresholds in force, as the assessor reads them."""
    max_age = settings.BIHUAN_PASSWORD_MAX_AGE_DAYS
    roles = required_roles(settings.BIHUAN_TOTP_REQUIRED)
    if roles is None:
        totp = "全部账号"
    elif roles:
        totp = "、".join(Role(role).label for role in Role.values if role in roles)
    else:
        totp = "不强制（用户可自行绑定）"
    return [
        ("密码长度", f"至少 {settings.BIHUAN_PASSWORD_MIN_LENGTH} 位"),
        (
            "密码复杂度",
            f"大写字母、小写字母、数字、符号中至少 {settings.BIHUAN_PASSWORD_MIN_CLASSES} 类",
        ),
        ("密码不得重复", f"最近 {settings.BIHUAN_PASSWORD_HISTORY} 次"),
        ("密码有效期", f"{max_age} 天" if max_age else "不过期"),
        ("初始密码、重置的密码", "首次登录须修改"),
        ("登录失败锁定", f"连续 {settings.AXES_FAILURE_LIMIT} 次失败后锁定"),
        ("锁定时长", f"{int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} 分钟"),
        ("锁定范围", "同一账号在同一来源地址（其他地址不受影响）"),
        ("会话空闲超时", f"{settings.SESSION_COOKIE_AGE // 60} 分钟；关闭浏览器即失效"),
        ("两步验证（TOTP）必须使用者", totp),
        ("运行模式", "生产（BIHUAN_PRODUCTION）" if settings.BIHUAN_PRODUCTION else "试用"),
    ]


def _security_page(request, *, issued=None):
    accounts = (
        User.objects.select_related("unit")
        .prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role")))
        .annotate(has_totp=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by("unit__path", "username")
    )
    context = {
        "policy": policy(),
        "attempts": current_attempts(now=timezone.now()),
        "accounts": accounts,
        "issued": issued,
    }
    response = render(request, "org/security.html", context)
    if issued:
        response["Cache-Control"] = "no-store"
    return response


@security_admin_only
@require_GET
def security(request):
    return _security_page(request)


@security_admin_only
@require_POST
def lock_release(request):
    username = request.POST.get("username", "")
    ip_address = request.POST.get("ip_address") or None
    if lockout_release(username=username, ip_address=ip_address):
        messages.success(request, f"已解除“{username}”在 {ip_address or '未知地址'} 的锁定。")
    else:
        messages.info(request, "该锁定已不存在（可能已到期或已解除）。")
    return redirect("security")


@security_admin_only
@require_POST
def password_reset(request, pk: int):
    account = get_object_or_404(User, pk=pk)
    if account == request.user:
        messages.error(request, "自己的密码请在“修改密码”页修改。")
        return redirect("security")
    password = user_reset_password(user=account, now=timezone.now())
    return _security_page(request, issued={"account": account, "password": password})


@security_admin_only
@require_POST
def totp_reset(request, pk: int):
    account = get_object_or_404(User, pk=pk)
    if totp_remove(user=account):
        messages.success(request, f"已解除“{account.username}”绑定的身份验证器。")
    else:
        messages.info(request, f"“{account.username}”没有绑定身份验证器。")
    return redirect("security")
