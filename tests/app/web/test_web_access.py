"""Who can see what: members see their association's pages, outsiders get 404, members 403 on organizer pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

MEMBER_PAGES = ["gatherings:detail", "gatherings:calendar"]
ORGANIZER_PAGES = [
    "organizer:attendees", "organizer:attendees_csv", "organizer:checkin", "organizer:gathering_edit",
]  # fmt: skip


@pytest.mark.parametrize("name", ["gatherings:mine", "profile"])
def test_anonymous_is_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_is_sent_to_sign_in_for_a_gathering(client, gathering):
    response = client.get(reverse("gatherings:detail", args=[gathering.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_member_sees_their_association_gathering(login, member, gathering, name):
    assert login(member).get(reverse(name, args=[gathering.pk])).status_code == 200


@pytest.mark.parametrize("name", MEMBER_PAGES + ORGANIZER_PAGES)
def test_outsider_gets_404_on_another_association_gathering(login, outsider, gathering, name):
    assert login(outsider).get(reverse(name, args=[gathering.pk])).status_code == 404


def test_outsider_cannot_rsvp_to_another_association_gathering(login, outsider, gathering):
    response = login(outsider).post(reverse("gatherings:rsvp", args=[gathering.pk]))
    assert response.status_code == 404
    assert not gathering.rsvps.exists()


@pytest.mark.parametrize("name", ORGANIZER_PAGES)
def test_member_gets_403_on_organizer_pages(login, member, gathering, name):
    assert login(member).get(reverse(name, args=[gathering.pk])).status_code == 403


@pytest.mark.parametrize("name", ORGANIZER_PAGES)
def test_organizer_sees_organizer_pages(login, organizer, gathering, name):
    assert login(organizer).get(reverse(name, args=[gathering.pk])).status_code == 200


@pytest.mark.parametrize("name", ["organizer:association", "organizer:gathering_new", "organizer:series_new"])
def test_association_pages_are_for_its_organizers(login, member, organizer, outsider, association, name):
    url = reverse(name, args=[association.slug])
    assert login(outsider).get(url).status_code == 404
    assert login(member).get(url).status_code == 403
    assert login(organizer).get(url).status_code == 200


def test_draft_is_hidden_from_members_but_shown_to_organizers(login, member, organizer, make_gathering):
    draft = make_gathering(state="draft", title="Brouillon secret")
    url = reverse("gatherings:detail", args=[draft.pk])
    assert login(member).get(url).status_code == 404
    assert login(organizer).get(url).status_code == 200


def test_member_cannot_mark_someone_present(login, member, other_member, gathering):
    from tablee.gatherings.services import rsvp_create

    rsvp = rsvp_create(gathering=gathering, user=other_member)
    url = reverse("organizer:checkin_person", args=[gathering.pk, other_member.pk])
    assert login(member).post(url, {"present": "1"}).status_code == 403
    rsvp.refresh_from_db()
    assert rsvp.present is None


def test_my_gatherings_lists_only_my_associations(login, member, make_gathering, other_association):
    make_gathering(title="Déjeuner des membres")
    make_gathering(association=other_association, title="Déjeuner d'ailleurs")
    page = login(member).get(reverse("gatherings:mine")).content.decode()
    assert "Déjeuner des membres" in page
    assert "Déjeuner d&#x27;ailleurs" not in page and "Déjeuner d'ailleurs" not in page


def test_my_gatherings_explains_when_there_is_nothing(login, member):
    page = login(member).get(reverse("gatherings:mine")).content.decode()
    assert "Aucune rencontre à venir" in page
