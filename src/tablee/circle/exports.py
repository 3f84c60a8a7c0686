"""Export my circle: vCard 3.0 (4.0 on request) of my contacts, and a JSON of all my data (mine alone).

The JSON is what Law 25 calls portability: everything the person wrote or did, and nothing about
other people beyond what the person already sees (the contacts of their own circle, the names of
the members they chose in a wish)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model

from tablee.circle import hooks
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
from tablee.circle.rendering import plain_text
from tablee.gatherings.models import Rsvp
from tablee.members.models import User
from tablee.members.selectors import consents_of
from tablee.outbox.selectors import refused_topics
from tablee.sorting import by_name
from tablee.tables.models import Wish
from tablee.text.fold import fold


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


# Lower-case particles that begin a family name (« de la Fontaine », « van der Veen »).
_PARTICLES = frozenset({"de", "du", "des", "la", "le", "d'", "van", "von", "der", "den", "ten", "ter", "da", "di",
                        "del", "della", "dos", "das", "st", "bin", "ibn", "al"})


def split_name(contact: Contact) -> list[str]:
    """[family, given, additional] of a name typed as one string (a contact added by hand).

    « Nom, Prénom » splits at the comma; a family-name-first name (« Nguyễn Thị Hoa »: a Vietnamese
    middle name, or an address written given.family the other way round, hoa.nguyen@…) keeps its
    first word as the family name; otherwise the family name is the last word, with the lower-case
    particles before it (« Marie-Ève de la Fontaine »), and the words between are additional names.
    A single word stays whole in the family slot."""
    name = " ".join(contact.name.split())
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        words = given.split()
        if family and words:
            return [family, words[0], " ".join(words[1:])]
    words = name.replace(",", " ").split()
    if len(words) < 2:
        return [name, "", ""]
    if _family_name_first(words, contact.email):
        return [words[0], words[-1], " ".join(words[1:-1])]
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in _PARTICLES:
        start -= 1
    return [" ".join(words[start:]), words[0], " ".join(words[1:start])]


def _family_name_first(words: list[str], email: str) -> bool:
    if len(words) >= 3 and words[1][:1].isupper() and fold(words[1]) in {"thi", "van"}:  # not « van der »
        return True
    parts = [p for p in re.split(r"[._\-+]", fold(email.split("@")[0])) if p] if email else []
    return len(parts) >= 2 and parts[0] == fold(words[-1]) and parts[-1] == fold(words[0]) != parts[0]


def _structured_name(contact: Contact) -> str:
    """N (family; given; additional; prefixes; suffixes): as imported; else, for a member of Tablée
    whose name the contact still bears, their family and given names; else the name split as
    address books expect it (``split_name``), so that they file « David Chen » under Chen."""
    parts = [str(p) for p in (contact.name_parts or [])][:5]
    if not any(parts):
        user = contact.user
        if user is not None and user.last_name and user.get_full_name() == " ".join(contact.name.split()):
            parts = [user.last_name, user.first_name]
        else:
            parts = split_name(contact)
    parts += [""] * (5 - len(parts))
    return ";".join(_escape(p) for p in parts)


VCARD_VERSIONS = ("3.0", "4.0")


def _vcard(contact: Contact, notes: list[str], version: str) -> str:
    v4 = version == "4.0"
    pref = ";PREF=1" if v4 else ";TYPE=pref"
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
    # Notes are written in Markdown; an address book shows no markup: the words and line breaks only.
    card += [f"NOTE:{_escape(plain_text(text))}" for text in notes]
    card.append(f"UID:urn:tablee:contact:{contact.pk}")
    card.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in card)


def _buffered(pieces: Iterator[str], size: int = 64 * 1024) -> Iterator[str]:
    """Pieces joined into chunks of about ``size`` characters (fewer, bigger writes when streaming)."""
    buffer: list[str] = []
    length = 0
    for piece in pieces:
        buffer.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer)


def _vcards(owner, version: str, *, with_notes: bool, chunk: int = 1000) -> Iterator[str]:
    batch: list[Contact] = []

    def flush() -> Iterator[str]:
        notes: dict[int, list[str]] = {}
        if with_notes:
            rows = Note.objects.filter(owner_id=owner.pk, contact_id__in=[c.pk for c in batch])
            for contact_id, text in rows.order_by("created_at", "pk").values_list("contact_id", "text"):
                notes.setdefault(contact_id, []).append(text)
        for contact in batch:
            yield _vcard(contact, notes.get(contact.pk, []), version)

    contacts = Contact.objects.filter(owner_id=owner.pk).select_related("user").order_by(by_name("name"), "pk")
    for contact in contacts.iterator(chunk_size=chunk):
        batch.append(contact)
        if len(batch) == chunk:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def vcard_export_stream(*, owner, version: str = "3.0", with_notes: bool = True) -> Iterator[str]:
    """vCard of my contacts a chunk at a time (a streaming response: 20,000 contacts never sit in
    memory): everything an import keeps comes back out (the round trip is lossless). 3.0 by default
    (Outlook and older address books read no 4.0), 4.0 on request. My private notes are included
    (issue 11), as the page says beside the link; ``with_notes=False`` leaves them out (a file for
    an address book that syncs or is shared)."""
    if version not in VCARD_VERSIONS:
        raise ValueError(f"vCard version {version!r}: expected one of {VCARD_VERSIONS}")
    return _buffered(_vcards(owner, version, with_notes=with_notes))


def vcard_export(*, owner, version: str = "3.0", with_notes: bool = True) -> str:
    return "".join(vcard_export_stream(owner=owner, version=version, with_notes=with_notes))


# Sentence vectors are derived from the texts exported beside them: not data a person wrote.
DERIVED = ("vectors", "vectors_key", "vector", "vector_key")


def _plain(row: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items() if k not in DERIVED}


def _row_iter(model: type[Model], owner_field: str, owner, *, drop: tuple[str, ...] = ()) -> Iterator[dict]:
    rows = model.objects.filter(**{f"{owner_field}_id": owner.pk}).order_by("pk").values()
    for row in rows.iterator(chunk_size=1000):
        yield _plain({k: v for k, v in row.items() if k not in drop})


def _named_targets(model: type[Model], owner) -> Iterator[dict]:
    """My wishes about other members: the person by the name I chose them by, never their internal id."""
    rows = model.objects.filter(author_id=owner.pk).order_by("pk")
    for row in rows.values().iterator(chunk_size=1000):
        target_id = row.pop("target_id")
        row["target"] = _member_name(target_id)
        yield _plain(row)


def _member_name(user_id: int) -> str:
    user = User.objects.filter(pk=user_id).only("first_name", "last_name", "email").first()
    return user.get_full_name() if user is not None else ""


# Everything Tablée keeps that I wrote, table by table: (key, model, the field naming me, fields
# left out). A contact that is a member of Tablée keeps its name, address and organization as I
# have them in my circle, without that member's internal id.
_SECTIONS: list[tuple[str, type[Model], str, tuple[str, ...]]] = [
    ("circle_settings", CircleSettings, "user", ()),
    ("contacts", Contact, "owner", ("user_id",)),
    ("cards", Card, "owner", ()),
    ("followups", FollowUp, "owner", ()),
    ("interactions", Interaction, "owner", ()),
    ("notes", Note, "owner", ()),
    ("promises", Promise, "owner", ()),
]


def _me(owner) -> dict:
    profile = getattr(owner, "profile", None)
    return {
        "email": owner.email, "first_name": owner.first_name, "last_name": owner.last_name,
        "organization": getattr(profile, "organization", ""), "sector": getattr(profile, "sector", ""),
        "languages": getattr(profile, "languages", []), "offers": getattr(profile, "offers", []),
        "needs": getattr(profile, "needs", []), "interests": getattr(profile, "interests", []),
        "bio": getattr(profile, "bio", ""), "preferred_language": getattr(profile, "preferred_language", ""),
    }


def _settings(owner) -> dict:
    """What I agreed to (dated consents) and which emails I refused."""
    return {
        "consents": _plain(consents_of(user=owner)),
        "email_preferences": {
            "address": owner.email,
            "refused": [_plain(row) for row in refused_topics(address=owner.email).values("topic", "scope", "created_at")],
        },
    }


def _sections(owner) -> Iterator[tuple[str, Iterator[dict]]]:
    """Every list of the export, key by key: my circle, my wishes and places, then the rooms above
    (my journey: intentions, reflections, pace, shares) through ``circle.hooks``."""
    for key, model, owner_field, drop in _SECTIONS:
        yield key, _row_iter(model, owner_field, owner, drop=drop)
    yield "continue_wishes", _named_targets(ContinueWish, owner)
    yield "wishes", _named_targets(Wish, owner)
    yield "rsvps", _row_iter(Rsvp, "user", owner)
    for _room, reader in sorted(hooks.export_sections.items()):
        yield from reader(owner=owner)


def me_export(*, owner) -> dict:
    """Everything Tablée keeps that I wrote or did: profile, consents, email choices, my circle,
    wishes, places and journey. Nobody else's notes, and no other member's internal id."""
    data: dict = {"format": "tablee-export/2", "me": _me(owner), **_settings(owner)}
    for key, rows in _sections(owner):
        data[key] = list(rows)
    return data


def me_export_stream(*, owner) -> Iterator[str]:
    """The same JSON as ``me_export``, written a chunk at a time (a streaming response)."""

    def dumps(value) -> str:
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)

    def pieces() -> Iterator[str]:
        yield '{"format": "tablee-export/2", "me": ' + dumps(_me(owner))
        for key, value in _settings(owner).items():
            yield f', "{key}": ' + dumps(value)
        for key, rows in _sections(owner):
            yield f', "{key}": ['
            for index, row in enumerate(rows):
                yield (", " if index else "") + dumps(row)
            yield "]"
        yield "}\n"

    return _buffered(pieces())
