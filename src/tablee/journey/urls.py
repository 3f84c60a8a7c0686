from django.urls import path

from tablee.journey import views

app_name = "journey"

urlpatterns = [
    path("parcours/", views.parcours, name="parcours"),
    path("parcours/pacing/", views.pacing, name="pacing"),
    path("parcours/intentions/new/", views.intention_new, name="intention_new"),
    path("parcours/intentions/<int:intention_id>/", views.intention_detail, name="intention"),
    path("parcours/intentions/<int:intention_id>/edit/", views.intention_edit, name="intention_edit"),
    path("parcours/gatherings/<int:gathering_id>/reflection/", views.gathering_reflection,
         name="gathering_reflection"),
    path("parcours/share/", views.share, name="share"),
    path("organize/associations/<slug:slug>/depth/", views.depth, name="depth"),
    path("organize/associations/<slug:slug>/depth.csv", views.depth_csv, name="depth_csv"),
]
