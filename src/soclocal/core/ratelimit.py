"""A limit on how often one network address may send a form: public pages and sign-in.

`@limited("name")` on a view counts the POSTs each address sends it in a fixed window and
answers 429 (a page saying when to try again) beyond the limit. The counts are kept in
Django's cache, which is this process's own memory unless CACHES says otherwise, so each web
process counts on its own: with gunicorn's two processes an address may send up to twice the
limit. That is enough to stop a program flooding the pages; the database's own limits
(community reports an hour, axes's sign-in failures per account) still apply behind it.

The address is REMOTE_ADDR, or with settings.BEHIND_PROXY (SOCLOCAL_BEHIND_PROXY=1) the last
address in X-Forwarded-For, the one the partnership's own proxy added; without it, behind a
proxy every visitor shares the proxy's address and its limit.

Limits are (requests, seconds) in settings.RATE_LIMITS, by name.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string

DEFAULTS = {
    "sign-in": (30, 600),
    "bid": (20, 600),
    "vote": (20, 600),
    "tell-us": (10, 600),
    "join": (10, 600),
}


def _limit(name):
    return getattr(settings, "RATE_LIMITS", {}).get(name, DEFAULTS[name])


def client_address(request) -> str:
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def over_limit(request, name: str) -> int:
    """Count this request; 0 if within the limit, else the seconds until the window ends."""
    most, seconds = _limit(name)
    address = client_address(request)
    window = int(time.time() // seconds)
    key = "ratelimit:" + hashlib.sha256(f"{name}|{address}|{window}".encode()).hexdigest()
    cache.add(key, 0, timeout=seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds + 5)
        count = 1
    if count <= most:
        return 0
    return max(1, int((window + 1) * seconds - time.time()))


def too_many(request, wait: int) -> HttpResponse:
    minutes = max(1, (wait + 59) // 60)
    body = render_to_string("core/too_many.html", {"minutes": minutes}, request=request)
    return HttpResponse(body, status=429, headers={"Retry-After": str(wait)})


def limited(name: str):
    """Limit the POSTs one address sends to this view (see the module's notes)."""
    DEFAULTS[name]  # a name without a default is a mistake in the code

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                wait = over_limit(request, name)
                if wait:
                    return too_many(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
