"""The JSON API root: bearer-token auth, JSON errors, and one router per capability."""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.errors import Throttled as RateExceeded
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from tablee import config
from tablee.members.models import ApiToken
from tablee.prepared import Prepared
from tablee.throttle import SharedRates, Throttled

# Every API call reads its token: compiled once per connection (tablee.prepared).
_TOKEN = Prepared(lambda key_hash: ApiToken.objects.filter(key_hash=key_hash, revoked_at__isnull=True)
                  .select_related("user__profile")[:1], key_hash=str)


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        found = next(iter(_TOKEN(key_hash=ApiToken.hash(token))), None)
        if found is None or not found.user.is_active:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token_id = found.pk
        return found.user


class TokenRateThrottle(SimpleRateThrottle):
    """Per-token rate (TABLEE_API_RATE_PER_MINUTE); unauthenticated calls are counted per address.

    Over the rate, ninja answers 429 with Retry-After. The counts live in ``SharedRates`` (memory
    shared by the host's processes, no file written per request; see tablee.throttle), or in
    Django's cache (ninja's own way) for the rare key that table cannot hold."""

    scope = "token"

    def __init__(self) -> None:
        super().__init__(rate=f"{settings.TABLEE_API_RATE_PER_MINUTE}/m")
        # A slot holds one timestamp per allowed call: rates above 1,000 a minute are counted in the
        # cache instead (such a table would map 8 MB per 1,000 calls of rate).
        # Tokens and client addresses in separate tables: calls from many addresses cannot crowd the
        # tokens out of theirs (see tablee.throttle).
        capacity = min(settings.TABLEE_API_RATE_PER_MINUTE, 1000)
        self.tokens = SharedRates(config.data_dir(), capacity=capacity, name="rates-tokens")
        self.addresses = SharedRates(config.data_dir(), capacity=capacity, name="rates-addresses", evicting=True)
        self._waits = threading.local()

    def allow_request(self, request) -> bool:
        key = self.get_cache_key(request)
        wait = None
        if self.num_requests is not None and self.duration is not None:
            table = self.addresses if getattr(request, "api_token_id", None) is None else self.tokens
            wait = table.hit(key, limit=self.num_requests, window=self.duration)
        if wait is None:
            self._waits.value = None
            return super().allow_request(request)
        self._waits.value = wait
        return wait == 0.0

    def wait(self) -> float | None:
        wait = getattr(self._waits, "value", None)
        return super().wait() if wait is None else wait

    def get_cache_key(self, request) -> str:
        token_id = getattr(request, "api_token_id", None)
        ident = f"t{token_id}" if token_id is not None else f"a{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


api = NinjaAPI(
    title="Tablée API",
    version="1",
    description="Small tables, deep conversations. Authenticate with `Authorization: Bearer <token>`: create"
    " a token on your account page ([/account/#jetons](/account/#jetons)), or ask your server's operator"
    " (`tablee token create EMAIL`). [Back to Tablée](/)",
    auth=BearerToken(),
    throttle=[TokenRateThrottle()],
    urls_namespace="api",
)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return api.create_response(request, {"detail": "Authentication required (Bearer token)."}, status=401)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(Throttled)
def _throttled(request, exc):
    response = api.create_response(request, {"detail": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(RateExceeded)
def _rate_exceeded(request, exc):
    # ninja adds Retry-After to this answer.
    detail = _("Trop de requêtes avec ce jeton pour le moment : attendez un peu avant de réessayer.")
    return api.create_response(request, {"detail": detail}, status=429)


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    detail = _("La requête est trop volumineuse (au plus %(mb)s Mo).") % {
        "mb": round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024, 1)}
    return api.create_response(request, {"detail": detail}, status=413)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Permission denied."}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(DjangoValidationError)
def _invalid_model(request, exc):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


def _operator(request) -> bool:
    """A bearer token of a staff account or of an organizer: who may read the worker's heartbeat
    and the outbox backlog. Anyone else (no token, a member's token, a bad one) is not."""
    from tablee.members.access import organized_by

    user = BearerToken()(request)
    return user is not None and (user.is_staff or organized_by(user).exists())


@api.get("/health", auth=None, tags=["system"], response={200: dict, 503: dict})
def health(request):
    """`{"status", "database"}` for everyone (a monitor's probe): 503 when the database does not
    answer or the worker has been silent for more than 5 minutes. With the bearer token of a staff
    account or an organizer, also the worker's last heartbeat and the outbox backlog."""
    from django.db import DatabaseError, connection

    from tablee.outbox.selectors import health as health_report

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        report = health_report()
    except DatabaseError:
        return Status(503, {"status": "error", "database": "error"})
    body = {"status": "ok" if report["ok"] else "degraded", "database": "ok"}
    if _operator(request):
        body |= {"worker": report["worker"], "outbox": report["outbox"]}
    return Status(200 if report["ok"] else 503, body)


def not_found(request, exception=None, **_path):
    """A path under /api/ that names nothing answers the API's JSON 404 (the handler above), not the
    site's HTML page (whose header reads the session, which the API's middleware does not load)."""
    return _not_found(request, exception)


def urls() -> tuple[list, str, str]:
    """The API's URLconf: ``api.urls``, then every other path under /api/, its root included (ninja's
    root raises Http404), answered by ``not_found``. Django's 404 with DEBUG on is an HTML page: as a
    route, not an exception, the API answers JSON whatever DEBUG says."""
    patterns, app_name, namespace = api.urls
    ours = [pattern for pattern in patterns if getattr(pattern, "name", None) != "api-root"]
    return ([*ours, path("", not_found, name="api-root"), path("<path:rest>", not_found, name="api-unknown")],
            app_name, namespace)


def _add_routers() -> None:
    from tablee.gatherings.api import router as gatherings_router
    from tablee.members.api import router as members_router

    api.add_router("/", members_router)
    api.add_router("/", gatherings_router)

    from tablee.tables.api import router as tables_router

    api.add_router("/", tables_router)

    from tablee.journey.api import router as journey_router

    api.add_router("/", journey_router)

    from tablee.circle.api import router as circle_router

    api.add_router("/", circle_router)

    from tablee.jobs.api import router as jobs_router

    api.add_router("/", jobs_router)


_add_routers()
