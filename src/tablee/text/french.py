"""Small French grammar for names dropped into sentences. Plain Python, no Django.

- ``de("Association X")`` → « d'Association X »: « de » elides before a vowel (and a mute h is left
  alone: whether it is mute cannot be told from the letters);
- ``at_event("Déjeuner réseautage")`` → « au déjeuner réseautage »: a title that starts with a meal
  or another common noun reads as that noun inside a sentence (lower case, with its article);
  any other title is quoted, « à « Les Mercuriades » », so no article has to be guessed.
English has its own: ``at_event(..., language="en")`` → "at the breakfast meeting" / "at “Les Mercuriades”".
- ``dates("mercredi 1 septembre · 12 h 00")`` → « mercredi 1er septembre · 12 h »: a formatted date
  and time as Québec writes them (the first of the month is « 1er », no « 00 » minutes, no-break spaces
  around the « h » and between the day and its month, so « 10 / novembre » never splits on a phone);
  ``dates_in(language, text)`` does it for a French reader only: the one place that decides.
"""

from __future__ import annotations

import re

VOWELS = frozenset("aeiouyàâäéèêëîïôöûüœæ")

# Nouns that open a gathering's title and read as common nouns in a sentence: masculine ones take
# « au », feminine ones « à la », those starting with a vowel « à l' ».
_FR_NOUNS = {
    "déjeuner": "au", "dîner": "au", "diner": "au", "souper": "au", "brunch": "au", "lunch": "au",
    "cocktail": "au", "petit-déjeuner": "au", "déjeuner-réseautage": "au", "déjeuner-causerie": "au", "café-rencontre": "au", "5 à 7": "au", "cinq à sept": "au",
    "midi-conférence": "au", "colloque": "au", "congrès": "au", "forum": "au", "gala": "au",
    "souper-conférence": "au", "salon": "au", "atelier": "à l'", "apéro": "à l'", "apéritif": "à l'",
    "assemblée": "à l'", "activité": "à l'", "rencontre": "à la", "soirée": "à la", "table ronde": "à la",
    "conférence": "à la", "journée": "à la", "matinée": "à la", "causerie": "à la", "réunion": "à la",
}
_EN_NOUNS = ("breakfast", "lunch", "dinner", "supper", "brunch", "cocktail", "networking", "meeting",
             "meetup", "conference", "forum", "workshop", "luncheon", "evening", "assembly")


_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
_FIRST_OF_MONTH = re.compile(rf"(?<![\d,.])1 ({_MONTHS})\b")
_DAY_MONTH = re.compile(rf"(?<![\d,.])(\d{{1,2}}|1er) ({_MONTHS})\b")
_HOUR = re.compile(r"(?<![\d,.])(\d{1,2}) h (\d\d)(?!\d)")
NBSP = "\u00a0"


def dates(text: str) -> str:
    """A date and time formatted by Django's French patterns, tidied: « le 1 septembre » → « le 1er
    septembre », « 12 h 00 » → « 12 h », « 7 h 30 » and « 10 novembre » with no-break spaces (never
    split across lines)."""
    text = _DAY_MONTH.sub(rf"\1{NBSP}\2", _FIRST_OF_MONTH.sub(r"1er \1", text))
    return _HOUR.sub(lambda m: f"{m[1]}{NBSP}h" if m[2] == "00" else f"{m[1]}{NBSP}h{NBSP}{m[2]}", text)


def dates_in(language: str | None, text: str) -> str:
    """``dates(text)`` for a French reader (no language: French, the source language); a date
    formatted for another language is already written its way, and is returned as is."""
    return dates(text) if (language or "fr").startswith("fr") else text


def starts_with_vowel(word: str) -> bool:
    word = word.lstrip("«“\"' ")
    return bool(word) and word[0].casefold() in VOWELS


def de(name: str) -> str:
    """« de » + name, elided before a vowel: « d'architecture », « de Montréal »."""
    name = name.strip()
    return f"d'{name}" if starts_with_vowel(name) else f"de {name}"


def _opening_noun(title: str, nouns) -> str | None:
    folded = title.casefold()
    for noun in sorted(nouns, key=len, reverse=True):
        if folded == noun or folded.startswith(noun + " ") or folded.startswith(noun + ","):
            return noun
    return None


def at_event(title: str, *, language: str = "fr") -> str:
    """Where we met, inside a sentence: « au déjeuner réseautage », « à la soirée des membres »,
    « à « Les Mercuriades » »; in English "at the breakfast meeting", "at “Les Mercuriades”"."""
    title = " ".join(title.split())
    if not title:
        return ""
    if language.startswith("en"):
        noun = _opening_noun(title, _EN_NOUNS)
        return f"at the {title[0].lower()}{title[1:]}" if noun else f"at “{title}”"
    noun = _opening_noun(title, _FR_NOUNS)
    if noun is None:
        return f"à «\u00a0{title}\u00a0»"
    article = _FR_NOUNS[noun]
    lowered = title[0].lower() + title[1:]
    return f"{article}{lowered}" if article.endswith("'") else f"{article} {lowered}"


_LETTERS = "".join(sorted(VOWELS))
_DE_BEFORE_VOWEL = re.compile(rf"\b([Dd])e ([{_LETTERS}{_LETTERS.upper()}])")

# Names of organizations that open with a common noun read with its article inside a sentence, as
# the OQLF writes them: « membre du Réseau des gens d'affaires », « l'équipe de la Chambre de
# commerce », « invitation à l'Association des… ». Masculine nouns take le, feminine ones la, and
# those starting with a vowel l'.
_ORG_NOUNS = {
    **dict.fromkeys(("Réseau", "Regroupement", "Cercle", "Club", "Centre", "Conseil", "Comité", "Collectif",
                     "Carrefour", "Forum", "Groupe", "Mouvement", "Syndicat", "Bureau", "Jeune Barreau"), "le"),
    **dict.fromkeys(("Chambre", "Jeune Chambre", "Fédération", "Société", "Coopérative", "Corporation",
                     "Communauté", "Fondation", "Table", "Ligue", "Confédération", "Grappe", "Guilde", "Maison"), "la"),
    **dict.fromkeys(("Association", "Alliance", "Union", "Institut", "Ordre", "Organisation", "Assemblée",
                     "Amicale"), "l'"),
}
_NOUNS = "|".join(sorted(map(re.escape, _ORG_NOUNS), key=len, reverse=True))
# « de » / « à » / « joindre » before such a noun, or before a name that carries its own article.
_BEFORE_ORG = re.compile(rf"\b(?P<word>[Dd]e|[Àà]|(?:re)?joindre) (?P<noun>(?:{_NOUNS})\b|Les? (?=\w))")
_CONTRACTED = {("de", "le"): "du", ("de", "les"): "des", ("à", "le"): "au", ("à", "les"): "aux"}


def _with_article(match: re.Match) -> str:
    word, noun = match.group("word"), match.group("noun")
    if noun.rstrip() in ("Le", "Les"):  # « Le Cercle X »: its own article, contracted after de / à
        article, rest = noun.rstrip().lower(), ""
    else:
        article, rest = _ORG_NOUNS[noun], noun
    preposition = word.lower()
    contracted = _CONTRACTED.get((preposition, article))
    if contracted is not None:
        out = f"{contracted} {rest}" if rest else f"{contracted} "
        return (out[0].upper() + out[1:]) if word[0].isupper() else out
    joined = f"{article}{rest}" if article.endswith("'") else f"{article} {rest}"
    return f"{word} {joined}" if rest else f"{word} {article} "


def elide(sentence: str, language: str = "fr") -> str:
    """A French sentence that a name was dropped into, made grammatical: « de » elided before a
    vowel (« L'équipe de Entreprendre Québec » → « L'équipe d'Entreprendre Québec »), and the
    article of an organization's name put back after « de », « à » or « (re)joindre » (« L'équipe
    de Réseau des gens d'affaires » → « L'équipe du Réseau des gens d'affaires », « Bienvenue à
    Association des… » → « Bienvenue à l'Association des… », « de Le Cercle » → « du Cercle »).
    ``language``: the sentence's; any other than French is returned as is (« de Andrade » is a
    name in English)."""
    if not (language or "fr").startswith("fr"):
        return sentence
    return _DE_BEFORE_VOWEL.sub(r"\1'\2", _BEFORE_ORG.sub(_with_article, sentence))


def the(name: str) -> str:
    """An organization's name with its article, for the start of a sentence (capitalize it there):
    « Réseau des gens d'affaires » → « le Réseau des gens d'affaires », « Association X » →
    « l'Association X »; a name without such a noun (« Café-rencontres », « Le Cercle ») is left as is."""
    name = name.strip()
    noun = next((n for n in sorted(_ORG_NOUNS, key=len, reverse=True)
                 if name == n or name.startswith(n + " ")), None)
    if noun is None:
        return name
    article = _ORG_NOUNS[noun]
    return f"{article}{name}" if article.endswith("'") else f"{article} {name}"
