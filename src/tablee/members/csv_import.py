"""Read a members CSV file and check every row, writing nothing.

The file is what an association secretary exports from Excel, LibreOffice or Google Sheets:
UTF-8 with or without a BOM, UTF-16 with a BOM, Windows-1252, or Mac Roman ("CSV (Macintosh)" from
Excel for Mac); comma-separated, or semicolon-separated when Excel runs in a French locale. Headers
may be English (``email``) or French (``courriel``, ``Langue(s)``); unknown extra columns (a phone
number, a join date) are ignored with a warning. Every problem is reported with the physical line
it is on (the header is line 1), so the person can fix the file in one pass;
``tablee.members.services.members_import`` writes only a file with none.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from tablee.members.normalize import (
    MAX_ITEM_LENGTH,
    MAX_LIST_ITEMS,
    clean_list,
    languages_normalize,
)

COLUMNS = (
    "email",
    "first_name",
    "last_name",
    "organization",
    "sector",
    "languages",
    "offers",
    "needs",
    "interests",
)
REQUIRED = ("email", "first_name", "last_name")
LIST_COLUMNS = ("languages", "offers", "needs", "interests")
MAX_LENGTHS = {"email": 254, "first_name": 150, "last_name": 150, "organization": 200, "sector": 100}

# Header names as people write them in French, folded (lower-case, no accents, "_" for spaces).
_ALIASES = {
    "courriel": "email",
    "adresse_courriel": "email",
    "e_mail": "email",
    "mail": "email",
    "prenom": "first_name",
    "firstname": "first_name",
    "nom": "last_name",
    "nom_de_famille": "last_name",
    "lastname": "last_name",
    "organisation": "organization",
    "entreprise": "organization",
    "secteur": "sector",
    "langues": "languages",
    "langue": "languages",
    "offres": "offers",
    "offre": "offers",
    "besoins": "needs",
    "besoin": "needs",
    "interets": "interests",
    "interet": "interests",
    "centres_d'interet": "interests",
}
# The header a person may write in French, in the order of COLUMNS (shown in the suggested fix).
FRENCH_COLUMNS = ("courriel", "prénom", "nom", "organisation", "secteur", "langues", "offres", "besoins", "intérêts")


# The columns as a person reads them in an error, in the page's language.
COLUMN_LABELS = {
    "email": gettext_lazy("courriel"), "first_name": gettext_lazy("prénom"), "last_name": gettext_lazy("nom"),
    "organization": gettext_lazy("organisation"), "sector": gettext_lazy("secteur"),
    "languages": gettext_lazy("langues"), "offers": gettext_lazy("offres"), "needs": gettext_lazy("besoins"),
    "interests": gettext_lazy("intérêts"),
}

# What can be wrong with a file or one of its lines, by code. A problem is kept as its code and
# values (``Problem``) and written out when it is read: a preview kept in a job speaks the language
# of whoever opens it, not that of the upload. A ``column`` value, and the ``names`` of the codes in
# ``_COLUMN_NAMES``, are column keys, written as ``COLUMN_LABELS`` says.
_TEXTS = {
    "missing_columns": gettext_lazy("colonnes obligatoires absentes : %(names)s"),
    "duplicate_columns": gettext_lazy("colonnes en double : %(names)s"),
    "unknown_columns": gettext_lazy("colonnes inconnues : %(names)s"),
    "expected_header": gettext_lazy("en-tête attendu : %(english)s ou, en français, %(french)s"),
    "empty": gettext_lazy("« %(column)s » est vide"),
    "bad_email": gettext_lazy("courriel invalide : « %(email)s »"),
    "too_long": gettext_lazy("« %(column)s » est trop long (%(length)d caractères, au plus %(max)d)"),
    "unknown_language": gettext_lazy("langue inconnue : « %(name)s »"),
    "too_many_items": gettext_lazy("« %(column)s » a %(count)d éléments (au plus %(max)d)"),
    "item_too_long": gettext_lazy(
        "« %(item)s… » dans « %(column)s » est trop long (au plus %(max)d caractères)"),
    "extra_values": ngettext_lazy("%(count)d valeur de trop (en-tête : %(columns)d colonnes)",
                                  "%(count)d valeurs de trop (en-tête : %(columns)d colonnes)", "count"),
    "missing_cells": gettext_lazy("colonnes manquantes sur cette ligne : %(names)s"),
    "duplicate_email": gettext_lazy("courriel en double : « %(email)s » est déjà à la ligne %(line)d"),
    "utf16_unreadable": gettext_lazy("le fichier UTF-16 est illisible : enregistrez-le en UTF-8 (CSV UTF-8)"),
    "encoding_unclear": gettext_lazy(
        "impossible de savoir si ce fichier vient de Windows ou d'un Mac (les accents se lisent des "
        "deux façons) : enregistrez-le en « CSV UTF-8 »"),
    "utf16_without_bom": gettext_lazy(
        "le fichier contient des caractères nuls (UTF-16 sans marque d'ordre?) : enregistrez-le en « CSV UTF-8 »"),
    "not_text": gettext_lazy("Ce fichier n'est pas un fichier CSV (texte)."),
    "mixed_encodings": gettext_lazy(
        "le fichier mélange UTF-8 et Windows-1252 (« %(text)s ») : enregistrez-le en UTF-8"),
    "mac_roman": gettext_lazy(
        "fichier lu comme « CSV (Macintosh) » (Mac Roman) : vérifiez les accents des noms importés"),
    "ignored_columns": gettext_lazy("colonnes ignorées (Tablée ne les garde pas) : %(names)s"),
    "unreadable_csv": gettext_lazy(
        "CSV illisible : un guillemet n'est pas refermé ou une cellule est trop longue"),
    "empty_file": gettext_lazy("le fichier est vide : il faut au moins l'en-tête"),
    "header_only": gettext_lazy("aucun membre dans le fichier, seulement l'en-tête"),
}


_COLUMN_NAMES = ("missing_columns", "missing_cells")


def _label(column: str) -> str:
    return str(COLUMN_LABELS.get(column, column))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file or a line, as a code and its values (JSON: ``[code, params]``)."""

    code: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        params = dict(self.params)
        if "column" in params:
            params["column"] = _label(params["column"])
        if isinstance(params.get("names"), list):
            params["names"] = ", ".join(_label(n) if self.code in _COLUMN_NAMES else n for n in params["names"])
        return str(_TEXTS[self.code] % params) if params else str(_TEXTS[self.code])

    def as_json(self) -> list:
        return [self.code, self.params]


Lines = list[tuple[int, list[Problem]]]


def lines_text(lines: Lines) -> list[tuple[int, str]]:
    """(line, reason) in the current language: a line's problems joined by « ; »."""
    return [(line, "; ".join(str(p) for p in problems)) for line, problems in lines]


def lines_json(lines: Lines) -> list:
    return [[line, [p.as_json() for p in problems]] for line, problems in lines]


def lines_from_json(stored: list) -> list[tuple[int, str]]:
    """What ``lines_json`` kept, written in the current language (a reason stored as text, by an
    older version, is shown as it is)."""
    return [(line, reason if isinstance(reason, str) else "; ".join(str(Problem(code, params))
                                                                    for code, params in reason))
            for line, reason in stored]


@dataclass(frozen=True)
class MemberRow:
    line: int
    email: str
    first_name: str
    last_name: str
    # Only the optional columns with a value: an empty cell keeps what an existing member has.
    values: dict = field(default_factory=dict)

    def profile_values(self) -> dict:
        return dict(self.values)


class WithProblems:
    """``problems`` (what stops a file) and ``notices`` (what does not), kept as codes, read as
    (line, reason) in the current language."""

    problems: Lines
    notices: Lines

    @property
    def errors(self) -> list[tuple[int, str]]:
        return lines_text(self.problems)

    @property
    def warnings(self) -> list[tuple[int, str]]:
        return lines_text(self.notices)


@dataclass
class ParsedCsv(WithProblems):
    rows: list[MemberRow] = field(default_factory=list)
    problems: Lines = field(default_factory=list)
    # Kept and shown after the import; they do not stop it.
    notices: Lines = field(default_factory=list)

    def refuse(self, line: int, code: str, **params) -> ParsedCsv:
        self.problems.append((line, [Problem(code, params)]))
        return self


# UTF-8 bytes of « é », « à », « ç »… read as Windows-1252 look like "Ã©", "Ã ", "Ã§".
_MOJIBAKE = re.compile("Ã[\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]")


class EncodingUnclear(ValueError):
    """The bytes read as French both in Windows-1252 and in Mac Roman: refuse rather than guess."""


_FRENCH_LETTERS = set("àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆáíóúñÁÍÓÚÑ")


def _plausibility(text: str) -> int:
    """How French the non-ASCII characters look: + for an accented letter that fits its word
    (« Rémi », « Éric »), − for one that does not (« RÈmi ») or a symbol inside a word (« C™té »)."""
    score = 0
    for i, char in enumerate(text):
        if char < "\x80":
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if char in _FRENCH_LETTERS:
            if char.islower() or not before.isalpha() or (before.isupper() and not after.islower()):
                score += 1
            else:
                score -= 1
        elif before.isalpha() and after.isalpha():
            score -= 1
    return score


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-16 with a BOM, UTF-8 (a BOM is dropped), else Windows-1252 or Mac Roman,
    whichever reads as French; when both do, ``EncodingUnclear``.

    Raises UnicodeDecodeError for UTF-16 that does not decode.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    mac = data.decode("mac_roman")
    try:
        windows = data.decode("cp1252")
    except UnicodeDecodeError:
        windows = None  # bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are ç, è, ê, ù in Mac Roman
    mac_score = _plausibility(mac)
    windows_score = _plausibility(windows) if windows is not None else None
    if windows_score is not None and windows_score >= mac_score:
        return windows, "cp1252"
    if windows_score is None or windows_score <= 0:
        if mac_score > 0:
            return mac, "mac_roman"
        raise EncodingUnclear
    raise EncodingUnclear


def _fold(name: str) -> str:
    """« Langue(s) » → "langues", « Intérêt(s) » → "interets", « Adresse courriel » → "adresse_courriel"."""
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"\((e?s|e)\)", lambda m: m.group(1), plain)
    return re.sub(r"[\s\-]+", "_", plain.strip(" *:."))


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _split_list(column: str, cell: str) -> list[str]:
    # Offers and needs may hold commas ("design, image de marque"); languages are short words
    # that people also separate with commas or slashes ("fr, en", "fr/en").
    pattern = r"[;,/]" if column == "languages" else r";"
    return clean_list(re.split(pattern, cell))


def _header(cells: list[str]) -> tuple[list[str | None], list[Problem], list[str]]:
    """The column each cell names (None for an empty cell or a column Tablée does not keep), what is
    wrong with the header (refuses the file), and the unknown columns (ignored, with a warning)."""
    names: list[str | None] = []
    unknown: list[str] = []
    duplicates: list[str] = []
    for cell in cells:
        if not cell.strip():
            names.append(None)
            continue
        folded = _fold(cell)
        name = folded if folded in COLUMNS else _ALIASES.get(folded)
        if name is None:
            unknown.append(cell.strip())
        elif name in names:
            duplicates.append(cell.strip())
            name = None
        names.append(name)
    problems = []
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        problems.append(Problem("missing_columns", {"names": missing}))
    if duplicates:
        problems.append(Problem("duplicate_columns", {"names": duplicates}))
    if problems:
        if unknown:
            problems.append(Problem("unknown_columns", {"names": unknown}))
        problems.append(Problem("expected_header", {"english": ",".join(COLUMNS), "french": ",".join(FRENCH_COLUMNS)}))
    return names, problems, unknown


def _check_row(line: int, named: dict[str, str]) -> tuple[MemberRow | None, list[Problem]]:
    problems: list[Problem] = []
    for column in REQUIRED:
        if column in named and not named[column].strip():
            problems.append(Problem("empty", {"column": column}))
    email = named.get("email", "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(Problem("bad_email", {"email": email}))
    for column, limit in MAX_LENGTHS.items():
        value = named.get(column, "").strip()
        if len(value) > limit:
            problems.append(Problem("too_long", {"column": column, "length": len(value), "max": limit}))
    values: dict = {}
    for column in ("organization", "sector"):
        value = " ".join(named.get(column, "").split())
        if value:
            values[column] = value
    for column in LIST_COLUMNS:
        items = _split_list(column, named.get(column, ""))
        if column == "languages":
            items, unknown = languages_normalize(items)
            for name in unknown:
                problems.append(Problem("unknown_language", {"name": name}))
        if len(items) > MAX_LIST_ITEMS:
            problems.append(Problem("too_many_items", {"column": column, "count": len(items), "max": MAX_LIST_ITEMS}))
        for item in items:
            if len(item) > MAX_ITEM_LENGTH:
                problems.append(Problem("item_too_long", {"item": item[:30], "column": column, "max": MAX_ITEM_LENGTH}))
        if items:
            values[column] = items
    if problems:
        return None, problems
    row = MemberRow(
        line=line,
        email=email,
        first_name=" ".join(named.get("first_name", "").split()),
        last_name=" ".join(named.get("last_name", "").split()),
        values=values,
    )
    return row, []


def _looks_utf16(data: bytes) -> bool:
    """Text in UTF-16 without its byte-order mark: of each pair of bytes, one is almost always nul
    (Latin letters), and not both."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return False
    even, odd = sample[0 : 2 * pairs : 2], sample[1 : 2 * pairs : 2]
    return max(even.count(0), odd.count(0)) >= 0.9 * pairs and min(even.count(0), odd.count(0)) <= 0.1 * pairs


def parse_members_csv(data: bytes) -> ParsedCsv:
    result = ParsedCsv()
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and not _looks_utf16(data):
        return result.refuse(1, "not_text")  # an image, a spreadsheet, a PDF renamed .csv
    try:
        text, encoding = decode(data)
    except UnicodeDecodeError:
        return result.refuse(1, "utf16_unreadable")
    except EncodingUnclear:
        first = next(i for i, byte in enumerate(data) if byte >= 0x80)
        return result.refuse(len(re.findall(rb"\r\n|\r|\n", data[:first])) + 1, "encoding_unclear")
    if "\x00" in text:
        return result.refuse(text.count("\n", 0, text.index("\x00")) + 1, "utf16_without_bom")
    # A file mostly in UTF-8 with one stray byte would otherwise import "FranÃ§ois" silently.
    garbled = None if encoding == "utf-8" else _MOJIBAKE.search(text)
    if garbled is not None:
        return result.refuse(text.count("\n", 0, garbled.start()) + 1, "mixed_encodings", text=garbled.group())
    if encoding == "mac_roman":
        result.notices.append((1, [Problem("mac_roman")]))
    stream = io.StringIO(text, newline="")
    first_line = stream.readline()
    line = 1
    # Excel may write a "sep=;" line before the header to name its delimiter.
    if first_line.strip().lower().startswith("sep=") and len(first_line.strip()) == 5:
        delimiter = first_line.strip()[4]
        line = 2
    else:
        delimiter = _delimiter(first_line)
        stream.seek(0)
    reader = csv.reader(stream, delimiter=delimiter)
    skipped = line - 1

    names: list[str | None] | None = None
    first_line_of: dict[str, int] = {}
    try:
        for cells in reader:
            start, line = line, skipped + reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if names is None:
                names, header_problems, unknown = _header(cells)
                if header_problems:
                    result.problems.append((start, header_problems))
                    return result
                if unknown:
                    result.notices.append((start, [Problem("ignored_columns", {"names": unknown})]))
                continue
            named: dict[str, str] = {}
            extra = 0
            for index, cell in enumerate(cells):
                if index < len(names):
                    if names[index] is not None:
                        named[names[index]] = cell
                elif cell.strip():
                    extra += 1
            problems = []
            if extra:
                problems.append(Problem("extra_values", {"count": extra, "columns": len(names)}))
            missing = [n for n in names[len(cells) :] if n]
            if missing:
                problems.append(Problem("missing_cells", {"names": missing}))
            row, row_problems = _check_row(start, named)
            problems.extend(row_problems)
            email = named.get("email", "").strip().lower()
            if email in first_line_of:
                problems.append(Problem("duplicate_email", {"email": email, "line": first_line_of[email]}))
            elif email:
                first_line_of[email] = start
            if row is not None and not problems:
                result.rows.append(row)
            if problems:
                result.problems.append((start, problems))
    except csv.Error:
        return result.refuse(skipped + reader.line_num, "unreadable_csv")
    if names is None:
        result.refuse(1, "empty_file")
    elif not result.rows and not result.problems:
        result.refuse(2, "header_only")
    if result.problems:
        result.rows = []  # all or nothing: a file with a bad line imports no line
    return result


def _shown(value: str | list) -> str:
    return " ; ".join(value) if isinstance(value, list) else value


# What an import may change on an existing person: the names, then the optional columns.
MERGED_COLUMNS = ("first_name", "last_name", "organization", "sector", "languages", "offers", "needs", "interests")


@dataclass(frozen=True)
class FieldChange:
    """One value of an existing person that the file would change: ``before`` is what the account
    holds, ``after`` what the file says. ``filled``: the account's value is empty, so the import
    writes the file's value whatever the mode; otherwise only an explicit overwrite writes it."""

    column: str
    before: str | list
    after: str | list

    @property
    def filled(self) -> bool:
        return not self.before

    @property
    def label(self) -> str:
        return _label(self.column)

    @property
    def before_text(self) -> str:
        return _shown(self.before)

    @property
    def after_text(self) -> str:
        return _shown(self.after)

    def applies(self, *, overwrite: bool) -> bool:
        return self.filled or overwrite


def stored_values(user, profile) -> dict:
    """What an existing person holds, column → value (``profile`` may be None)."""
    values = {"first_name": user.first_name, "last_name": user.last_name}
    if profile is not None:
        values.update({column: getattr(profile, column) for column in MERGED_COLUMNS[2:]})
    return values


def row_changes(*, current: dict, row: MemberRow) -> list[FieldChange]:
    """The differences between an existing person (``current``: column → value, as stored) and
    their row. An empty cell is never a change: it keeps what is there."""
    incoming = {"first_name": row.first_name, "last_name": row.last_name, **row.profile_values()}
    changes = []
    for column in MERGED_COLUMNS:
        after = incoming.get(column)
        if not after:
            continue
        before = current.get(column) or ([] if column in LIST_COLUMNS else "")
        if before != after:
            changes.append(FieldChange(column=column, before=before, after=after))
    return changes


def created_phrase(count: int) -> str:
    """« 1 membre créé », « 3 membres créés »: the counts of an import's report, each with its plural."""
    return ngettext("%(count)d membre créé", "%(count)d membres créés", count) % {"count": count}


def updated_phrase(count: int) -> str:
    return ngettext("%(count)d mis à jour", "%(count)d mis à jour", count) % {"count": count}


def kept_phrase(count: int) -> str:
    """« 2 valeurs gardées »: values members had filled in that a file did not replace."""
    return ngettext("%(count)d valeur déjà remplie gardée", "%(count)d valeurs déjà remplies gardées",
                    count) % {"count": count}
