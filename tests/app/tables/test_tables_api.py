"""The tables JSON API: plan, review, publish, Ma tablée, repair and wishes, for each persona."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tablee.outbox.models import Email
from tablee.tables.models import Plan, Seat, Wish

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                         "QUEUES": ["default", "email"]}}


@pytest.fixture
def small(make_person, association, member, other_member, make_breakfast):
    """Twelve confirmed people (the two personas among them) at two tables of six."""
    people = [member, other_member] + [
        make_person(association=association, password=None, email=f"s{k}@example.org", first_name=f"S{k}",
                    last_name="Membre", languages=["fr"], sector=["santé", "techno", "finance"][k % 3])
        for k in range(10)
    ]
    return make_breakfast(people, tables=2, seats=6)


@override_settings(TASKS=IMMEDIATE)
def test_organizer_requests_a_plan_that_the_worker_computes(api, organizer, small, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/gatherings/{small.pk}/plan", {"time_limit_s": 0.5}, user=organizer)

    assert response.status_code == 202, response.content
    assert response.json()["status"] == "running"
    plan = Plan.objects.get(gathering=small)
    assert plan.status == Plan.Status.READY
    data = api.get(f"/api/gatherings/{small.pk}/plan", user=organizer).json()
    assert data["status"] == "ready"
    assert sorted(len(t["members"]) for t in data["tables"]) == [6, 6]
    assert all(t["why"] for t in data["tables"])
    assert {"email", "name"} <= set(data["tables"][0]["members"][0])
    assert data["stats"]["constraints_ok"] is True
    assert "avoid_violations" not in data["stats"]


def test_members_and_outsiders_cannot_plan(api, member, outsider, small):
    assert api.post(f"/api/gatherings/{small.pk}/plan", user=member).status_code == 403
    assert api.get(f"/api/gatherings/{small.pk}/plan", user=member).status_code == 403
    assert api.post(f"/api/gatherings/{small.pk}/plan", user=outsider).status_code == 404
    assert api.post(f"/api/gatherings/{small.pk}/plan", user=None).status_code == 401
    assert not Plan.objects.exists()


def test_my_table_is_hidden_until_publication(api, organizer, member, small, planned):
    plan = planned(small)
    assert api.get(f"/api/gatherings/{small.pk}/my-table", user=member).status_code == 404

    response = api.post(f"/api/gatherings/{small.pk}/plan/publish", user=organizer)

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    mine = api.get(f"/api/gatherings/{small.pk}/my-table", user=member).json()
    seat = Seat.objects.select_related("table").get(plan=plan, user=member)
    assert mine["table"] == seat.table.number
    assert len(mine["companions"]) == 5
    assert {"name", "organization", "offers", "needs", "why"} <= set(mine["companions"][0])
    assert len(mine["conversation_starters"]) == 3


def test_publishing_queues_one_email_per_seated_person(api, organizer, small, planned):
    planned(small)

    api.post(f"/api/gatherings/{small.pk}/plan/publish", user=organizer)
    api.post(f"/api/gatherings/{small.pk}/plan/publish", user=organizer)

    emails = Email.objects.filter(kind="plan_published")
    assert emails.count() == 12
    assert len(set(emails.values_list("to", flat=True))) == 12


def test_a_published_plan_cannot_be_replaced_only_repaired(api, organizer, small, planned):
    planned(small, publish=True)

    response = api.post(f"/api/gatherings/{small.pk}/plan", user=organizer)

    assert response.status_code == 409
    assert Plan.objects.get(gathering=small).status == Plan.Status.PUBLISHED


def test_organizer_moves_swaps_and_pins_people(api, organizer, member, other_member, small, planned):
    plan = planned(small)
    home = Seat.objects.get(plan=plan, user=member).table.number
    other = 2 if home == 1 else 1

    moved = api.post(f"/api/gatherings/{small.pk}/plan/move", {"email": member.email, "table": other},
                     user=organizer).json()

    assert Seat.objects.get(plan=plan, user=member).table.number == other
    assert [w["code"] for w in moved["warnings"]] == ["size_max"]  # 7 at a table of 6 seats

    api.post(f"/api/gatherings/{small.pk}/plan/move", {"email": member.email, "table": home}, user=organizer)
    a_table = Seat.objects.get(plan=plan, user=member).table.number
    b_table = Seat.objects.get(plan=plan, user=other_member).table.number
    swapped = api.post(f"/api/gatherings/{small.pk}/plan/swap", {"a": member.email, "b": other_member.email},
                       user=organizer).json()
    assert Seat.objects.get(plan=plan, user=member).table.number == b_table
    assert Seat.objects.get(plan=plan, user=other_member).table.number == a_table
    assert swapped["warnings"] == []

    api.post(f"/api/gatherings/{small.pk}/plan/pin", {"email": member.email, "pinned": True}, user=organizer)
    assert Seat.objects.get(plan=plan, user=member).pinned


def test_wishes_are_listed_to_their_author_only(api, member, other_member, association, in_directory):
    in_directory(other_member)
    created = api.post("/api/wishes", {"association": association.slug, "kind": "avoid", "user_id": other_member.pk},
                       user=member)

    assert created.status_code == 201, created.content
    wish = Wish.objects.get()
    assert (wish.author, wish.target, wish.kind) == (member, other_member, "avoid")
    listed = api.get("/api/wishes", user=member).json()
    assert [(w["user_id"], w["name"], w["email"]) for w in listed] == [(other_member.pk, "Samuel Roy", "")]
    assert api.get("/api/wishes", user=other_member).json() == []
    assert api.delete(f"/api/wishes/{wish.pk}", user=other_member).status_code == 404
    assert Wish.objects.filter(pk=wish.pk).exists()
    assert api.delete(f"/api/wishes/{wish.pk}", user=member).status_code == 204
    assert not Wish.objects.exists()


def test_wishes_need_a_member_of_the_association(api, member, outsider, association, other_association, in_directory):
    in_directory(outsider)
    assert api.post("/api/wishes", {"association": association.slug, "kind": "meet", "user_id": outsider.pk},
                    user=member).status_code == 404
    assert api.post("/api/wishes", {"association": other_association.slug, "kind": "meet", "user_id": outsider.pk},
                    user=member).status_code == 404
    assert api.post("/api/wishes", {"association": association.slug, "kind": "meet", "email": member.email},
                    user=member).status_code == 409  # a wish is about someone else
    assert not Wish.objects.exists()


def test_an_address_answers_the_same_whether_unknown_or_of_a_member_one_may_not_name(api, member, other_member,
                                                                                    association, in_directory):
    """No oracle: typing an address never tells whether someone is a member."""
    unknown = api.post("/api/wishes", {"association": association.slug, "kind": "avoid",
                                       "email": "personne@example.org"}, user=member)
    hidden = api.post("/api/wishes", {"association": association.slug, "kind": "avoid",
                                      "email": other_member.email}, user=member)
    by_id = api.post("/api/wishes", {"association": association.slug, "kind": "avoid",
                                     "user_id": other_member.pk}, user=member)

    assert unknown.status_code == hidden.status_code == by_id.status_code == 404
    assert unknown.content == hidden.content == by_id.content
    assert not Wish.objects.exists()
    in_directory(other_member)  # once Samuel is in the directory, his address works too (older clients)
    assert api.post("/api/wishes", {"association": association.slug, "kind": "avoid",
                                    "email": other_member.email}, user=member).status_code == 201


def test_the_people_api_lists_by_name_only_those_one_may_name(api, member, other_member, make_person, association,
                                                             in_directory):
    helene = make_person(association=association, first_name="Hélène", last_name="Côté", organization="Coop H")
    make_person(association=association, first_name="Hélène", last_name="Cachée")
    in_directory(helene, other_member)

    found = api.get(f"/api/associations/{association.slug}/wishes/people?q=helene", user=member).json()

    assert found == [{"id": helene.pk, "name": "Hélène Côté", "organization": "Coop H"}]
    assert "email" not in found[0]
