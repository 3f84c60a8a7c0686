"""Per-key throttles: "at most N per key within a window", kept in Django's shared cache.

Used where no library fits: password reset requests (one per address per 5 minutes) and, through
the same helper, email-link sign-in requests. Sign-in lockout is django-axes; the API's per-token
rate is ninja's throttling; the personal-email quota counts rows in the database.

    throttle_hit(key=f"password-reset:{email}", limit=1, window=300)   # raises Throttled

``Throttled`` carries a translated message and ``retry_after`` (whole seconds): the API answers 429
with ``Retry-After``; a page shows the message (``tablee.middleware`` renders 429 for pages that do
not catch it themselves).
"""

from __future__ import annotations

import hashlib
import math
import time

from django.core.cache import cache


class Throttled(Exception):
    """Too many of something for now. ``str()`` is a kind message for the person."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = max(1, int(retry_after))


def _cache_key(key: str) -> str:
    # Keys may hold email addresses: hash them so the cache never stores one in clear.
    return "tablee-throttle:" + hashlib.sha256(key.encode()).hexdigest()


def throttle_wait(*, key: str, limit: int, window: int) -> int:
    """Seconds until one more hit on ``key`` is allowed (0 if allowed now). Records nothing."""
    now = time.time()
    history = [t for t in cache.get(_cache_key(key), []) if t > now - window]
    if len(history) < limit:
        return 0
    return max(1, math.ceil(history[limit - 1] + window - now))


def throttle_hit(*, key: str, limit: int, window: int, message: str = "") -> None:
    """Count one hit on ``key``; raise ``Throttled`` (counting nothing) when ``limit`` hits already
    fell within the last ``window`` seconds."""
    from django.utils.translation import gettext as _

    wait = throttle_wait(key=key, limit=limit, window=window)
    if wait:
        minutes = math.ceil(wait / 60)
        raise Throttled(
            message
            or _("Trop de demandes pour le moment. Réessayez dans %(minutes)s minute(s).")
            % {"minutes": minutes},
            retry_after=wait,
        )
    now = time.time()
    history = [t for t in cache.get(_cache_key(key), []) if t > now - window]
    history.insert(0, now)
    cache.set(_cache_key(key), history, timeout=window)


def throttle_reset(*, key: str) -> None:
    cache.delete(_cache_key(key))
