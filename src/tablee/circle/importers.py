"""Read contacts from vCard (2.1, 3.0, 4.0), LinkedIn's Connections.csv and Google Contacts CSV.

Plain data out: a list of ``Parsed`` rows (with the line where each entry starts), a list of errors
``(line, reason)`` that refuse the file, and a list of warnings ``(line, reason)`` that do not. No
database here; ``services.contacts_import`` decides what to write.

vCards are read line by line here rather than through vobject: real clients write unescaped commas
in FN, ORG, TITLE and NOTE (``ORG:Acme, Inc.``), bare 2.1 parameters (``EMAIL;PREF;INTERNET``),
quoted-printable values in any charset, lone or doubled carriage returns and damaged photos, and a
value must never be cut or refused for any of these.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import quopri
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Text beyond this (photos and other binary properties not counted) is refused as too large.
MAX_TEXT_CHARS = 5 * 1024 * 1024
_BINARY = {"PHOTO", "LOGO", "SOUND", "KEY"}
_LINE_BREAK = re.compile(r"\r*\n|\r+")
_NAME = re.compile(r"^(?:[A-Za-z0-9_-]+\.)?(?P<name>[A-Za-z0-9_-]+)$")


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
    extra_phones: list[str] = field(default_factory=list)
    # vCard N order: family, given, additional, prefix, suffix. Empty when the source had none.
    name_parts: list[str] = field(default_factory=list)


@dataclass
class ParseResult:
    kind: str
    rows: list[Parsed]
    errors: list[tuple[int, str]]
    warnings: list[tuple[int, str]] = field(default_factory=list)


class _Refused(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line, self.reason = line, reason


def decode(data: bytes) -> tuple[str, list[tuple[int, str]]]:
    """UTF-8 (BOM or not), UTF-16 with a BOM; otherwise Windows-1252, as Outlook and old Excel write."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise _Refused(1, _("Fichier UTF-16 illisible : enregistrez-le en UTF-8.")) from None
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), []


def detect_kind(text: str) -> str:
    lines = [line.strip() for line in _LINE_BREAK.split(text.lstrip("\ufeff")[:20000])]
    first = next((line for line in lines if line), "")
    if first.upper() == "BEGIN:VCARD":
        return "vcard"
    header = _csv_header(lines)
    if header is None:
        return "unknown"
    if any(name.startswith("E-mail 1 - ") or name in ("Given Name", "Family Name") for name in header):
        return "google"
    if {"First Name", "Last Name"} <= set(header):
        return "linkedin"
    return "unknown"


def parse(data: bytes) -> ParseResult:
    try:
        text, warnings = decode(data)
        kind = detect_kind(text)
        if kind == "vcard":
            rows, errors, more = _parse_vcards(text)
        elif kind == "linkedin":
            rows, errors, more = _parse_linkedin(text)
        elif kind == "google":
            rows, errors, more = _parse_google(text)
        else:
            return ParseResult("unknown", [], [(1, _(
                "Format non reconnu : vCard, Connections.csv de LinkedIn ou CSV de Google Contacts."))])
    except _Refused as refused:
        return ParseResult("unknown", [], [(refused.line, refused.reason)])
    warnings += more
    for row in rows:
        _check(row, errors, warnings)
    errors.sort()
    warnings.sort()
    bad = {line for line, _reason in errors}
    return ParseResult(kind, [r for r in rows if r.line not in bad], errors, warnings)


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return len(value) <= 254


def _check(row: Parsed, errors: list[tuple[int, str]], warnings: list[tuple[int, str]]) -> None:
    row.name = " ".join(row.name.split())
    emails, seen = [], set()
    for email in [row.email, *row.extra_emails]:
        email = email.strip().removeprefix("mailto:").strip().lower()
        if email and email not in seen:
            seen.add(email)
            emails.append(email)
    valid = [e for e in emails if _valid_email(e)]
    invalid = [e for e in emails if not _valid_email(e)]
    if invalid and not valid:
        errors.append((row.line, _("Courriel invalide : %(email)s") % {"email": invalid[0][:100]}))
        return
    for email in invalid:
        warnings.append((row.line, _("Courriel invalide ignoré : %(email)s") % {"email": email[:100]}))
    row.email, row.extra_emails = (valid[0], valid[1:]) if valid else ("", [])
    phones = [p for p in dict.fromkeys(p.strip() for p in [row.phone, *row.extra_phones]) if p]
    row.phone, row.extra_phones = (phones[0], phones[1:]) if phones else ("", [])
    if not row.name:
        row.name = row.email or row.organization
    if not row.name:
        errors.append((row.line, _("Ni nom ni courriel.")))
        return
    if len(row.name) > 200:
        warnings.append((row.line, _("Nom raccourci à 200 caractères.")))
        row.name = row.name[:200]


# vCard ------------------------------------------------------------------------------------------


@dataclass
class _Prop:
    line: int
    name: str
    params: dict[str, list[str]]
    value: str


def _split_params(raw: str) -> dict[str, list[str]]:
    """``;TYPE=work,pref;PREF;CHARSET="utf-8"`` → {"TYPE": ["WORK", "PREF"], "PREF": [], "CHARSET": ["UTF-8"]}.

    A bare 2.1 parameter (``PREF``, ``INTERNET``, ``QUOTED-PRINTABLE``) is kept under its own name
    and, for types, added to TYPE as well.
    """
    params: dict[str, list[str]] = {}
    for part in _split_outside_quotes(raw, ";"):
        part = part.strip()
        if not part:
            continue
        key, sep, value = part.partition("=")
        key = key.strip().upper()
        if not sep:
            params.setdefault(key, [])
            if key not in ("QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT"):
                params.setdefault("TYPE", []).append(key)
            continue
        values = [v.strip().strip('"').upper() for v in _split_outside_quotes(value, ",")]
        params.setdefault(key, []).extend(v for v in values if v)
    return params


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    parts, current, quoted = [], [], False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == sep and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _is_qp(params: dict[str, list[str]]) -> bool:
    return "QUOTED-PRINTABLE" in params or "QUOTED-PRINTABLE" in params.get("ENCODING", [])


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Unfold: a line starting with a space or tab continues the previous one; in 2.1, a
    quoted-printable value ending with ``=`` continues on the next line (a soft break)."""
    out: list[tuple[int, list[str]]] = []
    qp_open = False
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if out and line[:1] in (" ", "\t") and not qp_open:
            out[-1][1].append(line[1:])
            continue
        if out and qp_open:
            out[-1][1].append(line[1:] if line[:1] in (" ", "\t") else line)
        elif line.strip():
            out.append((number, [line]))
        else:
            continue
        joined = "".join(out[-1][1])
        head = joined.split(":", 1)[0].upper()
        qp_open = "QUOTED-PRINTABLE" in head and joined.endswith("=")
        if qp_open:
            out[-1][1][-1] = out[-1][1][-1][:-1]
    return [(number, "".join(parts)) for number, parts in out]


def _decode_qp(prop: _Prop, warnings: list[tuple[int, str]]) -> str:
    """Quoted-printable in the CHARSET given; without one, UTF-8 if it reads, else Windows-1252 (Outlook).
    Bytes that do not read in the charset given are replaced, with a warning, never an error."""
    raw = quopri.decodestring(prop.value.encode("utf-8"))
    given = (prop.params.get("CHARSET") or [""])[0].lower()
    try:
        if not given:
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                return raw.decode("cp1252", errors="replace")
        return raw.decode(given)
    except LookupError:
        return raw.decode("utf-8", errors="replace")
    except UnicodeDecodeError:
        warnings.append((prop.line, _("Caractères illisibles remplacés dans %(property)s.") % {"property": prop.name}))
        return raw.decode(given, errors="replace")


_ESCAPES = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\", ":": ":", '"': '"'}


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), value)


def _components(value: str) -> list[str]:
    """Split a structured value (N, ORG) on unescaped semicolons; commas stay in the text."""
    return [_unescape(part).strip() for part in re.split(r"(?<!\\);", value)]


def _check_binary(prop: _Prop, warnings: list[tuple[int, str]]) -> None:
    """Photos are not kept; a damaged one is only a warning."""
    value = prop.value.strip()
    encoded = "B" in prop.params.get("ENCODING", []) or "BASE64" in prop.params.get("ENCODING", []) \
        or "BASE64" in prop.params
    if value.startswith("data:") and ";base64," in value[:100]:
        value, encoded = value.split(",", 1)[1], True
    if not encoded:
        return
    compact = re.sub(r"\s+", "", value)
    try:
        base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        warnings.append((prop.line, _("Image illisible ignorée (%(property)s).") % {"property": prop.name}))


def _rank(prop: _Prop) -> tuple[int, int]:
    """PREF first: 2.1 bare ``PREF``, 3.0 ``TYPE=pref``, 4.0 ``PREF=1`` (lower first)."""
    pref = prop.params.get("PREF")
    if pref:
        return (0, int(pref[0]) if pref[0].isascii() and pref[0].isdigit() else 1)
    if "PREF" in prop.params.get("TYPE", []) or pref == []:
        return (0, 1)
    return (1, 0)


def _content_line(number: int, line: str) -> _Prop | None:
    """``[group.]NAME[;params]:value``; the colon that ends the parameters is the first outside quotes."""
    quoted = False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            head, value = line[:i], line[i + 1:]
            break
    else:
        return None
    name, _sep, params = head.partition(";")
    match = _NAME.match(name.strip())
    if not match:
        return None
    return _Prop(number, match.group("name").upper(), _split_params(params), value)


def _parse_vcards(text: str) -> tuple[list[Parsed], list[tuple[int, str]], list[tuple[int, str]]]:
    rows: list[Parsed] = []
    errors: list[tuple[int, str]] = []
    warnings: list[tuple[int, str]] = []
    card: list[_Prop] | None = None
    start = depth = 0
    size = 0
    for number, line in _logical_lines(text):
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if card is None:
                card, start, depth = [], number, 1
            else:
                depth += 1  # a 2.1 AGENT card inside this one: skipped
            continue
        if card is None:
            continue
        if upper == "END:VCARD":
            depth -= 1
            if depth == 0:
                rows.append(_from_vcard(card, start, warnings))
                card = None
            continue
        if depth > 1:
            continue
        prop = _content_line(number, line)
        if prop is None:
            warnings.append((number, _("Ligne illisible ignorée.")))
            continue
        if prop.name not in _BINARY:
            size += len(line)
        card.append(prop)
    if card is not None:
        errors.append((start, _("vCard sans END:VCARD.")))
    if size > MAX_TEXT_CHARS:
        raise _Refused(1, _("Fichier trop volumineux (5 Mo de texte au plus, photos non comptées)."))
    return rows, errors, warnings


def _from_vcard(props: list[_Prop], line: int, warnings: list[tuple[int, str]]) -> Parsed:
    values: dict[str, list[_Prop]] = {}
    for prop in props:
        if prop.name in _BINARY:
            _check_binary(prop, warnings)
            continue
        if _is_qp(prop.params):
            prop.value = _decode_qp(prop, warnings)
        prop.value = prop.value.strip()
        values.setdefault(prop.name, []).append(prop)

    def text(name: str) -> str:
        return next((_unescape(p.value).strip() for p in values.get(name, []) if p.value.strip()), "")

    name_parts: list[str] = []
    if values.get("N"):
        name_parts = (_components(values["N"][0].value) + [""] * 5)[:5]
        if not any(name_parts):
            name_parts = []
    name = text("FN")
    if not name_parts and name and text("KIND").lower() in ("org", "group"):
        # An organization's card: its name is not a person's, never split (the export writes it whole).
        name_parts = [name, "", "", "", ""]
    if not name and name_parts:
        family, given, additional, prefix, suffix = name_parts
        name = " ".join(p for p in (prefix, given, additional, family, suffix) if p)
    organization = next((_components(p.value)[0] for p in values.get("ORG", []) if _components(p.value)[0]), "")
    emails = [_unescape(p.value).strip() for p in sorted(values.get("EMAIL", []), key=_rank)]
    phones = [_unescape(p.value).strip().removeprefix("tel:") for p in sorted(values.get("TEL", []), key=_rank)]
    notes = [_unescape(p.value).strip() for p in values.get("NOTE", []) if p.value.strip()]
    lang = text("LANG").lower()
    language = "fr-ca" if lang.startswith("fr") else "en" if lang.startswith("en") else ""
    pronunciation = " ".join(v for v in (text("X-PHONETIC-FIRST-NAME"), text("X-PHONETIC-LAST-NAME")) if v)
    return Parsed(
        line=line, name=name, email=emails[0] if emails else "", extra_emails=emails[1:],
        organization=organization, position=text("TITLE"), phone=phones[0] if phones else "",
        extra_phones=phones[1:], note="\n\n".join(dict.fromkeys(notes)), language=language,
        pronunciation=pronunciation, name_parts=name_parts,
    )


# CSV --------------------------------------------------------------------------------------------


def _csv_header(lines: list[str]) -> list[str] | None:
    """The first line that reads as a header of a contacts CSV (LinkedIn puts notes above it)."""
    for line in lines[:30]:
        if "First Name" in line or "Given Name" in line or "E-mail 1 - Value" in line:
            try:
                return [c.strip() for c in next(csv.reader([line]))]
            except (csv.Error, StopIteration):
                return None
    return None


def _csv_rows(text: str):
    """Yield (line, row as dict) from the header line on; the line is where the row starts."""
    lines = _LINE_BREAK.split(text.lstrip("\ufeff"))
    header_at = next((i for i, line in enumerate(lines[:30])
                      if "First Name" in line or "Given Name" in line or "E-mail 1 - Value" in line), None)
    if header_at is None:
        raise _Refused(1, _("En-tête introuvable."))
    reader = csv.reader(io.StringIO("\n".join(lines[header_at:]), newline=""))
    try:
        header = [c.strip() for c in next(reader)]
        start = reader.line_num
        for row in reader:
            values = {name: (row[i] if i < len(row) else "").strip() for i, name in enumerate(header) if name}
            yield header_at + start + 1, values
            start = reader.line_num
    except csv.Error:
        raise _Refused(header_at + reader.line_num, _("Ligne CSV illisible (guillemet non fermé?).")) from None


def _parse_linkedin(text: str) -> tuple[list[Parsed], list[tuple[int, str]], list[tuple[int, str]]]:
    """Connections.csv, every vintage: today's (URL column, ``02 Jun 2022``) and 2018's (no URL,
    ``1/8/18, 11:26 AM``). Columns are read by header name. A hidden profile is a row with only
    its date: skipped and counted."""
    rows, hidden, first_hidden = [], 0, 0
    for line, row in _csv_rows(text):
        person = [row.get(k, "") for k in ("First Name", "Last Name", "Email Address", "Company", "Position")]
        if not any(person):
            if any(row.values()):
                hidden += 1
                first_hidden = first_hidden or line
            continue
        first, last = row.get("First Name", ""), row.get("Last Name", "")
        rows.append(Parsed(
            line=line, name=f"{first} {last}".strip(), email=row.get("Email Address", ""),
            organization=row.get("Company", ""), position=row.get("Position", ""),
            name_parts=[last, first, "", "", ""] if first or last else [],
        ))
    warnings = []
    if hidden:
        warnings.append((first_hidden, ngettext(
            "%(count)d relation au profil masqué ignorée (LinkedIn n'en donne que la date).",
            "%(count)d relations aux profils masqués ignorées (LinkedIn n'en donne que la date).",
            hidden) % {"count": hidden}))
    return rows, [], warnings


_SEPARATOR = " ::: "


def _multi(value: str) -> list[str]:
    return [v.strip() for v in value.split(":::") if v.strip()]


def _numbered(row: dict[str, str], prefix: str) -> list[str]:
    """All values of ``E-mail 1 - Value``, ``E-mail 2 - Value``…, each split on ` ::: `."""
    out: list[str] = []
    keys = sorted((k for k in row if k.startswith(prefix) and k.endswith(" - Value")),
                  key=lambda k: int(re.sub(r"\D", "", k) or 0))
    for key in keys:
        out += _multi(row[key])
    return out


def _parse_google(text: str) -> tuple[list[Parsed], list[tuple[int, str]], list[tuple[int, str]]]:
    """Google Contacts CSV, old (``Name``, ``Given Name``…) and new (``First Name``…)."""
    rows = []
    for line, row in _csv_rows(text):
        if not any(row.values()):
            continue
        given = row.get("First Name") or row.get("Given Name", "")
        family = row.get("Last Name") or row.get("Family Name", "")
        additional = row.get("Middle Name") or row.get("Additional Name", "")
        prefix, suffix = row.get("Name Prefix", ""), row.get("Name Suffix", "")
        built = " ".join(p for p in (prefix, given, additional, family, suffix) if p)
        pronunciation = " ".join(p for p in (
            row.get("Phonetic First Name") or row.get("Given Name Yomi", ""),
            row.get("Phonetic Last Name") or row.get("Family Name Yomi", "")) if p)
        organization = _multi(row.get("Organization Name") or row.get("Organization 1 - Name", ""))
        position = _multi(row.get("Organization Title") or row.get("Organization 1 - Title", ""))
        emails, phones = _numbered(row, "E-mail "), _numbered(row, "Phone ")
        rows.append(Parsed(
            line=line, name=row.get("Name") or built or row.get("Nickname", ""),
            email=emails[0] if emails else "", extra_emails=emails[1:],
            organization=organization[0] if organization else "", position=position[0] if position else "",
            phone=phones[0] if phones else "", extra_phones=phones[1:], note=row.get("Notes", ""),
            pronunciation=pronunciation,
            name_parts=[family, given, additional, prefix, suffix] if given or family else [],
        ))
    return rows, [], []
