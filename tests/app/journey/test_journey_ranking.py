"""Ranking quality of « partager avec quelques personnes » on a fixed fixture (the closing figure)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tablee.journey import relevance

DATA = Path(__file__).parent / "data"


def _candidates() -> list[relevance.Candidate]:
    contacts = json.loads((DATA / "ranking.json").read_text(encoding="utf-8"))["contacts"]
    return [
        relevance.Candidate(id=c["id"], name=c["name"], fields={
            "needs": " ; ".join(c["needs"]), "interests": " ; ".join(c["interests"]), "notes": c["notes"],
            "organization": c["organization"], "sector": c["sector"],
        })
        for c in contacts
    ]


def _accuracy(texts: list[dict]) -> tuple[float, float]:
    top1 = top3 = 0
    for item in texts:
        ids = [s.id for s in relevance.rank(item["text"], _candidates(), limit=3)]
        top1 += ids[:1] == [item["expected"]]
        top3 += item["expected"] in ids
    return top1 / len(texts), top3 / len(texts)


def test_the_fixture_is_fifty_contacts_and_twenty_texts_in_both_languages():
    data = json.loads((DATA / "ranking.json").read_text(encoding="utf-8"))
    assert len(data["contacts"]) == 50
    assert len(data["texts"]) == 20
    assert {t["lang"] for t in data["texts"]} == {"fr", "en"}


def test_the_right_contact_comes_first_in_most_cases(capsys):
    texts = json.loads((DATA / "ranking.json").read_text(encoding="utf-8"))["texts"]
    top1, top3 = _accuracy(texts)
    with capsys.disabled():
        print(f"\nranking fixture (20 texts, 50 contacts): top-1 {top1:.0%}, top-3 {top3:.0%}")
    assert top1 >= 0.70
    assert top3 >= top1


def test_the_first_held_out_set_is_reported(capsys):
    """Looked at while broadening the vocabulary: reported, no longer out of sample."""
    texts = json.loads((DATA / "ranking_heldout.json").read_text(encoding="utf-8"))["texts"]
    top1, top3 = _accuracy(texts)
    with capsys.disabled():
        print(f"\nranking held-out #1, seen while tuning (10 texts): top-1 {top1:.0%}, top-3 {top3:.0%}")
    assert top1 >= 0.70


def test_clean_held_out_texts_rank_the_right_contact_well_above_chance(capsys):
    """Never used to tune anything: the honest figure. Chance is 2 % top-1, 6 % top-3."""
    texts = json.loads((DATA / "ranking_heldout2.json").read_text(encoding="utf-8"))["texts"]
    top1, top3 = _accuracy(texts)
    with capsys.disabled():
        print(f"\nranking held-out #2, clean (15 texts): top-1 {top1:.0%}, top-3 {top3:.0%}")
    assert top1 >= 0.50
    assert top3 >= 0.75


@pytest.mark.parametrize(("french", "english"), [
    ("financement", "funding"), ("comptabilité", "accounting"), ("recrutement", "hiring"),
    ("cybersécurité", "cybersecurity"), ("subventions", "grants"),
])
def test_french_and_english_words_of_our_domains_meet(french, english):
    assert relevance.terms(french) == relevance.terms(english)


def test_accents_and_case_do_not_matter():
    assert relevance.terms("ÉNERGIE Énergétique") == relevance.terms("energie energetique")


def test_a_text_about_nothing_in_the_circle_suggests_no_one():
    assert relevance.rank("le la les the of and", _candidates()) == []


def test_what_matched_is_reported_with_the_contacts_own_words():
    best = relevance.rank("A new loan program to buy equipment", _candidates(), limit=1)[0]
    assert best.id == 1
    assert set(best.matched["needs"]) == {"prêt d'équipement", "financement pour un deuxième four"}


def test_the_api_ranks_the_fixture_circle_as_well_as_the_scorer(api, member, make_person, capsys):
    """The same 50 people as Tablée members in Marie's circle (profile needs and interests, her notes)."""
    from tablee.circle.models import Contact, Note

    data = json.loads((DATA / "ranking.json").read_text(encoding="utf-8"))
    ids = {}
    for c in data["contacts"]:
        person = make_person(email=f"c{c['id']}@example.org", password=None, first_name=c["name"].split()[0],
                             last_name=c["name"].split(maxsplit=1)[1], organization=c["organization"],
                             sector=c["sector"], needs=c["needs"], interests=c["interests"])
        contact = Contact.objects.create(owner=member, user=person, name=c["name"], email=person.email,
                                         organization=c["organization"])
        Note.objects.create(owner=member, contact=contact, text=c["notes"])
        ids[contact.pk] = c["id"]
    top1 = 0
    for item in data["texts"]:
        found = api.post("/api/share/suggest", {"text": item["text"]}, user=member).json()["suggestions"]
        assert 1 <= len(found) <= 3
        top1 += ids[found[0]["contact_id"]] == item["expected"]
    with capsys.disabled():
        print(f"\nranking through the API (20 texts): top-1 {top1 / 20:.0%}")
    assert top1 / 20 >= 0.70
