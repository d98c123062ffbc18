"""Who is calling: an API token (`Authorization: Bearer …`), or the browser's login session."""

from django.conf import settings
from ninja.security import APIKeyCookie, HttpBearer

from bihuan.org.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        return ApiToken.objects.user_for_key(token)


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
