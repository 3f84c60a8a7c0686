"""GET /api/me."""

from __future__ import annotations


def test_me_lists_my_associations_and_roles(api, organizer, association, other_association):
    from tablee.members.models import Membership

    Membership.objects.create(association=other_association, user=organizer)

    data = api.get("/api/me", user=organizer).json()

    assert data["email"] == "olivier@example.org"
    assert data["preferred_language"] == "fr-ca"
    assert sorted((a["slug"], a["role"]) for a in data["associations"]) == [
        ("ailleurs", "member"), ("cafe-rencontres", "organizer"),
    ]


def test_me_requires_a_token(api, db):
    assert api.get("/api/me").status_code == 401


def test_me_with_a_revoked_token_is_401(api, member, client):
    from django.utils import timezone

    from tablee.members.models import ApiToken

    raw = ApiToken.new_raw()
    ApiToken.objects.create(user=member, key_hash=ApiToken.hash(raw), revoked_at=timezone.now())

    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
