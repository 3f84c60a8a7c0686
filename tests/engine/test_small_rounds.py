"""Tiny rounds: three people, tables of two. The engine never seats three at a table of two, and
with an empty chair (how Tablée plans a table for one) it keeps an avoid pair apart."""

from __future__ import annotations

import pytest

from tablee.engine import ProblemError, plan

PEOPLE = [{"id": "marie", "languages": ["fr"]}, {"id": "jf", "languages": ["fr"]},
          {"id": "helene", "languages": ["fr"]}]


def test_three_people_at_tables_of_exactly_two_are_refused_not_overfilled():
    problem = {"people": PEOPLE, "table_size": {"min": 2, "max": 2}, "tables": 2, "avoid": [["marie", "jf"]]}
    with pytest.raises(ProblemError, match="cannot be seated"):
        plan(problem, time_limit=2, seed=1, max_iterations=200)


def test_one_table_for_three_breaks_an_avoid_pair_and_says_so():
    # What Tablée used to ask for: the engine keeps the sizes it is given and counts the broken rule.
    problem = {"people": PEOPLE, "table_size": {"min": 2, "max": 3}, "tables": 1, "avoid": [["marie", "jf"]]}
    result = plan(problem, time_limit=2, seed=1, max_iterations=200)
    assert result["stats"]["avoid_violations"] == 1


def test_an_empty_chair_lets_the_avoid_pair_sit_apart_within_the_seats():
    chair = {"id": "empty-chair-0", "languages": []}
    problem = {"people": [*PEOPLE, chair], "table_size": {"min": 2, "max": 2}, "tables": 2,
               "avoid": [["marie", "jf"]]}
    result = plan(problem, time_limit=2, seed=1, max_iterations=500)
    tables = [set(t["people"]) for t in result["rounds"][0]]
    assert result["stats"]["avoid_violations"] == 0
    assert all(len(t) == 2 for t in tables)
    assert not any({"marie", "jf"} <= t for t in tables)
