"""Pages of the gatherings room: the member's gatherings (namespace ``gatherings``) and the
organizer's pages for an association's gatherings, attendees and check-in (namespace ``organizer``)."""

from django.urls import path

from tablee.gatherings import organizer, views

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
    path("gatherings/<int:gathering_id>/checkin/seat/", organizer.checkin_seat, name="checkin_seat"),
    path("gatherings/<int:gathering_id>/checkin/<int:user_id>/", organizer.checkin_person, name="checkin_person"),
]
