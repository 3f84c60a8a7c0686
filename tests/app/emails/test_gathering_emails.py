"""The gathering emails: what is stored in the outbox, in which language, and how often."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from tablee.gatherings import emails
from tablee.gatherings.models import Gathering, Rsvp
from tablee.outbox.models import Email


def test_confirmation_is_written_in_quebec_french_with_the_invitation(gathering, member, make_rsvp):
    rsvp = make_rsvp(gathering, member)

    email = emails.queue_rsvp_confirmation(rsvp=rsvp)

    stored = Email.objects.get()
    assert stored.pk == email.pk
    assert (stored.kind, stored.to, stored.user) == ("rsvp_confirmed", "marie@example.org", member)
    assert stored.subject == "C'est confirmé\u00a0: votre place à «\u00a0Déjeuner de la Saint-Roch\u00a0»"
    assert stored.body_text.startswith("Bonjour Marie,\n\nC'est confirmé\u00a0: votre place est réservée.")
    assert "Mardi 4\u00a0novembre 2031, de 7\u00a0h\u00a030 à 9\u00a0h\u00a030" in stored.body_text
    assert "Café Saint-Roch, Québec" in stored.body_text
    assert "L'équipe de Café-rencontres de Québec" in stored.body_text
    assert f"\nhttp://127.0.0.1:8000/gatherings/{gathering.pk}/\n" in stored.body_text
    assert f'href="http://127.0.0.1:8000/gatherings/{gathering.pk}/"' in stored.body_html
    assert '<html lang="fr-ca">' in stored.body_html
    assert "Mardi 4\u00a0novembre 2031, de 7\u00a0h\u00a030 à 9\u00a0h\u00a030" in stored.body_html
    assert "L'équipe de Café-rencontres de Québec" in stored.body_html
    event = Calendar.from_ical(stored.ics).walk("VEVENT")[0]
    assert str(event["ATTENDEE"]) == "mailto:marie@example.org"


def test_confirmation_is_written_in_english_for_an_english_speaker(gathering, member, make_rsvp):
    member.profile.preferred_language = "en"
    member.profile.save()
    rsvp = make_rsvp(gathering, member)

    emails.queue_rsvp_confirmation(rsvp=rsvp)

    stored = Email.objects.get()
    # Wording belongs to the English catalog; these checks only pin the language and the facts.
    assert stored.subject.startswith("Confirmed")
    assert "“Déjeuner de la Saint-Roch”" in stored.subject
    assert stored.body_text.startswith("Hello Marie,")
    assert "Tuesday, November 4, 2031, from 7:30 AM to 9:30 AM" in stored.body_text
    assert '<html lang="en">' in stored.body_html
    assert "Bonjour" not in stored.body_text + stored.body_html


def test_the_language_is_the_members_not_the_active_one(gathering, member, make_rsvp):
    from django.utils import translation

    rsvp = make_rsvp(gathering, member)
    with translation.override("en"):  # e.g. an English-speaking organizer triggered it
        emails.queue_rsvp_confirmation(rsvp=rsvp)

    assert Email.objects.get().subject.startswith("C'est confirmé")


def test_a_retried_confirmation_is_stored_once(gathering, member, make_rsvp):
    rsvp = make_rsvp(gathering, member)

    emails.queue_rsvp_confirmation(rsvp=rsvp)
    emails.queue_rsvp_confirmation(rsvp=rsvp)

    assert Email.objects.count() == 1


def test_confirming_again_after_a_cancellation_sends_a_new_confirmation(gathering, member, make_rsvp):
    rsvp = make_rsvp(gathering, member)
    emails.queue_rsvp_confirmation(rsvp=rsvp)
    rsvp.confirmed_at = rsvp.confirmed_at + timedelta(hours=3)
    rsvp.save()

    emails.queue_rsvp_confirmation(rsvp=rsvp)

    assert Email.objects.filter(kind="rsvp_confirmed").count() == 2


def test_joining_the_waiting_list_tells_the_position_without_an_invitation(
    gathering, member, other_member, make_rsvp
):
    make_rsvp(gathering, other_member, status=Rsvp.Status.WAITLISTED, at=timezone.now() - timedelta(hours=1))
    rsvp = make_rsvp(gathering, member, status=Rsvp.Status.WAITLISTED)

    emails.queue_rsvp_confirmation(rsvp=rsvp)

    stored = Email.objects.get()
    assert stored.kind == "rsvp_waitlisted"
    assert "liste d'attente, en position 2." in stored.body_text
    assert stored.ics == ""


def test_a_cancelled_rsvp_queues_nothing(gathering, member, make_rsvp):
    rsvp = make_rsvp(gathering, member, status=Rsvp.Status.CANCELLED)

    assert emails.queue_rsvp_confirmation(rsvp=rsvp) is None
    assert Email.objects.count() == 0


def test_promotion_from_the_waiting_list_brings_the_invitation(gathering, member, make_rsvp):
    rsvp = make_rsvp(gathering, member)

    emails.queue_waitlist_promotion(rsvp=rsvp)

    stored = Email.objects.get()
    assert stored.kind == "rsvp_promoted"
    assert stored.subject == "Bonne nouvelle\u00a0: une place s'est libérée pour «\u00a0Déjeuner de la Saint-Roch\u00a0»"
    assert "BEGIN:VEVENT" in stored.ics


def test_rsvp_services_queue_the_confirmation_and_the_promotion(
    association, member, other_member, make_person, make_gathering
):
    from tablee.gatherings.services import rsvp_cancel, rsvp_create

    gathering = make_gathering(tables=1, seats_per_table=2)
    chloe = make_person(association=association, email="chloe@example.org", first_name="Chloé",
                        preferred_language="en")
    rsvp_create(gathering=gathering, user=member)
    rsvp_create(gathering=gathering, user=other_member)
    rsvp_create(gathering=gathering, user=chloe)

    rsvp_cancel(gathering=gathering, user=member)

    assert sorted(Email.objects.values_list("kind", "to")) == [
        ("rsvp_cancelled", "marie@example.org"),
        ("rsvp_confirmed", "marie@example.org"),
        ("rsvp_confirmed", "samuel@example.org"),
        ("rsvp_promoted", "chloe@example.org"),
        ("rsvp_waitlisted", "chloe@example.org"),
    ]
    promoted = Email.objects.get(kind="rsvp_promoted")
    assert promoted.subject.startswith("Good news")  # Chloé reads English
    assert "Déjeuner de la Saint-Roch" in promoted.subject


@pytest.fixture
def reminder_days(settings):
    settings.TABLEE_REMINDER_DAYS = 2
    return 2


def test_reminders_go_once_to_confirmed_people_of_gatherings_within_the_window(
    reminder_days, make_gathering, make_rsvp, member, other_member, organizer
):
    now = timezone.now()
    long_ago = now - timedelta(days=20)
    tomorrow = make_gathering(title="Demain", starts_at=now + timedelta(days=1))
    later = make_gathering(title="Plus tard", starts_at=now + timedelta(days=5))
    draft = make_gathering(title="Brouillon", starts_at=now + timedelta(days=1), state=Gathering.State.DRAFT)
    make_rsvp(tomorrow, member, at=long_ago)
    make_rsvp(tomorrow, other_member, status=Rsvp.Status.WAITLISTED, at=long_ago)
    make_rsvp(tomorrow, organizer, status=Rsvp.Status.CANCELLED, at=long_ago)
    make_rsvp(later, member, at=long_ago)
    make_rsvp(draft, member, at=long_ago)

    assert emails.queue_due_reminders(now=now) == 1
    assert emails.queue_due_reminders(now=now + timedelta(minutes=1)) == 0

    stored = Email.objects.get()
    assert (stored.kind, stored.to) == ("reminder", "marie@example.org")
    assert stored.subject.startswith("Petit rappel\u00a0: «\u00a0Demain\u00a0»")
    tomorrow.refresh_from_db()
    later.refresh_from_db()
    assert tomorrow.reminder_sent_at == now
    assert later.reminder_sent_at is None



def test_the_reminders_of_a_tick_read_their_unsubscribe_keys_in_one_query(
    reminder_days, make_gathering, make_rsvp, member, other_member, organizer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tablee.outbox.models import Topic
    from tablee.outbox.wayback import unsubscribe_url

    now = timezone.now()
    tomorrow = make_gathering(title="Demain", starts_at=now + timedelta(days=1))
    people = (member, other_member, organizer)
    links = {person.email: unsubscribe_url(address=person.email, topic=Topic.REMINDERS) for person in people}
    for person in people:
        make_rsvp(tomorrow, person, at=now - timedelta(days=20))

    with CaptureQueriesContext(connection) as queries:
        assert emails.queue_due_reminders(now=now) == 3

    assert sum('"outbox_unsubscribekey"' in query["sql"] for query in queries.captured_queries) == 1
    for stored in Email.objects.filter(kind="reminder"):
        assert links[stored.to] in stored.body_text and links[stored.to] in stored.body_html

def test_the_reminder_leaves_when_the_gathering_enters_the_window(reminder_days, make_gathering, make_rsvp, member):
    now = timezone.now()
    gathering = make_gathering(starts_at=now + timedelta(days=3))
    make_rsvp(gathering, member, at=now - timedelta(days=20))

    assert emails.queue_due_reminders(now=now) == 0
    assert emails.queue_due_reminders(now=now + timedelta(days=1, minutes=1)) == 1


def test_someone_who_took_a_seat_inside_the_window_gets_no_reminder(
    reminder_days, make_gathering, make_rsvp, member, other_member
):
    now = timezone.now()
    gathering = make_gathering(starts_at=now + timedelta(days=1))
    make_rsvp(gathering, member, at=now - timedelta(days=20))
    make_rsvp(gathering, other_member, at=now - timedelta(hours=2))  # they just got their confirmation

    assert emails.queue_due_reminders(now=now) == 1
    assert Email.objects.get().to == "marie@example.org"


def test_a_rescheduled_gathering_reminds_again(reminder_days, make_gathering, make_rsvp, member):
    now = timezone.now()
    gathering = make_gathering(starts_at=now + timedelta(days=1))
    make_rsvp(gathering, member, at=now - timedelta(days=20))
    emails.queue_due_reminders(now=now)

    Gathering.objects.filter(pk=gathering.pk).update(starts_at=now + timedelta(days=1, hours=4))

    assert emails.queue_due_reminders(now=now + timedelta(hours=1)) == 1
    assert Email.objects.filter(kind="reminder").count() == 2


def test_zero_reminder_days_switches_reminders_off(settings, make_gathering, make_rsvp, member):
    settings.TABLEE_REMINDER_DAYS = 0
    now = timezone.now()
    gathering = make_gathering(starts_at=now + timedelta(hours=3))
    make_rsvp(gathering, member, at=now - timedelta(days=20))

    assert emails.queue_due_reminders(now=now) == 0
    assert Email.objects.count() == 0


def test_the_date_of_a_gathering_opens_its_line_with_a_capital_as_in_the_table_emails(gathering, member, make_rsvp):
    from tablee.members.models import Profile

    french = emails.queue_rsvp_confirmation(rsvp=make_rsvp(gathering, member))
    Profile.objects.filter(user=member).update(preferred_language="en")
    member.profile.refresh_from_db()
    english = emails.queue_waitlist_promotion(rsvp=Rsvp.objects.get(user=member))

    assert "\nMardi 4\u00a0novembre 2031, de 7\u00a0h\u00a030 à 9\u00a0h\u00a030\n" in french.body_text
    assert "\nTuesday, November 4, 2031, from 7:30 AM to 9:30 AM\n" in english.body_text


def test_a_promotion_in_english_offers_to_free_up_the_seat_for_the_next_person(gathering, member, make_rsvp):
    from tablee.members.models import Profile

    Profile.objects.filter(user=member).update(preferred_language="en")
    member.profile.refresh_from_db()

    email = emails.queue_waitlist_promotion(rsvp=make_rsvp(gathering, member))

    assert "Can't make it after all? Free up the seat for the next person:" in email.body_text
    assert "It doesn't suit you anymore" not in email.body_text
