"""Structured logs and error reporting.

Every log record carries the id of the request it belongs to (``request_id``, "-" outside a
request). ``TABLEE_LOG_FORMAT=json`` prints one JSON object per line; the default is one line of
text. ``RequestLogMiddleware`` (in ``tablee.middleware``) writes one line per request with its
method, path (never the query string: it may hold addresses or tokens), status and duration.

``sentry_init`` turns on sentry-sdk when ``SENTRY_DSN`` is set: no personal data is sent (no
cookies, headers, bodies, query strings, user or client address), only the error and where it
happened.
"""

from __future__ import annotations

import contextvars
import json
import logging
from datetime import UTC, datetime

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("tablee_request_id", default="-")

# Attributes every LogRecord has; anything else was passed with ``extra=`` and goes in the JSON.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(*, level: str, fmt: str) -> dict:
    if fmt not in {"text", "json"}:
        raise ValueError(f"log format must be text or json; got {fmt!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "tablee.logs.RequestIdFilter"}},
        "formatters": {
            "text": {"format": TEXT_FORMAT},
            "json": {"()": "tablee.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": fmt, "filters": ["request_id"]},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # The request line is ours (tablee.request); Django's own 4xx warnings would double it.
            "django.request": {"level": "ERROR"},
            "django.server": {"level": "WARNING"},
        },
    }


# --- Sentry -------------------------------------------------------------------------------------------

_KEEP_REQUEST_KEYS = {"method", "url"}


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Drop everything that could identify a person before an event leaves the server."""
    request = event.get("request")
    if isinstance(request, dict):
        kept = {k: v for k, v in request.items() if k in _KEEP_REQUEST_KEYS}
        if isinstance(kept.get("url"), str):
            kept["url"] = kept["url"].split("?", 1)[0]
        event["request"] = kept
    event.pop("user", None)
    event.pop("server_name", None)
    for crumb in (event.get("breadcrumbs") or {}).get("values", []) if isinstance(event.get("breadcrumbs"), dict) else []:
        crumb.pop("data", None)
        if crumb.get("category") in {"query", "django.db"}:
            crumb["message"] = "(query)"
    for exception in (event.get("exception") or {}).get("values", []):
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    return event


def sentry_init(dsn: str, *, environment: str = "production") -> bool:
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0.0,
        before_send=scrub_event,
        before_send_transaction=lambda event, hint: None,
    )
    return True
