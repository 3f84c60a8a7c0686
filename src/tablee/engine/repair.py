"""Repair a published round after late changes (no-shows, cancellations, walk-ins).

Everyone stays where they are unless a hard rule forces a change. The steps, cheapest first:
1. remove the absent; if the remaining people no longer fit the number of tables, dissolve the
   smallest tables (their people are re-seated) or open new ones;
2. seat walk-ins and displaced people one by one, most constrained first, at a table with a free
   seat where someone speaks their language and nobody is on their avoid list (tables below the
   minimum first, then the best-matching one);
3. fill tables still below the minimum with one person from a table above it;
4. rescue anyone left with nobody to talk to: move them, bring a compatible person to them, or swap;
5. separate any avoid pair sitting together (a wish made after publication): move one, or swap.
Each step picks, among the valid choices, the one that costs the fewest moves, then the best score.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

# Imported by `tablee.engine` itself (see there): numpy and the model load on first use only.
if TYPE_CHECKING:
    from tablee.engine.model import Id, Problem, Scores


class _Round:
    def __init__(self, problem: Problem, scores: Scores, tables: list[list[int]]):
        self.p = problem
        self.s = scores
        self.tables = tables
        self.value = scores.base - scores.past + scores.once - scores.avoid
        self.avoid = scores.avoid > 0
        self.fixed: set[int] = set()  # pinned by the organizer: moved only if their table goes

    def can_sit(self, i: int, table: list[int]) -> bool:
        others = [j for j in table if j != i]
        if any(self.avoid[i, j] for j in others):
            return False
        return not others or any(self.s.compat[i, j] for j in others)

    def stranded(self, table: list[int]) -> list[int]:
        return [i for i in table if not any(self.s.compat[i, j] for j in table if j != i)]

    def gain(self, i: int, table: list[int]) -> float:
        return float(sum(self.value[i, j] for j in table if j != i))

    def size_ok(self, t: int) -> bool:
        return self.p.size_min <= len(self.tables[t]) <= self.p.size_max


def _ids(problem: Problem, raw: list[Any], where: str) -> list[int]:
    from tablee.engine.model import ProblemError

    out = []
    for pid in raw:
        if isinstance(pid, bool) or not isinstance(pid, str | int) or pid not in problem.index:
            raise ProblemError(f"{where}: unknown person id {pid!r}")
        out.append(problem.index[pid])
    return out


def repair_round(
    problem_data: dict[str, Any],
    tables: list[list[Id]],
    *,
    absent: list[Id],
    walk_ins: list[Id],
    lang: str | None = None,
) -> dict[str, Any]:
    started = time.perf_counter()
    import numpy as np

    from tablee.engine.model import ProblemError, parse_problem, score_matrices
    from tablee.engine.why import table_score, table_why

    if not isinstance(tables, list) or not all(isinstance(t, list) for t in tables) or not tables:
        raise ProblemError("tables: expected the published round, a non-empty list of tables (lists of ids)")
    problem_data = dict(problem_data)
    # Validate people, sizes and wishes only: attendance and tables are those of this round.
    pins = problem_data.pop("pinned", None)
    for key in ("attendance", "tables"):
        problem_data.pop(key, None)
    if pins is not None and not isinstance(pins, dict):
        raise ProblemError("pinned: expected an object {id: table index} for the round to repair")
    problem_data["rounds"] = 1
    people_ids = [p.get("id") for p in problem_data.get("people", []) if isinstance(p, dict)]
    seated_ids = [pid for t in tables for pid in t]
    unknown = [pid for pid in seated_ids + list(absent) + list(walk_ins) if pid not in people_ids]
    if unknown:
        raise ProblemError(f"unknown person id {unknown[0]!r}")
    if len(set(seated_ids)) != len(seated_ids):
        raise ProblemError("tables: a person is seated twice in the published round")
    not_seated = [pid for pid in absent if pid not in seated_ids]
    if not_seated:
        raise ProblemError(f"absent: {not_seated[0]!r} is not seated in the published round")
    gone = set(absent)
    newcomers = [pid for pid in dict.fromkeys(walk_ins) if pid not in seated_ids and pid not in gone]
    present = [pid for pid in seated_ids if pid not in gone] + newcomers
    problem = parse_problem({**problem_data, "attendance": [present]})
    lang = lang or problem.lang
    scores = score_matrices(problem)
    before = [_ids(problem, [pid for pid in t if pid not in gone], "tables") for t in tables]
    origin = {i: t for t, table in enumerate(before) for i in table}
    rnd = _Round(problem, scores, [list(t) for t in before])
    by_text = {str(p.id): k for k, p in enumerate(problem.people)}
    rnd.fixed = {by_text[str(pid)] for pid in (pins or {}) if str(pid) in by_text}
    labels: list[int | None] = list(range(len(tables)))
    waiting = _ids(problem, newcomers, "walk_ins")

    n, smin, smax = len(present), problem.size_min, problem.size_max
    while len(rnd.tables) * smin > n:  # too few people for these tables: dissolve the smallest
        t = min(range(len(rnd.tables)),
                key=lambda k: (any(i in rnd.fixed for i in rnd.tables[k]), len(rnd.tables[k]), -k))
        waiting.extend(rnd.tables.pop(t))
        labels.pop(t)
    while len(rnd.tables) * smax < n:
        rnd.tables.append([])
        labels.append(None)

    def seat(i: int) -> None:
        options = [t for t, table in enumerate(rnd.tables)
                   if len(table) < smax and rnd.can_sit(i, table)]
        if not options:
            options = [t for t, table in enumerate(rnd.tables) if len(table) < smax]
        best = max(options, key=lambda t: (len(rnd.tables[t]) < smin, len(rnd.tables[t]) < problem.size_target,
                                           origin.get(i) == labels[t], rnd.gain(i, rnd.tables[t]), -t))
        rnd.tables[best].append(i)

    def constraint(i: int) -> int:
        return sum(1 for table in rnd.tables if len(table) < smax and rnd.can_sit(i, table))

    while waiting:
        waiting.sort(key=lambda i: (constraint(i), str(problem.people[i].id)))
        seat(waiting.pop(0))

    for t in range(len(rnd.tables)):  # fill tables below the minimum, one person at a time
        while len(rnd.tables[t]) < smin:
            _pull_one(rnd, t, origin, labels)

    for _ in range(2 * n):  # rescue the stranded
        stranded = [(t, i) for t, table in enumerate(rnd.tables) for i in rnd.stranded(table)]
        if not stranded or not _rescue(rnd, *stranded[0]):
            break

    for _ in range(2 * n):  # separate avoid pairs (e.g. a wish made after publication)
        pairs = [(t, a, b) for t, table in enumerate(rnd.tables) for a in table for b in table
                 if a < b and rnd.avoid[a, b]]
        if not pairs:
            break
        t, a, b = pairs[0]
        first, second = (b, a) if a in rnd.fixed or origin.get(a) is None else (a, b)
        if not (_separate(rnd, t, first) or _separate(rnd, t, second)):
            break

    result_tables = rnd.tables
    moved = sorted((problem.people[i].id for t, table in enumerate(result_tables) for i in table
                    if i in origin and labels[t] != origin[i]), key=str)
    stats = _check(rnd)
    met = scores.history_count
    unmet = np.zeros_like(met)  # one round: no wish granted earlier in the plan
    out_tables = []
    for t, table in enumerate(result_tables):
        table = sorted(table, key=lambda i: str(problem.people[i].id))
        out_tables.append({
            "people": problem.ids(table),
            "index_before": labels[t],
            "why": table_why(problem, scores, table, met, lang),
            "score": table_score(scores, table, unmet),
        })
    stats["moved"] = len(moved)
    return {
        "tables": out_tables,
        "moved": moved,
        "seated_walk_ins": list(newcomers),
        "removed": list(dict.fromkeys(absent)),
        "stats": stats,
        "elapsed_s": round(time.perf_counter() - started, 4),
    }


def _pull_one(rnd: _Round, t: int, origin: dict[int, int], labels: list[int | None]) -> None:
    target = rnd.tables[t]
    best = None
    for s, table in enumerate(rnd.tables):
        if s == t or len(table) <= rnd.p.size_min:
            continue
        for i in table:
            rest = [j for j in table if j != i]
            if i in rnd.fixed or not rnd.can_sit(i, target) or rnd.stranded(rest):
                continue
            key = (origin.get(i) != labels[s], rnd.gain(i, target) - rnd.gain(i, rest))
            if best is None or key > best[0]:
                best = (key, s, i)
    if best is None:
        from tablee.engine.model import ProblemError

        raise ProblemError("cannot repair the round: no one can join a table below the minimum size "
                           "without breaking a rule; plan the round again")
    _, s, i = best
    rnd.tables[s].remove(i)
    target.append(i)


def _rescue(rnd: _Round, t: int, i: int) -> bool:
    """One or two moves that give i someone to talk to without stranding anyone else."""
    smin, smax = rnd.p.size_min, rnd.p.size_max
    home = rnd.tables[t]
    rest = [j for j in home if j != i]
    candidates = []
    if len(home) > smin and not rnd.stranded(rest) and i not in rnd.fixed:
        for u, table in enumerate(rnd.tables):
            if u != t and len(table) < smax and rnd.can_sit(i, table):
                candidates.append((1, rnd.gain(i, table), ("move", i, t, u)))
    if len(home) < smax:
        for u, table in enumerate(rnd.tables):
            if u == t or len(table) <= smin:
                continue
            for j in table:
                if j in rnd.fixed:
                    continue
                if rnd.s.compat[i, j] and rnd.can_sit(j, home) and not rnd.stranded([x for x in table if x != j]):
                    candidates.append((1, rnd.gain(j, home), ("move", j, u, t)))
    if not candidates:
        for u, table in enumerate(rnd.tables):
            if u == t:
                continue
            for j in table:
                if i in rnd.fixed or j in rnd.fixed:
                    continue
                new_home = [*rest, j]
                new_other = [x for x in table if x != j] + [i]
                if (rnd.can_sit(j, new_home) and rnd.can_sit(i, new_other)
                        and not rnd.stranded(new_home) and not rnd.stranded(new_other)):
                    candidates.append((2, rnd.gain(i, table) + rnd.gain(j, rest), ("swap", i, t, j, u)))
    if not candidates:
        return False
    _, _, action = max(candidates, key=lambda c: (-c[0], c[1]))
    if action[0] == "move":
        _, who, src, dst = action
        rnd.tables[src].remove(who)
        rnd.tables[dst].append(who)
    else:
        _, a, ta, b, tb = action
        rnd.tables[ta].remove(a)
        rnd.tables[tb].remove(b)
        rnd.tables[ta].append(b)
        rnd.tables[tb].append(a)
    return True


def _separate(rnd: _Round, t: int, i: int) -> bool:
    """Move i away from t (one move, else a swap) to a table where every rule holds."""
    if i in rnd.fixed:
        return False
    smin, smax = rnd.p.size_min, rnd.p.size_max
    rest = [j for j in rnd.tables[t] if j != i]
    candidates = []
    for u, table in enumerate(rnd.tables):
        if u == t:
            continue
        if len(rest) >= smin and len(table) < smax and rnd.can_sit(i, table) and not rnd.stranded(rest):
            candidates.append((1, rnd.gain(i, table), u, None))
        for j in table:
            other = [x for x in table if x != j]
            if (j not in rnd.fixed and rnd.can_sit(i, other) and rnd.can_sit(j, rest)
                    and not rnd.stranded([*rest, j]) and not rnd.stranded([*other, i])):
                candidates.append((2, rnd.gain(i, other) + rnd.gain(j, rest), u, j))
    if not candidates:
        return False
    _, _, u, j = max(candidates, key=lambda c: (-c[0], c[1]))
    rnd.tables[t].remove(i)
    rnd.tables[u].append(i)
    if j is not None:
        rnd.tables[u].remove(j)
        rnd.tables[t].append(j)
    return True


def _check(rnd: _Round) -> dict[str, int]:
    avoid = sum(1 for table in rnd.tables for k, a in enumerate(table) for b in table[k + 1:]
                if rnd.avoid[a, b])
    return {
        "avoid_violations": avoid,
        "language_violations": sum(len(rnd.stranded(table)) for table in rnd.tables),
        "size_violations": sum(1 for t in range(len(rnd.tables)) if not rnd.size_ok(t)),
    }
