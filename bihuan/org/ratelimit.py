"""Request rate limits: login posts per source address, API calls per token.

The lockout (lockout.py) counts failures of one account; these count every request, so a flood
is turned away before it costs a password hash or a query. Counts live in Django's cache for
the current minute: with the default local-memory cache each server process counts on its own
(docs/deploy.md), which bounds the work a flood can cause all the same.
"""

import hashlib
import math
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from .lockout import client_ip

WINDOW_SECONDS = 60


def rate_exceeded(scope: str, key: str, *, per_minute: int, now: float) -> int | None:
    """Count one request of `key`; past `per_minute` in this minute, the seconds until the next
    one begins (for Retry-After), else None. A limit of 0 counts nothing."""
    if per_minute <= 0:
        return None
    window = int(now // WINDOW_SECONDS)
    # Hashed: a token never sits in the cache, and any key suits any cache backend.
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    name = f"bihuan:rate:{scope}:{digest}:{window}"
    cache.add(name, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    if count <= per_minute:
        return None
    return max(1, math.ceil(WINDOW_SECONDS - now % WINDOW_SECONDS))


def login_rate_limited(view):
    """Posts to a login step (password, second factor) from one address, per minute."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            limit = settings.BIHUAN_LOGIN_RATE_PER_MINUTE
            address = client_ip(request) or "unknown"
            wait = rate_exceeded("login", address, per_minute=limit, now=time.time())
            if wait is not None:
                context = {"limit": limit, "wait": wait}
                response = render(request, "org/too_many_requests.html", context, status=429)
                response["Retry-After"] = str(wait)
                return response
        return view(request, *args, **kwargs)

    return wrapped
