"""Who is calling: an API token (`Authorization: Bearer …`), or the browser's login session."""

from django.conf import settings
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from bihuan.org.lockout import token_failed, token_locked
from bihuan.org.models import ApiToken


class TokenAuth(HttpBearer):
    """A token, unless this address sent too many wrong ones lately (the login lockout's limit
    and time, under one pseudo-account per address that the security admin can unlock)."""

    def authenticate(self, request, token: str):
        if token_locked(request):
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            raise HttpError(429, f"接口令牌错误次数过多，本地址已被暂停 {minutes} 分钟。")
        user = ApiToken.objects.user_for_key(token)
        if user is None:
            token_failed(request)
        return user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session, with Django's CSRF check on unsafe methods.

    A request that presents a token is judged by the token alone, and the CSRF check runs only
    when the session is what authenticates, so a wrong token gets 401 rather than a CSRF 403.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        if "authorization" in request.headers or not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        return request.user if key is not None else None
