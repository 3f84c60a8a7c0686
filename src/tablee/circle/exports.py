"""Export my circle: vCard 3.0 (4.0 on request) of my contacts, and a JSON of all my data (mine alone)."""

from __future__ import annotations

from django.db.models import Model

from tablee.circle.models import (
    Card,
    CircleSettings,
    Contact,
    ContinueWish,
    FollowUp,
    Interaction,
    Note,
    Promise,
)
from tablee.gatherings.models import Rsvp
from tablee.tables.models import Wish


def _escape(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def _fold(line: str) -> str:
    """RFC 6350 folding: lines of at most 75 octets, continued by a space, never splitting a character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _structured_name(contact: Contact) -> str:
    """N as imported; without one, the whole name as given name (never a guess at the family name)."""
    parts = [str(p) for p in (contact.name_parts or [])][:5]
    if not any(parts):
        parts = ["", contact.name]
    parts += [""] * (5 - len(parts))
    return ";".join(_escape(p) for p in parts)


VCARD_VERSIONS = ("3.0", "4.0")


def vcard_export(*, owner, version: str = "3.0") -> str:
    """vCard of my contacts: everything an import keeps comes back out (the round trip is lossless).

    3.0 by default (Outlook and older address books read no 4.0), 4.0 on request; notes included."""
    if version not in VCARD_VERSIONS:
        raise ValueError(f"vCard version {version!r}: expected one of {VCARD_VERSIONS}")
    v4 = version == "4.0"
    pref = ";PREF=1" if v4 else ";TYPE=pref"
    lines: list[str] = []
    notes: dict[int, list[str]] = {}
    for contact_id, text in Note.objects.filter(owner_id=owner.pk).order_by("created_at", "pk").values_list(
            "contact_id", "text"):
        notes.setdefault(contact_id, []).append(text)
    for contact in Contact.objects.filter(owner_id=owner.pk).order_by("name", "pk"):
        card = ["BEGIN:VCARD", f"VERSION:{version}", f"FN:{_escape(contact.name)}", f"N:{_structured_name(contact)}"]
        emails = [e for e in [contact.email, *(contact.extra_emails or [])] if e]
        card += [f"EMAIL{pref if i == 0 and len(emails) > 1 else ''}:{_escape(e)}" for i, e in enumerate(emails)]
        phones = [p for p in [contact.phone, *(contact.extra_phones or [])] if p]
        card += [f"TEL{';VALUE=text' if v4 else ''}{pref if i == 0 and len(phones) > 1 else ''}:{_escape(p)}"
                 for i, p in enumerate(phones)]
        if contact.organization:
            card.append(f"ORG:{_escape(contact.organization)}")
        if contact.position:
            card.append(f"TITLE:{_escape(contact.position)}")
        if contact.language:
            card.append(f"LANG:{'fr-CA' if contact.language == 'fr-ca' else contact.language}")
        if contact.pronunciation:
            card.append(f"X-PHONETIC-FIRST-NAME:{_escape(contact.pronunciation)}")
        card += [f"NOTE:{_escape(text)}" for text in notes.get(contact.pk, [])]
        card.append(f"UID:urn:tablee:contact:{contact.pk}")
        card.append("END:VCARD")
        lines += [_fold(line) for line in card]
    return "\r\n".join(lines) + ("\r\n" if lines else "")


# Sentence vectors are derived from the texts exported beside them: not data a person wrote.
DERIVED = ("vectors", "vectors_key", "vector", "vector_key")


def _rows(model: type[Model], owner_field: str, owner, exclude: tuple[str, ...] = ()) -> list[dict]:
    rows = []
    for row in model.objects.filter(**{f"{owner_field}_id": owner.pk}).order_by("pk").values():
        rows.append({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()
                     if k not in exclude and k not in DERIVED})
    return rows


def me_export(*, owner) -> dict:
    """Everything Tablée keeps that I wrote: profile, settings and my circle. Nobody else's notes."""
    profile = getattr(owner, "profile", None)
    return {
        "format": "tablee-export/1",
        "me": {
            "email": owner.email, "first_name": owner.first_name, "last_name": owner.last_name,
            "organization": getattr(profile, "organization", ""), "sector": getattr(profile, "sector", ""),
            "languages": getattr(profile, "languages", []), "offers": getattr(profile, "offers", []),
            "needs": getattr(profile, "needs", []), "interests": getattr(profile, "interests", []),
            "bio": getattr(profile, "bio", ""), "preferred_language": getattr(profile, "preferred_language", ""),
        },
        "circle_settings": _rows(CircleSettings, "user", owner),
        "contacts": _rows(Contact, "owner", owner),
        "cards": _rows(Card, "owner", owner),
        "followups": _rows(FollowUp, "owner", owner),
        "interactions": _rows(Interaction, "owner", owner),
        "notes": _rows(Note, "owner", owner),
        "promises": _rows(Promise, "owner", owner),
        "continue_wishes": _rows(ContinueWish, "author", owner),
        "wishes": _rows(Wish, "author", owner),
        "rsvps": _rows(Rsvp, "user", owner),
    }
