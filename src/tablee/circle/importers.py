"""Read contacts from vCard (2.1, 3.0, 4.0), LinkedIn's Connections.csv and Google Contacts CSV.

Plain data out: a list of ``Parsed`` rows (with the line where each entry starts) and a list of
errors ``(line, reason)``. No database here; ``services.contacts_import`` decides what to write.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import vobject
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
_BEGIN = re.compile(r"^BEGIN:VCARD\s*$", re.IGNORECASE)
_END = re.compile(r"^END:VCARD\s*$", re.IGNORECASE)


@dataclass
class Parsed:
    line: int
    name: str
    email: str = ""
    organization: str = ""
    position: str = ""
    phone: str = ""
    note: str = ""
    language: str = ""
    pronunciation: str = ""
    extra_emails: list[str] = field(default_factory=list)


@dataclass
class ParseResult:
    kind: str
    rows: list[Parsed]
    errors: list[tuple[int, str]]


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; Outlook and old Excel write Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def detect_kind(text: str) -> str:
    head = text.lstrip()[:4000]
    if _BEGIN.match(head.splitlines()[0] if head else ""):
        return "vcard"
    if LINKEDIN_HEADER in head or head.startswith("Notes:"):
        return "linkedin"
    first = head.splitlines()[0] if head else ""
    if "E-mail 1 - Value" in first or "Given Name" in first:
        return "google"
    return "unknown"


def parse(data: bytes) -> ParseResult:
    text = decode(data)
    kind = detect_kind(text)
    if kind == "vcard":
        rows, errors = _parse_vcards(text)
    elif kind == "linkedin":
        rows, errors = _parse_linkedin(text)
    elif kind == "google":
        rows, errors = _parse_google(text)
    else:
        return ParseResult(kind, [], [(1, _("Format non reconnu : vCard, Connections.csv de LinkedIn ou CSV de Google Contacts."))])
    for row in rows:
        _check(row, errors)
    errors.sort()
    bad = {line for line, _reason in errors}
    return ParseResult(kind, [r for r in rows if r.line not in bad], errors)


def _check(row: Parsed, errors: list[tuple[int, str]]) -> None:
    row.name = " ".join(row.name.split())[:200]
    row.email = row.email.strip().lower()
    if not row.name and not row.email:
        errors.append((row.line, _("Ni nom ni courriel.")))
        return
    if row.email:
        try:
            validate_email(row.email)
        except ValidationError:
            errors.append((row.line, _("Courriel invalide : %(email)s") % {"email": row.email}))
            return
    if not row.name:
        row.name = row.email


def _value(component, name: str) -> str:
    prop = component.contents.get(name)
    if not prop:
        return ""
    value = prop[0].value
    if isinstance(value, list):
        value = ", ".join(v for v in value if v)
    return str(value).strip()


def _preferred_first(props) -> list:
    def rank(prop) -> int:
        params = {k.upper(): [str(v).upper() for v in vals] for k, vals in prop.params.items()}
        pref = "PREF" in params.get("TYPE", []) or "PREF" in params or "1" in params.get("PREF", [])
        return 0 if pref else 1

    return sorted(props, key=rank)


def _name_of(card) -> str:
    name = _value(card, "fn")
    if not name and card.contents.get("n"):
        n = card.n.value
        name = " ".join(p for p in [n.given, n.additional, n.family] if isinstance(p, str) and p)
    return name


def _language(card) -> str:
    lang = _value(card, "lang").lower()
    if lang.startswith("fr"):
        return "fr-ca"
    if lang.startswith("en"):
        return "en"
    return ""


def _parse_vcards(text: str) -> tuple[list[Parsed], list[tuple[int, str]]]:
    rows, errors = [], []
    block: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if _BEGIN.match(line):
            block, start = [line], number
            continue
        if not block:
            continue
        block.append(line)
        if _END.match(line):
            try:
                card = vobject.readOne("\r\n".join(block) + "\r\n", allowQP=True)
            except Exception as exc:  # noqa: BLE001 — vobject raises many kinds; each is a bad entry
                errors.append((start, _("vCard illisible : %(error)s") % {"error": str(exc)[:200]}))
            else:
                rows.append(_from_vcard(card, start))
            block = []
    if block:
        errors.append((start, _("vCard sans END:VCARD.")))
    return rows, errors


def _from_vcard(card, line: int) -> Parsed:
    emails = [str(p.value).strip() for p in _preferred_first(card.contents.get("email", [])) if str(p.value).strip()]
    phones = [str(p.value).strip().removeprefix("tel:") for p in _preferred_first(card.contents.get("tel", []))]
    pronunciation = " ".join(
        v for v in (_value(card, "x-phonetic-first-name"), _value(card, "x-phonetic-last-name")) if v
    )
    organization = ""
    if card.contents.get("org"):
        org = card.org.value
        organization = (org[0] if isinstance(org, list) and org else str(org)).strip()
    return Parsed(
        line=line, name=_name_of(card), email=emails[0] if emails else "", extra_emails=emails[1:],
        organization=organization, position=_value(card, "title"), phone=phones[0] if phones else "",
        note=_value(card, "note"), language=_language(card), pronunciation=pronunciation,
    )


def _csv_rows(lines: list[str], first_line: int):
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    for row in reader:
        # reader.line_num counts physical lines read so far, header included.
        yield first_line + reader.line_num - 1, {k.strip(): (v or "").strip() for k, v in row.items() if k}


def _parse_linkedin(text: str) -> tuple[list[Parsed], list[tuple[int, str]]]:
    lines = text.splitlines()
    header = next((i for i, line in enumerate(lines) if line.startswith("First Name,Last Name")), None)
    if header is None:
        return [], [(1, _("En-tête de Connections.csv introuvable."))]
    rows = []
    for line, row in _csv_rows(lines[header:], header + 1):
        if not any(row.values()):
            continue
        rows.append(Parsed(
            line=line, name=f"{row.get('First Name', '')} {row.get('Last Name', '')}".strip(),
            email=row.get("Email Address", ""), organization=row.get("Company", ""),
            position=row.get("Position", ""),
        ))
    return rows, []


def _parse_google(text: str) -> tuple[list[Parsed], list[tuple[int, str]]]:
    rows = []
    for line, row in _csv_rows(text.splitlines(), 1):
        if not any(row.values()):
            continue
        first = row.get("First Name") or row.get("Given Name", "")
        last = row.get("Last Name") or row.get("Family Name", "")
        name = " ".join(p for p in (first, row.get("Middle Name") or row.get("Additional Name", ""), last) if p)
        pronunciation = " ".join(p for p in (row.get("Phonetic First Name", ""), row.get("Phonetic Last Name", "")) if p)
        rows.append(Parsed(
            line=line, name=name or row.get("Name", ""), email=row.get("E-mail 1 - Value", "").split(" ::: ")[0],
            organization=row.get("Organization Name") or row.get("Organization 1 - Name", ""),
            position=row.get("Organization Title") or row.get("Organization 1 - Title", ""),
            phone=row.get("Phone 1 - Value", "").split(" ::: ")[0], note=row.get("Notes", ""),
            pronunciation=pronunciation,
        ))
    return rows, []
