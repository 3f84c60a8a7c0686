"""Why this table: a few short sentences a member understands, in French or English.

Built from what the table actually holds: needs met by offers, wishes granted, shared interests,
varied sectors, nobody who met before. Avoid wishes are confidential: never mentioned here.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from tablee.engine.model import Problem, Scores

# French: no-break spaces inside « » and before « : » (Québec typography; the catalogs get them from
# scripts/fr_typography.py, which does not read the engine).
TEXTS = {
    "fr": {
        "need": "{a} cherche «\u00a0{topic}\u00a0»\u00a0: {b} peut l'aider.",
        "need_mine": "Vous cherchez «\u00a0{topic}\u00a0»\u00a0: {b} peut vous aider.",
        "need_yours": "{a} cherche «\u00a0{topic}\u00a0»\u00a0: vous pouvez l'aider.",
        "meet": "Un souhait de rencontre est exaucé\u00a0: {a} et {b}.",
        "continue": "{a} et {b} poursuivent leur conversation.",
        "interest_all": "Vous partagez un intérêt\u00a0: {topic}.",
        "interest": "{names} partagent un intérêt\u00a0: {topic}.",
        "interest_mine": "Vous partagez un intérêt avec {names}\u00a0: {topic}.",
        "sectors": "Secteurs variés\u00a0: {sectors}.",
        "fresh": "Vous ne vous êtes encore jamais rencontrés.",
        "and": " et ",
    },
    "en": {
        "need": "{a} is looking for “{topic}”: {b} can help.",
        "need_mine": "You are looking for “{topic}”: {b} can help.",
        "need_yours": "{a} is looking for “{topic}”: you can help.",
        "meet": "A wish to meet comes true: {a} and {b}.",
        "continue": "{a} and {b} continue their conversation.",
        "interest_all": "You share an interest: {topic}.",
        "interest": "{names} share an interest: {topic}.",
        "interest_mine": "You share an interest with {names}: {topic}.",
        "sectors": "Varied sectors: {sectors}.",
        "fresh": "You have never met before.",
        "and": " and ",
    },
}
MAX_NEEDS = 2
# A need counts as met by a table-mate from this match value up (word matches count 1 per word;
# a need_offer_matrix of similarities in [0, 1] counts from 0.5).
MATCH_FOR_WHY = 0.5


def _names(problem: Problem, people: list[int], lang: str) -> str:
    names = [problem.people[i].name for i in people]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + TEXTS[lang]["and"] + names[-1]


def table_why(problem: Problem, scores: Scores, table: list[int], met_before: np.ndarray,
              lang: str, reader: int | None = None) -> list[str]:
    """`met_before[i, j]`: times i and j sat together before this round (history and plan).

    ``reader``: the index of the person at this table who reads the lines. The same lines, but
    those about the reader speak to them (« Vous cherchez … », « … vous pouvez l'aider »)."""
    text = TEXTS[lang]
    people = problem.people
    out: list[str] = []
    pairs = [(a, b) for k, a in enumerate(table) for b in table[k + 1:]]
    wished = {(min(a, b), max(a, b)) for a, b in pairs}
    for a, b in problem.continue_:
        if (a, b) in wished:
            out.append(text["continue"].format(a=people[a].name, b=people[b].name))
    for a, b in problem.meet:
        if (a, b) in wished and met_before[a, b] == 0:
            out.append(text["meet"].format(a=people[a].name, b=people[b].name))
    needs = []
    helped: set[int] = set()
    for a in table:
        for b in table:
            if a == b or scores.matches[a, b] < MATCH_FOR_WHY:
                continue
            # With a need_offer_matrix the words may differ: name a shared word, else a's need.
            topics = sorted(people[a].needs & people[b].offers) or sorted(people[a].needs)
            if topics:
                needs.append((a, b, topics[0]))
    # One sentence per person in need at most, those with a single helper first.
    needs.sort(key=lambda x: (sum(1 for y in needs if y[0] == x[0]), str(people[x[0]].id)))
    for a, b, topic in needs:
        if len(helped) >= MAX_NEEDS or a in helped:
            continue
        helped.add(a)
        key = "need_mine" if a == reader else "need_yours" if b == reader else "need"
        # The words match folded; a line shows the need as the person who has it wrote it.
        out.append(text[key].format(a=people[a].name, b=people[b].name, topic=people[a].spelled(topic)))
    interests = Counter(x for i in table for x in people[i].interests)
    shared = sorted((-count, topic) for topic, count in interests.items() if count >= 2)
    if shared:
        holders = [i for i in table if shared[0][1] in people[i].interests]
        # As the reader wrote it when it is theirs too, else as the first of the others did.
        topic = people[reader if reader in holders else holders[0]].spelled(shared[0][1])
        if len(holders) == len(table):
            out.append(text["interest_all"].format(topic=topic))
        elif reader in holders:
            others = [i for i in holders if i != reader]
            out.append(text["interest_mine"].format(names=_names(problem, others, lang), topic=topic))
        else:
            out.append(text["interest"].format(names=_names(problem, holders, lang), topic=topic))
    sectors = sorted({people[i].sector for i in table if people[i].sector})
    if len(sectors) >= 3:
        out.append(text["sectors"].format(sectors=", ".join(sectors)))
    if all(met_before[a, b] == 0 for a, b in pairs):
        out.append(text["fresh"])
    return out


def table_score(scores: Scores, table: list[int], plan_met: np.ndarray) -> float:
    """Worth of a table: base scores (avoid excluded: confidential) minus the history penalty, plus
    the wishes this table grants for the first time in the plan."""
    total = 0.0
    for k, a in enumerate(table):
        for b in table[k + 1:]:
            total += float(scores.base[a, b] - scores.past[a, b])
            if plan_met[a, b] == 0:
                total += float(scores.once[a, b])
    return round(total, 3)
