"""Spoken languages: what people type (« français », "English", "fr-CA") to short ISO 639-1 codes.

The table engine compares these codes, so every way of writing a language must land on one code.
"""

from __future__ import annotations

import unicodedata

# Code -> names people write for it, in French and English (and the language itself).
_NAMES: dict[str, tuple[str, ...]] = {
    "fr": ("français", "francais", "french", "francés"),
    "en": ("anglais", "english", "inglés"),
    "es": ("espagnol", "spanish", "español"),
    "pt": ("portugais", "portuguese", "português"),
    "it": ("italien", "italian", "italiano"),
    "de": ("allemand", "german", "deutsch"),
    "ar": ("arabe", "arabic"),
    "zh": ("chinois", "chinese", "mandarin", "cantonais", "cantonese"),
    "ht": ("créole", "créole haïtien", "haitian creole", "kreyòl"),
    "vi": ("vietnamien", "vietnamese"),
    "ru": ("russe", "russian"),
    "uk": ("ukrainien", "ukrainian"),
    "pl": ("polonais", "polish"),
    "ro": ("roumain", "romanian"),
    "el": ("grec", "greek"),
    "fa": ("persan", "farsi", "persian"),
    "hi": ("hindi",),
    "pa": ("pendjabi", "punjabi"),
    "ta": ("tamoul", "tamil"),
    "bn": ("bengali",),
    "ur": ("ourdou", "urdu"),
    "tl": ("tagalog", "filipino"),
    "ja": ("japonais", "japanese"),
    "ko": ("coréen", "korean"),
    "tr": ("turc", "turkish"),
    "he": ("hébreu", "hebrew"),
    "nl": ("néerlandais", "dutch"),
    "iu": ("inuktitut",),
    "cr": ("cri", "cree"),
}


def _fold(text: str) -> str:
    """Lower-case without accents: « Français » and "francais" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_LOOKUP: dict[str, str] = {}
for _code, _names in _NAMES.items():
    _LOOKUP[_fold(_code)] = _code
    for _name in _names:
        _LOOKUP[_fold(_name)] = _code

KNOWN_CODES: frozenset[str] = frozenset(_NAMES)


def language_code(text: str) -> str | None:
    """The short code for a language written as a code or a name; None when unknown.

    Regional variants keep only the language: "fr-CA", "fr_ca" and "en-US" become "fr" and "en".
    """
    folded = _fold(text)
    if not folded:
        return None
    if folded in _LOOKUP:
        return _LOOKUP[folded]
    base = folded.replace("_", "-").split("-", 1)[0]
    if base in KNOWN_CODES:
        return base
    return None


def language_names(codes: list[str]) -> str:
    """Spoken languages as a person reads them, in the active language: ["fr", "en"] → « français,
    anglais » ("French, English" in English). A code Django has no name for gets the French name
    above; ``language_code`` reads every one of these names back to its code."""
    from django.utils import translation

    names = []
    for code in codes:
        try:
            names.append(str(translation.get_language_info(code)["name_translated"]).lower())
        except KeyError:
            names.append(_NAMES[code][0] if code in _NAMES else code)
    return ", ".join(names)
