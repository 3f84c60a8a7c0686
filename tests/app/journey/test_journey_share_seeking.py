"""Who seeks whom (`tablee.text.share_rank.seeking`, session 9): a text in which someone seeks something
goes to the contact who is or provides what is sought, not to the one like the seeker. Off in the app
(``SEEKING_WEIGHT`` = 0: it did not carry to the held-out sets); these tests switch it on."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tablee.journey import selectors
from tablee.text import share_rank


@pytest.fixture
def seeking_on(monkeypatch):
    monkeypatch.setattr(share_rank, "SEEKING_WEIGHT", 1.0)


def test_a_text_is_cut_at_its_seeking_verb_in_both_languages(seeking_on):
    assert share_rank.seeking("Une ferme de Mirabel cherche des restaurants qui achètent local.") == (
        "Une ferme de Mirabel", "des restaurants qui achètent local.")
    assert share_rank.seeking("A garment factory is looking for someone to take its scraps.") == (
        "A garment factory", "someone to take its scraps.")


def test_a_relative_clause_or_a_text_with_no_seeker_is_not_cut(seeking_on):
    # « qui cherchent » says whom the text is for; "Looking for …" names no seeker.
    assert share_rank.seeking("Un guide pour les entreprises qui cherchent des employés.") is None
    assert share_rank.seeking("Looking for a notary in Trois-Rivières") is None
    assert share_rank.seeking("Un nouveau fonds de démarrage ouvre ses portes.") is None


def test_nothing_is_cut_while_the_weight_is_off():
    assert share_rank.seeking("Une ferme de Mirabel cherche des restaurants.") is None


def test_offers_are_read_only_with_directory_consent(member, make_person):
    from tablee.circle import vectors
    from tablee.circle.models import Contact

    shared = make_person(email="offre@example.org", offers=["bureaux à louer"], directory_consent_at=timezone.now())
    private = make_person(email="discrete@example.org", offers=["bureaux à louer"])
    seen = Contact.objects.create(owner=member, user=shared, name="Léa Offre", email=shared.email)
    unseen = Contact.objects.create(owner=member, user=private, name="Zoé Discrète", email=private.email)
    assert vectors.contact_texts(seen)["offers"] == ["bureaux à louer"]
    assert vectors.contact_texts(unseen)["offers"] == []


@pytest.fixture
def two_sides(member, make_person):
    """A farm looking for restaurants, and a restaurant that buys local produce (both consenting)."""
    from tablee.circle.models import Contact

    now = timezone.now()
    farm = make_person(email="ferme@example.org", organization="Ferme Lavoie", sector="agriculture maraîchère",
                       needs=["restaurants qui achètent local"], directory_consent_at=now)
    bistro = make_person(email="bistro@example.org", organization="Bistro du Marché", sector="restauration",
                         needs=["personnel de cuisine"], offers=["achats réguliers de légumes locaux"],
                         directory_consent_at=now)
    Contact.objects.create(owner=member, user=farm, name="Luc Lavoie", email=farm.email,
                           organization="Ferme Lavoie", position="maraîcher")
    Contact.objects.create(owner=member, user=bistro, name="Dan Marché", email=bistro.email,
                           organization="Bistro du Marché", position="chef propriétaire")


TEXT = "Une ferme maraîchère de la Montérégie cherche des restaurants prêts à acheter ses légumes tout l'hiver."


def test_a_seeking_text_goes_to_who_provides_what_is_sought(member, two_sides, seeking_on):
    [first, *_rest] = selectors.share_suggestions(owner=member, text=TEXT)
    assert first.contact.name == "Dan Marché"


def test_without_the_split_the_text_goes_to_the_contact_like_the_seeker(member, two_sides):
    # The control: the ranking the split corrects (the text reads like a description of the farm).
    [first, *_rest] = selectors.share_suggestions(owner=member, text=TEXT)
    assert first.contact.name == "Luc Lavoie"
