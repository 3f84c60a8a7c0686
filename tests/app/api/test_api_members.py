"""Organizers bring members in through the API: POST/GET members, POST invitations; nobody else."""

from __future__ import annotations

import pytest

from tablee.members.models import LoginLink, Membership, User
from tablee.outbox.models import Email

URL = "/api/associations/cafe-rencontres/members"


def test_an_organizer_adds_a_member_and_invites_them(api, organizer, association):
    response = api.post(URL, {"email": "Nadia@Example.org", "first_name": "Nadia", "last_name": "Roy",
                              "organization": "Coop", "languages": ["fr", "en"], "offers": ["mentorat"]},
                        user=organizer)

    assert response.status_code == 201
    nadia = User.objects.get(email="nadia@example.org")
    assert response.json() == {"id": nadia.pk, "email": "nadia@example.org", "invited": True}
    assert nadia.profile.organization == "Coop" and nadia.profile.offers == ["mentorat"]
    assert Membership.objects.get(user=nadia).association == association
    [email] = Email.objects.filter(to="nadia@example.org")
    assert email.kind == "invitation" and "Olivier Gagnon" in email.body_text
    assert LoginLink.objects.get(user=nadia).purpose == "invitation"


def test_invite_false_adds_without_an_email(api, organizer):
    response = api.post(URL, {"email": "n@example.org", "first_name": "N", "last_name": "R", "invite": False},
                        user=organizer)

    assert response.status_code == 201 and response.json()["invited"] is False
    assert not Email.objects.exists()


def test_adding_an_existing_member_is_422(api, organizer, member):
    response = api.post(URL, {"email": member.email, "first_name": "M", "last_name": "T"}, user=organizer)

    assert response.status_code == 422
    assert not Email.objects.exists()


def test_a_bad_address_is_422(api, organizer):
    response = api.post(URL, {"email": "pas-une-adresse", "first_name": "N", "last_name": "R"}, user=organizer)

    assert response.status_code == 422
    assert not User.objects.filter(email="pas-une-adresse").exists()


@pytest.mark.parametrize("who,status", [("anonymous", 401), ("member", 403), ("outsider", 403)])
def test_everyone_else_is_refused(api, who, status, request, organizer):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    body = {"email": "n@example.org", "first_name": "N", "last_name": "R"}

    assert api.post(URL, body, user=user).status_code == status
    assert api.get(URL, user=user).status_code == status
    assert api.post("/api/associations/cafe-rencontres/invitations", {"emails": []}, user=user).status_code == status
    assert not User.objects.filter(email="n@example.org").exists()


def test_a_deactivated_organizer_is_refused(api, organizer, association):
    from tablee.members.roster import membership_deactivate

    other = User.objects.create_user(email="o2@example.org", password="x-long-password-1")
    Membership.objects.create(association=association, user=other, role="organizer")
    membership_deactivate(association=association, user=organizer, by=other)

    assert api.get(URL, user=organizer).status_code == 403


def test_the_list_is_paginated_and_says_each_state(api, organizer, member, other_member, make_person, association):
    from django.utils import timezone

    from tablee.members.invitations import invitation_send

    User.objects.filter(pk=organizer.pk).update(last_login=timezone.now())
    invitation_send(association=association, user=member)

    first = api.get(URL + "?limit=2&offset=0", user=organizer).json()
    second = api.get(URL + "?limit=2&offset=2", user=organizer).json()

    assert first["count"] == 3 and first["limit"] == 2 and len(first["items"]) == 2
    rows = {row["email"]: row for row in first["items"] + second["items"]}
    assert len(rows) == 3
    assert rows["olivier@example.org"]["state"] == "active" and rows["olivier@example.org"]["role"] == "organizer"
    assert rows["marie@example.org"]["state"] == "invited" and rows["marie@example.org"]["invited_at"]
    assert rows["samuel@example.org"]["state"] == "never_invited"


def test_invitations_queue_one_per_named_member(api, organizer, member, other_member):
    response = api.post("/api/associations/cafe-rencontres/invitations",
                        {"emails": [member.email, other_member.email.upper()]}, user=organizer)

    assert response.status_code == 200 and response.json() == {"queued": 2, "declined": 0}
    assert sorted(Email.objects.values_list("to", flat=True)) == [member.email, other_member.email]


def test_invitations_refuse_an_address_that_is_not_a_member(api, organizer, member, outsider):
    response = api.post("/api/associations/cafe-rencontres/invitations",
                        {"emails": [member.email, outsider.email]}, user=organizer)

    assert response.status_code == 422
    assert outsider.email in str(response.json())
    assert not Email.objects.exists()


def test_invitations_without_emails_invite_everyone_who_never_signed_in(api, organizer, member, other_member):
    from django.utils import timezone

    User.objects.filter(pk=organizer.pk).update(last_login=timezone.now())
    response = api.post("/api/associations/cafe-rencontres/invitations", {"emails": []}, user=organizer)

    assert response.json() == {"queued": 2, "declined": 0}


def test_invitations_skip_who_declined_them_and_count_them_apart_and_the_list_says_declined(
        api, organizer, member, other_member, association):
    from django.utils import timezone

    from tablee.members.invitations import invitation_scope
    from tablee.outbox.models import Topic
    from tablee.outbox.services import optout_set

    User.objects.filter(pk=organizer.pk).update(last_login=timezone.now())
    optout_set(address=member.email, topic=Topic.INVITATIONS, scope=invitation_scope(association), refuse=True)

    response = api.post("/api/associations/cafe-rencontres/invitations", {"emails": []}, user=organizer)

    assert response.json() == {"queued": 1, "declined": 1}
    assert list(Email.objects.values_list("to", flat=True)) == [other_member.email]
    rows = {r["email"]: r for r in api.get("/api/associations/cafe-rencontres/members", user=organizer).json()["items"]}
    assert rows[member.email]["state"] == "declined" and rows[other_member.email]["state"] == "invited"
