"""Pure parts: hard-rule check, avoid separation, the question bank."""

from __future__ import annotations

from tablee.tables import questions, rules


def test_violations_name_tables_but_never_the_avoid_pair_nor_its_table():
    tables = {1: [1, 2, 3], 2: [4, 5], 3: [6, 7, 8, 9, 10]}
    languages = {1: {"fr"}, 2: {"fr"}, 3: {"en"}, 4: {"fr"}, 5: {"fr"}}

    found = rules.violations(tables, size_min=3, size_max=4, languages=languages, avoid={frozenset((4, 5))})

    assert [(v.code, v.table) for v in found] == [("language", 1), ("size_min", 2), ("size_max", 3), ("avoid", 0)]
    assert next(v for v in found if v.code == "avoid").person is None


def test_unknown_languages_never_block():
    assert rules.violations({1: [1, 2]}, size_min=2, size_max=6, languages={1: {"fr"}, 2: set()}, avoid=set()) == []


def test_resolve_avoid_swaps_someone_already_moved():
    tables = [[1, 2, 3], [4, 5, 6]]
    avoid = {frozenset((1, 2))}

    fixed = rules.resolve_avoid(tables, size_min=3, size_max=3, languages={}, avoid=avoid, already_moved={2})

    assert all(not (1 in t and 2 in t) for t in fixed)
    assert sorted(map(sorted, fixed)) != sorted(map(sorted, tables))
    assert sum(len(t) for t in fixed) == 6 and {len(t) for t in fixed} == {3}
    moved = {p for t_before, t_after in zip(tables, fixed, strict=True) for p in set(t_before) ^ set(t_after)}
    assert 2 in moved and len(moved) == 2


def test_starters_are_one_per_depth_stable_and_translated():
    fr = questions.starters(gathering_id=3, user_id=7, language="fr-ca", topics=["financement"])
    again = questions.starters(gathering_id=3, user_id=7, language="fr-ca", topics=["financement"])
    en = questions.starters(gathering_id=3, user_id=7, language="en", topics=["financement"])

    assert fr == again and len(fr) == 3
    depth = {q["fr"]: q["depth"] for q in questions.bank()}
    assert [depth[q] for q in fr] == [1, 2, 3]
    english = {q["fr"]: q["en"] for q in questions.bank()}
    assert en == [english[q] for q in fr]


def test_starters_lean_toward_what_the_table_shares():
    picked = questions.starters(gathering_id=1, user_id=1, language="fr", topics=["recrutement d'un développeur"])
    tagged = {q["fr"] for q in questions.bank() if "recrutement" in q["tags"]}
    assert picked[1] in tagged


def test_the_bank_has_about_thirty_questions_per_language_and_each_depth():
    bank = questions.bank()
    assert len(bank) >= 30
    assert all(q["fr"].strip() and q["en"].strip() for q in bank)
    assert {q["depth"] for q in bank} == {1, 2, 3}


def test_the_french_starters_say_vous_as_the_rest_of_the_app_does():
    """The page and the email around them address the member as « vous »; a question read aloud at
    the table keeps that register, never « tu »."""
    import re

    familiar = re.compile(r"\b(tu|te|toi|ton|ta|tes|t')\b|-tu\b|\bt'", re.IGNORECASE)

    assert [q["fr"] for q in questions.bank() if familiar.search(q["fr"])] == []
    assert all(re.search(r"\b(vous|votre|vos)\b", q["fr"]) for q in questions.bank())
