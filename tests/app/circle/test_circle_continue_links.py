"""A mutual « poursuivre la conversation » is acted on in the app: the cards page and the gathering's hub
link the writing page, for its two people only."""

from __future__ import annotations

import pytest

from tablee.circle import services


@pytest.fixture
def mutual(member, other_member, past_gathering, table_mates):
    services.continue_wish_create(author=member, gathering=past_gathering, target_id=other_member.pk)
    assert services.continue_wish_create(author=other_member, gathering=past_gathering, target_id=member.pk)
    return past_gathering


def test_the_cards_page_links_each_mutual_wish_to_its_writing_page(client, member, other_member, mutual):
    client.force_login(member)

    page = client.get(f"/gatherings/{mutual.pk}/cards/").content.decode()

    assert f'href="/gatherings/{mutual.pk}/continue/{other_member.pk}/"' in page
    assert "Écrire à Samuel" in page


def test_the_hub_after_the_gathering_links_each_mutual_wish(client, member, other_member, mutual):
    client.force_login(member)

    page = client.get(f"/gatherings/{mutual.pk}/").content.decode()

    assert 'data-testid="hub-mutual"' in page
    assert f'href="/gatherings/{mutual.pk}/continue/{other_member.pk}/"' in page


def test_the_other_person_sees_her_own_link_to_me(client, member, other_member, mutual):
    client.force_login(other_member)

    page = client.get(f"/gatherings/{mutual.pk}/").content.decode()

    assert f'href="/gatherings/{mutual.pk}/continue/{member.pk}/"' in page


@pytest.mark.parametrize("who", ["organizer", "table_mate"])
def test_the_mutual_wish_stays_private_from_organizers_and_table_mates(client, request, member, other_member,
                                                                      table_mates, mutual, who):
    viewer = request.getfixturevalue("organizer") if who == "organizer" else table_mates[2]
    client.force_login(viewer)

    for path in (f"/gatherings/{mutual.pk}/", f"/gatherings/{mutual.pk}/cards/"):
        page = client.get(path).content.decode()
        assert "/continue/" not in page and 'data-testid="hub-mutual"' not in page
    assert client.get(f"/gatherings/{mutual.pk}/continue/{other_member.pk}/").status_code == 404


def test_a_one_sided_wish_shows_no_link(client, member, other_member, past_gathering, table_mates):
    services.continue_wish_create(author=member, gathering=past_gathering, target_id=other_member.pk)
    client.force_login(member)

    assert "/continue/" not in client.get(f"/gatherings/{past_gathering.pk}/").content.decode()
