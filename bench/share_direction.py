"""Share with the few: who offers and who seeks? (issue 11, point 8; session 9, not shipped)

    .venv/bin/python bench/share_direction.py            # everything below, ~1 min on 2 cores
    .venv/bin/python bench/share_direction.py --show c11 # each text of a circle by direction, with cosines

A pasted text either offers something (money, space, jobs, a program, a service) or describes someone
who seeks it, and the right contact is on the other side. Tried here, on the training circles
(bench/share_train) and the in-sample sets as bench/share_offline.py lays them out; the held-out sets
(share_heldout_s3, s8a, s8b) are never read here:

1. a direction axis of USE built from paired prototype phrases (the same object offered and sought,
   English and French, 14 templates x 14 objects: the object cancels in each pair's difference); a
   text's direction is its projection, centred and scaled so that the prototypes sit at about +-1;
2. each row's cosine weighed by (1 - lam * direction * side), side -1 for a need (what the contact
   seeks), +1 for organization/position/sector (what they do), a note its own projection, a constant or
   0 ("grid");
3. a pairwise rule: when the first two contacts are within delta, a text that offers goes to the one
   matched more by a need than by what they do, a text that seeks to the other ("pairs");
4. on circle c11 (both sides of one need), with directions labelled by hand for its 36 texts and the
   side of its 24 contacts (training data): how well the axis sorts them (AUC) and what the weighting
   would give with perfect directions ("oracle").

Result (bench/RESULTS.md, session 9): the weighting needs each contact's side, and the axis does not
give it (AUC 0.73 on c11's notes; 0.83 on its texts); with hand-labelled sides c11 goes from 21 to 30 of
36, with the axis's sides or the fields alone nothing carries. Not shipped.
"""

from __future__ import annotations

import argparse
import itertools
import pickle
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from share_adapter import Batch, load_selection, load_training  # noqa: E402
from share_rerank import row_fields  # noqa: E402

from tablee.text import embeddings, share_rank  # noqa: E402
from tablee.text.share_rank import DOCUMENT, NOTE, PHRASE  # noqa: E402

Encoder = Callable[[Sequence[str]], np.ndarray]
CACHE = Path("/tmp/share_direction_cache.pkl")
NEED, INTEREST, ORGANIZATION, NOTE_FIELD = 1, 2, 3, 4  # `share_rerank.row_fields`; 0 is the whole document
C11 = "c11_capital_transfer"
# c11's texts in file order, labelled by hand: +1 the text offers, -1 it describes someone seeking, 0 neither.
C11_TEXTS = [-1, 1, 1, -1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, -1, -1, -1,
             0, 1, 1, 1, -1, 0, -1, 1, 0, 0, 0, 1]
# c11's contacts in file order: +1 mostly offers (an investor, a lender, a landlord, an adviser), -1 seeks.
C11_CONTACTS = [1, -1, 1, 1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, 1, 1, 1]

# Objects a text may offer or seek, with the article each language needs.
OBJECTS = (
    ("funding", "du financement"),
    ("office space", "des locaux"),
    ("jobs", "des emplois"),
    ("a mentor", "un mentor"),
    ("training", "de la formation"),
    ("equipment", "de l'équipement"),
    ("advice", "des conseils"),
    ("volunteers", "des bénévoles"),
    ("a partner", "un partenaire"),
    ("a supplier", "un fournisseur"),
    ("housing", "un logement"),
    ("customers", "des clients"),
    ("a service", "un service"),
    ("a program", "un programme"),
)
# Templates: (offers, seeks), each with {x}, in English then in French; first, second and third
# persons, an organization, a program, so that only the direction is common to each side.
TEMPLATES = (
    ("We offer {x}.", "We are looking for {x}."),
    ("Our organization provides {x} to those who need it.", "Our organization needs {x} and cannot find any."),
    ("She can help you with {x}.", "She needs help with {x}."),
    ("A new program gives {x} to anyone who applies.", "Many people are still waiting for {x}."),
    ("They have {x} available right now.", "They are short of {x} right now."),
    ("Helps small businesses get {x}.", "His small business needs {x}."),
    ("Runs a firm that supplies {x} to companies.", "Runs a company that is trying to find {x}."),
    ("Nous offrons {x}.", "Nous cherchons {x}."),
    ("Notre organisme fournit {x} à ceux qui en ont besoin.", "Notre organisme a besoin de trouver {x} et n'y arrive pas."),
    ("Elle offre son aide pour {x}.", "Elle a besoin d'aide pour {x}."),
    ("Un nouveau programme donne {x} à tous ceux qui en font la demande.", "Beaucoup de gens attendent encore {x}."),
    ("Ils ont {x} disponible dès maintenant.", "Ils sont à court : il leur faut {x}."),
    ("Aide les petites entreprises à obtenir {x}.", "Sa petite entreprise cherche {x}."),
    ("Dirige une firme qui fournit {x} aux entreprises.", "Dirige une entreprise qui essaie de trouver {x}."),
)


def prototypes() -> tuple[list[str], list[str]]:
    """(offers, seeks): the same objects in the same order on both sides."""
    offers: list[str] = []
    seeks: list[str] = []
    for k, (offer, seek) in enumerate(TEMPLATES):
        french = k >= len(TEMPLATES) // 2
        for english_object, french_object in OBJECTS:
            x = french_object if french else english_object
            offers.append(_capitalised(offer.format(x=x)))
            seeks.append(_capitalised(seek.format(x=x)))
    return offers, seeks


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


class Axis:
    """The direction axis of an encoder: ``of(vectors)`` gives each vector's direction in [-1, 1]."""

    def __init__(self, encode: Encoder) -> None:
        offers, seeks = prototypes()
        vectors = np.asarray(encode(offers + seeks), dtype=np.float64)
        offer, seek = vectors[: len(offers)], vectors[len(offers) :]
        axis = (offer - seek).mean(axis=0)
        self.vector = axis / np.linalg.norm(axis)
        high, low = offer @ self.vector, seek @ self.vector
        self.centre = float((high.mean() + low.mean()) / 2)
        self.scale = float((high.mean() - low.mean()) / 2)

    def of(self, vectors: np.ndarray) -> np.ndarray:
        """The direction of each row of ``vectors`` (or of one vector), in [-1, 1]."""
        raw = np.asarray(vectors, dtype=np.float32) @ self.vector.astype(np.float32)
        return np.clip((raw - self.centre) / self.scale, -1.0, 1.0)



def load(refresh: bool = False) -> tuple[list[Batch], list[Batch]]:
    """The training circles and the in-sample sets, encoded once (cached in /tmp between runs)."""
    if CACHE.exists() and not refresh:
        out = pickle.loads(CACHE.read_bytes())
    else:
        out = (load_training(embeddings.encode), load_selection(embeddings.encode))
        CACHE.write_bytes(pickle.dumps(out))
    for b in out[0] + out[1]:
        b.fields = row_fields(b)  # type: ignore[attr-defined]
    return out


def score(b: Batch, factor: np.ndarray) -> np.ndarray:
    """(texts, contacts): the app's combined score with the phrases' and notes' cosines multiplied by
    ``factor`` (texts, rows); the whole document's cosine is left as it is."""
    c = b.circle
    sims = b.queries @ c.rows.T
    weighed = sims * factor
    out = {}
    for name, kind in (("document", DOCUMENT), ("phrase", PHRASE), ("notes", NOTE)):
        src = sims if kind == DOCUMENT else weighed
        best = np.full((len(sims), len(c.contacts)), -np.inf)
        mask = (c.kinds & kind) != 0
        for k in range(len(c.contacts)):
            rows = np.flatnonzero(mask & (c.owners == k))
            if len(rows):
                best[:, k] = src[:, rows].max(axis=1)
        out[name] = np.where(np.isfinite(best), best, 0.0)
    best = np.maximum(out["phrase"], out["notes"])
    return np.stack([share_rank.combined(lexical=b.lexical[i], document=out["document"][i], notes=out["notes"][i],
                                         best=best[i]) for i in range(len(sims))])


def top1(b: Batch, scores: np.ndarray) -> dict[str, list[int]]:
    found = {"fr": [0, 0], "en": [0, 0]}
    for i, lang in enumerate(b.langs):
        ok = b.has_terms[i] and np.isfinite(scores[i]).any() and int(np.argmax(scores[i])) == b.targets[i]
        found[lang][0] += bool(ok)
        found[lang][1] += 1
    return found


def line(results: dict[str, dict[str, list[int]]]) -> str:
    """Totals of the training circles (c11 apart) and of the in-sample sets, per set fr+en."""
    def total(keys: list[str]) -> str:
        hit = sum(results[k][lang][0] for k in keys for lang in ("fr", "en"))
        return f"{hit}/{sum(results[k][lang][1] for k in keys for lang in ('fr', 'en'))}"

    train = [k for k in results if k.startswith("c")]
    select = [k for k in results if not k.startswith("c")]
    return (f"train {total(train)} (c11 {total([C11])}) | in-sample {total(select)} ["
            + " ".join(f"{k} fr {results[k]['fr'][0]} en {results[k]['en'][0]}" for k in select) + "]")


def sides(b: Batch, note_side: np.ndarray) -> np.ndarray:
    return np.select([b.fields == NEED, b.fields == ORGANIZATION, b.fields == NOTE_FIELD],  # type: ignore[attr-defined]
                     [-1.0, 1.0, note_side], 0.0)


def auc(score: np.ndarray, labels: Sequence[int]) -> float:
    """How often a +1 item scores above a -1 item (0.5: chance)."""
    lab = np.asarray(labels)
    return float(np.mean([(p > n) + 0.5 * (p == n) for p in score[lab > 0] for n in score[lab < 0]]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--refresh", action="store_true", help="encode again (the cache is in /tmp)")
    parser.add_argument("--show", help="a set's texts by direction, with the cosines per field")
    args = parser.parse_args()
    training, selection = load(args.refresh)
    batches = training + selection
    axis = Axis(embeddings.encode)
    raw = {b.name: (b.queries @ axis.vector - axis.centre) / axis.scale for b in batches}
    app = {b.name: score(b, np.ones((len(b.targets), len(b.circle.rows)))) for b in batches}
    if args.show:
        show(next(b for b in batches if b.name.startswith(args.show)), raw, app)
        return
    print("app:", line({b.name: top1(b, app[b.name]) for b in batches}), flush=True)

    print("grid: shift, gain, lam, note side (c: constant, p: projection minus a shift)")
    for shift, gain, lam, notes in itertools.product((0.0, 0.2), (1.0, 2.0), (0.2, 0.3, 0.5),
                                                     ("0", "c0.5", "c1", "p0", "p-0.3", "p-0.6")):
        results = {}
        for b in batches:
            t = np.clip(gain * (raw[b.name] - shift), -1, 1)
            projected = (b.circle.rows @ axis.vector - axis.centre) / axis.scale
            note = (np.full(len(projected), float(notes[1:])) if notes[0] == "c"
                    else np.clip(projected - float(notes[1:]), -1, 1) if notes[0] == "p" else np.zeros(len(projected)))
            results[b.name] = top1(b, score(b, 1.0 - lam * t[:, None] * sides(b, note)[None, :]))
        print(f"  {shift} {gain} {lam} {notes}: {line(results)}", flush=True)

    print("pairs: delta, tau (|direction - shift| at least), shift")
    for delta, tau, shift in itertools.product((0.02, 0.05, 0.1, 0.2), (0.2, 0.4, 0.6), (0.0, 0.2)):
        results = {b.name: top1(b, pairs(b, app[b.name], raw[b.name] - shift, delta=delta, tau=tau)) for b in batches}
        print(f"  {delta} {tau} {shift}: {line(results)}", flush=True)

    oracle(next(b for b in training if b.name == C11), axis)


def pairs(b: Batch, base: np.ndarray, t: np.ndarray, *, delta: float, tau: float) -> np.ndarray:
    """The app's scores, with the first two swapped when close and the text's direction says so."""
    sims = b.queries @ b.circle.rows.T
    n = len(b.circle.contacts)

    def field_max(mask: np.ndarray) -> np.ndarray:
        out = np.zeros((len(sims), n))
        for k in range(n):
            rows = np.flatnonzero(mask & (b.circle.owners == k))
            if len(rows):
                out[:, k] = sims[:, rows].max(axis=1)
        return out

    f = b.fields  # type: ignore[attr-defined]
    side = field_max(f == NEED) - np.maximum(field_max(f == ORGANIZATION), field_max(f == NOTE_FIELD))
    out = base.copy()
    for i in range(len(out)):
        first, second = np.argsort(-out[i])[:2]
        if not np.isfinite(out[i, second]) or out[i, first] - out[i, second] >= delta or abs(t[i]) < tau:
            continue
        if (side[i, first] >= side[i, second]) != (t[i] > 0):
            out[i, second] = out[i, first] + 1e-6
    return out


def oracle(b: Batch, axis: Axis) -> None:
    """c11: the axis against the hand labels, and the weighting with labelled or estimated sides."""
    f = b.fields  # type: ignore[attr-defined]
    notes = np.flatnonzero(f == NOTE_FIELD)
    assert len(b.targets) == len(C11_TEXTS) and len(notes) == len(C11_CONTACTS)
    projected = axis.of(b.circle.rows)
    print(f"c11: axis AUC on its texts {auc(axis.of(b.queries), C11_TEXTS):.2f}, on its notes "
          f"{auc(projected[notes], C11_CONTACTS):.2f}")
    for field, code in (("whole document", 0), ("organization", ORGANIZATION), ("needs", NEED)):
        per_contact = np.array([projected[(b.circle.owners == k) & (f == code)].mean()
                                if ((b.circle.owners == k) & (f == code)).any() else 0.0
                                for k in range(len(b.circle.contacts))])
        print(f"  contacts' side from their {field}: AUC {auc(per_contact, C11_CONTACTS):.2f}")
    labelled = np.zeros(len(f))
    labelled[notes] = np.array(C11_CONTACTS)[b.circle.owners[notes]]
    texts = {"labelled": np.array(C11_TEXTS, dtype=float), "axis": axis.of(b.queries),
             "axis sign": np.sign(axis.of(b.queries))}
    notes_side = {"labelled": labelled, "axis": projected, "0 (needs/org only)": np.zeros(len(f))}
    for (tn, t), (nn, ns) in itertools.product(texts.items(), notes_side.items()):
        hits = []
        for lam in (0.3, 0.5, 1.0):
            r = top1(b, score(b, 1.0 - lam * t[:, None] * sides(b, ns)[None, :]))
            hits.append(r["fr"][0] + r["en"][0])
        print(f"  c11 texts {tn}, notes {nn}: lam 0.3 / 0.5 / 1.0 -> {hits} of {len(b.targets)} (app 21)")


def show(b: Batch, raw: dict[str, np.ndarray], app: dict[str, np.ndarray]) -> None:
    sims = b.queries @ b.circle.rows.T
    labels = np.array(["doc", "need", "int", "org", "note"])
    for i in np.argsort(raw[b.name]):
        first = int(np.argmax(app[b.name][i]))
        parts = []
        for k in (b.targets[i], first) if first != b.targets[i] else (b.targets[i],):
            rows = np.flatnonzero(b.circle.owners == k)
            parts.append(b.circle.contacts[k]["name"].split()[0] + ":" + ",".join(
                f"{labels[x]}{sims[i, r]:.2f}" for x, r in zip(b.fields[rows], rows, strict=True) if x))  # type: ignore[attr-defined]
        mark = "ok  " if first == b.targets[i] else "MISS"
        print(f"  {raw[b.name][i]:+.2f} {mark} {b.texts[i][:70]:70s} | " + " || ".join(parts))


if __name__ == "__main__":
    main()
