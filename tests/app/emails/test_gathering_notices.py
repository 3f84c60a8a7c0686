"""An organizer changes the time or place, or cancels: everyone confirmed or waiting gets a notice with
the updated invitation (same UID, SEQUENCE + 1; METHOD:CANCEL for a cancellation). And each member's
private, revocable calendar feed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from tablee.gatherings.models import CalendarFeed, Gathering, Rsvp
from tablee.gatherings.services import gathering_cancel, gathering_update
from tablee.outbox.models import Email


def parse(ics: str):
    calendar = Calendar.from_ical(ics)
    [event] = calendar.walk("VEVENT")
    return calendar, event


@pytest.fixture
def seats(gathering, member, other_member, organizer, make_person, association):
    """A full table of two (Marie, Olivier), Samuel waiting, and someone who gave up their seat."""
    Gathering.objects.filter(pk=gathering.pk).update(tables=1, seats_per_table=2)
    gathering.refresh_from_db()
    now = timezone.now()
    for user in (member, organizer):
        Rsvp.objects.create(gathering=gathering, user=user, status=Rsvp.Status.CONFIRMED, queued_at=now,
                            confirmed_at=now)
    Rsvp.objects.create(gathering=gathering, user=other_member, status=Rsvp.Status.WAITLISTED, queued_at=now)
    Rsvp.objects.create(gathering=gathering, user=make_person(association=association, email="parti@example.org"),
                        status=Rsvp.Status.CANCELLED, queued_at=now, cancelled_at=now)
    return gathering


def test_a_new_place_reaches_the_confirmed_and_the_waiting_with_the_next_sequence(seats, member, other_member,
                                                                                  organizer):
    gathering = seats
    before = gathering.sequence

    gathering_update(gathering=gathering, venue="Auberge Saint-Antoine")

    notices = Email.objects.filter(kind="gathering_changed")
    assert sorted(notices.values_list("to", flat=True)) == [member.email, organizer.email, other_member.email]
    assert not Email.objects.exclude(kind="gathering_changed").exists()
    calendar, event = parse(notices.get(to=member.email).ics)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"gathering-{gathering.pk}@tablee.127.0.0.1"
    assert event["SEQUENCE"] == before + 1 and event["LOCATION"] == "Auberge Saint-Antoine"
    assert "Auberge Saint-Antoine" in notices.get(to=member.email).body_text


def test_a_new_time_is_told_once_per_change(seats, member):
    gathering = seats
    later = gathering.starts_at + timedelta(hours=1)

    gathering_update(gathering=gathering, starts_at=later)
    gathering_update(gathering=gathering, starts_at=later)  # the same again: nothing new
    gathering_update(gathering=gathering, starts_at=later + timedelta(hours=1))

    sequences = sorted(parse(e.ics)[1]["SEQUENCE"] for e in Email.objects.filter(to=member.email))
    assert sequences == [1, 2]


def test_a_new_title_sends_nothing(seats):
    gathering_update(gathering=seats, title="Déjeuner d'automne")

    assert not Email.objects.exists()
    seats.refresh_from_db()
    assert seats.sequence == 1  # the title is in the calendar event: a new version, told quietly


def test_a_cancellation_sends_method_cancel_to_everyone_concerned(seats, member, other_member, organizer):
    gathering_cancel(gathering=seats)
    gathering_cancel(gathering=seats)  # twice: nothing more

    notices = Email.objects.filter(kind="gathering_cancelled")
    assert sorted(notices.values_list("to", flat=True)) == [member.email, organizer.email, other_member.email]
    calendar, event = parse(notices.get(to=member.email).ics)
    assert calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1
    assert "Annulée" in notices.get(to=member.email).subject
    seats.refresh_from_db()
    assert seats.state == Gathering.State.CANCELLED


def test_a_cancelled_gathering_takes_no_seat_and_sends_no_reminder(seats, make_person, association):
    from tablee.gatherings.emails import queue_due_reminders
    from tablee.gatherings.services import RsvpError, rsvp_create

    gathering_cancel(gathering=seats)
    Email.objects.all().delete()
    newcomer = make_person(association=association)

    with pytest.raises((RsvpError, Exception)):
        rsvp_create(gathering=seats, user=newcomer)
    assert queue_due_reminders(now=seats.starts_at - timedelta(days=1)) == 0


def test_a_past_gathering_corrected_afterwards_sends_nothing(make_gathering, member):
    past = make_gathering(starts_at=timezone.now() - timedelta(days=3))
    Rsvp.objects.create(gathering=past, user=member, status=Rsvp.Status.CONFIRMED, queued_at=past.starts_at)

    gathering_update(gathering=past, venue="Ailleurs")

    assert not Email.objects.exists()


def test_a_done_gathering_cannot_be_cancelled(make_gathering):
    from django.core.exceptions import ValidationError

    done = make_gathering(state=Gathering.State.DONE)

    with pytest.raises(ValidationError):
        gathering_cancel(gathering=done)


# The private calendar feed ------------------------------------------------------------------------

def _feed_path(url: str) -> str:
    assert url.startswith("webcal://")
    return "/" + url.split("/", 3)[3]


def test_my_feed_lists_my_gatherings_and_nothing_of_anyone_elses(seats, member, other_member, make_gathering):
    from tablee.gatherings.feed import feed_create, feed_url

    elsewhere = make_gathering(title="Souper sans Marie")
    Rsvp.objects.create(gathering=elsewhere, user=other_member, status=Rsvp.Status.CONFIRMED,
                        queued_at=timezone.now())
    url = feed_url(feed_create(user=member))

    response = Client().get(_feed_path(url))

    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Déjeuner de la Saint-Roch"]
    assert calendar.walk("VEVENT")[0]["STATUS"] == "CONFIRMED"
    other = Calendar.from_ical(Client().get(_feed_path(feed_url(feed_create(user=other_member)))).content)
    assert sorted(str(e["STATUS"]) for e in other.walk("VEVENT")) == ["CONFIRMED", "TENTATIVE"]


def test_a_feed_made_again_or_revoked_stops_the_old_url(member):
    from tablee.gatherings.feed import feed_create, feed_url

    old = _feed_path(feed_url(feed_create(user=member)))
    new = _feed_path(feed_url(feed_create(user=member)))

    assert Client().get(old).status_code == 404 and Client().get(new).status_code == 200
    browser = Client()
    browser.force_login(member)
    browser.post("/account/calendar-feed/revoke/")  # not confirmed: nothing happens
    assert Client().get(new).status_code == 200
    browser.post("/account/calendar-feed/revoke/", {"confirm": "1"})
    assert Client().get(new).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_the_account_page_offers_the_feed(member):
    browser = Client()
    browser.force_login(member)

    assert "Créer mon lien de calendrier" in browser.get("/account/").content.decode()
    browser.post("/account/calendar-feed/")
    page = browser.get("/account/").content.decode()
    assert "webcal://127.0.0.1:8000/calendar/" in page


def test_an_unknown_key_is_404(db):
    assert Client().get("/calendar/nothing-here.ics").status_code == 404


def test_an_unchanged_edit_form_tells_no_one(seats):
    """The edit form sends the time to the minute: seconds lost on the way are not a change."""
    Gathering.objects.filter(pk=seats.pk).update(starts_at=seats.starts_at.replace(second=42))
    seats.refresh_from_db()

    gathering_update(gathering=seats, starts_at=seats.starts_at.replace(second=0), tables=1)

    assert not Email.objects.exists()


def test_an_organizer_cancels_from_the_edit_form(seats, organizer, member):
    from django.urls import reverse

    browser = Client()
    browser.force_login(organizer)
    local = timezone.localtime(seats.starts_at).strftime("%Y-%m-%dT%H:%M")

    data = {"title": seats.title, "starts_at": local, "duration_minutes": seats.duration_minutes,
            "venue": seats.venue, "tables": seats.tables, "seats_per_table": seats.seats_per_table,
            "rsvp_deadline": "", "state": "cancelled"}

    asked = browser.post(reverse("organizer:gathering_edit", args=[seats.pk]), data)  # asked first
    assert asked.status_code == 200 and not Email.objects.exists()
    response = browser.post(reverse("organizer:gathering_edit", args=[seats.pk]),
                            {**data, "confirm": "gathering_cancelled"})

    assert response.status_code == 302
    assert Email.objects.filter(kind="gathering_cancelled", to=member.email).count() == 1


def test_a_cancellation_says_which_date_time_and_place_and_links_to_my_gatherings(seats, member):
    gathering_cancel(gathering=seats)

    notice = Email.objects.get(kind="gathering_cancelled", to=member.email)
    when = "Mardi 4\u00a0novembre 2031, de 7\u00a0h\u00a030 à 9\u00a0h\u00a030"
    for body in (notice.body_text, notice.body_html):
        assert when in body and "Café Saint-Roch, Québec" in body
        assert "http://127.0.0.1:8000/gatherings/" in body and "Mes rencontres" in body
    assert 'href="http://127.0.0.1:8000/gatherings/"' in notice.body_html


def test_a_change_offers_a_seat_holder_to_free_her_seat_in_both_parts_with_the_new_details(seats, member):
    gathering_update(gathering=seats, venue="Auberge Saint-Antoine")

    notice = Email.objects.get(kind="gathering_changed", to=member.email)
    for body in (notice.body_text, notice.body_html):
        assert "Voici les nouveaux détails\u00a0:" in body and "ce qui tient maintenant" not in body
        assert "Ça ne vous convient plus? Libérez votre place\u00a0:" in body
        assert "liste d'attente" not in body


def test_a_change_tells_someone_waiting_that_she_is_still_waiting_with_no_seat_to_free(seats, other_member):
    gathering_update(gathering=seats, venue="Auberge Saint-Antoine")

    notice = Email.objects.get(kind="gathering_changed", to=other_member.email)
    for body in (notice.body_text, notice.body_html):
        assert "Vous êtes toujours sur la liste d'attente." in body
        assert "Quittez la liste d'attente\u00a0:" in body
        assert "Libérez votre place" not in body and "remplacera l'ancienne" not in body


def test_a_change_in_english_reads_here_are_the_new_details_and_previously_at(seats, member):
    from tablee.members.models import Profile

    Profile.objects.filter(user=member).update(preferred_language="en")
    gathering_update(gathering=seats, venue="Auberge Saint-Antoine")

    notice = Email.objects.get(kind="gathering_changed", to=member.email)
    assert notice.subject == "Changed: Déjeuner de la Saint-Roch"
    assert "Here are the new details:" in notice.body_text
    assert "Previously at: Café Saint-Roch, Québec" in notice.body_text
    assert "Can't make it after all? Free up your seat:" in notice.body_text
    assert "The team at Café-rencontres de Québec" in notice.body_text
