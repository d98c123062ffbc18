"""Who is calling: an API token (`Authorization: Bearer …`), or the browser's login session."""

import time

from django.conf import settings
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from bihuan.org.lockout import token_failed, token_locked
from bihuan.org.models import ApiToken
from bihuan.org.ratelimit import rate_exceeded


class RateLimited(HttpError):
    """429 with the seconds to wait, which the error handler sends as Retry-After."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(429, message)
        self.retry_after = retry_after


class TokenAuth(HttpBearer):
    """A token, unless this address sent too many wrong ones lately (the login lockout's limit
    and time, under one pseudo-account per address that the security admin can unlock), or the
    token itself made more than BIHUAN_API_RATE_PER_MINUTE calls this minute."""

    def authenticate(self, request, token: str):
        if token_locked(request):
            seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
            raise RateLimited(
                f"接口令牌错误次数过多，本地址已被暂停 {seconds // 60} 分钟。", retry_after=seconds
            )
        user = ApiToken.objects.user_for_key(token)
        if user is None:
            token_failed(request)
            return None
        limit = settings.BIHUAN_API_RATE_PER_MINUTE
        wait = rate_exceeded("api", token, per_minute=limit, now=time.time())
        if wait is not None:
            raise RateLimited(
                f"接口调用过于频繁：每个令牌每分钟最多 {limit} 次，请 {wait} 秒后再试。",
                retry_after=wait,
            )
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
