"""The WSGI application gunicorn serves: pages through the whole middleware stack, the JSON API
(``/api/``) through ``settings.API_MIDDLEWARE``, the layers it uses."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tablee.settings")

import django  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

from tablee.config import API_PREFIX  # noqa: E402


class ApiStack:
    """A Django handler over ``API_MIDDLEWARE``: Django reads the chain from ``settings.MIDDLEWARE``
    only, so the list is put there while the chain is built, once per process at start-up."""

    def load_middleware(self, is_async: bool = False) -> None:
        everything = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.API_MIDDLEWARE
        try:
            super().load_middleware(is_async)  # type: ignore[misc]
        finally:
            settings.MIDDLEWARE = everything


class ApiHandler(ApiStack, WSGIHandler):
    pass


class TableeHandler(WSGIHandler):
    def __init__(self) -> None:
        super().__init__()
        self.api = ApiHandler()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(API_PREFIX):
            return self.api(environ, start_response)
        return super().__call__(environ, start_response)


def get_application() -> TableeHandler:
    django.setup(set_prefix=False)
    handler = TableeHandler()
    # The URLconf (and with it every API router) loads as the worker starts, about 0.4 s, instead of
    # inside the first request each worker serves.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
    return handler


application = get_application()
