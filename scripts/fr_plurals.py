"""Fill the plural entries of the French catalogs with their own French forms.

French is the source language: the fr_CA catalogs stay empty, and gettext answers a missing entry
with the source text. For a plural it then picks the form by the English rule (n == 1 singular), so
French read « 0 cartes ». With msgstr[0] = msgid and msgstr[1] = msgid_plural, the catalog's own
French rule (n > 1) chooses: « 0 carte ». Nothing else is filled. Run by `make messages`, before
compiling. No dependency: the .po files are the ones `makemessages` writes.

    python scripts/fr_plurals.py src/tablee
"""

from __future__ import annotations

import sys
from pathlib import Path


def _value(lines: list[str], keyword: str) -> list[str]:
    """The quoted lines of ``keyword`` (its own line and the continuation lines after it)."""
    for index, line in enumerate(lines):
        if line.startswith(keyword + " "):
            out = [line[len(keyword) + 1:]]
            for more in lines[index + 1:]:
                if not more.startswith('"'):
                    break
                out.append(more)
            return out
    return []


def fill(text: str) -> tuple[str, int]:
    blocks, filled = [], 0
    for block in text.split("\n\n"):
        lines = block.split("\n")
        singular, plural = _value(lines, "msgid"), _value(lines, "msgid_plural")
        # makemessages marks a new plural "fuzzy" when it guesses its forms from a neighbour (an
        # older, different sentence): a fuzzy entry is not compiled, so it is filled again.
        fuzzy = "#, fuzzy" in lines and singular != ['""']  # the header excepted
        if fuzzy and not plural:  # a French sentence needs no translation: back to empty
            keep, dropping = [], False
            for line in lines:
                if line.startswith("msgstr "):
                    dropping = True
                elif not line.startswith('"'):
                    dropping = False
                if not dropping and not line.startswith(("#| ", "#, fuzzy")):
                    keep.append(line)
            lines = [*keep, 'msgstr ""']
            filled += 1
        elif (plural and not any(line.startswith("#~") for line in lines)
                and (fuzzy or (_value(lines, "msgstr[0]") == ['""'] and _value(lines, "msgstr[1]") == ['""']))):
            keep, dropping = [], False
            for line in lines:
                if line.startswith(("msgstr[0] ", "msgstr[1] ")):
                    dropping = True  # with its continuation lines
                elif not line.startswith('"'):
                    dropping = False
                if not dropping and not line.startswith(("#| ", "#, fuzzy")):
                    keep.append(line)
            keep += ["msgstr[0] " + singular[0], *singular[1:], "msgstr[1] " + plural[0], *plural[1:]]
            lines = keep
            filled += 1
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks), filled


def main(root: str) -> int:
    for path in sorted(Path(root).glob("**/locale/fr_CA/LC_MESSAGES/django.po")):
        text, filled = fill(path.read_text(encoding="utf-8"))
        if filled:
            path.write_text(text, encoding="utf-8")
        print(f"{path}: {filled} plural entries filled")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "src/tablee"))
