from bihuan.org.lockout import client_ip

from .context import AuditContext, reset_context, set_context


def request_context(request) -> AuditContext:
    """The address (behind BIHUAN_TRUSTED_PROXIES, the same one the lockout counts) and client."""
    return AuditContext(
        ip=client_ip(request) or "",
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
        request=request,
    )


class AuditContextMiddleware:
    """Makes the request's address, client and user the context of every entry it writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_context(request_context(request))
        try:
            return self.get_response(request)
        finally:
            reset_context(token)
