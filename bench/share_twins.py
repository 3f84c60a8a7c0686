"""Share with the few, session 10: what the misses are, and a swap of the first two for twins (not shipped).

    .venv/bin/python bench/share_twins.py                 # in-sample, s9a and training: misses by kind, the swap
    .venv/bin/python bench/share_twins.py --grid          # the swap's margin, 0.10 to 0.25
    .venv/bin/python bench/share_twins.py --score FILE    # one set with its own circle: app and swap, per language

Development data only (bench/RESULTS.md, protocol of sessions 8 and 9): the in-sample sets as
`bench/share_offline.py` lays them out (ranking*.json + i11, i11b, s2: 124 texts), the development set
share_dev_s9a.json (40) and the training circles of bench/share_train (429). The held-out sets are read
only through ``--score FILE``, which prints the top-1 counts per language and nothing else.

The swap ("twins"): a text in which someone seeks or offers something reads like a description of that
someone (the actor), so it comes closest to the contact *like* the actor, not to the one it is for. When
the text has an actor (the words before its first seeking or offering verb outside a relative clause,
`share_rank._SEEKING` and ``OFFERING`` below), the app's second contact B takes the place of its first
A when both hold:
- A is the actor's twin: the actor is closer to A's organization row than to B's by more than
  ``TWIN_MARGIN`` (0.15);
- B looks for someone like the actor: the actor is closer to one of B's needs than to any of A's.
Only the first two change places; a text with no actor, or with nobody second, is ranked as the app does.

Result (bench/RESULTS.md, « Share with the few, session 10 »): in-sample 104 -> 104 of 124, s9a 25 -> 28
of 40, training 363 -> 366 of 429; the held-out sets, scored once after commit fecff03, net 0 of 160
(s8a fr -1, s9b fr +1). Not wired into the app.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from share_adapter import TRAIN, parse_train  # noqa: E402
from share_offline import DATA, OWN_CIRCLE, SETS, Circle, _contacts  # noqa: E402

from tablee.text import embeddings, relevance, share_rank  # noqa: E402
from tablee.text.share_rank import DOCUMENT, IDENTITY, NOTE, PHRASE  # noqa: E402

DEVELOPMENT = {**SETS, "s9a": ("share_dev_s9a.json",)}
OWN = OWN_CIRCLE | {"s9a"}
TWIN_MARGIN = 0.15
# Verbs by which a text offers something, French and English (general words, no sector).
OFFERING = re.compile(
    r"(?<![\w'’-])(?:offrent|offre|proposent|propose|lancent|lance|ouvrent|ouvre|met(?:tent)? en vente|vendent|vend"
    r"|louent|loue|à louer|à vendre|donnent|donne|financent|finance|fournissent|fournit|accordent|accorde"
    r"|subventionnent|subventionne|couvrent|couvre|remboursent|rembourse|met(?:tent)? à (?:la )?disposition"
    r"|offers|offer|opens|open|launches|launch|(?:is|are) selling|sells|for sale|for rent|provides|provide|gives"
    r"|give|funds|covers|cover|(?:is|are) offering|ha(?:s|ve) \w+ available|(?:is|are) renting|rents)(?![\w-])",
    re.IGNORECASE)


def actor(text: str) -> str:
    """The words before the first seeking verb (else offering verb) outside a relative clause; "" if none."""
    for verbs in (share_rank._SEEKING, OFFERING):
        for found in verbs.finditer(text):
            if not share_rank._RELATIVE.search(text[: found.start()]):
                before = text[: found.start()].strip()
                return before if relevance.terms(before) else ""
    return ""


@dataclass
class Set:
    """One circle and its texts, encoded once: per text, the app's scores and the actor's cosines."""

    name: str
    contacts: list[dict]
    items: list[dict]
    scores: np.ndarray  # (t, c) the app's combined score, -inf where not suggested
    organization: np.ndarray  # (t, c) the actor's cosine with the contact's organization row (0: none)
    needs: np.ndarray  # (t, c) the actor's best cosine with one of the contact's needs (0: none)
    has_actor: np.ndarray  # (t,)
    targets: np.ndarray  # (t,)
    best: np.ndarray  # (t, c) best cosine (phrase or note), to tell what decided a miss
    lexical: np.ndarray  # (t, c) the gated lexical part of the score


def _per_contact(circle: Circle, sims: np.ndarray, mask: np.ndarray) -> np.ndarray:
    out = np.full((len(sims), len(circle.contacts)), -np.inf)
    for k in range(len(circle.contacts)):
        rows = np.flatnonzero(mask & (circle.owners == k))
        if len(rows):
            out[:, k] = sims[:, rows].max(axis=1)
    return np.where(np.isfinite(out), out, 0.0)


def build(name: str, contacts: list[dict], items: list[dict]) -> Set:
    encode = embeddings.encode
    circle = Circle(contacts, encode)
    rows = circle.rows.astype(np.float64)
    queries = encode([t["text"] for t in items]).astype(np.float64)
    actors = [actor(t["text"]) for t in items]
    sims, actor_sims = queries @ rows.T, encode([a or "-" for a in actors]).astype(np.float64) @ rows.T
    document, notes, phrase = (_per_contact(circle, sims, (circle.kinds & kind) != 0) for kind in (DOCUMENT, NOTE, PHRASE))
    best = np.maximum(phrase, notes)
    need_rows = np.zeros(len(rows), dtype=bool)  # each contact's phrases start with its needs
    for k, c in enumerate(contacts):
        need_rows[np.flatnonzero((circle.owners == k) & ((circle.kinds & PHRASE) != 0))[: len(c["needs"])]] = True
    scores, gated = np.zeros_like(best), np.zeros_like(best)
    for i, item in enumerate(items):
        lexical = np.zeros(len(contacts))
        for s in circle.lexical.rank(item["text"], limit=len(contacts)):
            lexical[s.id] = s.score
        scores[i] = share_rank.combined(lexical=lexical, document=document[i], notes=notes[i], best=best[i])
        top = lexical.max()
        gated[i] = share_rank.WEIGHTS["lexical"] * (lexical / top if top > 0 else 0) * np.clip(
            best[i] / share_rank.LEXICAL_FULL_AT, 0, 1)
        if not relevance.terms(item["text"]):
            scores[i] = -np.inf
    position = {c["id"]: k for k, c in enumerate(contacts)}
    return Set(name, contacts, items, scores, _per_contact(circle, actor_sims, (circle.kinds & IDENTITY) != 0),
               _per_contact(circle, actor_sims, need_rows), np.array([bool(a) for a in actors]),
               np.array([position[t["expected"]] for t in items]), best, gated)


def first(s: Set, i: int, *, swap: bool, margin: float = TWIN_MARGIN) -> int:
    """The contact ranked first for text ``i`` (-1: nobody), with or without the twins' swap."""
    scores = s.scores[i]
    if not np.isfinite(scores).any():
        return -1
    order = np.argsort(-np.where(np.isfinite(scores), scores, -1e9), kind="stable")
    a, b = int(order[0]), int(order[1]) if len(order) > 1 else -1
    if swap and s.has_actor[i] and b >= 0 and np.isfinite(scores[b]):
        twin = s.organization[i, a] - s.organization[i, b] > margin
        seeks = s.needs[i, b] > s.needs[i, a]
        if twin and seeks:
            return b
    return a


def top1(s: Set, **kw) -> dict[str, list[int]]:
    found = {"fr": [0, 0], "en": [0, 0]}
    for i, item in enumerate(s.items):
        found[item["lang"]][0] += first(s, i, **kw) == s.targets[i]
        found[item["lang"]][1] += 1
    return found


def development() -> tuple[list[Set], list[Set]]:
    sets = []
    for label, files in DEVELOPMENT.items():
        contacts = _contacts(files[0] if label in OWN else "ranking.json", label in OWN)
        if label in OWN:  # their contacts carry their language (ranking.json's do not)
            raw = json.loads((DATA / files[0]).read_text(encoding="utf-8"))["contacts"]
            for c, written in zip(contacts, raw, strict=True):
                c["lang"] = written.get("lang")
        items = [t for name in files for t in json.loads((DATA / name).read_text(encoding="utf-8"))["texts"]]
        sets.append(build(label, contacts, items))
    training = [build(path.stem, *parse_train(path)) for path in sorted(TRAIN.glob("*.txt"))]
    return sets, training


def summary(sets: list[Set], training: list[Set], **kw) -> str:
    def count(group: list[Set]) -> int:
        return sum(h for s in group for h, _ in top1(s, **kw).values())

    shown = " / ".join(f"{s.name} " + " ".join(f"{lang} {h}/{t}" for lang, (h, t) in top1(s, **kw).items())
                       for s in sets)
    return f"{shown}; in-sample {count(sets[:3])}/124, training {count(training)}/429"


def misses(groups: dict[str, list[Set]]) -> None:
    """Each group's misses by what decided them (the app's ranking, no swap)."""
    for label, group in groups.items():
        kinds = {"right contact second": 0, "below the floor (no word, best cosine < 0.20)": 0,
                 "decided by the lexical channel": 0, "language crossed (right contact's language != text's)": 0,
                 "language crossed, won by a contact in the text's language": 0}
        total = 0
        for s in group:
            for i, item in enumerate(s.items):
                a, t = first(s, i, swap=False), s.targets[i]
                if a == t:
                    continue
                total += 1
                scores = s.scores[i]
                kinds["right contact second"] += 1 + int((np.where(np.isfinite(scores), scores, -1e9)
                                                          > scores[t]).sum()) == 2
                kinds["below the floor (no word, best cosine < 0.20)"] += not np.isfinite(scores[t])
                if a >= 0 and np.isfinite(scores[t]):
                    gap = scores[a] - scores[t]
                    kinds["decided by the lexical channel"] += gap - (s.lexical[i, a] - s.lexical[i, t]) < 0
                language = s.contacts[t].get("lang")
                if language:
                    crossed = language != item["lang"]
                    kinds["language crossed (right contact's language != text's)"] += crossed
                    kinds["language crossed, won by a contact in the text's language"] += crossed and a >= 0 and (
                        s.contacts[a].get("lang") == item["lang"])
        print(f"{label}: {total} misses; " + "; ".join(f"{k} {v}" for k, v in kinds.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--grid", action="store_true", help="the swap's margin from 0.10 to 0.25")
    parser.add_argument("--score", type=Path, metavar="FILE", help="one set with its own circle, top-1 per language")
    args = parser.parse_args()
    if args.score:
        s = build(args.score.name, _contacts(args.score.resolve(), True),
                  json.loads(args.score.read_text(encoding="utf-8"))["texts"])
        for swap in (False, True):
            print(f"{args.score.name} ({'twins swap' if swap else 'app'}): "
                  + ", ".join(f"{lang} {h}/{t}" for lang, (h, t) in top1(s, swap=swap).items()))
        return
    sets, training = development()
    misses({"in-sample (124)": sets[:3], "s9a (40)": sets[3:], "training (429)": training})
    print("app:        ", summary(sets, training, swap=False))
    print("twins swap: ", summary(sets, training, swap=True))
    if args.grid:
        for margin in (0.10, 0.125, 0.15, 0.175, 0.20, 0.25):
            print(f"margin {margin:.3f}:", summary(sets, training, swap=True, margin=margin))


if __name__ == "__main__":
    main()
