"""Québec's French typography (OQLF) in Tablée's French source strings.

French is the source language: the French text lives in the gettext calls of the Python code, in the
templates' ``translate`` / ``blocktranslate`` tags and in the msgids of every catalog. One convention:

- a no-break space (U+00A0) after « and before », and before « : »;
- a no-break space between a number and the word after it (« 6 tables », « 3 cartes », « 7 h 30 »),
  so a phone never shows the number at the end of one line and its word on the next. A number is
  written in digits, or a placeholder for one: ``%d``, or a placeholder named like a count
  (``COUNT_NAMES``: ``{{ count }}``, ``%(tables)s``…), the same name in a template and its msgid;
- no space at all before ? ! ; (none is added before … or , either).

Only the spaces already there are changed (a « : » with no space before it, as in
« Authorization: Bearer », is left alone), and only inside translatable strings. Never touched:
URLs, times (12:30), template syntax ({{ }}, {% %}), HTML markup, %-placeholders and {} fields
(the space next to one is fixed: in « %(name)s : » it becomes a no-break space), and the strings
the English catalog keeps as they are (msgid == msgstr: English, or names). The msgid and
msgid_plural of every .po file (fr_CA and en) are rewritten the same way, so the English
translations stay attached; `make messages` runs this first, then re-wraps the catalogs.
Idempotent: a second run changes nothing.

    python scripts/fr_typography.py            # rewrite in place, list what changed
    python scripts/fr_typography.py --check    # list what would change; exit 1 if anything would

In a ``blocktranslate trimmed`` block, Django joins the lines with one regular space and strips
every line, no-break spaces included: a « : » or « » » at the start of a line (or « « » at the end
of one) is joined to its neighbour with the no-break space instead. The no-break space is written as
the character itself, in Python literals too: xgettext (0.21) reads « \\u00a0 » in a Python string
as six characters, so an escape would not match the catalog.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import sys
import tokenize
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

NBSP = "\u00a0"

# What the rules never look inside: template syntax, markup, URLs, placeholders, times.
_PROTECTED = re.compile(
    r"""
      \{\{.*?\}\} | \{%.*?%\} | \{\#.*?\#\}          # template variables, tags, comments
    | <[^<>]*>                                      # HTML tags and their attributes
    | (?:https?|mailto):[^\s<>"'«»]+                # URLs
    | %(?:\([^)]*\))?[#0+-]*\d*(?:\.\d+)?[a-zA-Z%]  # %-placeholders (%(name)s, %d, %%)
    | \{[^{}\s]*\}                                  # {} format fields
    | \d{1,2}:\d\d                                  # times
    """,
    re.VERBOSE | re.DOTALL,
)


# Placeholders that stand for a number, by their name (in a template ``{{ tables }}``, in its msgid
# and in Python ``%(tables)s``): counts, and the figures the pages and emails write before a noun.
COUNT_NAMES = ("count", "n", "number", "total", "tables", "seats", "people", "confirmed", "present", "absent",
               "left", "budget", "seated", "capacity", "more", "cap", "queued", "minutes", "hours", "days")
_NAMES = "|".join(COUNT_NAMES)
_NUMBER_PLACEHOLDER = re.compile(rf"%\((?:{_NAMES})\)[sd]|%(?:\([^)]*\))?d|\{{\{{\s*(?:{_NAMES})\s*\}}\}}")


def _rules(run: str) -> re.Pattern[str]:
    return re.compile(
        rf"""
          «(?P<open>{run})                                  # « + space
        | (?<=\S)(?P<close>{run})(?=»)                      # space + »
        | (?<=\S)(?P<colon>{run})(?=:(?![\d/:]))            # space + :
        | (?<=[^\s«])(?P<none>{run})(?=[?!;](?:\s|$|[»)\]."'\x00]))  # space + ? ! ;
        | (?<=\d)(?P<number>{run})(?=[^\W\d_])              # number + space + word
        | (?<=\d[ \u00a0]h)(?P<minutes>{run})(?=\d)          # « 7 h » + space + « 30 »
        """,
        re.VERBOSE,
    )


_HORIZONTAL = "[ \t\u00a0\u202f]+"
_PLAIN = _rules(_HORIZONTAL)
_TRIMMED = _rules(r"\s+")  # a blocktranslate trimmed block: a line break is one space


def edits(text: str, *, trimmed: bool = False) -> list[tuple[int, int, str]]:
    """The changes the convention asks of ``text``: (start, end, replacement), left to right."""
    numbers = _NUMBER_PLACEHOLDER.sub(lambda m: "0" * len(m.group()), text)  # read as digits below
    masked = _PROTECTED.sub(lambda m: "\x00" * len(m.group()), numbers)
    out = []
    for match in (_TRIMMED if trimmed else _PLAIN).finditer(masked):
        kind = match.lastgroup  # the one alternative that matched
        assert kind is not None
        start, end = match.span(kind)
        new = "" if kind == "none" else NBSP
        if text[start:end] != new:
            out.append((start, end, new))
    return out


def fix(text: str, *, trimmed: bool = False) -> str:
    """``text`` in Québec's typography (see the module's docstring)."""
    for start, end, new in reversed(edits(text, trimmed=trimmed)):
        text = text[:start] + new + text[end:]
    return text


@dataclass
class Change:
    path: Path
    line: int
    old: str
    new: str


# ---------------------------------------------------------------------------------------- Python

# The gettext functions makemessages extracts, with the positions of their French arguments.
_GETTEXT_ARGS = {
    "_": (0,), "gettext": (0,), "gettext_lazy": (0,), "gettext_noop": (0,),
    "ngettext": (0, 1), "ngettext_lazy": (0, 1),
    "pgettext": (1,), "pgettext_lazy": (1,), "npgettext": (1, 2), "npgettext_lazy": (1, 2),
}
_SKIPPED_DIRS = {"engine", "migrations"}
_ESCAPES = {"\n": "", "\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b", "f": "\f", "n": "\n",
            "r": "\r", "t": "\t", "v": "\v"}
_SPACES_IN_SOURCE = {" ", "\t", NBSP, "\u202f", "\\u00a0", "\\xa0", "\\u202f", "\\N{NO-BREAK SPACE}"}
_LITERAL = re.compile(r"(?P<prefix>[a-zA-Z]*)(?P<quote>'''|\"\"\"|'|\")", re.DOTALL)


def _pieces(token: str) -> list[tuple[str, int, int]] | None:
    """A string literal's value, piece by piece: (text, start, end in the token). None when it is
    not a plain str literal or when the decoding disagrees with Python's (then it is left alone)."""
    head = _LITERAL.match(token)
    if head is None:
        return None
    prefix = head["prefix"].lower()
    if "b" in prefix or "f" in prefix:
        return None
    start, end = head.end(), len(token) - len(head["quote"])
    pieces, i = [], start
    while i < end:
        if token[i] != "\\" or "r" in prefix:
            pieces.append((token[i], i, i + 1))
            i += 1
            continue
        nxt = token[i + 1]
        if nxt in _ESCAPES:
            pieces.append((_ESCAPES[nxt], i, i + 2))
            i += 2
        elif nxt in "01234567":
            digits = re.match(r"[0-7]{1,3}", token[i + 1:i + 4])
            assert digits is not None
            pieces.append((chr(int(digits.group(), 8)), i, i + 1 + len(digits.group())))
            i += 1 + len(digits.group())
        elif nxt in "xuU":
            size = {"x": 2, "u": 4, "U": 8}[nxt]
            pieces.append((chr(int(token[i + 2:i + 2 + size], 16)), i, i + 2 + size))
            i += 2 + size
        elif nxt == "N":
            close = token.index("}", i)
            pieces.append((ast.literal_eval('"' + token[i:close + 1] + '"'), i, close + 1))
            i = close + 1
        else:
            pieces.append(("\\" + nxt, i, i + 2))
            i += 2
    try:
        value = ast.literal_eval(token)
    except (SyntaxError, ValueError):
        return None
    return pieces if isinstance(value, str) and "".join(p[0] for p in pieces) == value else None


def _arguments(tokens: list[tokenize.TokenInfo], open_index: int) -> list[list[tokenize.TokenInfo]]:
    """The top-level arguments of the call whose "(" is ``tokens[open_index]``."""
    args: list[list[tokenize.TokenInfo]] = [[]]
    depth = 0
    for token in tokens[open_index:]:
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
            if depth == 1:
                continue
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
            if depth == 0:
                break
        elif token.type == tokenize.OP and token.string == "," and depth == 1:
            args.append([])
            continue
        if token.type not in (tokenize.NL, tokenize.COMMENT, tokenize.NEWLINE):
            args[-1].append(token)
    return args


def _python_literals(source: str) -> Iterator[list[tokenize.TokenInfo]]:
    """Each translatable argument of a gettext call: its string tokens (implicitly concatenated)."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    for index, token in enumerate(tokens[:-1]):
        if token.type != tokenize.NAME or token.string not in _GETTEXT_ARGS:
            continue
        if tokens[index + 1].string != "(" or (index and tokens[index - 1].string in ("def", "import")):
            continue
        args = _arguments(tokens, index + 1)
        for position in _GETTEXT_ARGS[token.string]:
            arg = args[position] if position < len(args) else []
            if arg and all(t.type == tokenize.STRING for t in arg):
                yield arg


def fix_python(path: Path, source: str, english: set[str]) -> tuple[str, list[Change]]:
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def absolute(row: int, col: int) -> int:
        return offsets[row - 1] + col

    replacements: list[tuple[int, int, str]] = []  # in the source
    changes = []
    for literal in _python_literals(source):
        chars: list[tuple[int, int]] = []  # per value character: its span in the source
        value = ""
        for token in literal:
            pieces = _pieces(token.string)
            if pieces is None:
                break
            base = absolute(*token.start)
            for text, start, end in pieces:
                value += text
                chars += [(base + start, base + end)] * len(text)
        else:
            if value in english:
                continue
            todo = edits(value)
            spans = [chars[i] for start, end, _ in todo for i in range(start, end)]
            if any(source[start:end] not in _SPACES_IN_SOURCE for start, end in spans):
                print(f"{path}:{literal[0].start[0]}: escaped space, left alone: {value!r}", file=sys.stderr)
                continue
            # An escaped no-break space becomes the character: xgettext would read the escape as is.
            fixes = {chars[i]: NBSP for i, char in enumerate(value)
                     if char == NBSP and chars[i][1] - chars[i][0] > 1}
            for start, end, new in todo:
                fixes[chars[start]] = new
                fixes.update((span, "") for span in chars[start + 1:end])
            if fixes:
                replacements += [(start, end, new) for (start, end), new in fixes.items()]
                changes.append(Change(path, literal[0].start[0], value, fix(value)))
    for start, end, new in sorted(replacements, reverse=True):
        source = source[:start] + new + source[end:]
    return source, changes


# ------------------------------------------------------------------------------------- templates

_TEMPLATE_UNITS = re.compile(
    r"""
      (?P<block>\{%\s*blocktrans(?:late)?\b(?P<options>[^%]*)%\})(?P<body>.*?)\{%\s*endblocktrans(?:late)?\s*%\}
    | \{%\s*trans(?:late)?\s+(?P<q>["'])(?P<string>.*?)(?P=q)
    | \b_\((?P<q2>["'])(?P<string2>.*?)(?P=q2)\)
    """,
    re.VERBOSE | re.DOTALL,
)


def fix_template(path: Path, source: str, english: set[str]) -> tuple[str, list[Change]]:
    replacements: list[tuple[int, int, str]] = []
    changes = []
    for unit in _TEMPLATE_UNITS.finditer(source):
        if unit["block"]:
            group, trimmed = "body", bool(re.search(r"\btrimmed\b", unit["options"]))
        else:
            group, trimmed = ("string" if unit["string"] is not None else "string2"), False
        text, base = unit[group], unit.start(group)
        todo = edits(text, trimmed=trimmed)
        if not todo or (not unit["block"] and text in english):
            continue
        replacements += [(base + start, base + end, new) for start, end, new in todo]
        line = source.count("\n", 0, base) + 1
        changes.append(Change(path, line, text, fix(text, trimmed=trimmed)))
    for start, end, new in sorted(replacements, reverse=True):
        source = source[:start] + new + source[end:]
    return source, changes


# -------------------------------------------------------------------------------------- catalogs

_PO_KEYWORD = re.compile(r'^(?P<keyword>msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (?P<string>".*")$')


def _po_unquote(line: str) -> str:
    return ast.literal_eval(line)  # a .po string's escapes are C's, which Python reads alike here


def _po_quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return f'"{escaped}"'


def _po_lines(keyword: str, text: str) -> list[str]:
    """A keyword and its string, wrapped roughly as gettext does (`make messages` re-wraps them)."""
    single = f"{keyword} {_po_quote(text)}"
    if len(single) <= 79 and "\n" not in text[:-1]:
        return [single]
    out = [f'{keyword} ""']
    for chunk in re.findall(r"[^\n]*\n|[^\n]+", text):
        line = ""
        for word in re.findall(r"[^ ]*[ ]*", chunk):  # gettext never breaks at a no-break space
            if line and len(_po_quote(line + word)) > 79:
                out.append(_po_quote(line))
                line = ""
            line += word
        if line:
            out.append(_po_quote(line))
    return out


def _po_entries(text: str) -> Iterator[tuple[int, int, dict[str, tuple[int, int, str]]]]:
    """Each entry: its first and last line (0-based, end exclusive) and, per keyword, the lines
    its string spans and the string."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        start, fields = i, {}
        while i < len(lines) and lines[i].strip():
            match = _PO_KEYWORD.match(lines[i])
            if match:
                first, value = i, _po_unquote(match["string"])
                while i + 1 < len(lines) and lines[i + 1].startswith('"'):
                    i += 1
                    value += _po_unquote(lines[i])
                fields[match["keyword"]] = (first, i + 1, value)
            i += 1
        yield start, i, fields


def english_msgids(root: Path) -> set[str]:
    """The msgids the English catalogs keep as they are: English already, or names."""
    same = set()
    for path in root.glob("**/locale/en/LC_MESSAGES/django.po"):
        for _start, _end, fields in _po_entries(path.read_text(encoding="utf-8")):
            msgid = fields.get("msgid", (0, 0, ""))[2]
            if msgid and msgid in (fields.get("msgstr", (0, 0, ""))[2], fields.get("msgstr[0]", (0, 0, ""))[2]):
                same.add(msgid)
    return same


def fix_catalog(path: Path, source: str, english: set[str]) -> tuple[str, list[Change]]:
    """The msgid and msgid_plural of each entry; in a French catalog its msgstr too (they are
    empty, but for the plural entries that repeat the French forms, see scripts/fr_plurals.py)."""
    lines = source.split("\n")
    french = path.parts[-3].startswith("fr")  # locale/<language>/LC_MESSAGES/django.po
    keywords = ("msgid", "msgid_plural")
    replacements: list[tuple[int, int, list[str]]] = []
    changes = []
    for _start, _end, fields in _po_entries(source):
        msgid = fields.get("msgid", (0, 0, ""))[2]
        if not msgid or msgid in english:
            continue
        for keyword, (first, last, value) in fields.items():
            if not (keyword in keywords or (french and keyword.startswith("msgstr"))):
                continue
            new = fix(value)
            if new != value:
                replacements.append((first, last, _po_lines(keyword, new)))
                changes.append(Change(path, first + 1, value, new))
    for first, last, new_lines in sorted(replacements, reverse=True):
        lines[first:last] = new_lines
    return "\n".join(lines), changes


# ------------------------------------------------------------------------------------------ main

Fixer = Callable[[Path, str, set[str]], tuple[str, list[Change]]]


def _files(root: Path) -> Iterator[tuple[Path, Fixer]]:
    for path in sorted(root.glob("**/*.py")):
        if not _SKIPPED_DIRS & set(path.relative_to(root).parts):
            yield path, fix_python
    for path in sorted(root.glob("**/templates/**/*")):
        if path.suffix in (".html", ".txt") and path.is_file():
            yield path, fix_template
    for path in sorted(root.glob("**/locale/*/LC_MESSAGES/django.po")):
        yield path, fix_catalog


def run(root: Path, *, check: bool) -> list[Change]:
    english = english_msgids(root)
    every = []
    for path, fixer in _files(root):
        source = path.read_text(encoding="utf-8")
        new, changes = fixer(path, source, english)
        every += changes
        if new != source and not check:
            path.write_text(new, encoding="utf-8")
    return every


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", default="src/tablee", help="the package (src/tablee)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything would change")
    args = parser.parse_args(argv)
    changes = run(Path(args.root), check=args.check)
    for change in changes:
        print(f"{change.path}:{change.line}: {change.old!r}\n    → {change.new!r}")
    files = len({change.path for change in changes})
    verb = "would change" if args.check else "changed"
    print(f"{len(changes)} strings {verb} in {files} files", file=sys.stderr)
    return 1 if args.check and changes else 0


if __name__ == "__main__":
    sys.exit(main())
