"""Lists that can grow answer a page at a time: limit/offset, a maximum, the total and the next page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def contacts(member):
    from tablee.circle.models import Contact

    return [Contact.objects.create(owner=member, name=f"Contact {i:02d}", email=f"c{i}@example.org") for i in range(7)]


def test_contacts_api_pages_through_with_total_and_next_link(api, member, contacts):
    first = api.get("/api/contacts?limit=3", user=member)
    assert first.status_code == 200
    assert [c["name"] for c in first.json()] == ["Contact 00", "Contact 01", "Contact 02"]
    assert first["X-Total-Count"] == "7"
    assert 'rel="next"' in first["Link"] and "offset=3" in first["Link"] and "limit=3" in first["Link"]
    last = api.get("/api/contacts?limit=3&offset=6", user=member)
    assert [c["name"] for c in last.json()] == ["Contact 06"]
    assert "Link" not in last


def test_contacts_api_default_is_a_plain_list_and_the_maximum_is_enforced(api, member, contacts):
    default = api.get("/api/contacts", user=member)
    assert isinstance(default.json(), list) and len(default.json()) == 7
    assert api.get("/api/contacts?limit=100000", user=member).status_code == 422
    assert api.get("/api/contacts?offset=-1", user=member).status_code == 422


def test_contacts_api_never_shows_another_members_contacts_on_any_page(api, member, other_member, contacts):
    response = api.get("/api/contacts?limit=1000", user=other_member)
    assert response.json() == [] and response["X-Total-Count"] == "0"


def test_followups_api_lists_to_do_first_then_done_paginated(api, member, contacts):
    from tablee.circle.models import FollowUp

    today = timezone.localdate()
    done = FollowUp.objects.create(owner=member, contact=contacts[0], due_on=today, status=FollowUp.Status.DISMISSED)
    late = FollowUp.objects.create(owner=member, contact=contacts[1], due_on=today + timedelta(days=5))
    soon = FollowUp.objects.create(owner=member, contact=contacts[2], due_on=today + timedelta(days=1))
    ids = [f["id"] for f in api.get("/api/followups", user=member).json()]
    assert ids == [soon.pk, late.pk, done.pk]
    page = api.get("/api/followups?limit=1&offset=1", user=member)
    assert [f["id"] for f in page.json()] == [late.pk] and page["X-Total-Count"] == "3"


def test_attendees_api_answers_everyone_by_default_and_pages_on_request(api, organizer, make_person, association,
                                                                      make_gathering):
    from tablee.gatherings.services import rsvp_create

    gathering = make_gathering(tables=1, seats_per_table=4)
    for i in range(6):
        rsvp_create(gathering=gathering, user=make_person(association=association, email=f"a{i}@example.org"))
    everyone = api.get(f"/api/gatherings/{gathering.pk}/attendees", user=organizer).json()
    assert len(everyone) == 6 and [a["status"] for a in everyone].count("confirmed") == 4
    page = api.get(f"/api/gatherings/{gathering.pk}/attendees?limit=2&offset=4", user=organizer)
    assert [a["waitlist_position"] for a in page.json()] == [1, 2]
    assert page["X-Total-Count"] == "6"


def test_gatherings_api_is_paginated(api, member, make_gathering):
    for i in range(4):
        make_gathering(title=f"Déjeuner {i}", starts_at=timezone.now() + timedelta(days=2 + i))
    page = api.get("/api/associations/cafe-rencontres/gatherings?limit=3", user=member)
    assert [g["title"] for g in page.json()] == ["Déjeuner 0", "Déjeuner 1", "Déjeuner 2"]
    assert page["X-Total-Count"] == "4"


def test_circle_page_shows_contacts_a_page_at_a_time(client, member, contacts):
    client.force_login(member)
    first = client.get("/circle/?limit=3").content.decode()
    assert "Contact 02" in first and "Contact 03" not in first
    assert 'data-testid="contacts-pages"' in first and "offset=3" in first
    last = client.get("/circle/?limit=3&offset=6").content.decode()
    assert "Contact 06" in last and "Contact 05" not in last
    assert client.get("/circle/?limit=abc&offset=-4").status_code == 200  # a page never fails on its query string


def test_followups_page_pages_the_queue(client, member, contacts):
    from tablee.circle.models import FollowUp

    for i, contact in enumerate(contacts):
        FollowUp.objects.create(owner=member, contact=contact, due_on=timezone.localdate() + timedelta(days=i))
    client.force_login(member)
    page = client.get("/followups/?limit=2&offset=2").content.decode()
    assert "Contact 02" in page and "Contact 01" not in page and "Contact 04" not in page
    assert 'data-testid="followups-pages"' in page


def test_wishes_api_pages_through_my_own_wishes_only(api, member, other_member, association, make_person,
                                                    in_directory):
    targets = [make_person(association=association, email=f"w{i}@example.org") for i in range(3)]
    in_directory(*targets)
    for target in targets:
        assert api.post("/api/wishes", {"association": association.slug, "kind": "meet", "user_id": target.pk},
                        user=member).status_code == 201
    page = api.get("/api/wishes?limit=2&offset=2", user=member)
    assert [w["user_id"] for w in page.json()] == [targets[0].pk]  # latest first
    assert page["X-Total-Count"] == "3" and "Link" not in page
    assert api.get("/api/wishes?limit=2", user=member)["X-Total-Count"] == "3"
    assert api.get("/api/wishes", user=other_member)["X-Total-Count"] == "0"
