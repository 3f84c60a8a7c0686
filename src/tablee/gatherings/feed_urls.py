"""The private calendar feed and its switches on « Mon compte » (namespace ``gatherings_feed``)."""

from django.urls import path

from tablee.gatherings import feed

app_name = "gatherings_feed"

urlpatterns = [
    path("calendar/<str:key>.ics", feed.ics, name="ics"),
    path("account/calendar-feed/", feed.create, name="create"),
    path("account/calendar-feed/revoke/", feed.revoke, name="revoke"),
]
