"""Pages of the members room for the way in and one's own account (namespace ``members``)."""

from django.urls import path

from tablee.members import account_views, onboarding_views, roster_views

app_name = "members"

urlpatterns = [
    path("accounts/link/<str:token>/", onboarding_views.link, name="link"),
    path("accounts/sign-in-link/", onboarding_views.sign_in_link, name="sign_in_link"),
    path("welcome/", onboarding_views.welcome, name="welcome"),
    path("account/", account_views.account, name="account"),
    path("account/preferences/", account_views.preferences, name="preferences"),
    path("account/email/", account_views.email_change, name="email_change"),
    path("account/password/", account_views.password_change, name="password_change"),
    path("account/tokens/new/", account_views.token_create, name="token_create"),
    path("account/tokens/<int:token_id>/revoke/", account_views.token_revoke, name="token_revoke"),
    path("account/delete/", account_views.delete, name="delete"),
    # The organizer's members page.
    path("organize/associations/<slug:slug>/members/", roster_views.roster, name="roster"),
    path("organize/associations/<slug:slug>/members/add/", roster_views.member_add, name="member_add"),
    path("organize/associations/<slug:slug>/members/invite/", roster_views.invite_pending, name="invite_pending"),
    path("organize/associations/<slug:slug>/members/<int:user_id>/invite/", roster_views.invite, name="invite"),
    path("organize/associations/<slug:slug>/members/<int:user_id>/role/", roster_views.role, name="role"),
    path("organize/associations/<slug:slug>/members/<int:user_id>/deactivate/", roster_views.deactivate,
         name="deactivate"),
    path("organize/associations/<slug:slug>/members/<int:user_id>/reactivate/", roster_views.reactivate,
         name="reactivate"),
    path("organize/associations/<slug:slug>/members/import/", roster_views.import_upload, name="import_upload"),
    path("organize/associations/<slug:slug>/members/import/preview/<int:preview_id>/",
         roster_views.import_preview_page, name="import_preview"),
    path("organize/associations/<slug:slug>/members/import/preview/<int:preview_id>/import/",
         roster_views.import_confirm, name="import_confirm"),
    path("organize/associations/<slug:slug>/members/import/<int:job_id>/", roster_views.import_job,
         name="import_job"),
    path("organize/associations/<slug:slug>/requests/open/", roster_views.requests_open, name="requests_open"),
    path("organize/associations/<slug:slug>/requests/<int:request_id>/", roster_views.join_request_decide,
         name="join_request_decide"),
    # The association's public page and « Demander à joindre »: public where the association opened it.
    path("associations/<slug:slug>/", roster_views.association_public, name="association"),
    path("associations/<slug:slug>/join/", roster_views.join, name="join"),
]
