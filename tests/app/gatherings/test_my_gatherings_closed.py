"""« Mes rencontres » says « Inscriptions fermées » on a gathering whose RSVPs are closed (by the
organizer, or its deadline passed), as the organizer's list does, instead of counting free seats
nobody can take."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tablee.gatherings.models import Gathering
from tablee.gatherings.services import rsvp_create


def _card(member, title: str) -> str:
    client = Client()
    client.force_login(member)
    page = client.get("/gatherings/").content.decode()
    card = page[page.index(title):]
    return card[:card.index("</li>")]


@pytest.mark.parametrize("closed", [
    {"state": Gathering.State.CLOSED},
    {"rsvp_deadline": timezone.now() + timedelta(hours=1)},  # passed by the time the page is read (below)
], ids=["closed-by-the-organizer", "deadline-passed"])
def test_a_gathering_with_rsvps_closed_says_so_on_the_members_card(make_gathering, member, closed):
    gathering = make_gathering(title="Souper des nouveaux", **closed)
    Gathering.objects.filter(pk=gathering.pk, rsvp_deadline__isnull=False).update(
        rsvp_deadline=timezone.now() - timedelta(hours=1))

    card = _card(member, "Souper des nouveaux")

    assert 'data-testid="card-closed"' in card and "Inscriptions fermées" in card
    assert "places libres" not in card


def test_an_open_gathering_still_counts_its_free_seats(make_gathering, member):  # the control
    make_gathering(title="Souper des nouveaux", tables=1, seats_per_table=4,
                   rsvp_deadline=timezone.now() + timedelta(days=2))

    card = _card(member, "Souper des nouveaux")

    assert "4\u00a0places libres" in card and 'data-testid="card-closed"' not in card


def test_a_booked_seat_stays_booked_once_rsvps_close(make_gathering, member):
    gathering = make_gathering(title="Souper des nouveaux")
    rsvp_create(gathering=gathering, user=member)
    Gathering.objects.filter(pk=gathering.pk).update(state=Gathering.State.CLOSED)

    card = _card(member, "Souper des nouveaux")

    assert "Votre place est réservée" in card and 'data-testid="card-closed"' not in card
