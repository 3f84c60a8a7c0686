"""Needs written in a member's own words, lined up with the offers of the people attending.

The engine matches a need with an offer when they are the same phrase. Members write freely:
« trouver du financement » and « financement de démarrage » are the same conversation, so before a
plan each need that clearly speaks of what another attendee offers is rewritten as that offer's
wording. Clearly, by meaning first: the sentence vectors of the need and of the offer
(`tablee.text.embeddings`, the same encoder as « partager avec quelques personnes ») have a cosine
of at least ``MEANING_THRESHOLD``; or, as before and as the fallback when the encoder cannot load,
at least half of the need's terms and half of the offer's terms are shared (terms: bilingual,
stemmed, stop words and synonyms folded — `tablee.text.relevance.terms`).

`need_offer_similarity` gives the whole matrix (person × person: how well one's offers answer the
other's needs) for an engine input that reads a precomputed match matrix.
"""

from __future__ import annotations

import logging

import numpy as np

from tablee.text.relevance import terms

THRESHOLD = 0.5
# A need and an offer about the same thing in other words sit above 0.55 (« mentorat » ↔ « coaching
# de gestionnaires » 0.57, "startup funding" ↔ « financement de démarrage » 0.89); a loose
# resemblance below (« recruter un développeur » ↔ « développement d'applications web » 0.39).
MEANING_THRESHOLD = 0.55
# Shared words whose meanings are far apart are a homonym, not a match (« fonds » ↔ « ski de fond »
# 0.26), while the same idea said with other endings stays above (« comptable » ↔ « comptabilité » 0.41).
HOMONYM_BELOW = 0.35
_cache: dict[str, np.ndarray] = {}
logger = logging.getLogger("tablee.tables")


def _coverage(need: frozenset[str], offer: frozenset[str]) -> float:
    if not need or not offer:
        return 0.0
    shared = len(need & offer)
    return min(shared / len(need), shared / len(offer))


def phrase_vectors(phrases: list[str]) -> dict[str, np.ndarray] | None:
    """Vectors of short phrases (kept for the life of the process); None when the encoder cannot load."""
    missing = [p for p in dict.fromkeys(phrases) if p not in _cache]
    if missing:
        try:
            from tablee.text import embeddings

            for phrase, vector in zip(missing, embeddings.encode(missing), strict=True):
                _cache[phrase] = vector
        except Exception:  # no encoder: the lexical rule alone decides, as before
            logger.exception("sentence encoder unavailable; needs and offers are matched by words only")
            return None
    return {p: _cache[p] for p in phrases}


def encoder_warm_up() -> None:
    """Load the sentence encoder now (the worker, at its start); without it, needs and offers are
    matched by words, as ``phrase_vectors`` does."""
    try:
        from tablee.text import embeddings

        embeddings.warm_up()
    except Exception:
        logger.exception("sentence encoder unavailable; needs and offers are matched by words only")


def _similarity(need: str, offer: str, vectors: dict[str, np.ndarray] | None) -> float:
    """How clearly a need speaks of an offer, in [0, 1]: meaning first, shared terms as the fallback."""
    lexical = _coverage(frozenset(terms(need)), frozenset(terms(offer))) >= THRESHOLD
    if vectors is None:
        return 1.0 if lexical else 0.0
    cosine = float(vectors[need] @ vectors[offer])
    if cosine >= MEANING_THRESHOLD:
        return cosine
    return cosine if lexical and cosine >= HOMONYM_BELOW else 0.0


def align_needs_to_offers(people: list[dict], *, semantic: bool = True) -> list[dict]:
    """People as the engine reads them, with each need worded like the offer it best matches.

    A need already equal to someone else's offer is kept; a need that matches nobody's offer
    is kept as written. A person's own offers never count. ``needs_as_written`` maps each reworded
    need back to the person's words, which are the ones a "why" line quotes.
    """
    offers: dict[str, set] = {}  # casefolded offer phrase -> ids of the people offering it
    wording: dict[str, str] = {}
    for person in people:
        for phrase in person.get("offers", []):
            key = phrase.strip().casefold()
            offers.setdefault(key, set()).add(person["id"])
            wording.setdefault(key, phrase.strip())
    needs = [phrase.strip().casefold() for person in people for phrase in person.get("needs", [])]
    vectors = phrase_vectors([*offers, *needs]) if semantic and offers and needs else None

    aligned = []
    for person in people:
        mine = []
        as_written: dict[str, str] = {}
        for phrase in person.get("needs", []):
            key = phrase.strip().casefold()
            if offers.get(key, set()) - {person["id"]}:
                mine.append(phrase)
                continue
            candidates = [
                (_similarity(key, other, vectors), len(offers[other]), other)
                for other in offers
                if offers[other] - {person["id"]}
            ]
            best = max(candidates, default=(0.0, 0, ""))
            if best[0] > 0:
                mine.append(wording[best[2]])
                as_written.setdefault(wording[best[2]], phrase.strip())
            else:
                mine.append(phrase)
        # A need also written word for word by the person is quoted as they wrote it.
        own = {phrase.strip().casefold() for phrase in person.get("needs", [])}
        as_written = {matched: written for matched, written in as_written.items() if matched.casefold() not in own}
        aligned.append({**person, "needs": list(dict.fromkeys(mine)), "needs_as_written": as_written})
    return aligned


def need_offer_similarity(people: list[dict]) -> np.ndarray:
    """``m[i, j]``: how well person j's offers answer person i's needs (best pair, in [0, 1]), from the
    same vectors; zero on the diagonal. For an engine input that takes a precomputed match matrix."""
    n = len(people)
    out = np.zeros((n, n), dtype=np.float32)
    needs = [[p.strip().casefold() for p in person.get("needs", [])] for person in people]
    offers = [[p.strip().casefold() for p in person.get("offers", [])] for person in people]
    vectors = phrase_vectors([x for group in (*needs, *offers) for x in group])
    for i in range(n):
        for j in range(n):
            if i != j and needs[i] and offers[j]:
                out[i, j] = max(_similarity(a, b, vectors) for a in needs[i] for b in offers[j])
    return out
