from django.contrib import admin
from django.urls import include, path
from django.views.defaults import page_not_found

from tablee.api import not_found as api_not_found
from tablee.api import urls as api_urls
from tablee.config import API_PREFIX
from tablee.gatherings.urls import gathering_patterns, organizer_patterns
from tablee.web import views as web_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path(API_PREFIX.lstrip("/"), api_urls()),
    # The language switch: Django's, which also stores a signed-in person's choice (web/views.py).
    path("i18n/setlang/", web_views.set_language, name="set_language"),
    # The most visited pages first: Django tries the patterns in order (tests/app/web/test_web_urls.py
    # checks that no pattern hides another).
    path("gatherings/", include((gathering_patterns, "gatherings"))),
    path("organize/", include((organizer_patterns, "organizer"))),
    path("", include("tablee.tables.urls")),
    path("", include("tablee.journey.urls")),
    path("", include("tablee.circle.urls")),
    path("", include("tablee.web.urls")),
    path("", include("tablee.members.routes")),
    path("", include("tablee.outbox.urls")),
    path("", include("tablee.gatherings.feed_urls")),
    path("", include("tablee.members.urls")),
]


def not_found(request, exception):
    if request.path_info.startswith(API_PREFIX):
        return api_not_found(request, exception)
    return page_not_found(request, exception)


handler404 = not_found
