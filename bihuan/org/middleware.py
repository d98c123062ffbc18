"""What a logged-in user must do before anything else: prove the second factor, replace an
initial, reset or expired password, bind an authenticator where TOTP is required.

Every page sends them to that step; the API refuses the session with 403 and says why. A request
with an API token is judged by the token alone.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from .passwords import password_expired
from .sessions import needs_otp
from .totp import totp_required


@dataclass(frozen=True)
class Step:
    url_name: str
    api_message: str


VERIFY = Step("totp_verify", "请先在网页上输入身份验证器的验证码，完成登录。")
CHANGE_PASSWORD = Step(
    "password_change", "请先在网页上修改密码：初始密码、重置的密码和已过期的密码须先修改。"
)
ENROL = Step("totp_bind", "请先在网页上绑定身份验证器（两步验证）。")


def pending_step(request, *, now) -> Step | None:
    user = request.user
    if not user.is_authenticated:
        return None
    verified = user.is_verified()
    has_device = verified or needs_otp(request)
    if has_device and not verified:
        return VERIFY
    if user.must_change_password or password_expired(user, now=now):
        return CHANGE_PASSWORD
    if not has_device and totp_required(user):
        return ENROL
    return None


class SecurityGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match.view_name == "logout":
            return None
        if match.namespace == "api" and "authorization" in request.headers:
            return None
        step = pending_step(request, now=timezone.now())
        if step is None or match.view_name == step.url_name:
            return None
        if match.namespace == "api":
            return JsonResponse(
                {"detail": step.api_message, "field": None},
                status=403,
                json_dumps_params={"ensure_ascii": False},
            )
        url = f"{reverse(step.url_name)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)
