"""Why and score of each table, in French or English, whoever seated it (engine, move, repair).

Reuses the engine's own `why` sentences, but without the private wishes: neither a meet nor a mutual
continue wish is announced to the table or the organizer (the table reads as new encounters), and an
avoid pair never shows up as a sunken score; the organizer learns of a broken avoid wish only through
the anonymous warning of `rules.violations`. The offers, needs, interests and sector of people who
did not consent to show them (``hidden``) are left out, so the why never quotes them to their
table-mates; the score still counts them.

Each table has its lines as the organizer reads them (third person), and, for each person a line is
about, the same lines as that person reads them on « Ma tablée » (« Vous cherchez … »): nobody
reads about themselves by name. Nothing more is said to the person than to the rest of the table.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Explained(NamedTuple):
    """One table: its lines, its score, and the lines as each person they speak of reads them
    (only the people whose lines differ)."""

    why: list[str]
    score: float
    own: dict[int, list[str]]


def explain(problem: dict[str, Any], tables: list[list[int]], *, lang: str,
            hidden: set[int] | frozenset[int] = frozenset()) -> list[Explained]:
    """Why, score and each person's own lines for each table of one round, the tables given as
    lists of person ids.

    ``hidden``: ids whose offers, needs, interests and sector stay out of the sentences (no consent)."""
    import numpy as np

    from tablee.engine.why import table_score, table_why

    # The score reads everything; the sentences only what each person agreed to show.
    shown = [dict(p, offers=[], needs=[], interests=[], sector="") if p["id"] in hidden else p
             for p in problem["people"]]
    parsed, scores = _parsed(problem, problem["people"], tables, lang)
    told, told_scores = _parsed(problem, shown, tables, lang) if hidden else (parsed, scores)
    zeros = np.zeros_like(scores.history_count)
    out = []
    for ids in tables:
        table = sorted((parsed.index[i] for i in ids if i in parsed.index), key=lambda k: str(parsed.people[k].id))
        if not table:
            out.append(Explained([], 0.0, {}))
            continue
        why = table_why(told, told_scores, table, told_scores.history_count, lang)
        own = {}
        for reader in table:
            lines = table_why(told, told_scores, table, told_scores.history_count, lang, reader=reader)
            if lines != why:
                own[told.people[reader].id] = lines
        out.append(Explained(why, table_score(scores, table, zeros), own))
    return out


def _parsed(problem: dict[str, Any], people: list[dict[str, Any]], tables: list[list[int]], lang: str):
    from tablee.engine.model import parse_problem, score_matrices

    data = dict(problem, people=people, lang=lang, pinned=None, tables=None, meet=[], avoid=[], **{"continue": []})
    # Sizes after a manual move may break the bounds: explaining must still work.
    sizes = [len(t) for t in tables if t] or [2]
    # A table for one (tables of two, an odd attendance) still explains: the bounds only need to parse.
    data["table_size"] = {"min": 2, "target": max(2, min(sizes)), "max": max(2, max(sizes), len(people))}
    parsed = parse_problem(_tolerant(data))
    return parsed, score_matrices(parsed)


def _tolerant(data: dict[str, Any]) -> dict[str, Any]:
    """The engine refuses a person nobody can talk to; for explanations, forget languages instead."""
    from tablee.engine.model import ProblemError, parse_problem

    try:
        parse_problem(data)
        return data
    except ProblemError:
        return dict(data, people=[dict(p, languages=[]) for p in data["people"]])
