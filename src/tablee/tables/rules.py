"""Hard rules of a seating, checked after a manual move. Plain Python, no Django.

The result names tables, never people, for an avoid pair: an avoid wish is confidential, so the
organizer only learns that a confidential constraint is broken at a table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    code: str  # "size_min", "size_max", "language", "avoid"
    table: int  # 1-based table number
    person: int | None = None  # the person without a common language (never set for "avoid")


def violations(
    tables: dict[int, list[int]],
    *,
    size_min: int,
    size_max: int,
    languages: dict[int, set[str]],
    avoid: set[frozenset[int]],
) -> list[Violation]:
    """Every hard rule broken by ``tables`` ({table number: [person ids]}), table by table."""
    found: list[Violation] = []
    for number in sorted(tables):
        people = tables[number]
        if people and len(people) < size_min:
            found.append(Violation("size_min", number))
        if len(people) > size_max:
            found.append(Violation("size_max", number))
        for person in people:
            mine = languages.get(person) or set()
            others = [languages.get(p) or set() for p in people if p != person]
            # Unknown languages (empty) never block: like the engine, assume they can talk.
            if mine and others and not any(not theirs or mine & theirs for theirs in others):
                found.append(Violation("language", number, person))
        if any(frozenset((a, b)) in avoid for i, a in enumerate(people) for b in people[i + 1 :]):
            found.append(Violation("avoid", number))
    return found
