"""Typed readers for the environment. Settings read configuration only through these.

Each helper fails loudly (ImproperlyConfigured-like ``ConfigError``) on a value it cannot read,
so a typo in production stops the start-up instead of silently running with a default.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

# Where the JSON API lives: the URLconf mounts it there, the WSGI entry point sends it through the
# API's own middleware, and 404s and body checks under it answer JSON.
API_PREFIX = "/api/"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A configuration variable holds a value we cannot use."""


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number; got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}; got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    path = Path(os.environ.get("TABLEE_DATA_DIR", "data")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(*, debug: bool) -> str:
    """TABLEE_SECRET_KEY, or one generated once and kept in the data folder.

    Outside debug the key must come from the environment: a key silently created on one of
    several servers would sign sessions the others reject.
    """
    value = os.environ.get("TABLEE_SECRET_KEY", "").strip()
    if value:
        if len(value) < 32:
            raise ConfigError("TABLEE_SECRET_KEY must be at least 32 characters long")
        return value
    if not debug:
        raise ConfigError(
            "TABLEE_SECRET_KEY is required when TABLEE_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    key_file = data_dir() / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _statement_options(options: dict) -> dict:
    """``server_side_binding`` and ``prepare_threshold`` from the URL's query, typed.

    Both are on unless the URL says otherwise (Django leaves them off). Server-side binding sends the
    parameters apart from the SQL instead of quoting them into it in Python, and lets psycopg prepare
    the statements a connection runs again and again (from the ``prepare_threshold``-th run): the
    hot reads of every request are then parsed and planned once per connection. Together they took a
    third off /api/me's and /gatherings/' server CPU (bench/RESULTS.md, session 6). Behind a pooler
    in transaction mode that cannot keep prepared statements (PgBouncer before 1.21), set
    ``?prepare_threshold=none``; ``?server_side_binding=false`` goes back to Django's default."""
    typed: dict[str, object] = {}
    binding = str(options.get("server_side_binding", "true")).strip().lower()
    if binding not in _TRUE | _FALSE:
        raise ConfigError(f"DATABASE_URL: server_side_binding must be true or false; got {binding!r}")
    typed["server_side_binding"] = binding in _TRUE
    threshold = str(options.get("prepare_threshold", "5")).strip().lower()
    if threshold in {"none", "off", ""}:
        typed["prepare_threshold"] = None
    elif threshold.isdigit():
        typed["prepare_threshold"] = int(threshold)
    else:
        raise ConfigError(f"DATABASE_URL: prepare_threshold must be a whole number or none; got {threshold!r}")
    return typed


def database(url: str | None) -> dict:
    """Django DATABASES['default'] from a URL: sqlite:///path or postgres://user:pw@host:port/db."""
    if not url:
        url = f"sqlite:///{data_dir() / 'tablee.sqlite3'}"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:////abs/path is absolute, sqlite:///rel/path is relative (the usual URL rule).
        path = unquote(parts.netloc + parts.path)
        path = path[1:] if path.startswith("/") else path
        if not path:
            raise ConfigError(f"DATABASE_URL has no file path: {url!r}")
        gate = {k: v[-1] for k, v in parse_qs(parts.query).items()}.get("write_gate", "true").strip().lower()
        if gate not in _TRUE | _FALSE:
            raise ConfigError(f"DATABASE_URL: write_gate must be true or false; got {gate!r}")
        return {
            "ENGINE": "tablee.sqlite3",  # Django's, with writers taking turns fairly (see there)
            "NAME": path,
            "OPTIONS": {
                "write_gate": gate in _TRUE,
                # Writers queue on the lock instead of failing; IMMEDIATE makes a transaction take
                # the write lock at BEGIN, so read-then-write never deadlocks.
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=30000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
            # One connection per server thread, kept between requests: the PRAGMAs above run once
            # per connection instead of once per request (issue 13).
            "CONN_MAX_AGE": env_int("TABLEE_CONN_MAX_AGE", 600, minimum=0),
            "CONN_HEALTH_CHECKS": True,
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        if not parts.path.strip("/"):
            raise ConfigError(f"DATABASE_URL names no database: {url!r}")
        options: dict[str, object] = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        options.update(_statement_options(options))
        return {
            "ENGINE": "tablee.postgresql",  # Django's, with a cheaper health check (see there)
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": unquote(parts.hostname or ""),
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": env_int("TABLEE_CONN_MAX_AGE", 600, minimum=0),
            "CONN_HEALTH_CHECKS": True,
        }
    raise ConfigError(f"DATABASE_URL must start with sqlite:// or postgres://; got {url!r}")


@dataclass(frozen=True)
class EmailConfig:
    backend: str
    host: str = ""
    port: int = 0
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    file_path: str = ""


def email(url: str | None, *, debug: bool) -> EmailConfig:
    """EMAIL_URL: smtp://[user:pw@]host:port (smtp+tls://, smtps:// too), console://, file:///dir."""
    if not url:
        if debug:
            return EmailConfig(backend="django.core.mail.backends.filebased.EmailBackend",
                               file_path=str(data_dir() / "sent-emails"))
        return EmailConfig(backend="django.core.mail.backends.console.EmailBackend")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return EmailConfig(backend="django.core.mail.backends.console.EmailBackend")
    if scheme == "file":
        return EmailConfig(backend="django.core.mail.backends.filebased.EmailBackend",
                           file_path=unquote(parts.path) or str(data_dir() / "sent-emails"))
    if scheme in {"smtp", "smtp+tls", "smtps"}:
        if not parts.hostname:
            raise ConfigError(f"EMAIL_URL names no host: {url!r}")
        try:
            port = parts.port or (465 if scheme == "smtps" else 25)
        except ValueError:
            raise ConfigError(f"EMAIL_URL has a bad port: {url!r}") from None
        return EmailConfig(
            backend="django.core.mail.backends.smtp.EmailBackend",
            host=parts.hostname,
            port=port,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            use_tls=scheme == "smtp+tls",
            use_ssl=scheme == "smtps",
        )
    raise ConfigError(f"EMAIL_URL must start with smtp://, smtp+tls://, smtps://, console:// or file://; got {url!r}")


@dataclass(frozen=True)
class SiteOrigin:
    scheme: str
    host: str
    origin: str


def site_origin(url: str) -> SiteOrigin:
    """TABLEE_SITE_URL split into what the settings derive from it (secure cookies, CSRF origin)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError(f"TABLEE_SITE_URL must be an http:// or https:// address; got {url!r}")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    return SiteOrigin(scheme=parts.scheme, host=host, origin=f"{parts.scheme}://{parts.netloc}")


def inline_style_hashes(*templates: Path) -> list[str]:
    """CSP source expressions ('sha256-…') for the inline <style> elements of these templates."""
    import base64
    import hashlib
    import re

    hashes = []
    for template in templates:
        for block in re.findall(r"<style>(.*?)</style>", template.read_text(), flags=re.DOTALL):
            digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
            hashes.append(f"'sha256-{digest}'")
    return hashes
