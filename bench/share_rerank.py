"""Share with the few: a learned linear reranker on per-contact features (a conditional logit).

    .venv/bin/python bench/share_rerank.py [--reg 0 0.01] [--features combined,needs,...]
    .venv/bin/python bench/share_rerank.py --bilinear --reg 0.001 0.01

For each text, every contact of the circle gets a few numbers (the app's combined score, cosines per
field — needs, interests, organization, my notes, the whole document —, the lexical channel, the
contact's best cosine relative to the circle); a weight vector is fitted with a softmax over the
circle's contacts (the right contact against the others) on the training circles of
bench/share_train (plain numpy, Adam), and scored on the in-sample test sets; each training circle
is also scored by a fit on the others. ``--bilinear`` lets the text's vector weigh the fields
(score = x·w + (q·u)(y·v)), for texts that offer what a contact needs against texts that seek what
a contact offers. The blind set (share_heldout_s3.json) is never read here. Result
(bench/RESULTS.md, session 8): no gain on the test sets; not shipped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from share_adapter import Batch, features, line, load_selection, load_training  # noqa: E402

from tablee.text import embeddings, share_rank  # noqa: E402
from tablee.text.share_rank import NOTE, PHRASE  # noqa: E402


def row_fields(batch: Batch) -> np.ndarray:
    """For each row of the circle: 0 whole document, 1 need, 2 interest, 3 organization, 4 note."""
    circle = batch.circle
    fields = np.zeros(len(circle.rows), dtype=int)
    fields[(circle.kinds & NOTE) != 0] = 4
    for k, c in enumerate(circle.contacts):
        labels = [1] * len(c["needs"]) + [2] * len(c["interests"]) + ([3] if c["profile"] else [])
        rows = np.flatnonzero((circle.owners == k) & ((circle.kinds & PHRASE) != 0))
        assert len(rows) == len(labels), c["name"]
        fields[rows] = labels
    return fields


def per_field(batch: Batch, sims: np.ndarray, fields: np.ndarray, field: int) -> np.ndarray:
    """(t, c): the best cosine of each contact's rows of one field (0 where it has none)."""
    out = np.full((len(sims), len(batch.circle.contacts)), -np.inf)
    for k in range(len(batch.circle.contacts)):
        rows = np.flatnonzero((batch.circle.owners == k) & (fields == field))
        if len(rows):
            out[:, k] = sims[:, rows].max(axis=1)
    return np.where(np.isfinite(out), out, 0.0)


NAMES = ("combined", "document", "needs", "interests", "organization", "notes", "lexical", "best_z", "best_gap",
         "member")


def feature_tensor(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    """(t, c, f) features and the (t, c) mask of contacts the app would suggest at all."""
    q = batch.queries
    f, _ = features(batch, q)
    sims = q @ batch.circle.rows.T
    fields = row_fields(batch)
    best = np.maximum(f["phrase"], f["notes"])
    top = batch.lexical.max(axis=1, keepdims=True)
    lex = np.where(top > 0, batch.lexical / np.where(top > 0, top, 1), 0.0)
    combined = np.stack([share_rank.combined(lexical=batch.lexical[i], document=f["document"][i],
                                             notes=f["notes"][i], best=best[i]) for i in range(len(q))])
    relevant = np.isfinite(combined)
    mean = best.mean(axis=1, keepdims=True)
    std = best.std(axis=1, keepdims=True) + 1e-6
    second = np.sort(best, axis=1)[:, -2:-1]
    first = best.max(axis=1, keepdims=True)
    other = np.where(best >= first, second, first)  # the best of the other contacts
    member = np.array([bool(c["needs"] or c["interests"]) for c in batch.circle.contacts], dtype=float)
    columns = {
        "combined": np.where(relevant, combined, 0.0),
        "document": f["document"],
        "needs": per_field(batch, sims, fields, 1),
        "interests": per_field(batch, sims, fields, 2),
        "organization": per_field(batch, sims, fields, 3),
        "notes": f["notes"],
        "lexical": lex * np.clip(best / share_rank.LEXICAL_FULL_AT, 0, 1),
        "best_z": (best - mean) / std,
        "best_gap": best - other,
        "member": np.broadcast_to(member, best.shape),
    }
    return np.stack([columns[name] for name in NAMES], axis=2), relevant


def fit(data: list[tuple[np.ndarray, np.ndarray, np.ndarray]], use: list[int], *, reg: float, tau: float,
        steps: int = 2000, lr: float = 0.05) -> np.ndarray:
    """Weights over the used features, starting from the app's score alone (combined = 1)."""
    w = np.zeros(len(use))
    if 0 in use:
        w[use.index(0)] = 1.0
    start = w.copy()
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    count = sum(len(t) for _, _, t in data)
    for step in range(1, steps + 1):
        grad = np.zeros_like(w)
        for x, relevant, targets in data:
            x = x[:, :, use]
            logits = np.where(relevant, x @ w / tau, -1e9)
            logits -= logits.max(axis=1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(targets)), targets] -= 1
            grad += np.einsum("tc,tcf->f", p, x) / tau
        grad = grad / count + 2 * reg * (w - start)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= lr * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w


def _top1(b, score, targets) -> dict[str, list[int]]:
    """Per language: [texts whose right contact ranks first, texts]."""
    found = {"fr": [0, 0], "en": [0, 0]}
    for i, lang in enumerate(b.langs):
        ok = b.has_terms[i] and np.isfinite(score[i]).any() and int(np.argmax(score[i])) == targets[i]
        found[lang][0] += bool(ok)
        found[lang][1] += 1
    return found


def evaluate(batches, data, use, w) -> dict[str, dict[str, list[int]]]:
    out = {}
    for b, (x, relevant, targets) in zip(batches, data, strict=True):
        score = np.where(relevant, x[:, :, use] @ w, -np.inf)
        out[b.name] = _top1(b, score, targets)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reg", type=float, nargs="+", default=[0.0, 0.01, 0.1])
    parser.add_argument("--tau", type=float, default=0.05)
    parser.add_argument("--features", nargs="+", default=[",".join(NAMES)])
    parser.add_argument("--bilinear", action="store_true", help="the text-dependent field weights instead")
    args = parser.parse_args()
    if args.bilinear:
        main_bilinear(args.reg, args.tau)
        return
    training = load_training(embeddings.encode)
    selection = load_selection(embeddings.encode)
    train_data = [(*feature_tensor(b), b.targets) for b in training]
    select_data = [(*feature_tensor(b), b.targets) for b in selection]
    base = [NAMES.index("combined")]
    print("app score   train:", line(evaluate(training, train_data, base, np.ones(1))))
    print("app score   select:", line(evaluate(selection, select_data, base, np.ones(1))))
    for spec in args.features:
        use = [NAMES.index(name) for name in spec.split(",")]
        for reg in args.reg:
            # leave one training circle out
            hits = 0
            for k in range(len(training)):
                w = fit(train_data[:k] + train_data[k + 1 :], use, reg=reg, tau=args.tau, steps=400)
                r = evaluate([training[k]], [train_data[k]], use, w)[training[k].name]
                hits += r["fr"][0] + r["en"][0]
            w = fit(train_data, use, reg=reg, tau=args.tau, steps=400)
            print(f"{spec} reg {reg:g}: weights " + " ".join(f"{NAMES[u]}={x:+.2f}" for u, x in zip(use, w, strict=True)))
            print(f"   cv {hits}/{sum(len(b.targets) for b in training)}; train:",
                  line(evaluate(training, train_data, use, w)))
            print("   select:", line(evaluate(selection, select_data, use, w)), flush=True)




ROLE = ("needs", "interests", "organization", "notes", "document")


def fit_bilinear(data, queries, use, *, reg: float, tau: float, steps: int = 300, lr: float = 0.02, seed: int = 0):
    """score = x·w + (q·u) (y·v): the text's vector q decides how much each field counts (y = the
    cosines of ``ROLE``): a text that offers something is for whoever needs it, a text that seeks
    something for whoever offers it, if a direction u of the encoder's space tells them apart."""
    rng = np.random.default_rng(seed)
    role = [NAMES.index(name) for name in ROLE]
    w = np.zeros(len(use))
    if 0 in use:
        w[use.index(0)] = 1.0
    u = rng.normal(0, 0.1, queries[0].shape[1])
    v = rng.normal(0, 0.1, len(role))
    params = [w, u, v]
    start = [w.copy(), np.zeros_like(u), np.zeros_like(v)]
    m = [np.zeros_like(p) for p in params]
    s2 = [np.zeros_like(p) for p in params]
    count = sum(len(t) for _, _, t in data)
    for step in range(1, steps + 1):
        grads = [np.zeros_like(p) for p in params]
        for (x, relevant, targets), q in zip(data, queries, strict=True):
            xu, y = x[:, :, use], x[:, :, role]
            a = q @ u  # (t,)
            b = y @ v  # (t, c)
            logits = np.where(relevant, (xu @ w + a[:, None] * b) / tau, -1e9)
            logits -= logits.max(axis=1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(targets)), targets] -= 1
            p /= tau
            grads[0] += np.einsum("tc,tcf->f", p, xu)
            grads[1] += q.T @ (p * b).sum(axis=1)
            grads[2] += np.einsum("tc,tcf->f", p * a[:, None], y)
        for k, p_ in enumerate(params):
            g = grads[k] / count + 2 * reg * (p_ - start[k])
            m[k] = 0.9 * m[k] + 0.1 * g
            s2[k] = 0.999 * s2[k] + 0.001 * g * g
            p_ -= lr * (m[k] / (1 - 0.9**step)) / (np.sqrt(s2[k] / (1 - 0.999**step)) + 1e-8)
    return w, u, v


def evaluate_bilinear(batches, data, queries, use, model):
    w, u, v = model
    role = [NAMES.index(name) for name in ROLE]
    out = {}
    for b, (x, relevant, targets), q in zip(batches, data, queries, strict=True):
        score = np.where(relevant, x[:, :, use] @ w + (q @ u)[:, None] * (x[:, :, role] @ v), -np.inf)
        out[b.name] = _top1(b, score, targets)
    return out


def main_bilinear(regs: list[float], tau: float) -> None:
    training = load_training(embeddings.encode)
    selection = load_selection(embeddings.encode)
    train_data = [(*feature_tensor(b), b.targets) for b in training]
    select_data = [(*feature_tensor(b), b.targets) for b in selection]
    tq = [b.queries for b in training]
    sq = [b.queries for b in selection]
    use = [NAMES.index("combined")]
    for reg in regs:
        hits = 0
        for k in range(len(training)):
            model = fit_bilinear(train_data[:k] + train_data[k + 1 :], tq[:k] + tq[k + 1 :], use, reg=reg, tau=tau)
            r = evaluate_bilinear([training[k]], [train_data[k]], [tq[k]], use, model)[training[k].name]
            hits += r["fr"][0] + r["en"][0]
        model = fit_bilinear(train_data, tq, use, reg=reg, tau=tau)
        print(f"bilinear reg {reg:g}: v " + " ".join(f"{n}={x:+.2f}" for n, x in zip(ROLE, model[2], strict=True)))
        print(f"   cv {hits}/{sum(len(b.targets) for b in training)}; train:",
              line(evaluate_bilinear(training, train_data, tq, use, model)))
        print("   select:", line(evaluate_bilinear(selection, select_data, sq, use, model)), flush=True)


if __name__ == "__main__":
    main()
