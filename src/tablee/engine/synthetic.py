"""Synthetic seasons (seeded, deterministic) for the benchmark, the tests and demos."""

from __future__ import annotations

import random
from typing import Any

TOPICS = [
    "financement", "mentorat", "recrutement", "exportation", "marketing", "juridique",
    "comptabilité", "numérique", "subventions", "ventes", "relève", "innovation", "immobilier",
    "logistique", "communication", "gouvernance", "ressources humaines", "design", "intelligence artificielle",
    "développement durable", "philanthropie", "assurances", "fiscalité", "partenariats",
]
INTERESTS = [
    "vélo", "ski de fond", "plein air", "lecture", "cuisine", "musique", "théâtre", "hockey",
    "jardinage", "voyage", "photographie", "course à pied",
]
SECTORS = ["santé", "finance", "arts", "construction", "technologie", "éducation", "commerce",
           "municipal", "agroalimentaire", "tourisme"]
FIRST = ["Marie", "Paul", "Sophie", "Luc", "Julie", "Marc", "Isabelle", "Jean", "Nathalie",
         "François", "Catherine", "Éric", "Geneviève", "Simon", "Valérie", "Martin"]
LAST = ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie",
        "Fortin", "Gagné", "Ouellet", "Pelletier", "Bélanger", "Lévesque"]


def season_problem(
    *,
    people: int = 240,
    rounds: int = 10,
    history_rounds: int = 3,
    size: tuple[int, int, int] = (5, 6, 7),
    attendance: float = 0.85,
    meet_wishes: int = 60,
    avoid_pairs: int = 20,
    continue_pairs: int = 10,
    newcomers: float = 0.1,
    topics: int = len(TOPICS),
    seed: int = 0,
) -> dict[str, Any]:
    """A PROBLEM.json dict: members with offers, needs, interests, sector and languages (mostly
    French, some bilingual, a few English only), random past rounds, wishes, varying attendance."""
    rnd = random.Random(seed)
    ids = [f"m{k:03d}" for k in range(people)]
    members = []
    for k, pid in enumerate(ids):
        roll = rnd.random()
        languages = ["fr"] if roll < 0.75 else (["fr", "en"] if roll < 0.95 else ["en"])
        members.append({
            "id": pid,
            "name": f"{FIRST[k % len(FIRST)]} {LAST[(k * 7) % len(LAST)]}",
            "offers": rnd.sample(TOPICS[:topics], rnd.randint(1, 2)),
            "needs": rnd.sample(TOPICS[:topics], rnd.randint(1, 2)),
            "interests": rnd.sample(INTERESTS, rnd.randint(1, 3)),
            "sector": rnd.choice(SECTORS),
            "languages": languages,
            "tags": ["nouveau"] if rnd.random() < newcomers else [],
        })
    history = []
    for _ in range(history_rounds):
        order = ids[:]
        rnd.shuffle(order)
        tables = (people + size[1] - 1) // size[1]
        history.append([order[t::tables] for t in range(tables)])

    def random_pairs(count: int, taken: set[tuple[str, str]]) -> list[list[str]]:
        out: list[list[str]] = []
        while len(out) < count:
            a, b = sorted(rnd.sample(ids, 2))
            if (a, b) not in taken:
                taken.add((a, b))
                out.append([a, b])
        return out

    met = {tuple(sorted((a, b))) for past in history for t in past for a in t for b in t if a != b}
    taken: set[tuple[str, str]] = set(met)
    meet = random_pairs(meet_wishes, taken)
    avoid = random_pairs(avoid_pairs, taken)
    cont = [list(p) for p in rnd.sample(sorted(met), min(continue_pairs, len(met)))]
    present = [sorted(pid for pid in ids if rnd.random() < attendance) for _ in range(rounds)]
    return {
        "people": members,
        "rounds": rounds,
        "table_size": {"min": size[0], "target": size[1], "max": size[2]},
        "history": history,
        "avoid": avoid,
        "meet": meet,
        "continue": cont,
        "attendance": present,
        "spread_attribute": "nouveau",
    }
