"""Québec's French typography (OQLF) in the French source strings: a no-break space after « and
before », and before « : »; no space before ? ! ;. The catalogs' msgids are the French strings of
the code and the templates; scripts/fr_typography.py puts them right (and `--check` says what it
would change)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SRC = ROOT / "src" / "tablee"
FRENCH_CATALOGS = sorted(SRC.glob("**/locale/fr_CA/LC_MESSAGES/django.po"))
NBSP = "\u00a0"

_spec = importlib.util.spec_from_file_location("fr_typography", ROOT / "scripts" / "fr_typography.py")
assert _spec is not None and _spec.loader is not None
fr_typography = sys.modules["fr_typography"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fr_typography)


def _msgids(text: str):
    for block in text.split("\n\n"):
        for keyword in ("msgid", "msgid_plural"):
            found = re.search(rf'^{keyword} ((?:".*"\n?)+)', block + "\n", re.M)
            if found and not block.lstrip().startswith("#~"):
                value = "".join(re.findall(r'"(.*)"', found.group(1)))
                if value:
                    yield value.replace('\\"', '"').replace("\\n", "\n")


MISTAKES = {
    "a breakable space before « : »": re.compile(r"[ \t\u202f]:"),
    "« not followed by a no-break space": re.compile(f"«(?!{NBSP})"),
    "» not preceded by a no-break space": re.compile(f"(?<!{NBSP})»"),
    "a space before ? ! ;": re.compile(r"\s[?!;]"),
    "an escaped no-break space (xgettext keeps the escape)": re.compile(r"\\u00a0|\\xa0"),
}


@pytest.mark.parametrize("path", FRENCH_CATALOGS, ids=lambda p: str(p.relative_to(SRC)))
def test_the_french_strings_follow_quebec_typography(path):
    wrong = [(mistake, msgid) for msgid in _msgids(path.read_text(encoding="utf-8"))
             for mistake, pattern in MISTAKES.items() if pattern.search(msgid)]
    assert wrong == [], "run: python scripts/fr_typography.py && make messages"


@pytest.mark.parametrize(("text", "expected"), [
    ("Démo prête : « %(name)s » ?", f"Démo prête{NBSP}: «{NBSP}%(name)s{NBSP}»?"),
    ("Voir https://exemple.ca/a?b=1 : un lien", f"Voir https://exemple.ca/a?b=1{NBSP}: un lien"),
    ("Écrivez à mailto:x@exemple.ca ; merci !", "Écrivez à mailto:x@exemple.ca; merci!"),
    ("Départ à 12:30 ; retour à « 9 h 30 »", f"Départ à 12:30; retour à «{NBSP}9{NBSP}h{NBSP}30{NBSP}»"),
    ("%(name)s : %(count)d places ?", f"%(name)s{NBSP}: %(count)d{NBSP}places?"),
    ("{{ tables }} tables de {{ seats }} places", f"{{{{ tables }}}}{NBSP}tables de {{{{ seats }}}}{NBSP}places"),
    ("%(tables)s tables, 10 novembre, %(name)s vous invite", f"%(tables)s{NBSP}tables, 10{NBSP}novembre, %(name)s vous invite"),
    ("{{ name }} vous écrit à 12:30 le 2, 3", "{{ name }} vous écrit à 12:30 le 2, 3"),
    ("{name} : {0:>3} ?", f"{{name}}{NBSP}: {{0:>3}}?"),
    ("{{ title }} : {% url 'x' ' ?' %}", f"{{{{ title }}}}{NBSP}: {{% url 'x' ' ?' %}}"),
    ('<a title="Oui ?" href="/x/?a=1">Non ?</a>', '<a title="Oui ?" href="/x/?a=1">Non?</a>'),
    ("Authorization: Bearer … » et , rien", f"Authorization: Bearer …{NBSP}» et , rien"),
    ("Déjà bien\u202f: «\u00a0oui\u00a0»; merci?", f"Déjà bien{NBSP}: «{NBSP}oui{NBSP}»; merci?"),
])
def test_the_transform_keeps_urls_times_placeholders_and_markup(text, expected):
    assert fr_typography.fix(text) == expected
    assert fr_typography.fix(expected) == expected  # idempotent


def test_a_number_and_its_word_never_split_in_any_french_string():
    """« 6 / tables » on a phone: every msgid keeps a number with the word after it (and meets the
    rest of the convention: the script would change nothing)."""
    english = fr_typography.english_msgids(SRC)
    wrong = [msgid for path in FRENCH_CATALOGS for msgid in _msgids(path.read_text(encoding="utf-8"))
             if msgid not in english and fr_typography.fix(msgid) != msgid]
    assert wrong == [], "run: python scripts/fr_typography.py && make messages"


def test_a_trimmed_block_joins_the_line_the_no_break_space_would_be_stripped_at():
    body = "\n  Aperçu de « {{ name }}\n  » :\n  rien ?\n"
    assert fr_typography.fix(body, trimmed=True) == f"\n  Aperçu de «{NBSP}{{{{ name }}}}{NBSP}»{NBSP}:\n  rien?\n"
    assert fr_typography.fix(body) == f"\n  Aperçu de «{NBSP}{{{{ name }}}}\n  »{NBSP}:\n  rien?\n"


def test_python_gettext_literals_only_with_implicit_concatenation_and_escapes(tmp_path):
    source = (
        'x = "Hors gettext : intact ?"\n'
        'y = _("Attention "\n      ": la \\"suite\\"\\n ? !")\n'
        'z = ngettext("%(n)d carte ; ", "%(n)d cartes ;", n)\n'
        'w = pgettext("contexte : intact", "Texte\\u00a0: ok")\n'
        'e = _("Too many requests : wait")\n'
        'v = _("Une tabulation\\t: laissée telle quelle")\n'
    )
    english = {"Too many requests : wait"}  # msgid == its English msgstr
    new, changes = fr_typography.fix_python(tmp_path / "x.py", source, english)
    assert new == (
        'x = "Hors gettext : intact ?"\n'
        f'y = _("Attention{NBSP}"\n      ": la \\"suite\\"\\n ?!")\n'
        f'z = ngettext("%(n)d{NBSP}carte; ", "%(n)d{NBSP}cartes;", n)\n'
        f'w = pgettext("contexte : intact", "Texte{NBSP}: ok")\n'
        'e = _("Too many requests : wait")\n'
        'v = _("Une tabulation\\t: laissée telle quelle")\n'
    )
    assert len(changes) == 4
    assert fr_typography.fix_python(tmp_path / "x.py", new, english) == (new, [])


def test_templates_and_catalogs(tmp_path):
    template = ('<p>Hors : balise</p>{% translate "Ton :" %}'
                '{% blocktranslate trimmed with n=x %}\n  « {{ n }} »\n  ?{% endblocktranslate %}')
    new, _ = fr_typography.fix_template(tmp_path / "t.html", template, set())
    assert new == (f'<p>Hors : balise</p>{{% translate "Ton{NBSP}:" %}}'
                   f'{{% blocktranslate trimmed with n=x %}}\n  «{NBSP}{{{{ n }}}}{NBSP}»?{{% endblocktranslate %}}')

    catalog = ('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n#: a.py:1\nmsgid ""\n"Une longue phrase qui se coupe juste "\n'
               '": avant le deux-points"\nmsgstr "A long sentence: cut"\n\nmsgid "Same : as is"\nmsgstr "Same : as is"\n')
    new, changes = fr_typography.fix_catalog(tmp_path / "en" / "LC_MESSAGES" / "django.po", catalog, {"Same : as is"})
    assert f'msgid "Une longue phrase qui se coupe juste{NBSP}: avant le deux-points"' in new
    assert 'msgstr "A long sentence: cut"' in new and 'msgid "Same : as is"' in new and len(changes) == 1


def test_check_mode_lists_and_fails_then_passes_once_fixed(tmp_path, capsys):
    root = tmp_path / "tablee"
    (root / "web").mkdir(parents=True)
    (root / "web" / "views.py").write_text('message = _("Noté : merci !")\n', encoding="utf-8")
    (root / "engine").mkdir()
    (root / "engine" / "why.py").write_text('why = _("Moteur : intact")\n', encoding="utf-8")

    assert fr_typography.main(["--check", str(root)]) == 1
    assert "Noté : merci !" in capsys.readouterr().out
    assert fr_typography.main([str(root)]) == 0
    assert (root / "web" / "views.py").read_text(encoding="utf-8") == f'message = _("Noté{NBSP}: merci!")\n'
    assert (root / "engine" / "why.py").read_text(encoding="utf-8") == 'why = _("Moteur : intact")\n'
    assert fr_typography.main(["--check", str(root)]) == 0
