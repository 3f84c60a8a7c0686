"""Export my circle: vCard 4.0 of my contacts, and a JSON of all my data (mine alone)."""

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


def vcard_export(*, owner) -> str:
    lines: list[str] = []
    for contact in Contact.objects.filter(owner_id=owner.pk).order_by("name", "pk"):
        parts = contact.name.rsplit(" ", 1)
        given, family = (parts[0], parts[1]) if len(parts) == 2 else (contact.name, "")
        card = ["BEGIN:VCARD", "VERSION:4.0", f"FN:{_escape(contact.name)}",
                f"N:{_escape(family)};{_escape(given)};;;"]
        if contact.email:
            card.append(f"EMAIL:{_escape(contact.email)}")
        if contact.phone:
            card.append(f"TEL;VALUE=text:{_escape(contact.phone)}")
        if contact.organization:
            card.append(f"ORG:{_escape(contact.organization)}")
        if contact.position:
            card.append(f"TITLE:{_escape(contact.position)}")
        if contact.language:
            card.append(f"LANG:{'fr-CA' if contact.language == 'fr-ca' else contact.language}")
        if contact.pronunciation:
            card.append(f"X-PHONETIC-FIRST-NAME:{_escape(contact.pronunciation)}")
        card.append(f"UID:urn:tablee:contact:{contact.pk}")
        card.append("END:VCARD")
        lines += [_fold(line) for line in card]
    return "\r\n".join(lines) + ("\r\n" if lines else "")


def _rows(model: type[Model], owner_field: str, owner, exclude: tuple[str, ...] = ()) -> list[dict]:
    rows = []
    for row in model.objects.filter(**{f"{owner_field}_id": owner.pk}).order_by("pk").values():
        rows.append({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items() if k not in exclude})
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
