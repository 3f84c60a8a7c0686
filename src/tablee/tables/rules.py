"""Hard rules of a seating, checked after a manual move. Plain Python, no Django.

An avoid pair is named by neither its people nor its table: an avoid wish is confidential, so the
organizer only learns that a confidential constraint is broken somewhere (one warning, table 0).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    code: str  # "size_min", "size_max", "language", "avoid"
    table: int  # 1-based table number; 0 for "avoid", which never points to a table
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
    broken_avoid = False
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
            broken_avoid = True
    if broken_avoid:
        found.append(Violation("avoid", 0))
    return found


def _talks(person: int, table: list[int], languages: dict[int, set[str]]) -> bool:
    mine = languages.get(person) or set()
    others = [languages.get(p) or set() for p in table if p != person]
    return not mine or not others or any(not theirs or mine & theirs for theirs in others)


def _clean(table: list[int], avoid: set[frozenset[int]], languages: dict[int, set[str]]) -> bool:
    if any(frozenset((a, b)) in avoid for i, a in enumerate(table) for b in table[i + 1 :]):
        return False
    return all(_talks(p, table, languages) for p in table)


def resolve_avoid(
    tables: list[list[int]],
    *,
    size_min: int,
    size_max: int,
    languages: dict[int, set[str]],
    avoid: set[frozenset[int]],
    already_moved: set[int] = frozenset(),
) -> list[list[int]]:
    """Separate avoid pairs left at a table with one move or one swap each.

    A last guard after a repair at the door: when the only free seat is next to someone a walk-in
    must not sit with, a swap with another table settles it. People already moved are moved again
    first, so the count of people who change table stays as low as possible.
    """
    tables = [list(t) for t in tables]
    for _round in range(len(avoid) + 1):
        broken = next(((t, a, b) for t, table in enumerate(tables) for i, a in enumerate(table)
                       for b in table[i + 1 :] if frozenset((a, b)) in avoid), None)
        if broken is None:
            return tables
        t, a, b = broken
        best = None
        for x in (a, b):
            rest = [p for p in tables[t] if p != x]
            for u, other in enumerate(tables):
                if u == t:
                    continue
                options = []
                if len(other) < size_max and len(rest) >= size_min:
                    options.append((None, rest, [*other, x]))
                for y in other:
                    options.append((y, [*rest, y], [p for p in other if p != y] + [x]))
                for y, new_t, new_u in options:
                    if not (_clean(new_t, avoid, languages) and _clean(new_u, avoid, languages)):
                        continue
                    cost = (x not in already_moved) + (y is not None and y not in already_moved)
                    if best is None or cost < best[0]:
                        best = (cost, t, u, new_t, new_u)
        if best is None:
            return tables  # nothing settles it: the organizer sees the warning
        _cost, t, u, new_t, new_u = best
        tables[t], tables[u] = new_t, new_u
    return tables
