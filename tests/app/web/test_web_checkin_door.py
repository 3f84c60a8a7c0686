"""Check-in at the door: find a member by name to let them in, and let in a guest with a name only
(never emailed nor exported). The table numbers and the guest's seat: tests/app/tables/test_tables_checkin.py."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tablee.gatherings.models import Rsvp
from tablee.gatherings.services import rsvp_create, walkin_guest_add
from tablee.members.models import Membership, User
from tablee.outbox.models import Email
from tablee.outbox.services import email_queue

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def gathering(tonight):
    """Every test here stands at the door: the gathering starts within the hour."""
    return tonight


def _checkin(gathering) -> str:
    return reverse("organizer:checkin", args=[gathering.pk])


def test_the_member_search_finds_a_member_without_a_seat_by_name_ignoring_accents(
    login, organizer, member, make_person, association, outsider, gathering
):
    helene = make_person(association=association, first_name="Hélène", last_name="Bélanger")
    make_person(association=association, first_name="Paul", last_name="Bélanger")
    rsvp_create(gathering=gathering, user=member)  # already on the check-in list: not offered again

    response = login(organizer).get(_checkin(gathering), {"member_q": "helene BEL"}, **HTMX)

    page = response.content.decode()
    assert "<html" not in page
    assert f'name="user" value="{helene.pk}"' in page
    assert "Paul" not in page
    assert "Marie" not in login(organizer).get(_checkin(gathering), {"member_q": "marie"}, **HTMX).content.decode()
    assert "Alex" not in login(organizer).get(_checkin(gathering), {"member_q": "alex"}, **HTMX).content.decode()


def test_the_member_search_works_without_javascript_on_the_full_page(login, organizer, make_person, association,
                                                                     gathering):
    helene = make_person(association=association, first_name="Hélène", last_name="Bélanger")

    response = login(organizer).get(_checkin(gathering), {"member_q": "Hélène"})

    page = response.content.decode()
    assert "<html" in page
    assert '<details class="walkin" open>' in page
    assert f'name="user" value="{helene.pk}"' in page


def test_the_member_search_says_plainly_when_nobody_matches(login, organizer, gathering):
    page = login(organizer).get(_checkin(gathering), {"member_q": "Zébulon"}, **HTMX).content.decode()

    assert "Aucun membre sans place ne correspond à «\u00a0Zébulon\u00a0»." in page


def test_a_member_picked_from_the_search_is_let_in_and_marked_present(login, organizer, other_member, gathering):
    response = login(organizer).post(reverse("organizer:walkin", args=[gathering.pk]), {"user": other_member.pk},
                                     **HTMX)

    rsvp = Rsvp.objects.get(gathering=gathering, user=other_member)
    assert (rsvp.status, rsvp.walk_in, rsvp.present) == (Rsvp.Status.CONFIRMED, True, True)
    assert "Samuel Roy est sur la liste, et sa présence est notée." in response.content.decode()


def test_a_picked_account_outside_the_association_is_refused_and_nothing_is_written(login, organizer, outsider,
                                                                                     gathering):
    response = login(organizer).post(reverse("organizer:walkin", args=[gathering.pk]), {"user": outsider.pk},
                                     follow=True)

    assert "Cette personne n&#x27;est pas membre de l&#x27;association." in response.content.decode()
    assert not Rsvp.objects.filter(gathering=gathering).exists()


def test_a_guest_with_a_name_only_is_let_in_without_an_account_anyone_can_use(login, organizer, association,
                                                                              gathering):
    response = login(organizer).post(reverse("organizer:walkin", args=[gathering.pk]),
                                     {"first_name": "  Jeanne ", "last_name": "D'Arc"}, **HTMX)

    rsvp = Rsvp.objects.select_related("user").get(gathering=gathering, walk_in=True)
    guest = rsvp.user
    assert (guest.first_name, guest.last_name, guest.is_guest) == ("Jeanne", "D'Arc", True)
    assert (rsvp.status, rsvp.present) == (Rsvp.Status.CONFIRMED, True)
    assert not guest.is_active and not guest.has_usable_password()
    assert not Membership.all_objects.filter(user=guest).exists()
    page = response.content.decode()
    assert "Jeanne D&#x27;Arc est sur la liste, et sa présence est notée." in page
    assert "personne invitée, sans compte" in page


def test_a_guest_without_a_first_name_is_refused_with_a_message(login, organizer, gathering):
    response = login(organizer).post(reverse("organizer:walkin", args=[gathering.pk]),
                                     {"first_name": "   ", "last_name": "Tremblay"}, follow=True)

    assert "Entrez au moins un prénom." in response.content.decode()
    assert not User.objects.filter(last_name="Tremblay").exists()


def test_a_guest_is_in_no_export_and_never_emailed(api, login, organizer, member, gathering):
    rsvp_create(gathering=gathering, user=member)
    guest = walkin_guest_add(gathering=gathering, first_name="Jeanne").user

    rows = list(csv.reader(io.StringIO(
        login(organizer).get(reverse("organizer:attendees_csv", args=[gathering.pk])).content.decode("utf-8-sig")), delimiter=";"))
    listed = api.get(f"/api/gatherings/{gathering.pk}/attendees", user=organizer).json()
    email = email_queue(key="test:guest", kind="test", to=guest.email, subject="Bonjour", body_text="…")

    assert [r[2] for r in rows[1:]] == ["Marie"]
    assert [p["first_name"] for p in listed] == ["Marie"]
    assert email.status == Email.Status.SUPPRESSED


def test_the_attendees_and_check_in_pages_show_a_guest_without_an_address(login, organizer, gathering):
    guest = walkin_guest_add(gathering=gathering, first_name="Jeanne").user

    for name in ("organizer:attendees", "organizer:checkin"):
        page = login(organizer).get(reverse(name, args=[gathering.pk])).content.decode()
        assert "Jeanne" in page and "personne invitée, sans compte" in page
        assert guest.email not in page and "guest.invalid" not in page


def test_a_found_member_s_button_says_it_adds_and_marks_present(login, organizer, make_person, association, gathering):
    helene = make_person(association=association, first_name="Hélène", last_name="Bélanger")

    page = login(organizer).get(_checkin(gathering), {"member_q": "helene"}, **HTMX).content.decode()

    button = page.split(f'name="user" value="{helene.pk}"')[1].split("</button>")[0]
    assert button.rstrip().endswith(">Ajouter et noter sa présence")
    assert 'aria-label="Ajouter et noter sa présence' in button and "Hélène Bélanger" in button
