from django.urls import path

from tablee.circle import views

app_name = "circle"

urlpatterns = [
    path("gatherings/<int:gathering_id>/cards/", views.cards, name="cards"),
    path("gatherings/<int:gathering_id>/continue/<int:user_id>/", views.continue_write, name="continue"),
    path("circle/event-cards/", views.event_cards, name="event_cards"),
    path("followups/", views.followups, name="followups"),
    path("followups/<int:followup_id>/", views.followup, name="followup"),
    path("followups/<int:followup_id>/restore/", views.followup_restore, name="followup_restore"),
    path("circle/", views.circle, name="circle"),
    path("circle/add/", views.contact_add, name="contact_add"),
    path("circle/contacts/<int:contact_id>/", views.contact, name="contact"),
    path("circle/merge/", views.contacts_merge, name="merge"),
    path("circle/deleted/<int:trash_id>/restore/", views.contact_restore, name="restore"),
    path("circle/import/", views.contacts_import, name="import"),
    path("circle/import/<int:job_id>/", views.contacts_import_job, name="import_job"),
    path("circle/import/preview/<int:preview_id>/", views.contacts_import_preview, name="import_preview"),
    path("circle/import/preview/<int:preview_id>/import/", views.contacts_import_confirm, name="import_confirm"),
    path("circle/export.vcf", views.contacts_export, name="export"),
    path("circle/my-data.json", views.my_export, name="my_export"),
    path("circle/budget/", views.budget_update, name="budget"),
    path("circle/suggestions/<int:suggestion_id>/dismiss/", views.suggestion_dismiss, name="suggestion_dismiss"),
]
