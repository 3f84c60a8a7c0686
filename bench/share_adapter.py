"""Share with the few: a learned query-side adapter on top of the shipped encoder (USE multilingual).

    .venv/bin/python bench/share_adapter.py --rank 0 --reg 0.01 --epochs 30 --tau 0.2 --cv   # one run
    .venv/bin/python bench/share_adapter.py --cv --grid "0,0.01,30,0.001,0.2 -1,0.001,100,0.01,0.2"
                                            # several (rank,reg,epochs,lr,tau; rank -1: diagonal)

The pasted text's vector q becomes normalise(q + U (Vᵀ q)) (rank > 0) or normalise(W q) with
W = I + D (rank 0, a full 512 × 512 correction), before the cosines with the circle's stored rows;
the stored rows do not change. It is trained in numpy with a softmax over the contacts of the text's
circle (the right contact against the others), on the app's combined score (`share_rank.combined`,
lexical channel included, without its "not suggested" floor), with Adam and an L2 pull towards the
identity.

Training data: bench/share_train/*.txt, fictional circles written for this (session 8), never the
test sets. ``--cv`` also trains on all circles but one and scores the one left out. Model
selection: the in-sample sets of tests/app/journey/data only (as bench/share_offline.py). The blind
set (share_heldout_s3.json) is never read here. Result (bench/RESULTS.md, session 8): +2–3 % on a
training circle left out, nothing on the test sets; not shipped.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from share_offline import DATA, OWN_CIRCLE, SETS, Circle, _contacts  # noqa: E402

from tablee.text import embeddings, relevance, share_rank  # noqa: E402
from tablee.text.share_rank import DOCUMENT, NOTE, PHRASE  # noqa: E402

TRAIN = HERE / "share_train"


def parse_train(path: Path) -> tuple[list[dict], list[dict]]:
    """One training circle: ``C|id|lang|member|name|organization|position|sector|needs;…|interests;…|notes``
    and ``T|expected|lang|text`` lines (``#`` starts a comment)."""
    contacts, texts = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, *fields = line.split("|")
        if kind == "C":
            cid, lang, member, name, organization, position, sector, needs, interests, notes = fields
            is_member = member == "1"
            split = (lambda s: [x.strip() for x in s.split(";") if x.strip()])  # noqa: E731
            c = {"id": int(cid), "lang": lang, "name": name, "notes": notes, "organization": organization,
                 "position": position, "sector": sector if is_member else "",
                 "needs": split(needs) if is_member else [], "interests": split(interests) if is_member else []}
            c["profile"] = " ".join(x for x in (organization, position, c["sector"]) if x).strip()
            contacts.append(c)
        elif kind == "T":
            expected, lang, text = fields
            texts.append({"expected": int(expected), "lang": lang, "text": text})
        else:
            raise ValueError(f"{path.name}: {line[:40]}")
    ids = {c["id"] for c in contacts}
    assert len(ids) == len(contacts) and all(t["expected"] in ids for t in texts), path.name
    return contacts, texts


@dataclass
class Batch:
    """One circle's texts, laid out for vectorised training."""

    name: str
    circle: Circle
    queries: np.ndarray  # (t, 512)
    targets: np.ndarray  # (t,) contact positions
    lexical: np.ndarray  # (t, c) raw lexical scores
    langs: list[str]
    texts: list[str]
    index: dict[int, np.ndarray]  # kind -> (c, m) row indices, -1 padded
    has_terms: np.ndarray  # (t,) bool: the text has a term the lexical channel reads

    @classmethod
    def make(cls, name: str, circle: Circle, items: list[dict], queries: np.ndarray) -> Batch:
        position = {c["id"]: k for k, c in enumerate(circle.contacts)}
        lexical = np.zeros((len(items), len(circle.contacts)))
        for i, item in enumerate(items):
            for s in circle.lexical.rank(item["text"], limit=len(circle.contacts)):
                lexical[i, s.id] = s.score
        index = {}
        for kind in (DOCUMENT, PHRASE, NOTE):
            rows = [np.flatnonzero(((circle.kinds & kind) != 0) & (circle.owners == k)) for k in range(len(circle.contacts))]
            width = max(1, max(len(r) for r in rows))
            index[kind] = np.array([np.pad(r, (0, width - len(r)), constant_values=-1) for r in rows])
        return cls(name, circle, queries, np.array([position[t["expected"]] for t in items]), lexical,
                   [t["lang"] for t in items], [t["text"] for t in items], index,
                   np.array([bool(relevance.terms(t["text"])) for t in items]))


class Adapter:
    """q -> normalise(q + U Vᵀ q) (rank r) or normalise((I + D) q) (rank 0)."""

    def __init__(self, rank: int, dim: int = embeddings.DIMENSIONS, seed: int = 0):
        rng = np.random.default_rng(seed)
        self.rank = rank
        if rank < 0:  # a diagonal: one scale per dimension
            self.d = np.zeros(dim)
        elif rank:
            self.U = rng.normal(0, 1e-3, (dim, rank))
            self.V = rng.normal(0, 1e-3, (dim, rank))
        else:
            self.D = np.zeros((dim, dim))

    def params(self) -> list[np.ndarray]:
        return [self.d] if self.rank < 0 else [self.U, self.V] if self.rank else [self.D]

    def matrix(self) -> np.ndarray:
        """W such that the adapted query is normalise(W q)."""
        if self.rank < 0:
            return np.diag(1 + self.d)
        eye = np.eye(self.U.shape[0] if self.rank else self.D.shape[0])
        return eye + (self.U @ self.V.T if self.rank else self.D)

    def raw(self, q: np.ndarray) -> np.ndarray:
        if self.rank < 0:
            return q * (1 + self.d)
        return q + ((q @ self.V) @ self.U.T if self.rank else q @ self.D.T)

    def __call__(self, q: np.ndarray) -> np.ndarray:
        z = self.raw(q)
        return z / np.linalg.norm(z, axis=-1, keepdims=True)


def features(batch: Batch, n: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per text and contact: the cosines (document, phrase, notes) and the row each came from (-1: none)."""
    sims = n @ batch.circle.rows.T  # (t, r)
    values, rows = {}, {}
    for name, kind in (("document", DOCUMENT), ("phrase", PHRASE), ("notes", NOTE)):
        idx = batch.index[kind]
        gathered = np.where(idx[None] >= 0, sims[:, np.maximum(idx, 0)], -np.inf)  # (t, c, m)
        arg = gathered.argmax(axis=2)
        best = np.take_along_axis(gathered, arg[..., None], axis=2)[..., 0]
        row = np.take_along_axis(np.broadcast_to(idx, gathered.shape), arg[..., None], axis=2)[..., 0]
        values[name] = np.where(np.isfinite(best), best, 0.0)
        rows[name] = np.where(np.isfinite(best), row, -1)
    return values, rows


def scores_and_grad(batch: Batch, adapter: Adapter, tau: float, meaning: bool = False):
    """Softmax cross-entropy over the circle's contacts; returns (loss sum, grads, hits)."""
    q = batch.queries
    z = adapter.raw(q)
    norm = np.linalg.norm(z, axis=1, keepdims=True)
    n = z / norm
    f, rows = features(batch, n)
    best = np.maximum(f["phrase"], f["notes"])
    best_row = np.where(f["phrase"] >= f["notes"], rows["phrase"], rows["notes"])
    top = batch.lexical.max(axis=1, keepdims=True)
    lex = np.where(top > 0, batch.lexical / np.where(top > 0, top, 1), 0.0)
    w = share_rank.WEIGHTS
    if meaning:
        score = best + 0.5 * f["document"] + 0.5 * f["notes"]
        dbest = np.ones_like(best)
        wdoc = wnote = 0.5
    else:
        agreement = np.clip(best / share_rank.LEXICAL_FULL_AT, 0, 1)
        score = w["lexical"] * lex * agreement + w["document"] * f["document"] + w["notes"] * f["notes"] + w["best"] * best
        dbest = w["best"] + np.where((best > 0) & (best < share_rank.LEXICAL_FULL_AT),
                                     w["lexical"] * lex / share_rank.LEXICAL_FULL_AT, 0.0)
        wdoc, wnote = w["document"], w["notes"]
    logits = score / tau
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    t = np.arange(len(q))
    loss = -np.log(p[t, batch.targets] + 1e-12).sum()
    hits = (score.argmax(axis=1) == batch.targets)
    g = p.copy()
    g[t, batch.targets] -= 1
    g /= tau  # d loss / d score, (t, c)
    # d score / d n = sum over contributing rows; accumulate into per-row weights (t, r)
    R = batch.circle.rows
    wrow = np.zeros((len(q), len(R)))
    for coef, row in ((g * dbest, best_row), (g * wdoc, rows["document"]), (g * wnote, rows["notes"])):
        ok = row >= 0
        ti, ci = np.nonzero(ok)
        np.add.at(wrow, (ti, row[ti, ci]), coef[ti, ci])
    gn = wrow @ R  # (t, d)
    gz = (gn - (gn * n).sum(axis=1, keepdims=True) * n) / norm
    if adapter.rank < 0:
        return loss, [(gz * q).sum(axis=0)], hits
    if adapter.rank:
        qv = q @ adapter.V  # (t, r)
        gU = gz.T @ qv
        gV = q.T @ (gz @ adapter.U)
        return loss, [gU, gV], hits
    return loss, [gz.T @ q], hits


def train(batches: list[Batch], *, rank: int, reg: float, epochs: int, lr: float, tau: float, seed: int = 0,
          meaning: bool = False, verbose: bool = False) -> Adapter:
    adapter = Adapter(rank, seed=seed)
    params = adapter.params()
    m = [np.zeros_like(x) for x in params]
    v = [np.zeros_like(x) for x in params]
    count = sum(len(b.targets) for b in batches)
    for epoch in range(1, epochs + 1):
        grads = [np.zeros_like(x) for x in params]
        total, hits = 0.0, 0
        for b in batches:
            loss, gs, h = scores_and_grad(b, adapter, tau, meaning)
            total += loss
            hits += int(h.sum())
            for acc, gx in zip(grads, gs, strict=True):
                acc += gx
        for k, x in enumerate(params):
            gx = grads[k] / count + 2 * reg * x
            m[k] = 0.9 * m[k] + 0.1 * gx
            v[k] = 0.999 * v[k] + 0.001 * gx * gx
            x -= lr * (m[k] / (1 - 0.9**epoch)) / (np.sqrt(v[k] / (1 - 0.999**epoch)) + 1e-8)
        if verbose and (epoch % 50 == 0 or epoch == 1):
            print(f"  epoch {epoch}: loss {total / count:.3f}, train top-1 {hits}/{count}")
    return adapter


def load_training(encode) -> list[Batch]:
    out = []
    for path in sorted(TRAIN.glob("*.txt")):
        contacts, items = parse_train(path)
        circle = Circle(contacts, encode)
        out.append(Batch.make(path.stem, circle, items, encode([t["text"] for t in items]).astype(np.float64)))
    return out


def load_selection(encode) -> list[Batch]:
    """The in-sample test sets, as bench/share_offline.py lays them out (never the blind set)."""
    out = []
    for label, files in SETS.items():
        assert not any("s3" in name for name in files)
        circle = Circle(_contacts(files[0] if label in OWN_CIRCLE else "ranking.json", label in OWN_CIRCLE), encode)
        items = [t for name in files for t in json.loads((DATA / name).read_text(encoding="utf-8"))["texts"]]
        out.append(Batch.make(label, circle, items, encode([t["text"] for t in items]).astype(np.float64)))
    return out


def target_ranks(batch: Batch, queries: np.ndarray) -> np.ndarray:
    """The rank (1 = first) of the right contact by the app's score, for each text."""
    f, _ = features(batch, queries)
    best = np.maximum(f["phrase"], f["notes"])
    out = np.zeros(len(queries), dtype=int)
    for i in range(len(queries)):
        scores = share_rank.combined(lexical=batch.lexical[i], document=f["document"][i], notes=f["notes"][i],
                                     best=best[i])
        scores = np.where(np.isfinite(scores), scores, -1e9)
        out[i] = 1 + int((scores > scores[batch.targets[i]]).sum())
    return out


def mrr(batches: list[Batch], adapter: Adapter | None) -> float:
    ranks = np.concatenate([target_ranks(b, adapter(b.queries) if adapter is not None else b.queries)
                            for b in batches])
    return float((1 / ranks).mean())


def first_choices(batch: Batch, queries: np.ndarray) -> np.ndarray:
    """The contact ranked first for each text by the app's score (lexical, thresholds, floor); -1: none.
    The same as `Circle.first` (checked in ``main``), vectorised over a circle's texts."""
    f, _ = features(batch, queries)
    best = np.maximum(f["phrase"], f["notes"])
    out = np.full(len(queries), -1)
    for i in range(len(queries)):
        if not batch.has_terms[i]:
            continue
        scores = share_rank.combined(lexical=batch.lexical[i], document=f["document"][i], notes=f["notes"][i],
                                     best=best[i])
        if np.isfinite(scores).any():
            out[i] = int(np.argmax(scores))
    return out


def evaluate(batches: list[Batch], adapter: Adapter | None, *, misses: bool = False) -> dict[str, dict[str, list[int]]]:
    """Top-1 with the app's scorer, per set and language."""
    out = {}
    for b in batches:
        found = {"fr": [0, 0], "en": [0, 0]}
        queries = adapter(b.queries) if adapter is not None else b.queries
        firsts = first_choices(b, queries.astype(np.float32).astype(np.float64))
        for text, lang, first, target in zip(b.texts, b.langs, firsts, b.targets, strict=True):
            hit = first == target
            found[lang][0] += hit
            found[lang][1] += 1
            if misses and not hit:
                print(f"  miss {b.name} {lang}: {text[:90]}")
        out[b.name] = found
    return out


def check_against_offline(batches: list[Batch]) -> None:
    """The vectorised scorer gives the same first contact as bench/share_offline.py's `Circle.first`."""
    for b in batches:
        firsts = first_choices(b, b.queries)
        for text, query, first in zip(b.texts, b.queries, firsts, strict=True):
            slow = b.circle.first(text, query.astype(np.float32), meaning_only=False)
            assert (-1 if slow is None else slow) == first, (b.name, text)


def line(result: dict[str, dict[str, list[int]]]) -> str:
    total = sum(v[0] for r in result.values() for v in r.values())
    count = sum(v[1] for r in result.values() for v in r.values())
    parts = [f"{name} fr {r['fr'][0]}/{r['fr'][1]} en {r['en'][0]}/{r['en'][1]}" for name, r in result.items()]
    return f"{total}/{count} | " + " | ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rank", type=int, default=0)
    parser.add_argument("--reg", type=float, default=1e-2)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--tau", type=float, default=0.05)
    parser.add_argument("--meaning", action="store_true", help="train on the cosines alone")
    parser.add_argument("--cv", action="store_true", help="leave one training circle out")
    parser.add_argument("--grid", help="'rank,reg,epochs,lr,tau ...' (rank -1: diagonal)")
    parser.add_argument("--save", type=Path, help="write the chosen W (float32 .npy)")
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    encode = embeddings.encode
    training = load_training(encode)
    selection = load_selection(encode)
    print(f"training: {len(training)} circles, {sum(len(b.targets) for b in training)} texts, "
          f"{sum(len(b.circle.contacts) for b in training)} contacts")
    check_against_offline(selection)
    print("before  train:", line(evaluate(training, None)))
    print("before  select:", line(evaluate(selection, None)))
    grid = [(args.rank, args.reg, args.epochs, args.lr, args.tau)]
    if args.grid:
        grid = [tuple(f(x) for f, x in zip((int, float, int, float, float), spec.split(","), strict=True))
                for spec in args.grid.split()]
    for rank, reg, epochs, lr, tau in grid:
        label = f"rank {rank} reg {reg:g} epochs {epochs} lr {lr:g} tau {tau:g}"
        if args.cv:
            hits = count = 0
            for k, held in enumerate(training):
                adapter = train(training[:k] + training[k + 1 :], rank=rank, reg=reg, epochs=epochs, lr=lr, tau=tau,
                                meaning=args.meaning)
                r = evaluate([held], adapter)[held.name]
                base = evaluate([held], None)[held.name]
                hits += r["fr"][0] + r["en"][0]
                count += base["fr"][0] + base["en"][0]
                print(f"  cv {held.name}: {base['fr'][0] + base['en'][0]} -> {r['fr'][0] + r['en'][0]} / {len(held.targets)}")
            print(f"{label} cv: {count} -> {hits}")
        adapter = train(training, rank=rank, reg=reg, epochs=epochs, lr=lr, tau=tau, meaning=args.meaning,
                        verbose=not args.grid)
        print(f"{label} train:", line(evaluate(training, adapter)))
        print(f"{label} select:", line(evaluate(selection, adapter, misses=args.misses)),
              f"| MRR {mrr(selection, None):.3f} -> {mrr(selection, adapter):.3f}", flush=True)
        if args.save:
            np.save(args.save, adapter.matrix().astype(np.float32))


if __name__ == "__main__":
    main()
