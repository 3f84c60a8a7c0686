"""tablee.members.access and tablee.gatherings.access: who sees what, who may change it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from tablee.gatherings import access as gatherings_access
from tablee.gatherings import selectors, services
from tablee.gatherings.models import Gathering
from tablee.members import access as members_access


def test_roles(member, organizer, outsider, association):
    assert members_access.is_member(member, association) and not members_access.is_organizer(member, association)
    assert members_access.is_member(organizer, association) and members_access.is_organizer(organizer, association)
    assert not members_access.is_member(outsider, association)
    assert not members_access.is_member(AnonymousUser(), association)
    assert list(members_access.associations_of(outsider)) == [outsider.memberships.get().association]
    assert not members_access.associations_of(AnonymousUser()).exists()


def test_gathering_for_member(member, outsider, organizer, make_gathering):
    open_one = make_gathering()
    draft = make_gathering(state=Gathering.State.DRAFT)

    assert gatherings_access.gathering_for_member(member, open_one.pk) == open_one
    assert gatherings_access.gathering_for_member(organizer, draft.pk) == draft
    for user, gathering_id in [(outsider, open_one.pk), (member, draft.pk), (AnonymousUser(), open_one.pk),
                               (member, 999999), (member, "abc")]:
        with pytest.raises(Http404):
            gatherings_access.gathering_for_member(user, gathering_id)


def test_gathering_for_organizer(member, outsider, organizer, gathering):
    assert gatherings_access.gathering_for_organizer(organizer, gathering.pk) == gathering
    with pytest.raises(PermissionDenied):
        gatherings_access.gathering_for_organizer(member, gathering.pk)
    with pytest.raises(Http404):
        gatherings_access.gathering_for_organizer(outsider, gathering.pk)


def test_association_for_organizer(member, outsider, organizer, association):
    assert members_access.association_for_organizer(organizer, association.slug) == association
    with pytest.raises(PermissionDenied):
        members_access.association_for_organizer(member, association.slug)
    with pytest.raises(Http404):
        members_access.association_for_organizer(outsider, association.slug)
    with pytest.raises(Http404):
        members_access.association_for_organizer(organizer, "inconnue")


def test_upcoming_and_past_show_only_my_associations_with_my_status(
    member, outsider, make_gathering, other_association
):
    soon = make_gathering(title="Bientôt")
    make_gathering(title="Brouillon", state=Gathering.State.DRAFT)
    make_gathering(title="Ailleurs", association=other_association)
    past = make_gathering(title="Passé")
    before_my_time = make_gathering(title="Avant mon arrivée")
    services.rsvp_create(gathering=soon, user=member)
    services.rsvp_create(gathering=past, user=member)
    Gathering.objects.filter(pk__in=[past.pk, before_my_time.pk]).update(starts_at=timezone.now() - timedelta(days=10))

    upcoming, past = selectors.my_gatherings(user=member)
    assert [(g.title, g.my_status, g.confirmed_count) for g in upcoming] == [("Bientôt", "confirmed", 1)]
    # Past: only where I held a seat (« Avant mon arrivée » had none of mine).
    assert [(g.title, g.my_status, g.my_present) for g in past] == [("Passé", "confirmed", None)]
    assert [g.title for g in selectors.my_gatherings(user=outsider)[0]] == ["Ailleurs"]
