"""The yardstick for bench/bench_web.py: one bare Django view, no middleware, no database.

Served by gunicorn with the same settings as ``tablee serve``; Tablée's pages are measured as a
share of its requests per second, so the figure means the same thing on a loaded machine.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bare-view-for-the-benchmark-only-" + "x" * 20,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_TZ=True,
)


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", bare)]

application = get_wsgi_application()
