"""Ranking quality of « partager avec quelques personnes » on a fixed fixture (the closing figure)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from django.utils import timezone

from tablee.text import relevance

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


def _texts(name: str) -> list[dict]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))["texts"]


def _clear_caches() -> None:
    for value in vars(relevance).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


@pytest.fixture
def fitted_vocabulary(monkeypatch):
    """The product's synonyms plus the rows once fitted to these texts (the in-sample figures)."""
    rows = [line for line in (DATA / "ranking_fitted_synonyms.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    monkeypatch.setattr(relevance, "SYNONYMS", [*relevance.SYNONYMS, *rows])
    _clear_caches()
    yield
    monkeypatch.undo()
    _clear_caches()


# The scorer is deterministic: the figures below are exact, so each bar is the figure itself (one
# text more or less is 5 points on the fixture, 10 on held-out #1, 6.7 on held-out #2). What the
# product ships (general synonyms only) sits beside what the fitted rows gave (in-sample).
FIGURES = {  # set: (product top-1, top-3, with the fitted rows top-1, top-3)
    "ranking.json": (0.80, 0.80, 0.95, 1.00),
    "ranking_heldout.json": (0.40, 0.40, 0.90, 1.00),
    "ranking_heldout2.json": (0.60, 0.80, 0.67, 0.87),
}


def test_the_fixture_is_fifty_contacts_and_twenty_texts_in_both_languages():
    data = json.loads((DATA / "ranking.json").read_text(encoding="utf-8"))
    assert len(data["contacts"]) == 50
    assert len(data["texts"]) == 20
    assert {t["lang"] for t in data["texts"]} == {"fr", "en"}


@pytest.mark.parametrize("name", list(FIGURES))
def test_the_product_ranks_the_right_contact_as_often_as_reported(name, capsys):
    top1, top3 = _accuracy(_texts(name))
    with capsys.disabled():
        print(f"\nranking {name}, general synonyms (the product): top-1 {top1:.0%}, top-3 {top3:.0%}")
    assert top1 >= FIGURES[name][0] - 0.005
    assert top3 >= FIGURES[name][1] - 0.005


@pytest.mark.parametrize("name", list(FIGURES))
def test_the_rows_fitted_to_the_texts_give_the_in_sample_figures(name, fitted_vocabulary, capsys):
    top1, top3 = _accuracy(_texts(name))
    with capsys.disabled():
        print(f"\nranking {name}, with the fitted rows (in-sample): top-1 {top1:.0%}, top-3 {top3:.0%}")
    assert top1 >= FIGURES[name][2] - 0.005
    assert top3 >= FIGURES[name][3] - 0.005


def test_held_out_texts_rank_the_right_contact_well_above_chance():
    """Chance is 2 % top-1, 6 % top-3 (50 contacts)."""
    top1, top3 = _accuracy(_texts("ranking_heldout2.json"))
    assert top1 >= 15 * 0.02 and top3 >= 5 * 0.06


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
                             sector=c["sector"], needs=c["needs"], interests=c["interests"],
                             directory_consent_at=timezone.now())
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
    assert top1 / 20 >= FIGURES["ranking.json"][0] - 0.005  # the same scorer, so the same figure


def test_the_lexical_index_scores_trigrams_as_a_plain_cosine_would():
    import math
    from collections import Counter

    def plain(a: Counter, b: Counter) -> float:
        if not a or not b:
            return 0.0
        dot = sum(v * b.get(k, 0) for k, v in a.items())
        return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))

    contacts = json.loads((DATA / "ranking.json").read_text(encoding="utf-8"))["contacts"]
    candidates = [relevance.Candidate(id=c["id"], name=c["name"], fields={"notes": c["notes"], "organization":
                                                                          c["organization"]}) for c in contacts]
    candidates.append(relevance.Candidate(id=0, name="Vide", fields={"notes": "", "organization": "TI"}))
    index = relevance.LexicalIndex(candidates)
    rows = np.arange(len(candidates))
    for text in ("Financement d'équipement pour une boulangerie", "Hiring data engineers in Québec", "xyz"):
        query = relevance._trigrams(text)
        expected = [plain(query, relevance._trigrams(" ".join(c.fields.values()))) for c in candidates]
        assert index.trigram_cosines(text, rows).tolist() == expected
