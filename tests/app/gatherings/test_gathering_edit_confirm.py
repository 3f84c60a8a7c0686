"""Editing a gathering in a way that emails people (a cancellation, a new time or place) is
confirmed first: the step says what happens and how many people get the email, and can go back;
once saved, the message says how many were told. Other edits save at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tablee.gatherings.models import Gathering
from tablee.gatherings.services import rsvp_create, walkin_add, walkin_guest_add
from tablee.outbox.models import Email


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _data(gathering, **changes) -> dict:
    data = {"title": gathering.title, "starts_at": _local(gathering.starts_at),
            "duration_minutes": gathering.duration_minutes, "venue": gathering.venue, "tables": gathering.tables,
            "seats_per_table": gathering.seats_per_table, "rsvp_deadline": "", "state": gathering.state}
    return {**data, **changes}


@pytest.fixture
def booked(make_gathering, association, make_person):
    """A gathering with three people booked and one waiting: four people to tell."""
    gathering = make_gathering(tables=1, seats_per_table=3, venue="Café du coin")
    for k in range(4):
        rsvp_create(gathering=gathering, user=make_person(association=association, email=f"b{k}@example.org"))
    Email.objects.all().delete()
    return gathering


@pytest.fixture
def browser(organizer) -> Client:
    client = Client()
    client.force_login(organizer)
    return client


def _edit(browser, gathering, data):
    return browser.post(reverse("organizer:gathering_edit", args=[gathering.pk]), data)


def test_cancelling_asks_first_and_says_how_many_people_get_an_email(browser, booked):
    response = _edit(browser, booked, _data(booked, state="cancelled"))

    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="edit-confirm"' in page
    assert "4\u00a0personnes recevront un courriel" in page
    assert 'name="confirm" value="gathering_cancelled"' in page and 'name="back"' in page
    booked.refresh_from_db()
    assert booked.state == Gathering.State.OPEN and not Email.objects.exists()


def test_confirming_the_cancellation_cancels_emails_and_says_how_many(browser, booked):
    response = _edit(browser, booked, _data(booked, state="cancelled", confirm="gathering_cancelled"))

    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.state == Gathering.State.CANCELLED
    assert Email.objects.filter(kind="gathering_cancelled").count() == 4
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == ["La rencontre est annulée. 4\u00a0personnes reçoivent l'annulation par courriel."]


def test_going_back_saves_nothing_and_shows_the_form_with_what_was_typed(browser, booked):
    response = _edit(browser, booked, _data(booked, venue="Salle B", back="1"))

    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="edit-confirm"' not in page
    assert 'value="Salle B"' in page
    booked.refresh_from_db()
    assert booked.venue == "Café du coin" and not Email.objects.exists()


def test_a_new_time_and_place_asks_first_then_tells_everyone(browser, booked):
    later = booked.starts_at + timedelta(hours=2)
    data = _data(booked, venue="Salle B", starts_at=_local(later))

    asked = _edit(browser, booked, data).content.decode()
    assert "4\u00a0personnes recevront un courriel" in asked and "Salle B" in asked
    assert not Email.objects.exists()

    response = _edit(browser, booked, {**data, "confirm": "gathering_changed"})
    assert response.status_code == 302
    assert Email.objects.filter(kind="gathering_changed").count() == 4
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == ["La rencontre est mise à jour. 4\u00a0personnes reçoivent le changement par courriel."]


def test_a_confirmation_of_another_change_is_asked_again(browser, booked):
    """The organizer confirmed a change of place; what is posted now cancels: that was not confirmed."""
    response = _edit(browser, booked, _data(booked, state="cancelled", confirm="gathering_changed"))

    assert response.status_code == 200 and 'data-testid="edit-confirm"' in response.content.decode()
    booked.refresh_from_db()
    assert booked.state == Gathering.State.OPEN and not Email.objects.exists()


def test_an_edit_that_emails_no_one_saves_at_once(browser, booked):
    deadline = booked.starts_at - timedelta(days=1)
    response = _edit(browser, booked, _data(booked, title="Déjeuner d'automne", rsvp_deadline=_local(deadline)))

    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.title == "Déjeuner d'automne" and booked.rsvp_deadline is not None
    assert not Email.objects.exists()
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["La rencontre est mise à jour."]


def test_a_move_with_nobody_booked_saves_at_once(browser, make_gathering):
    gathering = make_gathering(venue="Café du coin")
    response = _edit(browser, gathering, _data(gathering, venue="Salle B"))
    assert response.status_code == 302 and not Email.objects.exists()


def test_the_count_leaves_out_a_guest_who_has_no_address(browser, make_gathering, association, make_person,
                                                         member):
    gathering = make_gathering(starts_at=timezone.now() + timedelta(hours=1))  # the door is open
    rsvp_create(gathering=gathering, user=member)
    walkin_add(gathering=gathering, user=make_person(association=association, email="porte@example.org"))
    walkin_guest_add(gathering=gathering, first_name="Invité")

    asked = _edit(browser, gathering, _data(gathering, state="cancelled")).content.decode()
    assert "2\u00a0personnes recevront un courriel" in asked

    response = _edit(browser, gathering, _data(gathering, state="cancelled", confirm="gathering_cancelled"))
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == ["La rencontre est annulée. 2\u00a0personnes reçoivent l'annulation par courriel."]


def test_the_confirmation_step_reads_in_english(browser, booked, organizer):
    organizer.profile.preferred_language = "en"
    organizer.profile.save()
    page = _edit(browser, booked, _data(booked, state="cancelled")).content.decode()
    assert "4 people will receive an email" in page


def test_a_gathering_to_come_cannot_be_marked_done(browser, booked):
    response = _edit(browser, booked, _data(booked, state=Gathering.State.DONE))

    booked.refresh_from_db()
    assert booked.state == Gathering.State.OPEN
    assert "une fois commencée" in response.content.decode()


def test_a_gathering_that_began_is_marked_done(browser, booked):
    Gathering.objects.filter(pk=booked.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    booked.refresh_from_db()

    _edit(browser, booked, _data(booked, state=Gathering.State.DONE))

    booked.refresh_from_db()
    assert booked.state == Gathering.State.DONE


def test_the_change_email_says_what_the_time_and_place_were(browser, booked):
    later = booked.starts_at + timedelta(hours=2)
    data = _data(booked, venue="Salle B", starts_at=_local(later))

    _edit(browser, booked, {**data, "confirm": "gathering_changed"})

    email = Email.objects.filter(kind="gathering_changed").first()
    was = timezone.localtime(booked.starts_at)
    assert "Lieu prévu avant\u00a0: Café du coin" in email.body_text and "Salle B" in email.body_text
    assert "Avant\u00a0:" in email.body_text and f"de {was.hour}\u00a0h" in email.body_text
    assert 'data-testid="was"' in email.body_html
