"""Sessions: the idle timeout, and what a login notes in its session.

Expiry is `SESSION_COOKIE_AGE` after the session was last saved. Saving on every request would
make every page a database write (SQLite has one writer), so activity moves the expiry on at
most once a minute: a session ends after 29 to 30 idle minutes with the default of 30.
"""

import time

from .totp import has_totp

SEEN = "bihuan_seen"
NEEDS_OTP = "bihuan_needs_otp"
TOUCH_SECONDS = 60


def note_login(sender, request, user, **kwargs) -> None:
    """Connected to `user_logged_in`: whether the new session must be verified by TOTP."""
    request.session[NEEDS_OTP] = has_totp(user)
    request.session[SEEN] = int(time.time())


def needs_otp(request) -> bool:
    """The note made at login; a session without one (opened some other way) asks the database."""
    needs = request.session.get(NEEDS_OTP)
    return has_totp(request.user) if needs is None else needs


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(SEEN, 0) >= TOUCH_SECONDS:
                request.session[SEEN] = now
        return self.get_response(request)
