"""English is complete: every catalog translates every French source string, none is fuzzy, and
every catalog declares a plural rule Python can read (a placeholder one crashes the start-up)."""

import gettext
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3] / "src" / "tablee"
CATALOGS = sorted(SRC.glob("**/locale/*/LC_MESSAGES/django.po"))


def _entries(text: str):
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block + "\n", re.M)
        msgstr = re.search(r'^msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        if msgid is None or msgstr is None or block.lstrip().startswith("#~"):
            continue
        join = lambda m: "".join(re.findall(r'"(.*)"', m.group(1)))  # noqa: E731
        yield join(msgid), join(msgstr), "fuzzy" in (re.search(r"^#,.*$", block, re.M) or [""])[0]


def test_there_are_catalogs_for_both_languages():
    languages = {path.parts[-3] for path in CATALOGS}
    assert {"en", "fr_CA"} <= languages


@pytest.mark.parametrize("path", [p for p in CATALOGS if p.parts[-3] == "en"], ids=str)
def test_the_english_catalog_is_complete(path):
    missing = [msgid for msgid, msgstr, fuzzy in _entries(path.read_text()) if msgid and (not msgstr or fuzzy)]
    assert missing == []


@pytest.mark.parametrize("path", CATALOGS, ids=str)
def test_the_compiled_catalog_loads_with_a_real_plural_rule(path):
    with path.with_suffix(".mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.ngettext("a", "b", 2) in {"a", "b"}


def _plural_entries(text: str):
    for block in text.split("\n\n"):
        if "msgid_plural" in block and not block.lstrip().startswith("#~"):
            forms = re.findall(r'^msgstr\[\d\] ((?:".*"\n?)+)', block + "\n", re.M)
            yield block.split("\n")[0], ["".join(re.findall(r'"(.*)"', f)) for f in forms]


@pytest.mark.parametrize("path", [p for p in CATALOGS if p.parts[-3] == "fr_CA"], ids=str)
def test_the_french_catalog_repeats_its_plural_forms(path):
    """French is the source: without its own forms, gettext picks them by the English rule (« 0 cartes »).
    `make messages` fills them (scripts/fr_plurals.py)."""
    empty = [head for head, forms in _plural_entries(path.read_text()) if not all(forms)]
    assert empty == []
