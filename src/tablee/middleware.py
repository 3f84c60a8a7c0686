"""Project-wide middleware: the real client address behind a proxy, and throttled pages."""

from __future__ import annotations

import logging
import re
import secrets
import time

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.shortcuts import render
from django.urls import Resolver404, resolve

from tablee.config import API_PREFIX
from tablee.logs import request_id
from tablee.throttle import Throttled

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_REQUEST_LOG = logging.getLogger("tablee.request")


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


class FormAddressMiddleware:
    """A page address that only receives a form (POST) answers a plain visit with a page that leads
    back, not the browser's bare « HTTP ERROR 405 »: reloading a page shown after a form's errors,
    or following an old link, lands there. The status stays 405 (with its Allow header)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code == 405 and request.method == "GET" and not response.content
                and not request.path.startswith(API_PREFIX)):
            page = render(request, "405.html", {"back": _nearest_page_above(request.path)}, status=405)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response


def _nearest_page_above(path: str) -> str:
    """The closest address above ``path`` that is a page (…/tokens/new/ → /account/), else "/"."""
    while path.rstrip("/"):
        path = path.rstrip("/").rsplit("/", 1)[0] + "/"
        try:
            resolve(path)
        except Resolver404:
            continue
        return path
    return "/"


class RequestLogMiddleware:
    """One log line per request (logger ``tablee.request``) and a request id on every line.

    The id comes from a well-formed ``X-Request-ID`` set by the proxy, or is made here; it is sent
    back in the response's ``X-Request-ID``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = incoming if _REQUEST_ID.fullmatch(incoming) else secrets.token_hex(8)
        token = request_id.set(rid)
        started = time.monotonic()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = rid
            return response
        finally:
            level = logging.ERROR if status >= 500 else logging.WARNING if status == 429 else logging.INFO
            if _REQUEST_LOG.isEnabledFor(level):
                duration_ms = round((time.monotonic() - started) * 1000, 1)
                _REQUEST_LOG.log(
                    level, "%s %s %s %sms", request.method, request.path, status, duration_ms,
                    extra={"method": request.method, "path": request.path, "status": status,
                           "duration_ms": duration_ms},
                )
            request_id.reset(token)


# Characters no name or text needs: C0 controls but tab, newline and carriage return, and DEL.
_CONTROL = frozenset(chr(c) for c in (*range(9), 11, 12, *range(14, 32), 127))


def bad_text(value) -> str | None:
    """Why a parsed JSON value cannot be stored, or None: NUL and control characters, lone surrogates."""
    from django.utils.translation import gettext as _

    if isinstance(value, str):
        if not _CONTROL.isdisjoint(value):
            return _("Le texte contient des caractères de contrôle (NUL…) : retirez-les.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _("Le texte contient un caractère Unicode invalide (une moitié de paire de substitution).")
        return None
    items = [*value.keys(), *value.values()] if isinstance(value, dict) else value if isinstance(value, list) else []
    for item in items:
        problem = bad_text(item)
        if problem:
            return problem
    return None


class ApiBodyGuardMiddleware:
    """JSON bodies sent to the API: too big → 413, control characters or lone surrogates → 422,
    before any view runs (such text would otherwise fail in the database with a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import json

        from django.core.exceptions import RequestDataTooBig
        from django.http import JsonResponse
        from django.utils.translation import gettext as _

        if (request.path_info.startswith(API_PREFIX) and request.method in ("POST", "PUT", "PATCH")
                and request.content_type == "application/json"):
            try:
                body = request.body
            except RequestDataTooBig:
                limit = round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024, 1)
                return JsonResponse({"detail": _("La requête est trop volumineuse (au plus %(mb)s Mo).")
                                     % {"mb": limit}}, status=413)
            try:
                data = json.loads(body) if body else None
            except ValueError:
                data = None  # the API answers 400 for JSON it cannot read
            problem = bad_text(data)
            if problem:
                return JsonResponse({"detail": problem}, status=422)
        return self.get_response(request)


class ConstantCSPMiddleware:
    """django-csp's middleware with the header built once per process.

    django-csp builds the policy anew for every response, twice (it copies the settings and joins
    them: 0.1 to 0.3 ms a response on this project's machines). Tablée sets no policy per view and
    uses no nonce, so the header is the same string every time. A response that carries its own
    policy (django-csp's decorators) or a request that used a nonce still takes django-csp's path,
    as does everything in development (DEBUG)."""

    _PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro",
                     "_csp_replace_ro")

    def __init__(self, get_response):
        self.get_response = get_response
        self._csp = CSPMiddleware(get_response)
        self._built: tuple[tuple[int, int], list[tuple[str, str, str, tuple[str, ...]]]] | None = None

    def __call__(self, request):
        self._csp.process_request(request)
        response = self.get_response(request)
        if (settings.DEBUG or getattr(request, "_csp_nonce", None) is not None
                or any(getattr(response, part, None) for part in self._PER_RESPONSE)):
            return self._csp.process_response(request, response)
        for header, value, exempt, excluded in self._headers():
            if (header not in response and not getattr(response, exempt, False)
                    and not (excluded and request.path_info.startswith(excluded))):
                response[header] = value
        # As django-csp does: a nonce asked for after the header was written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp._csp_nonce_post_response)
        return response

    def _headers(self) -> list[tuple[str, str, str, tuple[str, ...]]]:
        configured = (getattr(settings, "CONTENT_SECURITY_POLICY", None),
                      getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None))
        # The settings' own objects (None when unset), not `or {}`: a fresh {} would change the key
        # on every call. override_settings puts new dicts in place, so the key follows it.
        key = (id(configured[0]), id(configured[1]))
        if self._built is None or self._built[0] != key:
            policy, report_only = configured[0] or {}, configured[1] or {}
            headers = []
            for header, exempt, setting, ro in ((HEADER, "_csp_exempt", policy, False),
                                                (HEADER_REPORT_ONLY, "_csp_exempt_ro", report_only, True)):
                value = build_policy(report_only=ro)
                if value:
                    headers.append((header, value, exempt, tuple(setting.get("EXCLUDE_URL_PREFIXES") or ())))
            self._built = (key, headers)
        return self._built[1]
