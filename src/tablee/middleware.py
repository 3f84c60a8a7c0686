"""Project-wide middleware: the real client address behind a proxy, and throttled pages."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

from tablee.throttle import Throttled


class ProxyClientAddressMiddleware:
    """With ``TABLEE_BEHIND_PROXY=1``, REMOTE_ADDR becomes the client's address.

    The proxy appends the address it saw to X-Forwarded-For (nginx: ``$proxy_add_x_forwarded_for``),
    so the last entry is the one our proxy vouches for; earlier entries come from the client and are
    ignored. Sign-in lockout, throttles and logs then see the person, not the proxy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.BEHIND_PROXY:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            last = forwarded.rsplit(",", 1)[-1].strip()
            if last:
                request.META["REMOTE_ADDR"] = last
        return self.get_response(request)


class ThrottledMiddleware:
    """A page whose service raised ``Throttled`` answers 429 with the kind message (the API has its
    own handler, with Retry-After)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Throttled):
            return None
        response = render(request, "429.html", {"message": exception.message}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response
