"""How « partager avec quelques personnes » combines meaning and words. Plain numpy, no Django.

Each contact of the circle gets four numbers for a pasted text:
- ``lexical``: the BM25-style score of `tablee.text.relevance` (shared words, bilingual table),
  divided by the best contact's, so it lies in [0, 1], then scaled by how far the meaning agrees
  (``best`` over ``LEXICAL_FULL_AT``, at most 1): shared words count in full only for a contact the
  text is also close to in meaning;
- ``document``: cosine between the text and the whole contact (needs, interests, organization);
- ``notes``: the best cosine between the text and my notes (and card notes) about the contact;
- ``best``: the best cosine between the text and any one phrase of the contact, notes included.
The weights were chosen on the in-sample texts (tests/app/journey/data: ranking.json and the two
earlier held-out sets) and are never tuned on the frozen held-out sets of issue 11. The floor
``MIN_MEANING`` was lowered from 0.30 to 0.20 in session 2, looking at the in-sample texts only
(ranking*.json and share_heldout_i11.json): at 0.30 the right contact was often left out because it
shares no word with the text while a contact sharing one stray word was kept (in-sample top-1 fr
25/32 → 25/32, en 32/36 → 34/36); share_heldout_i11b.json and share_heldout_s2.json were scored once
before and once after.

Session 3 (issue 11, point 8): share_heldout_i11b.json and share_heldout_s2.json were scored before
session 3 and looked at for this change, so they are in-sample now, like the others. The lexical
channel is gated by meaning (``LEXICAL_FULL_AT``): before, one shared word, often a broad one folded
by the bilingual table (« crédit », "plan", « jeunes »), handed a contact the whole lexical weight
even when the text meant something else for them, and outvoted the contact the text was about. Top-1
before → after: ranking*.json + i11 fr 25/32 → 25/32, en 34/36 → 34/36; i11b fr 11/14 → 11/14,
en 10/14 → 11/14; s2 fr 11/14 → 12/14, en 11/14 → 11/14. The threshold is the middle of the range
that gives the same figures (0.30 to 0.40; 0.40 trades one i11b text for another, 0.50 loses one).
Tried in session 3 and left out because they did not pay on every set (figures in
bench/RESULTS.md): field weights on the best phrase (needs and notes above interests above
organization: no change), z-scores of the cosines across the circle, a reciprocal-rank fusion,
splitting the pasted text or my notes into clauses, centring or whitening the circle's vectors, a
hubness penalty, and multilingual-e5-small in place of USE (far worse here). A bonus for a contact
written in the other language than the text scored higher (most expected contacts of the fixtures are in the other
language) but was left out on principle: the cosines of the right contacts show no language gap
(mean 0.24 across languages, 0.22 within), so it would only learn how the fixtures were written.
"""

from __future__ import annotations

import numpy as np

# The kinds of a circle's rows (a bit set): the whole document of a contact, one of its phrases,
# or a note about it.
DOCUMENT, PHRASE, NOTE = 1, 2, 4


def add_document(blocks: list[np.ndarray], owners: list[int], kinds: list[int], *, owner: int,
                 rows: np.ndarray) -> None:
    """Append one contact's document rows (the whole document, then each phrase) to a circle's
    matrix being built. A single phrase is the whole document: one row, both kinds."""
    if len(rows) == 2 and np.allclose(rows[0], rows[1], atol=1e-6):
        blocks.append(rows[:1])
        owners.append(owner)
        kinds.append(DOCUMENT | PHRASE)
    elif len(rows) > 1:
        blocks.append(rows)
        owners += [owner] * len(rows)
        kinds += [DOCUMENT] + [PHRASE] * (len(rows) - 1)


WEIGHTS = {"lexical": 0.2, "document": 0.5, "notes": 0.5, "best": 1.0}
# Below this cosine, a contact with no shared word is not suggested (an unrelated text sits near 0.15).
MIN_MEANING = 0.20
# Shared words count in full from this best cosine on, proportionally below it.
LEXICAL_FULL_AT = 0.35


def combined(*, lexical: np.ndarray, document: np.ndarray, notes: np.ndarray, best: np.ndarray) -> np.ndarray:
    """One score per contact (higher is better); ``-inf`` for contacts that should not be suggested."""
    lexical = np.asarray(lexical, dtype=np.float64)
    top = lexical.max() if lexical.size else 0.0
    normalised = lexical / top if top > 0 else np.zeros_like(lexical)
    agreement = np.clip(np.asarray(best, dtype=np.float64) / LEXICAL_FULL_AT, 0.0, 1.0)
    score = (WEIGHTS["lexical"] * normalised * agreement + WEIGHTS["document"] * np.asarray(document)
             + WEIGHTS["notes"] * np.asarray(notes) + WEIGHTS["best"] * np.asarray(best))
    relevant = (lexical > 0) | (np.asarray(best) >= MIN_MEANING)
    return np.where(relevant, score, -np.inf)
