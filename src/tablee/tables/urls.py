from django.urls import path

from tablee.tables import views

app_name = "tables"

urlpatterns = [
    path("organize/gatherings/<int:gathering_id>/tables/", views.plan_page, name="plan"),
    path("organize/gatherings/<int:gathering_id>/tables/status/", views.plan_status, name="plan_status"),
    path("organize/gatherings/<int:gathering_id>/tables/plan/", views.plan_request, name="plan_request"),
    path("organize/gatherings/<int:gathering_id>/tables/move/", views.plan_move, name="plan_move"),
    path("organize/gatherings/<int:gathering_id>/tables/swap/", views.plan_swap, name="plan_swap"),
    path("organize/gatherings/<int:gathering_id>/tables/pin/", views.plan_pin, name="plan_pin"),
    path("organize/gatherings/<int:gathering_id>/tables/reoptimize/", views.plan_reoptimize, name="plan_reoptimize"),
    path("organize/gatherings/<int:gathering_id>/tables/publish/", views.plan_publish, name="plan_publish"),
    path("organize/gatherings/<int:gathering_id>/tables/redo/", views.plan_redo, name="plan_redo"),
    path("organize/gatherings/<int:gathering_id>/tables/repair/", views.plan_repair, name="plan_repair"),
    path("organize/gatherings/<int:gathering_id>/tables/repair/accept/", views.plan_repair_accept,
         name="plan_repair_accept"),
    path("organize/gatherings/<int:gathering_id>/tables/print/", views.plan_print, name="plan_print"),
    path("gatherings/<int:gathering_id>/my-table/", views.my_table, name="my_table"),
    path("wishes/", views.wishes, name="wishes"),
    path("wishes/<int:wish_id>/delete/", views.wish_delete, name="wish_delete"),
    path("wishes/undo/", views.wish_restore, name="wish_restore"),
]
