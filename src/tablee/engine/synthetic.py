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


# Needs and offers as members word them: a few phrasings per theme, so that word matching misses
# some true matches (the app's sentence vectors catch them; see `need_offer_matrix`).
THEMES = {
    "financement": ["financement", "trouver du financement", "financement de démarrage", "capital de risque"],
    "mentorat": ["mentorat", "un mentor", "accompagnement"],
    "recrutement": ["recrutement", "embauche", "trouver des employés"],
    "exportation": ["exportation", "marchés étrangers", "export"],
    "marketing": ["marketing", "mise en marché", "image de marque"],
    "juridique": ["juridique", "conseils juridiques", "contrats"],
    "comptabilité": ["comptabilité", "tenue de livres"],
    "numérique": ["numérique", "transformation numérique", "site web"],
    "subventions": ["subventions", "programmes gouvernementaux"],
    "ventes": ["ventes", "développement des affaires", "prospection"],
    "relève": ["relève", "transfert d'entreprise"],
    "innovation": ["innovation", "recherche et développement"],
    "immobilier": ["immobilier", "locaux commerciaux"],
    "logistique": ["logistique", "chaîne d'approvisionnement", "transport"],
    "communication": ["communication", "relations publiques", "médias"],
    "gouvernance": ["gouvernance", "conseil d'administration"],
    "ressources humaines": ["ressources humaines", "gestion d'équipe", "rétention du personnel"],
    "design": ["design", "design graphique", "emballage"],
    "intelligence artificielle": ["intelligence artificielle", "IA", "données"],
    "développement durable": ["développement durable", "environnement", "économie circulaire"],
    "philanthropie": ["philanthropie", "dons", "commandites"],
    "assurances": ["assurances", "gestion des risques"],
    "fiscalité": ["fiscalité", "impôts", "crédits d'impôt"],
    "partenariats": ["partenariats", "alliances", "réseautage"],
    "cybersécurité": ["cybersécurité", "sécurité informatique"],
    "santé mentale": ["santé mentale", "équilibre travail-vie"],
    "international": ["international", "immigration d'affaires"],
    "agroalimentaire": ["agroalimentaire", "mise en marché alimentaire"],
    "tourisme": ["tourisme", "attraction touristique"],
    "formation": ["formation", "développement des compétences"],
}


def realistic_season(*, seed: int, people: int = 240, rounds: int = 10) -> dict[str, Any]:
    """A season shaped like a real association's (for bench/bench_season.py, issue 14), unlike
    `season_problem`'s uniform draws: a vocabulary of 14 to 30 themes with 1 to 4 phrasings each,
    Zipf-skewed popularity (needs and offers skewed differently: much-needed themes are not the
    most offered), 1 to 3 needs and offers each, attendance of 70 to 90 % with regulars and
    occasional members, 2 to 6 past rounds of history, 30 to 80 meet wishes, avoid and continue
    pairs. The problem carries the themes' phrasings as words: exact matching sees only identical
    wording; `theme_matrix` gives the true theme-level match."""
    rnd = random.Random(seed)
    themes = rnd.sample(sorted(THEMES), rnd.randint(14, len(THEMES)))
    skew = rnd.uniform(0.8, 1.3)
    need_weight = [1 / (k + 1) ** skew for k in range(len(themes))]
    offer_order = themes[:]
    rnd.shuffle(offer_order)
    offer_rank = {t: k for k, t in enumerate(offer_order)}
    offer_weight = [1 / (offer_rank[t] + 1) ** skew for t in themes]

    def draw(weights: list[float], count: int) -> list[str]:
        chosen: set[str] = set()
        while len(chosen) < count:
            chosen.add(rnd.choices(themes, weights)[0])
        return sorted(chosen)

    ids = [f"m{k:03d}" for k in range(people)]
    members = []
    need_themes, offer_themes = [], []
    for k, pid in enumerate(ids):
        roll = rnd.random()
        languages = ["fr"] if roll < 0.75 else (["fr", "en"] if roll < 0.95 else ["en"])
        needs = draw(need_weight, rnd.randint(1, 3))
        offers = draw(offer_weight, rnd.randint(1, 3))
        need_themes.append(needs)
        offer_themes.append(offers)
        members.append({
            "id": pid,
            "name": f"{FIRST[k % len(FIRST)]} {LAST[(k * 7) % len(LAST)]}",
            "offers": [rnd.choice(THEMES[t]) for t in offers],
            "needs": [rnd.choice(THEMES[t]) for t in needs],
            "interests": rnd.sample(INTERESTS, rnd.randint(1, 3)),
            "sector": rnd.choice(SECTORS),
            "languages": languages,
            "tags": ["nouveau"] if rnd.random() < 0.1 else [],
        })
    mean_attendance = rnd.uniform(0.7, 0.9)
    # Regulars come almost always, others now and then; the mean stays at mean_attendance.
    propensity = [min(0.98, max(0.2, rnd.gauss(mean_attendance, 0.15))) for _ in ids]
    history = []
    for _ in range(rnd.randint(2, 6)):
        order = [pid for pid, p in zip(ids, propensity, strict=True) if rnd.random() < p]
        rnd.shuffle(order)
        tables = max(1, round(len(order) / 6))
        history.append([order[t::tables] for t in range(tables)])
    met = {tuple(sorted((a, b))) for past in history for t in past for a in t for b in t if a != b}
    taken: set[tuple[str, str]] = set(met)

    def random_pairs(count: int) -> list[list[str]]:
        out: list[list[str]] = []
        while len(out) < count:
            a, b = sorted(rnd.sample(ids, 2))
            if (a, b) not in taken:
                taken.add((a, b))
                out.append([a, b])
        return out

    meet = random_pairs(rnd.randint(30, 80))
    avoid = random_pairs(rnd.randint(10, 30))
    cont = [list(p) for p in rnd.sample(sorted(met), min(rnd.randint(5, 15), len(met)))]
    present = [sorted(pid for pid, p in zip(ids, propensity, strict=True) if rnd.random() < p)
               for _ in range(rounds)]
    return {
        "people": members,
        "rounds": rounds,
        "table_size": {"min": 5, "target": 6, "max": 7},
        "history": history,
        "avoid": avoid,
        "meet": meet,
        "continue": cont,
        "attendance": present,
        "spread_attribute": "nouveau",
        "_themes": {"needs": need_themes, "offers": offer_themes},
    }


def theme_matrix(problem: dict[str, Any]) -> list[list[float]]:
    """[i][j] = number of i's need themes among j's offer themes: the match a good sentence
    encoder would see (a stand-in for the app's similarities in the bench)."""
    needs = problem["_themes"]["needs"]
    offers = problem["_themes"]["offers"]
    return [[float(len(set(a) & set(b))) if i != j else 0.0 for j, b in enumerate(offers)]
            for i, a in enumerate(needs)]
