"""A table-mate deletes her account: her seat at a gathering to come is freed at once, and a past
table names her « Compte supprimé », never the ghost's made-up address.

Souper des nouveaux, one table of two, Marie and Sophie seated, the plan published; Sophie deletes
her account from her own page. The repair after it has nothing to do (fewer than two people), so
only the deletion itself can free her seat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tablee.gatherings.models import Gathering, Rsvp
from tablee.tables.models import Plan, PlanTable, Seat

GHOST = "deleted.invalid"


@pytest.fixture
def sophie(make_person, association):
    return make_person(association=association, email="sophie@example.org", first_name="Sophie",
                       last_name="Lavoie", organization="Atelier Lavoie", languages=["fr"])


def _seated(gathering, people):
    plan = Plan.objects.create(gathering=gathering, status=Plan.Status.PUBLISHED, published_at=timezone.now())
    table = PlanTable.objects.create(plan=plan, number=1, why_fr=["Sophie Lavoie peut vous aider."])
    for position, user in enumerate(people):
        Rsvp.objects.create(gathering=gathering, user=user, status=Rsvp.Status.CONFIRMED, present=None,
                            queued_at=gathering.starts_at - timedelta(days=9),
                            confirmed_at=gathering.starts_at - timedelta(days=9))
        Seat.objects.create(plan=plan, table=table, user=user, position=position)
    return plan


def _delete_account(person, django_capture_on_commit_callbacks):
    browser = Client()
    browser.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/account/delete/", {"confirm": person.email})
    assert response.status_code == 302


@pytest.fixture
def souper(association, member, sophie):
    gathering = Gathering.objects.create(association=association, title="Souper des nouveaux", tables=1,
                                         seats_per_table=2, state=Gathering.State.OPEN,
                                         starts_at=timezone.now() + timedelta(days=5))
    _seated(gathering, [member, sophie])
    return gathering


def test_her_seat_at_a_gathering_to_come_is_freed_with_the_deletion(
        souper, member, sophie, django_capture_on_commit_callbacks):
    _delete_account(sophie, django_capture_on_commit_callbacks)

    plan = Plan.objects.get(gathering=souper)
    assert list(Seat.objects.filter(plan=plan).values_list("user_id", flat=True)) == [member.pk]
    assert not Seat.objects.filter(user__email__endswith=GHOST).exists()


def test_the_organizer_pages_show_no_ghost_and_count_the_people_left(
        souper, member, sophie, organizer, client, django_capture_on_commit_callbacks):
    _delete_account(sophie, django_capture_on_commit_callbacks)

    client.force_login(organizer)
    for path in (f"/organize/gatherings/{souper.pk}/tables/", f"/organize/gatherings/{souper.pk}/tables/print/"):
        page = client.get(path).content.decode()
        assert GHOST not in page and "Compte supprimé" not in page, path
        assert "Marie Tremblay" in page
    swap = client.get(f"/organize/gatherings/{souper.pk}/tables/").content.decode()
    assert f'<option value="{member.pk}">' in swap


def test_her_table_mate_is_told_plainly_nobody_else_is_at_her_table(
        souper, member, sophie, django_capture_on_commit_callbacks):
    _delete_account(sophie, django_capture_on_commit_callbacks)

    browser = Client()
    browser.force_login(member)
    page = browser.get(f"/gatherings/{souper.pk}/my-table/").content.decode()
    assert "Vous êtes à la table 1" in page
    assert "Personne d'autre n'est à votre table pour l'instant." in page
    assert "Sophie" not in page and GHOST not in page


def test_a_past_table_names_her_deleted_account_never_the_ghost_address(
        association, member, sophie, other_member, organizer, client, django_capture_on_commit_callbacks):
    past = Gathering.objects.create(association=association, title="Déjeuner d'octobre", tables=1, seats_per_table=3,
                                    starts_at=timezone.now() - timedelta(days=3), state=Gathering.State.DONE)
    plan = _seated(past, [member, sophie, other_member])
    Rsvp.objects.filter(gathering=past).update(present=True)

    _delete_account(sophie, django_capture_on_commit_callbacks)

    assert Seat.objects.filter(plan=plan).count() == 3  # who sat there stays true, anonymously
    client.force_login(organizer)
    for path in (f"/organize/gatherings/{past.pk}/tables/", f"/organize/gatherings/{past.pk}/tables/print/",
                 f"/organize/gatherings/{past.pk}/attendees/",
                 f"/organize/gatherings/{past.pk}/attendees.csv"):
        page = client.get(path).content.decode()
        assert GHOST not in page, path
        assert "Compte supprimé" in page, path
        assert "Sophie" not in page, path
    # Her table-mates keep no card of a deleted account.
    marie = Client()
    marie.force_login(member)
    cards = marie.get(f"/gatherings/{past.pk}/cards/").content.decode()
    assert "Samuel Roy" in cards and "Compte supprimé" not in cards and GHOST not in cards


def test_at_the_door_of_a_gathering_begun_her_row_says_deleted_account(
        association, member, sophie, organizer, client, django_capture_on_commit_callbacks):
    # Begun a minute ago (or at midnight, when today is younger than that: the door closes at the end
    # of the day it began): her seat stays (it is attendance), the door is still open.
    now = timezone.localtime()
    starts_at = max(now - timedelta(minutes=1), now.replace(hour=0, minute=0, second=0, microsecond=0))
    begun = Gathering.objects.create(association=association, title="Cinq à sept", tables=1, seats_per_table=2,
                                     starts_at=starts_at, state=Gathering.State.OPEN)
    _seated(begun, [member, sophie])

    _delete_account(sophie, django_capture_on_commit_callbacks)

    client.force_login(organizer)
    page = client.get(f"/organize/gatherings/{begun.pk}/checkin/").content.decode()
    assert "Marie Tremblay" in page and "Compte supprimé" in page
    assert GHOST not in page and "Sophie" not in page
