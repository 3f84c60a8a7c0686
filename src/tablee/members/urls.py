"""Pages of the members room: the person's own profile."""

from django.urls import path

from tablee.members import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
]
