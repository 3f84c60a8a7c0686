"""Nobody is left without a seat silently. When a late RSVP (or a change) cannot be seated by the
repair (it would break a rule and waits for the organizer, or the repair failed, or the plan was
computed before they confirmed), the plan page names who has no seat and says what to do; the
member is never told they have a table: Ma tablée and their confirmation say their table is coming.
A repair that seats or moves people before the gathering tells each of them their new table."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from tablee.gatherings.models import Rsvp
from tablee.gatherings.services import rsvp_create
from tablee.outbox.models import Email
from tablee.tables import services
from tablee.tables.models import Plan, Seat


def _seats(plan) -> dict[int, int]:
    return dict(Seat.objects.filter(plan=plan).values_list("user_id", "table__number"))


@pytest.fixture
def pending(crowd, make_breakfast, planned):
    """A published plan for 12 people and a late RSVP the repair cannot seat without putting her with
    people she met at the only past table: the repair waits for the organizer."""
    people, late = crowd[:12], crowd[12]
    past = make_breakfast([*people, late], days=-14, tables=1, seats=13, title="Déjeuner passé")
    Plan.objects.filter(pk=planned(past).pk).update(status=Plan.Status.PUBLISHED,
                                                    published_at=timezone.now() - timedelta(days=14))
    gathering = make_breakfast(people, tables=2, seats=7)
    plan = planned(gathering, publish=True)
    Email.objects.all().delete()
    rsvp_create(gathering=gathering, user=late)
    assert services.plan_repair_after_rsvp(gathering=gathering) == "proposed: repeat"
    return gathering, plan, late


def test_the_plan_page_names_who_has_no_seat_and_offers_to_accept_the_repair(client, organizer, pending):
    gathering, plan, late = pending
    client.force_login(organizer)

    page = client.get(f"/organize/gatherings/{gathering.pk}/tables/").content.decode().replace("&#x27;", "'")

    section = page.split('data-testid="plan-unseated"')[1].split("</section>")[0]
    assert "Prénom12 Nom12" in section
    assert "13\u00a0personnes confirmées, 12\u00a0assises" in section
    assert "déjà rencontrées" in section  # why the repair waits, said plainly
    assert 'data-testid="plan-repair-accept"' in section
    stats = page.split('data-testid="plan-stats"')[1].split("</dl>")[0]
    assert "toutes respectées" not in stats and "à vérifier" in stats


def test_accepting_the_repair_on_the_page_seats_her_and_tells_her_her_table(client, organizer, pending):
    gathering, plan, late = pending
    client.force_login(organizer)

    response = client.post(f"/organize/gatherings/{gathering.pk}/tables/repair/accept/", follow=True)

    assert late.pk in _seats(plan)
    page = response.content.decode()
    assert 'data-testid="plan-unseated"' not in page
    told = Email.objects.get(kind="plan_published", to=late.email)
    assert f"table {_seats(plan)[late.pk]}" in told.subject


def test_while_she_has_no_seat_she_is_not_told_she_has_a_table(client, pending):
    gathering, plan, late = pending
    client.force_login(late)

    response = client.get(f"/gatherings/{gathering.pk}/my-table/")

    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200 and 'data-testid="my-table-number"' not in page
    assert "votre table ne vous est pas encore attribuée" in page
    confirmation = Email.objects.get(kind="rsvp_confirmed", to=late.email)
    assert "Les tables sont déjà publiées" in confirmation.body_text
    assert "votre table vous arrive dans un courriel à part" in confirmation.body_html.replace("&#x27;", "'")
    assert not Email.objects.filter(kind="plan_published", to=late.email).exists()


def test_my_table_answers_200_while_she_awaits_her_seat_and_the_api_keeps_its_404(api, client, pending):
    gathering, plan, late = pending
    client.force_login(late)

    page = client.get(f"/gatherings/{gathering.pk}/my-table/")

    assert page.status_code == 200 and 'data-testid="awaiting-table"' in page.content.decode()
    assert api.get(f"/api/gatherings/{gathering.pk}/my-table", user=late).status_code == 404


def test_her_confirmation_never_says_a_place_waits_at_a_table_she_has_not_got(pending):
    gathering, plan, late = pending

    confirmation = Email.objects.get(kind="rsvp_confirmed", to=late.email)

    for body in (confirmation.body_text, confirmation.body_html):
        body = body.replace("\u00a0", " ").replace("&#x27;", "'")
        assert "C'est confirmé : votre place est réservée." in body
        assert "Les tables sont déjà publiées : votre table vous arrive dans un courriel à part." in body
        assert "vous attend à la table" not in body


@pytest.mark.parametrize("language, says, never", [
    ("fr-ca", "votre table vous arrive dans un courriel à part", "pas encore attribuée"),
    ("en", "your table comes in a separate email", "not assigned yet"),
])
def test_a_late_sign_up_is_not_told_she_has_no_table_while_her_table_email_leaves_the_same_second(
    crowd, make_breakfast, planned, language, says, never
):
    gathering = make_breakfast(crowd[:12], tables=2, seats=7)
    plan = planned(gathering, publish=True)
    late = crowd[12]
    late.profile.preferred_language = language
    late.profile.save()

    rsvp_create(gathering=gathering, user=late)
    assert services.plan_repair_after_rsvp(gathering=gathering).startswith("repaired")

    assert late.pk in _seats(plan)
    confirmation = Email.objects.get(kind="rsvp_confirmed", to=late.email)
    for body in (confirmation.body_text, confirmation.body_html):
        body = body.replace("\u00a0", " ").replace("&#x27;", "'").replace("&#39;", "'")
        assert says in body and never not in body


def test_a_repair_that_fails_in_the_worker_leaves_her_named_on_the_plan_page(
    client, organizer, crowd, make_breakfast, planned
):
    gathering = make_breakfast(crowd[:12], tables=3, seats=6)
    planned(gathering, publish=True)
    late = crowd[12]
    rsvp_create(gathering=gathering, user=late)

    with mock.patch("tablee.engine.repair", side_effect=ValueError("cannot repair the round")):
        outcome = services.plan_repair_after_rsvp(gathering=gathering)

    assert outcome.startswith("failed: ")
    client.force_login(organizer)
    page = client.get(f"/organize/gatherings/{gathering.pk}/tables/").content.decode()
    section = page.split('data-testid="plan-unseated"')[1].split("</section>")[0]
    assert "Prénom12 Nom12" in section and 'data-testid="unseated-repair"' in section


def test_a_plan_computed_before_a_confirmation_names_her_before_it_is_published(
    client, api, organizer, crowd, make_breakfast, planned
):
    gathering = make_breakfast(crowd[:12], tables=3, seats=6)
    planned(gathering)
    late = crowd[12]
    rsvp_create(gathering=gathering, user=late)
    client.force_login(organizer)

    page = client.get(f"/organize/gatherings/{gathering.pk}/tables/").content.decode()

    section = page.split('data-testid="plan-unseated"')[1].split("</section>")[0]
    assert "Prénom12 Nom12" in section and 'data-testid="unseated-plan-request"' in section
    data = api.get(f"/api/gatherings/{gathering.pk}/plan", user=organizer).json()
    assert data["unseated"] == [{"email": late.email, "name": "Prénom12 Nom12", "pinned": False, "moved": False}]


def test_nobody_is_listed_without_a_seat_when_everyone_has_one(client, api, organizer, crowd, make_breakfast,
                                                                 planned):
    gathering = make_breakfast(crowd[:12], tables=2, seats=6)
    planned(gathering, publish=True)
    Rsvp.objects.filter(gathering=gathering, user=crowd[0]).update(present=False)  # absent: needs no seat
    client.force_login(organizer)

    page = client.get(f"/organize/gatherings/{gathering.pk}/tables/").content.decode()

    assert 'data-testid="plan-unseated"' not in page
    assert api.get(f"/api/gatherings/{gathering.pk}/plan", user=organizer).json()["unseated"] == []


def test_a_repair_on_the_page_before_the_gathering_tells_those_it_seats_their_table(
    client, organizer, crowd, make_breakfast, planned
):
    gathering = make_breakfast(crowd[:12], tables=2, seats=6)
    plan = planned(gathering, publish=True)
    late = crowd[12]
    Rsvp.objects.create(gathering=gathering, user=late, status=Rsvp.Status.CONFIRMED, queued_at=timezone.now(),
                        confirmed_at=timezone.now())  # no signal: the organizer repairs by hand
    Email.objects.all().delete()
    client.force_login(organizer)

    client.post(f"/organize/gatherings/{gathering.pk}/tables/repair/")

    seats = _seats(plan)
    assert late.pk in seats
    told = Email.objects.filter(kind="plan_published")
    assert late.email in set(told.values_list("to", flat=True))
    moved = set(Seat.objects.filter(plan=plan, moved=True).values_list("user__email", flat=True))
    assert set(told.values_list("to", flat=True)) == moved


def test_at_the_door_a_walk_in_s_row_says_no_table_until_the_repair_seats_them(
    client, organizer, crowd, make_breakfast, planned
):
    from tablee.gatherings.services import walkin_add

    gathering = make_breakfast(crowd[:12], tables=2, seats=6, at_the_door=True)
    plan = planned(gathering, publish=True)
    walkin_add(gathering=gathering, user=crowd[12])
    client.force_login(organizer)
    checkin = f"/organize/gatherings/{gathering.pk}/checkin/"

    before = client.get(checkin).content.decode()
    services.plan_repair(gathering=gathering)
    after = client.get(checkin).content.decode()

    assert f'data-testid="no-table-{crowd[12].pk}">sans table<' in before
    assert f'data-testid="no-table-{crowd[0].pk}"' not in before
    assert "sans table" not in after
    assert f'data-testid="table-{crowd[12].pk}">Table {_seats(plan)[crowd[12].pk]}<' in after
