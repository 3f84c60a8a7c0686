"""The engine folds the words it matches (« IA » meets « ia ») but its why lines keep each person's
own spelling (plain data in, plain data out)."""

from __future__ import annotations

from tablee.engine import plan
from tablee.engine.model import parse_problem


def person(pid, **fields):
    return {"id": pid, "offers": [], "needs": [], "interests": [], "sector": "", "languages": ["fr"], **fields}


PROBLEM = {
    "people": [person("a", name="Marie", needs=["IA"], interests=["Vélo"]),
               person("b", name="Paul", offers=["ia"], interests=["vélo"])],
    "rounds": 1, "table_size": {"min": 2, "target": 2, "max": 2}, "tables": 1, "avoid": [],
}


def test_the_engine_matches_topics_folded():
    parsed = parse_problem(PROBLEM)

    assert parsed.people[0].needs == parsed.people[1].offers == frozenset({"ia"})
    assert parsed.people[0].spelled("ia") == "IA" and parsed.people[1].spelled("ia") == "ia"


def test_the_why_lines_show_the_topics_as_their_person_wrote_them():
    why = plan(PROBLEM, time_limit=1, seed=0)["rounds"][0][0]["why"]

    assert "Marie cherche «\u00a0IA\u00a0»\u00a0: Paul peut l'aider." in why
    assert "Vous partagez un intérêt\u00a0: Vélo." in why


def test_a_need_reworded_to_match_an_offer_is_quoted_in_its_persons_words():
    reworded = {**PROBLEM, "people": [
        person("a", name="Jean", needs=["capital de risque"],
               needs_as_written={"capital de risque": "financement de démarrage"}),
        person("b", name="Paul", offers=["capital de risque"])]}

    why = plan(reworded, time_limit=1, seed=0)["rounds"][0][0]["why"]

    assert "Jean cherche «\u00a0financement de démarrage\u00a0»\u00a0: Paul peut l'aider." in why
    assert not any("capital de risque" in line for line in why)
