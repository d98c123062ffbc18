"""The Content-Security-Policy header, from `settings.SECURE_CSP`.

Django 5.2 has no CSP of its own; 6.0's ContentSecurityPolicyMiddleware reads the same setting,
so upgrading replaces this module by that middleware in MIDDLEWARE.
"""

from django.conf import settings


def policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.header = policy(settings.SECURE_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Content-Security-Policy", self.header)
        return response
