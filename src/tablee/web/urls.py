from django.urls import path

from tablee.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
