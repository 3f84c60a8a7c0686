"""A cancelled gathering holds no seat: the list and its page say « Annulée » and offer no booking,
table, intention or calendar action; the API answers the same (no « Ma tablée »)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tablee.gatherings.models import Rsvp
from tablee.gatherings.services import gathering_cancel, rsvp_create


@pytest.fixture
def booked_then_cancelled(make_gathering, member, organizer):
    gathering = make_gathering(title="Dîner des membres")
    rsvp_create(gathering=gathering, user=member)
    rsvp_create(gathering=gathering, user=organizer)
    gathering_cancel(gathering=gathering)
    return gathering


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_shows_a_cancelled_gathering_as_cancelled_not_booked(booked_then_cancelled, member):
    page = _as(member).get("/gatherings/").content.decode()

    card = page[page.index("Dîner des membres"):]
    card = card[:card.index("</li>")]
    assert 'data-testid="card-cancelled"' in card and "Annulée" in card
    assert "Votre place est réservée" not in card and "place libre" not in card


def test_the_list_still_shows_a_booked_open_gathering_as_booked(make_gathering, member):  # the control
    rsvp_create(gathering=make_gathering(title="Dîner des membres"), user=member)
    page = _as(member).get("/gatherings/").content.decode()
    assert "Votre place est réservée" in page and 'data-testid="card-cancelled"' not in page


def test_the_hub_of_a_cancelled_gathering_offers_no_booking_table_intention_or_calendar(
    booked_then_cancelled, member
):
    page = _as(member).get(f"/gatherings/{booked_then_cancelled.pk}/").content.decode()

    assert 'data-testid="hub-cancelled"' in page and "Annulée" in page
    for gone in ("Votre place est réservée", "Annuler ma place", "Réserver ma place", 'data-testid="hub-my-table"',
                 'data-testid="hub-intention"', 'data-testid="hub-calendar"', "Garder mes cartes"):
        assert gone not in page, gone


def test_the_hub_of_an_open_booked_gathering_offers_them(make_gathering, member):  # the control
    gathering = make_gathering()
    rsvp_create(gathering=gathering, user=member)
    page = _as(member).get(f"/gatherings/{gathering.pk}/").content.decode()
    for shown in ("Votre place est réservée", "Annuler ma place", 'data-testid="hub-my-table"',
                  'data-testid="hub-intention"', 'data-testid="hub-calendar"'):
        assert shown in page, shown
    assert 'data-testid="hub-cancelled"' not in page


def test_a_page_left_open_answers_a_booking_on_a_cancelled_gathering_with_the_cancellation(
    booked_then_cancelled, other_member
):
    response = _as(other_member).post(f"/gatherings/{booked_then_cancelled.pk}/rsvp/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert 'data-testid="rsvp-cancelled-gathering"' in html
    assert 'data-testid="hub-my-table"' not in html and "Réserver ma place" not in html
    assert not Rsvp.objects.filter(gathering=booked_then_cancelled, user=other_member).exists()


def test_a_cancelled_gathering_is_nothing_to_conclude(make_gathering, member):
    gathering = make_gathering(starts_at=timezone.now() + timedelta(hours=2))
    rsvp_create(gathering=gathering, user=member)
    gathering_cancel(gathering=gathering)
    type(gathering).objects.filter(pk=gathering.pk).update(starts_at=timezone.now() - timedelta(days=1))

    page = _as(member).get("/gatherings/").content.decode()

    assert f'data-testid="todo-cards-{gathering.pk}"' not in page
    assert "Vous y aviez votre place" not in page and 'data-testid="card-cancelled"' in page


def test_the_api_gives_no_table_for_a_cancelled_gathering(api, booked_then_cancelled, member, organizer):
    from tablee.tables.models import Plan, PlanTable, Seat

    plan = Plan.objects.create(gathering=booked_then_cancelled, status=Plan.Status.PUBLISHED,
                               published_at=timezone.now())
    table = PlanTable.objects.create(plan=plan, number=1)
    Seat.objects.create(plan=plan, table=table, user=member, position=0)
    Seat.objects.create(plan=plan, table=table, user=organizer, position=1)  # published, then cancelled

    detail = api.get(f"/api/gatherings/{booked_then_cancelled.pk}", user=member).json()
    assert detail["state"] == "cancelled"  # the state rules; my_status keeps the member's own answer
    assert api.get(f"/api/gatherings/{booked_then_cancelled.pk}/my-table", user=member).status_code == 404
    page = _as(member).get(f"/gatherings/{booked_then_cancelled.pk}/my-table/")
    assert page.status_code == 200 and "Vous êtes à la table" not in page.content.decode()
    assert 'data-testid="no-table"' in page.content.decode()


def test_booking_again_or_giving_up_a_seat_of_a_cancelled_gathering_is_refused(booked_then_cancelled, member, api):
    from tablee.outbox.models import Email

    emails_before = Email.objects.count()

    booked = api.post(f"/api/gatherings/{booked_then_cancelled.pk}/rsvp", user=member)
    given_up = api.delete(f"/api/gatherings/{booked_then_cancelled.pk}/rsvp", user=member)

    assert (booked.status_code, given_up.status_code) == (409, 409)
    assert "annulée" in booked.json()["detail"] and "annulée" in given_up.json()["detail"]
    assert Email.objects.count() == emails_before
    assert Rsvp.objects.get(gathering=booked_then_cancelled, user=member).status == Rsvp.Status.CONFIRMED
