"""How a typed list becomes clean items: trimmed, deduplicated, languages as ISO codes.

Shared by the services and the CSV reader, which sits under them.
"""

from __future__ import annotations

from collections.abc import Iterable

from tablee.members.languages import language_code

MAX_LIST_ITEMS = 20
MAX_ITEM_LENGTH = 120


def clean_list(values: Iterable[str]) -> list[str]:
    """Trimmed, non-empty items without case-insensitive duplicates, in their first order."""
    seen: set[str] = set()
    result: list[str] = []
    for value in values:
        item = " ".join(str(value).split())
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            result.append(item)
    return result


def languages_normalize(values: Iterable[str]) -> tuple[list[str], list[str]]:
    """(codes, unknown): « Français », "EN", "fr-CA" become "fr", "en"; what is not a language is returned."""
    codes: list[str] = []
    unknown: list[str] = []
    for value in clean_list(values):
        code = language_code(value)
        if code is None:
            unknown.append(value)
        elif code not in codes:
            codes.append(code)
    return codes, unknown
