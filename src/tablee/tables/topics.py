"""Needs written in a member's own words, lined up with the offers of the people attending.

The engine matches a need with an offer when they are the same phrase. Members write freely:
« trouver du financement » and « financement de démarrage » are the same conversation, so before a
plan each need that clearly speaks of what another attendee offers is rewritten as that offer's
wording. Clearly: at least half of the need's terms and half of the offer's terms are shared
(terms: bilingual, stemmed, stop words and synonyms folded — `tablee.text.relevance.terms`).
"""

from __future__ import annotations

from tablee.text.relevance import terms

THRESHOLD = 0.5


def _coverage(need: frozenset[str], offer: frozenset[str]) -> float:
    if not need or not offer:
        return 0.0
    shared = len(need & offer)
    return min(shared / len(need), shared / len(offer))


def align_needs_to_offers(people: list[dict]) -> list[dict]:
    """People as the engine reads them, with each need worded like the offer it best matches.

    A need already equal to someone else's offer is kept; a need that matches nobody's offer
    is kept as written. A person's own offers never count.
    """
    offers: dict[str, set] = {}  # casefolded offer phrase -> ids of the people offering it
    wording: dict[str, str] = {}
    for person in people:
        for phrase in person.get("offers", []):
            key = phrase.strip().casefold()
            offers.setdefault(key, set()).add(person["id"])
            wording.setdefault(key, phrase.strip())
    offer_terms = {key: frozenset(terms(key)) for key in offers}

    aligned = []
    for person in people:
        needs = []
        for phrase in person.get("needs", []):
            key = phrase.strip().casefold()
            if offers.get(key, set()) - {person["id"]}:
                needs.append(phrase)
                continue
            need_terms = frozenset(terms(key))
            candidates = [
                (_coverage(need_terms, offer_terms[other]), len(offers[other]), other)
                for other in offers
                if offers[other] - {person["id"]}
            ]
            best = max(candidates, default=(0.0, 0, ""))
            needs.append(wording[best[2]] if best[0] >= THRESHOLD else phrase)
        aligned.append({**person, "needs": list(dict.fromkeys(needs))})
    return aligned
