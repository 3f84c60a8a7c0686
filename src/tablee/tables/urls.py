from django.urls import path

from tablee.tables import views

app_name = "tables"

urlpatterns = [
    path("rencontres/<int:gathering_id>/tables/", views.plan_page, name="plan"),
    path("rencontres/<int:gathering_id>/tables/etat/", views.plan_status, name="plan_status"),
    path("rencontres/<int:gathering_id>/tables/calculer/", views.plan_request, name="plan_request"),
    path("rencontres/<int:gathering_id>/tables/deplacer/", views.plan_move, name="plan_move"),
    path("rencontres/<int:gathering_id>/tables/echanger/", views.plan_swap, name="plan_swap"),
    path("rencontres/<int:gathering_id>/tables/epingler/", views.plan_pin, name="plan_pin"),
    path("rencontres/<int:gathering_id>/tables/reoptimiser/", views.plan_reoptimize, name="plan_reoptimize"),
    path("rencontres/<int:gathering_id>/tables/publier/", views.plan_publish, name="plan_publish"),
    path("rencontres/<int:gathering_id>/tables/reparer/", views.plan_repair, name="plan_repair"),
    path("rencontres/<int:gathering_id>/tables/imprimer/", views.plan_print, name="plan_print"),
    path("rencontres/<int:gathering_id>/ma-tablee/", views.my_table, name="my_table"),
    path("souhaits/", views.wishes, name="wishes"),
    path("souhaits/<int:wish_id>/supprimer/", views.wish_delete, name="wish_delete"),
]
