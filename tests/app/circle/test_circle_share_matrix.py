"""The cached float32 matrix of a member's circle (issue 13, share at scale): same answers as the
uncached path, rebuilt when the circle changes, bounded in memory, one member's rows only."""

from __future__ import annotations

import numpy as np
import pytest

from tablee.circle import matrix, vectors
from tablee.circle.models import Card, Contact, Note
from tablee.circle.services import contact_create, contact_update, note_add
from tablee.journey import selectors
from tablee.text import embeddings

TEXTS = [
    "Un nouveau fonds aide les jeunes pousses à trouver du financement d'amorçage",
    "Hiring senior data engineers in Québec City is getting harder",
    "Le vélo d'hiver gagne du terrain à Limoilou",
    "How to write a shareholder agreement when two partners start a business",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    matrix.forget()
    yield
    matrix.forget()


@pytest.fixture
def circle(member, make_person):
    from django.utils import timezone

    people = [
        ("Sam Rivers", "Rivers Labs", "founder", ["seed funding"], ["chess"], "Looking for seed funding"),
        ("Lou Piste", "Coop Plein Air", "", [], [], "Fait du ski de fond chaque fin de semaine"),
        ("David Chen", "Northwind Analytics", "CTO", ["hiring data engineers"], ["jazz"], ""),
        ("Emily Watson", "Watson Legal", "lawyer", [], [], "Business lawyer, shareholder agreements"),
        ("Julie Vélo", "Atelier Vélo", "", ["local plus grand"], ["vélo d'hiver"], ""),
    ]
    for k, (name, organization, position, needs, interests, note) in enumerate(people):
        user = None
        if needs or interests:
            user = make_person(email=f"p{k}@example.org", password=None, needs=needs, interests=interests,
                               directory_consent_at=timezone.now())
        contact = Contact.objects.create(owner=member, user=user, name=name, organization=organization,
                                         position=position)
        if note:
            Note.objects.create(owner=member, contact=contact, text=note)
    Card.objects.create(owner=member, contact=Contact.objects.get(name="Lou Piste"), note="Parle de randonnée")


def _answer(suggestions):
    return [(s.contact.pk, s.score, s.why, s.note) for s in suggestions]


def test_the_cached_matrix_gives_the_same_suggestions_as_a_fresh_build(member, circle):
    for text in TEXTS:
        cached = selectors.share_suggestions(owner=member, text=text, limit=5)
        fresh = selectors.rank_circle(owner=member, text=text, circle=matrix.build(member.pk), limit=5)
        assert cached and _answer(cached) == _answer(fresh)
    assert matrix.for_owner(member.pk) is matrix.for_owner(member.pk)  # built once, then reused


def test_the_matrix_features_match_each_contact_scored_alone(member, circle):
    built = matrix.build(member.pk)
    for text in TEXTS:
        query = embeddings.encode_one(text)
        found = built.features(query)
        for k, pk in enumerate(built.contact_ids.tolist()):
            contact = Contact.objects.select_related("user__profile").get(pk=pk)
            rows = vectors.contact_rows(contact, save=False)
            mine = [vectors.text_row(r, save=False) @ query for r in
                    [*Note.objects.filter(contact=contact), *Card.objects.filter(contact=contact).exclude(note="")]]
            assert found["document"][k] == pytest.approx(float(rows[0] @ query), abs=1e-5)
            assert found["phrase"][k] == pytest.approx(float((rows[1:] @ query).max()) if len(rows) > 1 else 0.0,
                                                       abs=1e-5)
            assert found["notes"][k] == pytest.approx(float(max(mine)) if mine else 0.0, abs=1e-5)


def test_a_new_note_or_a_changed_contact_rebuilds_the_matrix(member, circle):
    text = "La fermentation du kombucha maison"
    before = matrix.for_owner(member.pk)
    emily = Contact.objects.get(name="Emily Watson")
    assert [s.contact for s in selectors.share_suggestions(owner=member, text=text)][:1] != [emily]
    note_add(owner=member, contact=emily, text="Brews her own kombucha, wants to learn fermentation")
    after = matrix.for_owner(member.pk)
    assert after is not before
    assert selectors.share_suggestions(owner=member, text=text)[0].contact == emily
    contact_update(owner=member, contact=emily, organization="Kombucha Watson")
    assert matrix.for_owner(member.pk) is not after


def test_another_members_profile_change_rebuilds_my_matrix(member, circle):
    before = matrix.for_owner(member.pk)
    profile = Contact.objects.get(name="David Chen").user.profile
    profile.needs = ["financement"]
    profile.save()
    assert matrix.for_owner(member.pk) is not before


def test_the_cache_keeps_each_members_rows_apart_and_stays_under_its_budget(member, other_member, circle,
                                                                           monkeypatch):
    contact_create(owner=other_member, name="Autre Personne", organization="Financement Inc.")
    mine, theirs = matrix.for_owner(member.pk), matrix.for_owner(other_member.pk)
    assert set(mine.contact_ids.tolist()) == set(Contact.objects.filter(owner=member).values_list("pk", flat=True))
    assert theirs.contact_ids.tolist() == list(Contact.objects.filter(owner=other_member).values_list("pk", flat=True))
    assert mine.rows.dtype == np.float32 and len(mine.rows) == len(mine.row_contact)
    monkeypatch.setattr(matrix, "MAX_BYTES", mine.nbytes + 1)
    matrix.forget()
    matrix.for_owner(member.pk)
    matrix.for_owner(other_member.pk)  # over the budget: the least recently used entry goes
    assert list(matrix._cache) == [other_member.pk]


def test_stored_vectors_are_stale_once_the_encoder_changes_even_at_the_same_width(circle, member, monkeypatch):
    contact = Contact.objects.filter(owner=member).first()
    vectors.contact_rows(contact)
    contact.refresh_from_db()
    assert vectors.contact_is_current(contact)

    monkeypatch.setattr(embeddings, "MODEL", "another-encoder-512")

    assert not vectors.contact_is_current(contact)
