"""While a published plan is redone (a draft until published again), members still see the table
they were told, on the same consent rules as ever, with a notice that the plan is being revised;
never the draft's seats or lines. Someone told no table, or who cancelled, sees what they saw."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tablee.gatherings.models import Rsvp
from tablee.outbox.models import Email
from tablee.tables import selectors, services
from tablee.tables.models import Plan, PlanTable, Seat

QUICK = 0.5
NOTICE = {"fr-ca": "L'équipe d'organisation révise le plan de tables.",
          "en": "The organizing team is revising the seating plan."}


@pytest.fixture
def published(crowd, make_breakfast, planned):
    gathering = make_breakfast(crowd[:18], tables=3, seats=7)
    plan = planned(gathering, publish=True)
    Email.objects.all().delete()
    return gathering, plan


def _told(plan) -> dict[int, int]:
    return dict(Seat.objects.filter(plan=plan).values_list("user_id", "table__number"))


def _mates(told: dict[int, int], person) -> set[str]:
    from tablee.members.models import User

    ids = [uid for uid, number in told.items() if number == told[person.pk] and uid != person.pk]
    return {u.get_full_name() for u in User.objects.filter(pk__in=ids)}


def _redo(plan, *, compute: bool) -> Plan:
    plan = services.plan_redo(plan=plan, time_limit_s=QUICK)
    return services.plan_run(plan=plan) if compute else plan


def _cancel(gathering, user) -> None:
    Rsvp.objects.filter(gathering=gathering, user=user).update(status=Rsvp.Status.CANCELLED)


def _page(client, user, gathering, language="fr-ca") -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("tables:my_table", args=[gathering.pk])).content.decode()
    return page.replace("&#x27;", "'").replace("\u00a0", " ")


@pytest.mark.parametrize("language, number", [("fr-ca", "Vous êtes à la table {}"), ("en", "You are at table {}")])
def test_during_a_redo_a_member_still_sees_the_table_she_was_told_with_a_revising_notice(
    client, crowd, published, language, number
):
    gathering, plan = published
    person = crowd[0]
    told = _told(plan)
    _redo(plan, compute=False)  # handed to the worker: status running

    page = _page(client, person, gathering, language)

    assert 'data-testid="my-table-revising"' in page and NOTICE[language] in page
    assert number.format(told[person.pk]) in page
    for name in _mates(told, person):
        assert name in page


def test_once_the_draft_is_computed_she_still_sees_her_told_table_and_mates_not_the_drafts(crowd, published):
    gathering, plan = published
    person = crowd[0]
    told = _told(plan)
    plan = _redo(plan, compute=True)
    assert plan.status == Plan.Status.READY
    draft = next(n for n in (1, 2, 3) if n != told[person.pk])
    services.plan_move(plan=plan, user=person, to_table=draft)  # the organizer moves her in the draft

    mine = selectors.my_table(gathering=gathering, user=person)

    assert (mine["table"], mine["revising"], mine["why"]) == (told[person.pk], True, [])
    assert {c["name"] for c in mine["companions"]} == _mates(told, person)


def test_during_a_redo_table_mates_show_exactly_what_the_published_table_showed(crowd, published):
    """The same consent rules: one consents to show offers and needs to table-mates, the others do not."""
    gathering, plan = published
    person = crowd[0]
    told = _told(plan)
    consenting = next(u for u in crowd[:18] if u.pk != person.pk and told[u.pk] == told[person.pk])
    consenting.profile.tablemates_consent_at = timezone.now()
    consenting.profile.save()
    before = selectors.my_table(gathering=gathering, user=person)
    assert any(c["offers"] for c in before["companions"]) and not all(c["offers"] for c in before["companions"])

    _redo(plan, compute=True)
    during = selectors.my_table(gathering=gathering, user=person)

    assert sorted(during["companions"], key=lambda c: c["name"]) == sorted(before["companions"],
                                                                           key=lambda c: c["name"])
    assert during["conversation_starters"] == before["conversation_starters"]


def test_the_api_answers_the_told_table_with_revising_during_a_redo_and_the_new_one_once_published(
    api, crowd, published
):
    gathering, plan = published
    person = crowd[0]
    told = _told(plan)
    path = f"/api/gatherings/{gathering.pk}/my-table"
    assert api.get(path, user=person).json()["revising"] is False
    plan = _redo(plan, compute=True)

    during = api.get(path, user=person)
    services.plan_publish(plan=plan)
    after = api.get(path, user=person).json()

    assert during.status_code == 200
    data = during.json()
    assert set(data) == {"table", "why", "companions", "conversation_starters", "revising"}
    assert (data["table"], data["revising"], data["why"]) == (told[person.pk], True, [])
    assert {c["name"] for c in data["companions"]} == _mates(told, person)
    assert (after["table"], after["revising"]) == (_told(plan)[person.pk], False)


def test_during_a_redo_the_drafts_lines_never_reach_a_member(api, crowd, published):
    gathering, plan = published
    person = crowd[0]
    plan = _redo(plan, compute=True)
    secret = "ligne du brouillon"
    PlanTable.objects.filter(plan=plan).update(why_fr=[secret], why_en=[secret], why_own={
        str(person.pk): {"fr": [secret], "en": [secret]}})

    response = api.get(f"/api/gatherings/{gathering.pk}/my-table", user=person)

    assert response.status_code == 200 and secret not in response.content.decode()


def test_a_table_mate_who_cancelled_during_the_redo_is_no_longer_listed(crowd, published):
    gathering, plan = published
    person = crowd[0]
    told = _told(plan)
    gone = next(u for u in crowd[:18] if u.pk != person.pk and told[u.pk] == told[person.pk])
    _redo(plan, compute=False)

    _cancel(gathering, gone)
    names = {c["name"] for c in selectors.my_table(gathering=gathering, user=person)["companions"]}

    assert gone.get_full_name() not in names
    assert names == _mates(told, person) - {gone.get_full_name()}


def test_a_member_who_cancelled_during_the_redo_sees_no_table(api, client, crowd, published):
    gathering, plan = published
    person = crowd[0]
    _redo(plan, compute=True)
    _cancel(gathering, person)

    page = _page(client, person, gathering)

    assert api.get(f"/api/gatherings/{gathering.pk}/my-table", user=person).status_code == 404
    assert 'data-testid="my-table-number"' not in page and 'data-testid="my-table-revising"' not in page


def test_a_late_sign_up_told_no_table_sees_the_no_table_yet_state_during_a_redo(api, client, crowd, published):
    gathering, plan = published
    late = crowd[18]
    now = timezone.now()
    Rsvp.objects.create(gathering=gathering, user=late, status=Rsvp.Status.CONFIRMED, queued_at=now,
                        confirmed_at=now)
    plan = _redo(plan, compute=True)
    assert Seat.objects.filter(plan=plan, user=late).exists()  # seated in the draft, not told yet

    page = _page(client, late, gathering)

    assert api.get(f"/api/gatherings/{gathering.pk}/my-table", user=late).status_code == 404
    assert 'data-testid="no-table"' in page and 'data-testid="my-table-number"' not in page


def test_the_redone_draft_tells_the_organizer_that_members_see_their_told_table(client, organizer, published):
    gathering, plan = published
    _redo(plan, compute=True)
    client.force_login(organizer)

    page = client.get(reverse("tables:plan", args=[gathering.pk])).content.decode()

    page = page.replace("&#x27;", "'").replace("\u00a0", " ")
    assert 'data-testid="plan-redone"' in page
    assert "les membres voient la table qui leur a été annoncée" in page


def test_a_redo_the_gathering_never_republished_still_shows_the_told_table_once_it_began(crowd, published):
    gathering, plan = published
    person = crowd[0]
    told = _told(plan)
    _redo(plan, compute=True)
    type(gathering).objects.filter(pk=gathering.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    gathering.refresh_from_db()

    mine = selectors.my_table(gathering=gathering, user=person)

    assert (mine["table"], mine["revising"]) == (told[person.pk], True)


def test_the_intention_page_shows_the_told_table_with_a_revising_notice_during_a_redo(client, crowd, published):
    gathering, plan = published
    person = crowd[0]
    told = _told(plan)
    client.force_login(person)
    before = client.get(reverse("journey:intention_new") + f"?gathering={gathering.pk}").content.decode()
    _redo(plan, compute=True)

    page = client.get(reverse("journey:intention_new") + f"?gathering={gathering.pk}").content.decode()

    assert 'data-testid="my-table-revising"' not in before
    assert 'data-testid="my-table-revising"' in page and f"(table {told[person.pk]})" in page
