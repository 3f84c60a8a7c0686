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

Session 9 (who seeks whom): a circle often holds both sides of one need (an angel investor and a
founder raising a seed round, a landlord with empty offices and a company looking for space, a farm
and a restaurant buying local). A text in which someone seeks something (« Une ferme … cherche des
restaurants … », "A garment factory … is looking for someone to take them") reads like a description
of the seeker, so it came closest to the contact *like the seeker* (the other farm), not to the one it
seeks. Such a text is now cut at its seeking verb (`seeking`: a short bilingual list of verbs, the
first one outside a relative clause), and each contact gains ``SEEKING_WEIGHT`` × (how close what
they are and provide — their organization, position and sector row, and their offers — is to what is
sought, minus how close it is to the seeker); a text that seeks nothing is ranked as before. Developed
on share_dev_s9a.json, the in-sample sets and bench/share_train, it gained there (development set
25 → 28 of 40, in-sample 104 → 106 of 124, training 363 → 362 of 429), but not on the held-out sets,
scored once after it was frozen (s3 fr 16 → 14, en 15 → 16; s8a and s8b unchanged): so it is **off**
(``SEEKING_WEIGHT`` = 0, the ranking is session 3's) and kept for a later decision on more held-out
texts; `bench/share_offline.py --seeking-weight 1` scores a set with it (figures in bench/RESULTS.md).
"""

from __future__ import annotations

import re

import numpy as np

from tablee.text import relevance

# The kinds of a circle's rows (a bit set): the whole document of a contact, one of its phrases,
# a note about it, or a row that says who the contact is and what they provide (their organization,
# position and sector row, which is also a phrase; their offers, which are only that).
DOCUMENT, PHRASE, NOTE, IDENTITY = 1, 2, 4, 8


def add_document(blocks: list[np.ndarray], owners: list[int], kinds: list[int], *, owner: int,
                 rows: np.ndarray, organization: bool = False, offers: int = 0) -> None:
    """Append one contact's rows to a circle's matrix being built: the whole document, then each
    phrase (the last one is their organization row when ``organization``), then ``offers`` rows of
    what they offer (identity only: they count for a text that seeks something, see ``combined``).
    A single phrase is the whole document: one row, both kinds."""
    document, provides = rows[: len(rows) - offers], rows[len(rows) - offers :]
    last = IDENTITY if organization else 0
    if len(document) == 2 and np.allclose(document[0], document[1], atol=1e-6):
        blocks.append(document[:1])
        owners.append(owner)
        kinds.append(DOCUMENT | PHRASE | last)
    elif len(document) > 1:
        blocks.append(document)
        owners += [owner] * len(document)
        kinds += [DOCUMENT] + [PHRASE] * (len(document) - 2) + [PHRASE | last]
    if len(provides):
        blocks.append(provides)
        owners += [owner] * len(provides)
        kinds += [IDENTITY] * len(provides)


# Verbs by which a text says that someone seeks something, French and English. The first one that
# does not open a relative clause (« les entreprises qui cherchent … » describes whom the text is for)
# cuts the text into the seeker and what is sought.
_SEEKING = re.compile(
    r"(?<![\w'’-])(?:cherchent|cherche|(?:est|sont) à la recherche d[eu']?|(?:a|ont) besoin d[eu']?|embauchent"
    r"|embauche|recrutent|recrute|veulent|veut|souhaitent|souhaite|invitent|invite|(?:is|are) looking for"
    r"|looking for|seeks|seeking|(?:is|are) recruiting|recruits|(?:is|are) hiring|hires|needs|wants|want"
    r"|invites|(?:is|are) searching for)(?![\w-])",
    re.IGNORECASE)
_RELATIVE = re.compile(r"(?:\bqui|\bthat|\bwho|\bwhich)\s+(?:\w+\s+)?$", re.IGNORECASE)


def seeking(text: str) -> tuple[str, str] | None:
    """(the seeker, what is sought) when someone named in the text seeks something, else None (and
    always None while ``SEEKING_WEIGHT`` is 0: nothing more to encode)."""
    if not SEEKING_WEIGHT:
        return None
    for found in _SEEKING.finditer(text):
        if not _RELATIVE.search(text[: found.start()]):
            seeker = text[: found.start()].strip()
            return (seeker, text[found.end() :].strip()) if relevance.terms(seeker) else None
    return None


WEIGHTS = {"lexical": 0.2, "document": 0.5, "notes": 0.5, "best": 1.0}
# For a text that seeks something: (closeness of what a contact is to what is sought − to the seeker) × this.
# Off (0): developed at 1.0, it did not carry to the held-out sets (see the module's docstring).
SEEKING_WEIGHT = 0.0
# Below this cosine, a contact with no shared word is not suggested (an unrelated text sits near 0.15).
MIN_MEANING = 0.20
# Shared words count in full from this best cosine on, proportionally below it.
LEXICAL_FULL_AT = 0.35


def combined(*, lexical: np.ndarray, document: np.ndarray, notes: np.ndarray, best: np.ndarray,
             sought: np.ndarray | None = None, seeker: np.ndarray | None = None) -> np.ndarray:
    """One score per contact (higher is better); ``-inf`` for contacts that should not be suggested.
    ``sought`` and ``seeker``, for a text that seeks something (`seeking`): per contact, the best
    cosine of their identity rows with what is sought and with the seeker."""
    lexical = np.asarray(lexical, dtype=np.float64)
    top = lexical.max() if lexical.size else 0.0
    normalised = lexical / top if top > 0 else np.zeros_like(lexical)
    agreement = np.clip(np.asarray(best, dtype=np.float64) / LEXICAL_FULL_AT, 0.0, 1.0)
    score = (WEIGHTS["lexical"] * normalised * agreement + WEIGHTS["document"] * np.asarray(document)
             + WEIGHTS["notes"] * np.asarray(notes) + WEIGHTS["best"] * np.asarray(best))
    if sought is not None and seeker is not None and SEEKING_WEIGHT:
        score = score + SEEKING_WEIGHT * (np.asarray(sought, dtype=np.float64) - np.asarray(seeker, dtype=np.float64))
    relevant = (lexical > 0) | (np.asarray(best) >= MIN_MEANING)
    return np.where(relevant, score, -np.inf)
