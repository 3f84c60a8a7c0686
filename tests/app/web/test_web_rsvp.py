"""RSVP and cancel from the gathering page: HTMX swaps the box in place, plain posts redirect."""

from __future__ import annotations

from django.urls import reverse

from tablee.gatherings.models import Rsvp

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_rsvp_with_htmx_takes_a_seat_and_returns_the_box_only(login, member, gathering):
    response = login(member).post(reverse("gatherings:rsvp", args=[gathering.pk]), **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert "Annuler ma place" in page
    assert Rsvp.objects.get(gathering=gathering, user=member).status == Rsvp.Status.CONFIRMED


def test_rsvp_without_htmx_redirects_to_the_gathering(login, member, gathering):
    response = login(member).post(reverse("gatherings:rsvp", args=[gathering.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("gatherings:detail", args=[gathering.pk])
    assert Rsvp.objects.get(gathering=gathering, user=member).status == Rsvp.Status.CONFIRMED


def test_full_gathering_puts_me_on_the_waiting_list_with_my_place(login, make_person, association, member,
                                                                   make_gathering):
    from tablee.gatherings.services import rsvp_create

    gathering = make_gathering(tables=1, seats_per_table=2)
    for _ in range(2):
        rsvp_create(gathering=gathering, user=make_person(association=association))
    rsvp_create(gathering=gathering, user=make_person(association=association))  # first in line

    page = login(member).post(reverse("gatherings:rsvp", args=[gathering.pk]), **HTMX).content.decode()
    assert Rsvp.objects.get(gathering=gathering, user=member).status == Rsvp.Status.WAITLISTED
    assert "N° 2 sur la liste d&#x27;attente" in page or "N° 2 sur la liste d'attente" in page


def test_cancel_frees_the_seat_for_the_first_person_waiting(login, member, other_member, make_person,
                                                             association, make_gathering):
    from tablee.gatherings.services import rsvp_create

    gathering = make_gathering(tables=1, seats_per_table=2)
    rsvp_create(gathering=gathering, user=member)
    rsvp_create(gathering=gathering, user=make_person(association=association))
    waiting = rsvp_create(gathering=gathering, user=other_member)
    assert waiting.status == Rsvp.Status.WAITLISTED

    page = login(member).post(reverse("gatherings:cancel", args=[gathering.pk]), {"confirm": "1"},
                              **HTMX).content.decode()
    assert Rsvp.objects.get(gathering=gathering, user=member).status == Rsvp.Status.CANCELLED
    waiting.refresh_from_db()
    assert waiting.status == Rsvp.Status.CONFIRMED
    assert "Réserver ma place" not in page  # full again: the seat went to the person waiting
    assert "liste d" in page


def test_rsvp_to_a_closed_gathering_shows_why_and_writes_nothing(login, member, make_gathering):
    gathering = make_gathering(state="closed")
    page = login(member).post(reverse("gatherings:rsvp", args=[gathering.pk]), **HTMX).content.decode()
    assert "fermées" in page
    assert 'role="alert"' in page
    assert not Rsvp.objects.filter(gathering=gathering).exists()


def test_rsvp_needs_post(login, member, gathering):
    assert login(member).get(reverse("gatherings:rsvp", args=[gathering.pk])).status_code == 405
    assert not Rsvp.objects.filter(gathering=gathering).exists()


def test_gathering_page_shows_seats_left(login, member, other_member, make_gathering):
    from tablee.gatherings.services import rsvp_create

    gathering = make_gathering(tables=2, seats_per_table=3)
    rsvp_create(gathering=gathering, user=other_member)
    page = login(member).get(reverse("gatherings:detail", args=[gathering.pk])).content.decode()
    assert '<strong data-testid="seats-left">5</strong>' in page


def test_calendar_file_is_an_ics_for_the_gathering(login, member, gathering):
    response = login(member).get(reverse("gatherings:calendar", args=[gathering.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR")
    assert f"UID:gathering-{gathering.pk}@" in body
    assert "SUMMARY:Déjeuner réseautage" in body


def test_cancelling_without_confirming_asks_first_and_keeps_the_seat(login, member, gathering):
    from tablee.gatherings.services import rsvp_create

    rsvp_create(gathering=gathering, user=member)
    url = reverse("gatherings:cancel", args=[gathering.pk])

    box = login(member).post(url, **HTMX).content.decode()
    page = login(member).post(url, follow=True).content.decode()

    assert Rsvp.objects.get(gathering=gathering, user=member).status == Rsvp.Status.CONFIRMED
    for html in (box, page):
        assert '<details class="confirm" open' in html
        assert "Votre place sera libérée et donnée à la première personne de la liste d" in html
        assert 'name="confirm" value="1"' in html and "Oui, annuler ma place" in html
    assert "Confirmez l" in page


def test_the_detail_page_asks_before_giving_up_a_place_in_line(login, member, other_member, organizer,
                                                              make_gathering):
    from tablee.gatherings.services import rsvp_create

    gathering = make_gathering(tables=1, seats_per_table=2)
    rsvp_create(gathering=gathering, user=other_member)
    rsvp_create(gathering=gathering, user=organizer)
    assert rsvp_create(gathering=gathering, user=member).status == Rsvp.Status.WAITLISTED

    page = login(member).get(reverse("gatherings:detail", args=[gathering.pk])).content.decode()

    assert '<details class="confirm" data-testid="cancel-confirm-box">' in page
    assert "Vous perdrez votre rang sur la liste d" in page and "Oui, quitter la liste d" in page
