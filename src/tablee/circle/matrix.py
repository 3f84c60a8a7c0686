"""A member's circle as one cached float32 matrix, for « partager avec quelques personnes » at scale.

The stored vectors of every contact (its whole description and each phrase), of my notes and of my
card notes are stacked into one matrix, built lazily on the first suggestion and kept in this
process. A suggestion is then one encoding of the pasted text plus one matrix-vector product, and
the lexical channel reads a prepared index (`relevance.LexicalIndex`) kept beside the matrix.

The cache is checked against a stamp read from the database on every use: counts, last keys and
last change of my contacts (an index on owner and ``updated_at``), notes (and their last edit) and cards, then the shared
profile texts and consent of the members among my contacts. Any write to them, from any process,
makes the next suggestion rebuild it.
Memory is bounded: entries are dropped, least recently used first, beyond ``MAX_BYTES``.

Only the member's own contacts and own notes go into their entry; nothing is shared between members.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max, Sum
from django.db.models.functions import Length

from tablee.circle import vectors
from tablee.circle.models import Card, Contact, Note
from tablee.members.models import Profile
from tablee.text import embeddings, relevance
from tablee.text.share_rank import DOCUMENT, IDENTITY, NOTE, PHRASE, add_document

# Row kinds (bit flags: a contact with one phrase has one row that is both its document and its phrase).
MAX_BYTES = 512 * 1024 * 1024
# Python-side cost of one contact in the lexical index, counted against MAX_BYTES with the matrix.
CONTACT_OVERHEAD = 4096


@dataclass
class CircleMatrix:
    """One member's circle: ``rows`` (float32, normalised) with, for each row, its contact's position
    in ``contact_ids`` and its kind; the lexical index over the same contacts, in the same order."""

    stamp: str
    profiles: str  # the stamp of the linked members' shared profiles, as read by the build
    users: tuple[int, ...]
    contact_ids: np.ndarray
    rows: np.ndarray
    row_contact: np.ndarray
    row_kind: np.ndarray
    lexical: relevance.LexicalIndex

    @property
    def nbytes(self) -> int:
        return int(self.rows.nbytes + self.row_contact.nbytes + self.row_kind.nbytes
                   + CONTACT_OVERHEAD * len(self.contact_ids))

    def lexical_scores(self, found: dict[int, relevance.Suggestion]) -> np.ndarray:
        """The lexical scores of ``found`` (by contact id) in the matrix's contact order, 0 elsewhere."""
        scores = np.zeros(len(self.contact_ids))
        if found:
            where = np.searchsorted(self.contact_ids, np.fromiter(found, dtype=np.int64, count=len(found)))
            scores[where] = [s.score for s in found.values()]
        return scores

    def features(self, query: np.ndarray) -> dict[str, np.ndarray]:
        """Per contact: cosine with its document, best phrase, best note (0 where it has none)."""
        sims = embeddings.matvec(self.rows, query)
        count = len(self.contact_ids)
        out = {}
        for name, kind in (("document", DOCUMENT), ("phrase", PHRASE), ("notes", NOTE)):
            best = np.full(count, -np.inf, dtype=np.float32)
            mask = (self.row_kind & kind) != 0
            np.maximum.at(best, self.row_contact[mask], sims[mask])
            out[name] = np.where(np.isfinite(best), best, 0.0).astype(np.float64)
        return out

    def identity(self, queries: np.ndarray) -> np.ndarray:
        """Per query (rows of ``queries``) and contact: the best cosine with what the contact is and
        provides (organization row, offers); 0 for a contact with no such row."""
        mask = (self.row_kind & IDENTITY) != 0
        sims = embeddings.matvec(self.rows, np.asarray(queries).T)[mask]  # (identity rows, queries)
        out = np.full((len(queries), len(self.contact_ids)), -np.inf, dtype=np.float32)
        for k in range(len(queries)):
            np.maximum.at(out[k], self.row_contact[mask], sims[:, k])
        return np.where(np.isfinite(out), out, 0.0).astype(np.float64)


_cache: OrderedDict[int, CircleMatrix] = OrderedDict()
_lock = threading.Lock()


def stamp(owner_id: int) -> str:
    """What the cached matrix of ``owner_id`` was built from, as cheap aggregates of the database."""
    contacts = Contact.objects.filter(owner_id=owner_id).aggregate(n=Count("pk"), pk=Max("pk"), at=Max("updated_at"))
    notes = Note.objects.filter(owner_id=owner_id).aggregate(n=Count("pk"), pk=Max("pk"), at=Max("edited_at"))
    cards = Card.objects.filter(owner_id=owner_id).aggregate(n=Count("pk"), pk=Max("pk"), size=Sum(Length("note")))
    return hashlib.sha1(repr((contacts, notes, cards)).encode("utf-8")).hexdigest()


def _profiles_stamp(rows) -> str:
    """Rows of (user id, needs, interests, sector, offers, consent) of the members among my contacts."""
    return hashlib.sha1(repr(sorted(rows, key=lambda row: row[0])).encode("utf-8")).hexdigest()


def profiles_stamp(users: tuple[int, ...]) -> str:
    return _profiles_stamp(list(Profile.objects.filter(user_id__in=users).values_list(
        "user_id", "needs", "interests", "sector", "offers", "directory_consent_at")))


def _candidate(contact: Contact, notes: list[str]) -> relevance.Candidate:
    profile = vectors.shared_profile(contact)
    return relevance.Candidate(
        id=contact.pk,
        name=contact.name,
        fields={
            "needs": " ; ".join(profile.needs) if profile else "",
            "interests": " ; ".join(profile.interests) if profile else "",
            "notes": " ".join(notes),
            "organization": f"{contact.organization} {contact.position}",
            "sector": profile.sector if profile else "",
        },
    )


def build(owner_id: int, *, key: str = "") -> CircleMatrix:
    """The matrix of one member's circle from the stored vectors (stale ones are encoded and stored)."""
    contacts = list(Contact.objects.filter(owner_id=owner_id).select_related("user__profile").order_by("pk"))
    position = {c.pk: k for k, c in enumerate(contacts)}
    notes: dict[int, list[str]] = defaultdict(list)
    text_rows: list[Note | Card] = []
    for note in Note.objects.filter(owner_id=owner_id).order_by("pk"):
        notes[note.contact_id].append(note.text)
        text_rows.append(note)
    for card in Card.objects.filter(owner_id=owner_id).exclude(note="", topic="").order_by("pk"):
        notes[card.contact_id].append(vectors.row_text(card))
        text_rows.append(card)
    blocks: list[np.ndarray] = []
    owners: list[int] = []
    kinds: list[int] = []
    for contact, rows in zip(contacts, vectors.contacts_rows(contacts), strict=True):
        organization, offers = vectors.layout(vectors.contact_texts(contact))
        add_document(blocks, owners, kinds, owner=position[contact.pk], rows=rows, organization=organization,
                     offers=offers)
    for text_row, vector in zip(text_rows, vectors.text_rows(text_rows), strict=True):
        blocks.append(vector[None, :])
        owners.append(position[text_row.contact_id])
        kinds.append(NOTE)
    matrix = (np.ascontiguousarray(np.concatenate(blocks), dtype=embeddings.DTYPE) if blocks
              else np.zeros((0, embeddings.DIMENSIONS), dtype=embeddings.DTYPE))
    linked = [profile for c in contacts if c.user is not None
              and (profile := getattr(c.user, "profile", None)) is not None]
    return CircleMatrix(
        stamp=key,
        profiles=_profiles_stamp([(p.user_id, p.needs, p.interests, p.sector, p.offers, p.directory_consent_at)
                                  for p in linked]),
        users=tuple(sorted(p.user_id for p in linked)),
        contact_ids=np.array([c.pk for c in contacts], dtype=np.int64),
        rows=matrix,
        row_contact=np.array(owners, dtype=np.int64),
        row_kind=np.array(kinds, dtype=np.int8),
        lexical=relevance.LexicalIndex([_candidate(c, notes[c.pk]) for c in contacts]),
    )


def for_owner(owner_id: int) -> CircleMatrix:
    """The cached matrix of ``owner_id``, rebuilt when their circle changed since it was built."""
    key = stamp(owner_id)
    with _lock:
        entry = _cache.get(owner_id)
    if entry is not None and entry.stamp == key and entry.profiles == profiles_stamp(entry.users):
        with _lock:
            if owner_id in _cache:
                _cache.move_to_end(owner_id)
        return entry
    entry = build(owner_id, key=key)
    with _lock:
        _cache[owner_id] = entry
        _cache.move_to_end(owner_id)
        while len(_cache) > 1 and sum(e.nbytes for e in _cache.values()) > MAX_BYTES:
            _cache.popitem(last=False)
    return entry


def forget(owner_id: int | None = None) -> None:
    """Drop one member's entry (or all): the next suggestion rebuilds it."""
    with _lock:
        if owner_id is None:
            _cache.clear()
        else:
            _cache.pop(owner_id, None)
