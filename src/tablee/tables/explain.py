"""Why and score of each table, in French or English, whoever seated it (engine, move, repair).

Reuses the engine's own `why` sentences, but without the private wishes: neither a meet nor a mutual
continue wish is announced to the table or the organizer (the table reads as new encounters), and an
avoid pair never shows up as a sunken score; the organizer learns of a broken avoid wish only through
the anonymous warning of `rules.violations`. The offers and needs of people who did not consent to
show them (``hidden``) are left out, so the why never quotes them to their table-mates.
"""

from __future__ import annotations

from typing import Any


def explain(problem: dict[str, Any], tables: list[list[int]], *, lang: str,
            hidden: set[int] | frozenset[int] = frozenset()) -> list[tuple[list[str], float]]:
    """(why, score) for each table of one round, the tables given as lists of person ids.

    ``hidden``: ids whose offers and needs stay out of the sentences (no consent to show them)."""
    import numpy as np

    from tablee.engine.model import parse_problem, score_matrices
    from tablee.engine.why import table_score, table_why

    people = [dict(p, offers=[], needs=[]) if p["id"] in hidden else p for p in problem["people"]]
    data = dict(problem, people=people, lang=lang, pinned=None, tables=None, meet=[], avoid=[], **{"continue": []})
    # Sizes after a manual move may break the bounds: explaining must still work.
    sizes = [len(t) for t in tables if t] or [2]
    data["table_size"] = {"min": 2, "target": max(2, min(sizes)), "max": max(2, max(sizes))}
    parsed = parse_problem(_tolerant(data))
    scores = score_matrices(parsed)
    zeros = np.zeros_like(scores.history_count)
    out = []
    for ids in tables:
        table = sorted((parsed.index[i] for i in ids if i in parsed.index), key=lambda k: str(parsed.people[k].id))
        if not table:
            out.append(([], 0.0))
            continue
        out.append((table_why(parsed, scores, table, scores.history_count, lang), table_score(scores, table, zeros)))
    return out


def _tolerant(data: dict[str, Any]) -> dict[str, Any]:
    """The engine refuses a person nobody can talk to; for explanations, forget languages instead."""
    from tablee.engine.model import ProblemError, parse_problem

    try:
        parse_problem(data)
        return data
    except ProblemError:
        return dict(data, people=[dict(p, languages=[]) for p in data["people"]])
