"""Small French grammar for names dropped into sentences. Plain Python, no Django.

- ``de("Association X")`` → « d'Association X »: « de » elides before a vowel (and a mute h is left
  alone: whether it is mute cannot be told from the letters);
- ``at_event("Déjeuner réseautage")`` → « au déjeuner réseautage »: a title that starts with a meal
  or another common noun reads as that noun inside a sentence (lower case, with its article);
  any other title is quoted, « à « Les Mercuriades » », so no article has to be guessed.
English has its own: ``at_event(..., language="en")`` → "at the breakfast meeting" / "at “Les Mercuriades”".
"""

from __future__ import annotations

import re

VOWELS = frozenset("aeiouyàâäéèêëîïôöûüœæ")

# Nouns that open a gathering's title and read as common nouns in a sentence: masculine ones take
# « au », feminine ones « à la », those starting with a vowel « à l' ».
_FR_NOUNS = {
    "déjeuner": "au", "dîner": "au", "diner": "au", "souper": "au", "brunch": "au", "lunch": "au",
    "cocktail": "au", "petit-déjeuner": "au", "café-rencontre": "au", "5 à 7": "au", "cinq à sept": "au",
    "midi-conférence": "au", "colloque": "au", "congrès": "au", "forum": "au", "gala": "au",
    "souper-conférence": "au", "salon": "au", "atelier": "à l'", "apéro": "à l'", "apéritif": "à l'",
    "assemblée": "à l'", "activité": "à l'", "rencontre": "à la", "soirée": "à la", "table ronde": "à la",
    "conférence": "à la", "journée": "à la", "matinée": "à la", "causerie": "à la", "réunion": "à la",
}
_EN_NOUNS = ("breakfast", "lunch", "dinner", "supper", "brunch", "cocktail", "networking", "meeting",
             "meetup", "conference", "forum", "workshop", "luncheon", "evening", "assembly")


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
        return f"à « {title} »"
    article = _FR_NOUNS[noun]
    lowered = title[0].lower() + title[1:]
    return f"{article}{lowered}" if article.endswith("'") else f"{article} {lowered}"


_LETTERS = "".join(sorted(VOWELS))
_DE_BEFORE_VOWEL = re.compile(rf"\b([Dd])e ([{_LETTERS}{_LETTERS.upper()}])")


def elide(sentence: str, language: str = "fr") -> str:
    """Every « de » before a vowel elided in a French sentence that a name was dropped into:
    « L'équipe de Entreprendre Québec » → « L'équipe d'Entreprendre Québec ». ``language``: the
    sentence's; any other than French is returned as is (« de Andrade » is a name in English)."""
    if not (language or "fr").startswith("fr"):
        return sentence
    return _DE_BEFORE_VOWEL.sub(r"\1'\2", sentence)
