"""« Ma tablée » once the tables are published but the member holds no confirmed seat says which:
she gave up her seat (her table is no longer shown; the gathering page to book again while RSVPs
are open), she is on the waiting list, or she never booked. The API keeps its contract: 404."""

from __future__ import annotations

import pytest
from django.test import Client

from tablee.gatherings.models import Gathering, Rsvp
from tablee.gatherings.services import rsvp_cancel, rsvp_create
from tablee.tables.models import Plan, PlanTable, Seat

GIVEN_UP = "Vous n'avez plus de place à cette rencontre : votre table ne vous est plus montrée."
NOT_YET = "Les tables ne sont pas encore publiées pour cette rencontre, ou vous n'y avez pas de place."


@pytest.fixture
def souper(make_gathering, member, other_member):
    gathering = make_gathering(title="Souper des nouveaux", tables=1, seats_per_table=2)
    for person in (member, other_member):
        rsvp_create(gathering=gathering, user=person)
    return gathering


def _publish(gathering, people):
    plan = Plan.objects.create(gathering=gathering, status=Plan.Status.PUBLISHED)
    table = PlanTable.objects.create(plan=plan, number=1)
    for position, person in enumerate(people):
        Seat.objects.create(plan=plan, table=table, user=person, position=position)
    return plan


def _page(gathering, user) -> str:
    client = Client()
    client.force_login(user)
    return client.get(f"/gatherings/{gathering.pk}/my-table/").content.decode().replace("&#x27;", "'")


def test_after_giving_up_her_seat_she_is_told_so_and_may_book_again(souper, member, other_member, api):
    _publish(souper, [member, other_member])

    rsvp_cancel(gathering=souper, user=member)

    page = _page(souper, member)
    assert GIVEN_UP in page and NOT_YET not in page
    assert f'href="/gatherings/{souper.pk}/" data-testid="book-again"' in page
    assert "Samuel" not in page
    assert api.get(f"/api/gatherings/{souper.pk}/my-table", user=member).status_code == 404


def test_once_rsvps_are_closed_there_is_no_link_to_book_again(souper, member, other_member):
    _publish(souper, [member, other_member])
    rsvp_cancel(gathering=souper, user=member)
    Gathering.objects.filter(pk=souper.pk).update(state=Gathering.State.CLOSED)

    page = _page(souper, member)

    assert GIVEN_UP in page and 'data-testid="book-again"' not in page


def test_on_the_waiting_list_she_is_told_her_table_comes_with_a_seat(souper, member, other_member, make_person,
                                                                    association):
    _publish(souper, [member, other_member])
    waiting = make_person(association=association, first_name="Julie", last_name="Côté")
    assert rsvp_create(gathering=souper, user=waiting).status == Rsvp.Status.WAITLISTED

    page = _page(souper, waiting)

    assert "Vous êtes sur la liste d'attente" in page and GIVEN_UP not in page


def test_before_publication_the_page_still_says_the_tables_are_not_published(souper, member):
    rsvp_cancel(gathering=souper, user=member)

    page = _page(souper, member)

    assert NOT_YET in page and GIVEN_UP not in page
