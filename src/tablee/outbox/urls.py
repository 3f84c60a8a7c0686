from django.urls import path

from tablee.outbox import views

app_name = "outbox"

urlpatterns = [
    path("email/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
