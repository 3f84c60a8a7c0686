"""The HTML pages: plan map for organizers, Ma tablée, Mes souhaits, print cards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tablee.gatherings.models import Rsvp
from tablee.tables.models import Plan, Seat, Wish


@pytest.fixture
def small(make_person, association, member, other_member, make_breakfast):
    people = [member, other_member] + [
        make_person(association=association, password=None, email=f"s{k}@example.org", first_name=f"S{k}",
                    last_name="Membre", languages=["fr"]) for k in range(10)
    ]
    return make_breakfast(people, tables=2, seats=6)


def test_organizer_sees_the_map_with_round_tables_and_controls(client, organizer, member, small, planned):
    planned(small)
    client.force_login(organizer)

    response = client.get(f"/organize/gatherings/{small.pk}/tables/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg class=\"table-map\"") == 2
    assert "Marie T." in html
    assert 'data-testid="plan-publish"' in html
    assert f'data-testid="pin-{member.pk}"' in html


def test_members_cannot_open_the_plan_page(client, member, outsider, small, planned):
    planned(small)
    client.force_login(member)
    assert client.get(f"/organize/gatherings/{small.pk}/tables/").status_code == 403
    assert client.post(f"/organize/gatherings/{small.pk}/tables/publish/").status_code == 403
    assert Plan.objects.get(gathering=small).status == Plan.Status.READY
    client.force_login(outsider)
    assert client.get(f"/organize/gatherings/{small.pk}/tables/").status_code == 404


def test_organizer_requests_a_plan_from_the_page(client, organizer, small):
    client.force_login(organizer)

    response = client.post(f"/organize/gatherings/{small.pk}/tables/plan/", {"time_limit_s": "1"})

    assert response.status_code == 302
    plan = Plan.objects.get(gathering=small)
    assert plan.status == Plan.Status.RUNNING and plan.time_limit_s == 1.0
    page = client.get(f"/organize/gatherings/{small.pk}/tables/").content.decode()
    assert 'hx-trigger="every 1s"' in page


def test_progress_fragment_asks_for_a_reload_when_done(client, organizer, small, planned):
    planned(small)
    client.force_login(organizer)

    response = client.get(f"/organize/gatherings/{small.pk}/tables/status/")

    assert response["HX-Refresh"] == "true"


def test_organizer_moves_someone_from_the_page_and_sees_the_broken_rule(client, organizer, member, small, planned):
    plan = planned(small)
    home = Seat.objects.get(plan=plan, user=member).table.number
    client.force_login(organizer)

    response = client.post(f"/organize/gatherings/{small.pk}/tables/move/", {"user": member.pk, "table": 3 - home},
                           follow=True)

    assert Seat.objects.get(plan=plan, user=member).table.number == 3 - home
    assert "plus de personnes que de places" in response.content.decode()


def test_after_a_move_the_plan_reopens_at_the_destination_table_with_its_message(client, organizer, member, small,
                                                                                 planned):
    plan = planned(small)
    other = 3 - Seat.objects.get(plan=plan, user=member).table.number
    client.force_login(organizer)

    response = client.post(f"/organize/gatherings/{small.pk}/tables/move/", {"user": member.pk, "table": other})

    assert response.status_code == 302
    assert response["Location"] == f"/organize/gatherings/{small.pk}/tables/?table={other}#table-{other}"
    html = client.get(response["Location"]).content.decode()
    card = html[html.index(f'id="table-{other}"'):]
    assert 'data-testid="table-messages"' in card and "plus de personnes que de places" in card
    assert html.count('<div class="messages"') == 1  # in the card, not at the top of the page


def test_after_a_pin_the_plan_reopens_at_that_table(client, organizer, member, small, planned):
    plan = planned(small)
    home = Seat.objects.get(plan=plan, user=member).table.number
    client.force_login(organizer)

    response = client.post(f"/organize/gatherings/{small.pk}/tables/pin/", {"user": member.pk, "pinned": "1",
                                                                           "table": home})

    assert response["Location"] == f"/organize/gatherings/{small.pk}/tables/?table={home}#table-{home}"
    assert Seat.objects.get(plan=plan, user=member).pinned


def test_ma_tablee_shows_companions_and_three_questions_after_publication(client, member, small, planned):
    client.force_login(member)
    plan = planned(small)
    before = client.get(f"/gatherings/{small.pk}/my-table/")
    assert before.status_code == 200 and 'data-testid="no-table"' in before.content.decode()

    plan.status = Plan.Status.PUBLISHED
    plan.save()
    response = client.get(f"/gatherings/{small.pk}/my-table/")

    html = response.content.decode()
    assert response.status_code == 200
    number = Seat.objects.get(plan=plan, user=member).table.number
    assert f"Vous êtes à la table {number}" in html
    assert html.count('data-testid="companion"') == 5
    assert html.count("<li>", html.index('data-testid="starters"')) >= 3


def test_print_page_has_one_card_per_table_and_the_seating_list(client, organizer, small, planned):
    planned(small)
    client.force_login(organizer)

    html = client.get(f"/organize/gatherings/{small.pk}/tables/print/").content.decode()

    assert 'data-testid="card-1"' in html and 'data-testid="card-2"' in html
    assert html.count("<tr>") == 1 + 12


def test_the_door_list_shows_an_organization_only_with_the_directory_consent(
    client, organizer, member, other_member, small, planned, in_directory
):
    """The whole room reads the alphabetical list at the entrance: an organization consented for
    table-mates only stays on that person's table card, off the door list."""
    from django.utils import timezone

    member.profile.tablemates_consent_at = timezone.now()  # « Coop Laval », for her table-mates only
    member.profile.save()
    other_member.profile.organization = "Atelier Saint-Roch"
    other_member.profile.save()
    in_directory(other_member)
    planned(small)
    client.force_login(organizer)

    html = client.get(f"/organize/gatherings/{small.pk}/tables/print/").content.decode()
    cards, door_list = html.split('data-testid="seating-list"')

    assert "Coop Laval" in cards and "Coop Laval" not in door_list
    assert "Atelier Saint-Roch" in door_list
    [marie_row] = [row for row in door_list.split("<tr>") if "Tremblay, Marie" in row]
    assert "<td></td>" in marie_row


def test_member_records_and_deletes_a_wish_on_the_page(client, member, other_member, association, in_directory):
    in_directory(other_member)
    client.force_login(member)

    client.post("/wishes/", {"association": association.pk, "kind": "avoid", "person": other_member.pk})

    wish = Wish.objects.get()
    assert (wish.author, wish.target, wish.kind) == (member, other_member, "avoid")
    assert other_member.get_full_name() in client.get("/wishes/").content.decode()
    client.force_login(other_member)
    assert client.post(f"/wishes/{wish.pk}/delete/").status_code == 404
    assert "Roy" not in client.get("/wishes/").content.decode().split("Mes souhaits enregistrés")[1]
    client.force_login(member)
    client.post(f"/wishes/{wish.pk}/delete/", {"confirm": "1"})
    assert not Wish.objects.exists()


def test_the_wishes_page_finds_people_by_name_without_accents_and_never_asks_an_address(
        client, member, other_member, make_person, association, in_directory):
    helene = make_person(association=association, first_name="Hélène", last_name="Côté")
    hidden = make_person(association=association, first_name="Hélène", last_name="Discrète")
    in_directory(helene)
    client.force_login(member)

    page = client.get(f"/wishes/?association={association.pk}&q=HELENE+cote").content.decode()

    assert 'type="email"' not in page and 'name="email"' not in page
    assert f'name="person" value="{helene.pk}"' in page and "Hélène Côté" in page
    assert "Discrète" not in client.get(f"/wishes/?association={association.pk}&q=helene").content.decode()
    client.post("/wishes/", {"association": association.pk, "kind": "meet", "person": hidden.pk})
    client.post("/wishes/", {"association": association.pk, "kind": "meet", "email": hidden.email})
    assert not Wish.objects.exists()
    client.post("/wishes/", {"association": association.pk, "kind": "meet", "person": helene.pk})
    assert Wish.objects.get().target == helene


def _held_tables(gathering, tables):
    """A published plan of ``gathering`` seating ``tables`` (lists of people), each confirmed and present."""
    from tablee.tables.models import PlanTable

    plan = Plan.objects.create(gathering=gathering, status=Plan.Status.PUBLISHED)
    for number, people in enumerate(tables, 1):
        table = PlanTable.objects.create(plan=plan, number=number)
        for person in people:
            Rsvp.objects.create(gathering=gathering, user=person, status=Rsvp.Status.CONFIRMED, present=True,
                                queued_at=gathering.starts_at, confirmed_at=gathering.starts_at)
            Seat.objects.create(plan=plan, table=table, user=person)
    return plan


def test_with_nothing_typed_the_wishes_page_offers_the_people_i_sat_with(client, member, other_member, make_person,
                                                                        association, make_gathering):
    stranger = make_person(association=association, first_name="Inconnue", last_name="Ailleurs")
    held = make_gathering(starts_at=timezone.now() - timedelta(days=10))
    _held_tables(held, [[member, other_member], [stranger]])
    client.force_login(member)

    page = client.get("/wishes/").content.decode()

    assert f'name="person" value="{other_member.pk}"' in page and "Samuel Roy" in page
    assert "Inconnue" not in page
    client.post("/wishes/", {"association": association.pk, "kind": "avoid", "person": other_member.pk})
    assert Wish.objects.get().target == other_member


def test_a_table_to_come_is_not_yet_a_table_shared(client, member, other_member, make_person, association,
                                                   make_gathering):
    """Seated together at a gathering not yet held, or at one where one of them did not come: not
    listed as « partagé une table »; still nameable by name, as « Ma tablée » showed the name."""
    absent = make_person(association=association, first_name="Absente", last_name="Pourtant-Assise")
    coming = make_gathering(starts_at=timezone.now() + timedelta(days=7))
    _held_tables(coming, [[member, other_member]])
    held = make_gathering(starts_at=timezone.now() - timedelta(days=10))
    _held_tables(held, [[member, absent]])
    Rsvp.objects.filter(gathering=held, user=absent).update(present=False)
    client.force_login(member)

    page = client.get("/wishes/").content.decode()
    assert "Samuel Roy" not in page and "Absente" not in page
    assert "Personnes avec qui vous avez partagé une table" not in page

    found = client.get("/wishes/", {"q": "samuel"}).content.decode()
    assert f'name="person" value="{other_member.pk}"' in found


def test_publishing_asks_first_it_emails_everyone(client, organizer, small, planned):
    from tablee.outbox.models import Email

    planned(small)
    client.force_login(organizer)
    page = client.get(f"/organize/gatherings/{small.pk}/tables/").content.decode()
    assert 'data-testid="plan-publish-confirm"' in page and "recevront leur table par courriel" in page

    client.post(f"/organize/gatherings/{small.pk}/tables/publish/")
    assert Plan.objects.get(gathering=small).status == Plan.Status.READY
    assert not Email.objects.filter(kind="plan_published").exists()

    client.post(f"/organize/gatherings/{small.pk}/tables/publish/", {"confirm": "1"})
    assert Plan.objects.get(gathering=small).status == Plan.Status.PUBLISHED


def test_the_table_email_is_signed_by_the_associations_team_like_the_other_emails(small, planned):
    from tablee.outbox.models import Email

    planned(small, publish=True)

    email = Email.objects.filter(kind="plan_published").first()
    assert "À bientôt,\nL'équipe de Café-rencontres de Québec\n" in email.body_text
    assert "\nTablée\n" not in email.body_text
    assert "À bientôt,<br>\nL'équipe de Café-rencontres de Québec</p>" in email.body_html.replace("&#x27;", "'")
