"""Django settings. Every value that varies between machines comes from tablee.config."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from tablee import config

BASE_DIR = Path(__file__).resolve().parent

DEBUG = config.env_bool("TABLEE_DEBUG", False)
SECRET_KEY = config.secret_key(debug=DEBUG)
ALLOWED_HOSTS = config.env_list("TABLEE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.env_list("TABLEE_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = config.env_str("TABLEE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
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
]

MIDDLEWARE = [
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
]

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
]

LANGUAGE_CODE = "fr-ca"
LANGUAGES = [("fr-ca", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
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
SESSION_COOKIE_SECURE = config.env_bool("TABLEE_SECURE_COOKIES", not DEBUG and SITE_URL.startswith("https"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": config.env_str("TABLEE_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
