"""Sentence vectors of my circle, stored when a contact, a card or a note is written.

A contact is described by a few short texts: one document (what they look for, what interests them,
their organization, position and sector) and each of those phrases alone; a note or a card note is
one text. Each row keeps the digest of the texts it was computed from: a suggestion reads the stored
rows whose digest still matches and encodes only what changed since (one encoding plus a matrix
product when everything is up to date). The worker stores them (`tasks.circle_vectors_refresh`) and
`tablee manage circle_vectors` backfills rows written before vectors existed.

The profile of a contact who is a Tablée member counts only with that member's consent (the same
rule as for table-mates): without it, only what I wrote about them is used. What a consenting member
offers (« ce que j'offre ») is stored too, after the document's rows: it only says what they provide,
for a text in which someone seeks something (`tablee.text.share_rank`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

from tablee.circle.models import Card, Contact, Note
from tablee.text import embeddings


def shared_profile(contact: Contact):
    """The member's profile behind a contact, only with that member's consent (as for table-mates)."""
    profile = getattr(contact.user, "profile", None) if contact.user_id else None
    return profile if profile is not None and profile.directory_consent_at is not None else None


def contact_texts(contact: Contact) -> dict[str, list[str]]:
    """What a contact is about, by field, as short texts (consent decides whether the profile counts)."""
    profile = shared_profile(contact)
    return {
        "needs": [x for x in (profile.needs if profile else []) if str(x).strip()],
        "interests": [x for x in (profile.interests if profile else []) if str(x).strip()],
        "organization": [" ".join(x for x in (contact.organization, contact.position,
                                              profile.sector if profile else "") if x).strip()],
        "offers": [x for x in (profile.offers if profile else []) if str(x).strip()],
    }


def _document(texts: dict[str, list[str]]) -> list[str]:
    """Row 0 is the whole contact; then each phrase alone (the best one counts), the organization
    row last when there is one; then each offer (not in the whole contact: see `layout`)."""
    phrases = [x for field in ("needs", "interests", "organization") for x in texts[field] if x]
    return [". ".join(phrases), *phrases, *texts["offers"]]


def layout(texts: dict[str, list[str]]) -> tuple[bool, int]:
    """For the rows of `_document`: whether the last phrase is the organization row, and how many
    offer rows follow it (`tablee.text.share_rank.add_document`)."""
    return bool(texts["organization"][0]), len(texts["offers"])


def _digest(texts: Iterable[str]) -> str:
    return hashlib.sha1("\x1f".join([embeddings.MODEL, *texts]).encode("utf-8")).hexdigest()


def contact_rows(contact: Contact, *, save: bool = True) -> np.ndarray:
    """The contact's vectors (rows of float32), from the stored ones when still current."""
    return contacts_rows([contact], save=save)[0]


def contacts_rows(contacts: list[Contact], *, save: bool = True) -> list[np.ndarray]:
    """``contact_rows`` for many contacts: the stale ones are encoded in one batch, then stored."""
    texts = [_document(contact_texts(c)) for c in contacts]
    keys = [_digest(t) for t in texts]
    out: list[np.ndarray | None] = []
    for contact, phrases, key in zip(contacts, texts, keys, strict=True):
        stored = None
        if contact.vectors and contact.vectors_key == key:
            data = np.frombuffer(bytes(contact.vectors), dtype="<f4").astype(np.float32)
            if data.size == len(phrases) * embeddings.DIMENSIONS:
                stored = data.reshape(len(phrases), embeddings.DIMENSIONS)
        out.append(stored)
    stale = [k for k, found in enumerate(out) if found is None]
    if stale:
        flat = embeddings.encode([x for k in stale for x in texts[k]])
        start = 0
        for k in stale:
            block = flat[start : start + len(texts[k])]
            start += len(texts[k])
            out[k] = block
            if save:
                Contact.objects.filter(pk=contacts[k].pk).update(vectors=np.asarray(block, dtype="<f4").tobytes(),
                                                                 vectors_key=keys[k])
    return [found for found in out if found is not None]


def row_text(row: Note | Card) -> str:
    """What a note or a card says about a contact: the note's text; a card's topic and note."""
    if isinstance(row, Note):
        return row.text
    return ". ".join(part for part in (row.topic, row.note) if part)


def text_rows(rows: list[Note | Card], *, save: bool = True) -> list[np.ndarray]:
    """``text_row`` for many notes and cards: the stale ones are encoded in one batch, then stored."""
    texts = [row_text(row) for row in rows]
    keys = [_digest([text]) for text in texts]
    out = [embeddings.from_bytes(row.vector) if row.vector_key == key else None
           for row, key in zip(rows, keys, strict=True)]
    stale = [k for k, vector in enumerate(out) if vector is None]
    if stale:
        for k, vector in zip(stale, embeddings.encode([texts[k] for k in stale]), strict=True):
            out[k] = vector
            if save:
                type(rows[k]).objects.filter(pk=rows[k].pk).update(vector=embeddings.to_bytes(vector),
                                                                   vector_key=keys[k])
    return [vector for vector in out if vector is not None]


def text_row(row: Note | Card, *, save: bool = True) -> np.ndarray:
    """The vector of a note or of a card's note, from the stored one when still current."""
    return text_rows([row], save=save)[0]


def contact_is_current(contact: Contact) -> bool:
    return bool(contact.vectors) and contact.vectors_key == _digest(_document(contact_texts(contact)))


def text_is_current(row: Note | Card) -> bool:
    return bool(row.vector) and row.vector_key == _digest([row_text(row)])
