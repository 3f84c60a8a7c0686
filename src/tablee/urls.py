from django.urls import include, path

from tablee.api import api

urlpatterns = [
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("tablee.tables.urls")),
    path("", include("tablee.journey.urls")),
    path("", include("tablee.circle.urls")),
    path("", include("tablee.web.urls")),
    path("", include("tablee.members.routes")),
    path("", include("tablee.outbox.urls")),
    path("", include("tablee.gatherings.feed_urls")),
]
