from django.contrib.auth import views as auth_views
from django.urls import include, path

from tablee.web import accounts, organizer, views

gathering_patterns = [
    path("", views.my_gatherings, name="mine"),
    path("<int:gathering_id>/", views.gathering_detail, name="detail"),
    path("<int:gathering_id>/rsvp/", views.rsvp, name="rsvp"),
    path("<int:gathering_id>/cancel/", views.rsvp_cancel_view, name="cancel"),
    path("<int:gathering_id>/calendar.ics", views.gathering_calendar, name="calendar"),
]

organizer_patterns = [
    path("associations/<slug:slug>/", organizer.association, name="association"),
    path("associations/<slug:slug>/gatherings/new/", organizer.gathering_new, name="gathering_new"),
    path("associations/<slug:slug>/series/new/", organizer.series_new, name="series_new"),
    path("gatherings/<int:gathering_id>/edit/", organizer.gathering_edit, name="gathering_edit"),
    path("gatherings/<int:gathering_id>/attendees/", organizer.attendees, name="attendees"),
    path("gatherings/<int:gathering_id>/attendees.csv", organizer.attendees_csv, name="attendees_csv"),
    path("gatherings/<int:gathering_id>/checkin/", organizer.checkin, name="checkin"),
    path("gatherings/<int:gathering_id>/checkin/walk-in/", organizer.walkin, name="walkin"),
    path("gatherings/<int:gathering_id>/checkin/<int:user_id>/", organizer.checkin_person, name="checkin_person"),
]

account_patterns = [
    path("login/", accounts.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include(account_patterns)),
    path("profile/", views.profile, name="profile"),
    path("gatherings/", include((gathering_patterns, "gatherings"))),
    path("organize/", include((organizer_patterns, "organizer"))),
]
