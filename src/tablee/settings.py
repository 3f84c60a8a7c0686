"""Django settings. Every value that varies between machines comes from tablee.config."""

from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from tablee import config, logs

BASE_DIR = Path(__file__).resolve().parent

DEBUG = config.env_bool("TABLEE_DEBUG", False)
SECRET_KEY = config.secret_key(debug=DEBUG)
ALLOWED_HOSTS = config.env_list("TABLEE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.env_list("TABLEE_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = config.env_str("TABLEE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # For operators (`tablee manage createsuperuser`): associations, people, gatherings, the outbox.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # the API docs' assets (Swagger UI) are served from here, not from a CDN
    "axes",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "tablee.members",
    "tablee.gatherings",
    "tablee.outbox",
    "tablee.tables",
    "tablee.web",
    "tablee.circle",
    "tablee.journey",
    "tablee.jobs",
]

MIDDLEWARE = [
    "tablee.middleware.ProxyClientAddressMiddleware",
    "tablee.middleware.RequestLogMiddleware",
    "tablee.middleware.ApiBodyGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tablee.members.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tablee.middleware.ConstantCSPMiddleware",  # django-csp's, with the header built once
    "tablee.middleware.ThrottledMiddleware",
    "tablee.middleware.FormAddressMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its 429 page.
    "axes.middleware.AxesMiddleware",
]

# The JSON API authenticates by bearer token only, sets no cookie and renders no page: it does
# without the session, CSRF, sign-in, profile-language, messages, HTMX, static-file, throttled-page
# and sign-in-lockout layers, a fifth of /api/me's CPU (bench/RESULTS.md, session 6). tablee.wsgi
# serves /api/ through this shorter stack, in MIDDLEWARE's order.
_PAGES_ONLY = {
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tablee.members.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tablee.middleware.ThrottledMiddleware",
    "tablee.middleware.FormAddressMiddleware",
    "axes.middleware.AxesMiddleware",
}
API_MIDDLEWARE = [path for path in MIDDLEWARE if path not in _PAGES_ONLY]

ROOT_URLCONF = "tablee.urls"
WSGI_APPLICATION = "tablee.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            # French grammar for names dropped into sentences ({{ text|elide }}), in every template.
            "builtins": ["tablee.web.templatetags.french"],
        },
    },
]

DATABASES = {"default": config.database(config.env_str("DATABASE_URL", ""))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "members.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "gatherings:mine"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Not a rule on the password: its hook revokes the API tokens whenever a password changes, and
    # tells the account's address when a password it had is replaced.
    {"NAME": "tablee.members.passwords.PasswordChangeHooks"},
]

LANGUAGE_CODE = "fr-ca"
LANGUAGES = [("fr-ca", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates by the formats' names, one style per language (tablee/formats: English months in full).
FORMAT_MODULE_PATH = ["tablee.formats"]
TIME_ZONE = config.env_str("TIME_ZONE", "America/Toronto")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "tablee_language"

STATIC_URL = "/static/"
STATIC_ROOT = config.data_dir() / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

_email = config.email(config.env_str("EMAIL_URL", ""), debug=DEBUG)
EMAIL_BACKEND = _email.backend
EMAIL_HOST = _email.host
EMAIL_PORT = _email.port
EMAIL_HOST_USER = _email.user
EMAIL_HOST_PASSWORD = _email.password
EMAIL_USE_TLS = _email.use_tls
EMAIL_USE_SSL = _email.use_ssl
EMAIL_FILE_PATH = _email.file_path
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = config.env_str("TABLEE_FROM_EMAIL", "Tablée <bonjour@tablee.local>")

TASKS = {
    "default": {
        "BACKEND": config.env_str("TABLEE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "email"],
    }
}

# Days before a gathering when the reminder leaves.
TABLEE_REMINDER_DAYS = config.env_int("TABLEE_REMINDER_DAYS", 2, minimum=0)
# Days after a card when its follow-up is due.
TABLEE_FOLLOWUP_DAYS = config.env_int("TABLEE_FOLLOWUP_DAYS", 2, minimum=0)

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Security and deployment (issue 12): everything follows TABLEE_SITE_URL ------------------------
_site = config.site_origin(SITE_URL)
_https = _site.scheme == "https"
# The public host is always allowed, and a form posted from the public https origin passes CSRF
# even when the TLS proxy runs on another host.
ALLOWED_HOSTS = sorted(set(ALLOWED_HOSTS) | {_site.host})
if _https:
    CSRF_TRUSTED_ORIGINS = sorted(set(CSRF_TRUSTED_ORIGINS) | {_site.origin})
SESSION_COOKIE_SECURE = config.env_bool("TABLEE_SECURE_COOKIES", _https)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A form older than its session gets the site's frame and a way back, not Django's bare page.
CSRF_FAILURE_VIEW = "tablee.web.views.csrf_failure"
SECURE_SSL_REDIRECT = config.env_bool("TABLEE_SSL_REDIRECT", _https)
# The health check is probed over plain http on the loopback (systemd, nginx, monitors).
SECURE_REDIRECT_EXEMPT = [r"^api/health$"]
SECURE_HSTS_SECONDS = config.env_int("TABLEE_HSTS_SECONDS", 31_536_000 if _https else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = config.env_bool("TABLEE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = config.env_bool("TABLEE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # Asking browsers to preload the domain is the operator's decision (it binds every subdomain
    # for months and anyone may submit a domain that sends it), so it is off unless they opt in.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Behind a reverse proxy (nginx, Caddy, a load balancer) that sets X-Forwarded-Proto and appends
# the client's address to X-Forwarded-For. Never set it without such a proxy: both headers would
# then come from the client.
BEHIND_PROXY = config.env_bool("TABLEE_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp): scripts and styles from this site only. Inline style
# attributes in a few templates are allowed; inline <style> elements are not, save the 500 page's
# (by its hash: that page must render even when the static files do not).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", *config.inline_style_hashes(BASE_DIR / "templates" / "500.html")],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# A cache shared by every process on this host (server workers and the worker): it holds the
# throttles (tablee.throttle, the API's per-token rate).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(config.data_dir() / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

# Sign-in lockout (django-axes): 10 failures for one account or from one client address within
# 15 minutes lock sign-in for 15 minutes, the right password included. Attempts live in the database.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = config.env_int("TABLEE_SIGNIN_FAILURES", 10, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "tablee.members.lockout.username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_DISABLE_ACCESS_LOG = True
# Passwords and addresses never go to the logs.
AXES_SENSITIVE_PARAMETERS = ["username", "password", "ip_address"]

# Throttles and quotas.
TABLEE_PERSONAL_EMAILS_PER_DAY = config.env_int("TABLEE_PERSONAL_EMAILS_PER_DAY", 20, minimum=0)
TABLEE_API_RATE_PER_MINUTE = config.env_int("TABLEE_API_RATE_PER_MINUTE", 120, minimum=1)
# The worker blanks the bodies of emails older than this (the rows stay, for idempotency).
TABLEE_EMAIL_RETENTION_DAYS = config.env_int("TABLEE_EMAIL_RETENTION_DAYS", 90, minimum=1)
# The client address is REMOTE_ADDR, already corrected by ProxyClientAddressMiddleware.
NINJA_NUM_PROXIES = 0

# Logs: one line per request with its id; JSON lines with TABLEE_LOG_FORMAT=json. Errors go to
# Sentry when SENTRY_DSN is set, without personal data (tablee.logs.scrub_event).
_log_format = config.env_str("TABLEE_LOG_FORMAT", "text")
if _log_format not in {"text", "json"}:
    raise config.ConfigError(f"TABLEE_LOG_FORMAT must be text or json; got {_log_format!r}")
LOGGING = logs.logging_config(level=config.env_str("TABLEE_LOG_LEVEL", "INFO"), fmt=_log_format)
SENTRY_ENABLED = logs.sentry_init(config.env_str("SENTRY_DSN", ""),
                                  environment="development" if DEBUG else "production")

# --- Performance (issue 13): cheap requests -------------------------------------------------------
# Persistent connections (CONN_MAX_AGE, CONN_HEALTH_CHECKS) are set in config.database.
# Sessions: read from the cache (kept 60 s at most, see members/sessions.py), written to the database.
SESSION_ENGINE = "tablee.members.sessions"
TABLEE_SESSION_CACHE_SECONDS = config.env_int("TABLEE_SESSION_CACHE_SECONDS", 60, minimum=0)
# The person and their profile in one query on every signed-in request (axes stays first).
AUTHENTICATION_BACKENDS = [
    "tablee.members.backends.ModelBackend" if b == "django.contrib.auth.backends.ModelBackend" else b
    for b in AUTHENTICATION_BACKENDS
]
# Templates are parsed once per process (Django's cached loader; it reloads them when DEBUG is on).
TEMPLATES[0]["OPTIONS"]["loaders"] = [
    (
        "django.template.loaders.cached.Loader",
        ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
    )
]
TEMPLATES[0]["APP_DIRS"] = False
# How long a worker holds an email it is sending before another worker's sweep may take it (default 5 min).
TABLEE_EMAIL_LEASE_SECONDS = config.env_int("TABLEE_EMAIL_LEASE_SECONDS", 0, minimum=0) or None
