"""Sentence vectors of my circle, stored when a contact, a card or a note is written.

A contact is described by a few short texts: one document (what they look for, what interests them,
their organization, position and sector) and each of those phrases alone; a note or a card note is
one text. Each row keeps the digest of the texts it was computed from: a suggestion reads the stored
rows whose digest still matches and encodes only what changed since (one encoding plus a matrix
product when everything is up to date). The worker stores them (`tasks.circle_vectors_refresh`) and
`tablee manage circle_vectors` backfills rows written before vectors existed.

The profile of a contact who is a Tablée member counts only with that member's consent (the same
rule as for table-mates): without it, only what I wrote about them is used.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

from tablee.circle.models import Card, Contact, Note
from tablee.text import embeddings


def _shares(contact: Contact):
    profile = getattr(contact.user, "profile", None) if contact.user_id else None
    return profile if profile is not None and profile.directory_consent_at is not None else None


def contact_texts(contact: Contact) -> dict[str, list[str]]:
    """What a contact is about, by field, as short texts (consent decides whether the profile counts)."""
    profile = _shares(contact)
    return {
        "needs": [x for x in (profile.needs if profile else []) if str(x).strip()],
        "interests": [x for x in (profile.interests if profile else []) if str(x).strip()],
        "organization": [" ".join(x for x in (contact.organization, contact.position,
                                              profile.sector if profile else "") if x).strip()],
    }


def _document(texts: dict[str, list[str]]) -> list[str]:
    """Row 0 is the whole contact; the other rows are each phrase alone (the best one counts)."""
    phrases = [x for field in ("needs", "interests", "organization") for x in texts[field] if x]
    return [". ".join(phrases), *phrases]


def _digest(texts: Iterable[str]) -> str:
    return hashlib.sha1("\x1f".join(texts).encode("utf-8")).hexdigest()


def contact_rows(contact: Contact, *, save: bool = True) -> np.ndarray:
    """The contact's vectors (rows of float32), from the stored ones when still current."""
    texts = _document(contact_texts(contact))
    key = _digest(texts)
    if contact.vectors and contact.vectors_key == key:
        stored = np.frombuffer(bytes(contact.vectors), dtype="<f4").astype(np.float32)
        if stored.size == len(texts) * embeddings.DIMENSIONS:
            return stored.reshape(len(texts), embeddings.DIMENSIONS)
    rows = embeddings.encode(texts)
    if save:
        Contact.objects.filter(pk=contact.pk).update(vectors=np.asarray(rows, dtype="<f4").tobytes(), vectors_key=key)
    return rows


def text_row(row: Note | Card, *, save: bool = True) -> np.ndarray:
    """The vector of a note or of a card's note, from the stored one when still current."""
    text = row.text if isinstance(row, Note) else row.note
    key = _digest([text])
    vector = embeddings.from_bytes(row.vector) if row.vector_key == key else None
    if vector is None:
        vector = embeddings.encode([text])[0]
        if save:
            type(row).objects.filter(pk=row.pk).update(vector=embeddings.to_bytes(vector), vector_key=key)
    return vector


def contact_is_current(contact: Contact) -> bool:
    return bool(contact.vectors) and contact.vectors_key == _digest(_document(contact_texts(contact)))


def text_is_current(row: Note | Card) -> bool:
    text = row.text if isinstance(row, Note) else row.note
    return bool(row.vector) and row.vector_key == _digest([text])
