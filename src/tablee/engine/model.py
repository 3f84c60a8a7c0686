"""The season model: people, rounds, hard rules and the pairwise score.

Plain data in, plain data out. `parse_problem` turns a PROBLEM.json dict into a validated `Problem`
(every error names what is wrong); `score_matrices` builds the pairwise terms the solver optimises;
`evaluate` recomputes the objective and the statistics of a plan from scratch, independently of the
solver's incremental bookkeeping (the tests compare the two).

The objective of a plan, summed over every pair {i, j} that sits together c >= 1 times in the plan:

    c * (base(i, j) - avoid(i, j) - past(i, j)) + once(i, j) - repeat * c * (c - 1) / 2

minus `language` per person with no table-mate sharing a language, minus the spread penalties.
`base` holds complementarity, shared interests and same sector; `avoid` the avoid penalty (hard,
huge); `once` the meet and continue wishes (rewarded once); `past` the decayed history penalty.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

Id = str | int


class ProblemError(ValueError):
    """Invalid input: the message names what is wrong (shown as is to the user)."""


@dataclass(frozen=True)
class Weights:
    complementarity: float = 4.0  # per need matched by an offer, each direction
    interest: float = 0.5  # per shared interest
    same_sector: float = -1.0  # per pair from the same sector (diversity)
    meet: float = 40.0  # a meet wish satisfied (once)
    continue_: float = 40.0  # a mutual continue wish satisfied (once)
    repeat: float = 200.0  # per extra meeting of a pair within the plan
    history: float = 200.0  # per meeting of a pair that already met, before decay
    history_decay: float = 0.9  # multiplier per round of age (newest past round: 1)
    language: float = 10_000.0  # per person with nobody to talk to
    avoid: float = 1_000_000.0  # per avoid pair seated together
    host: float = 10_000.0  # per host missing or in excess at a table
    spread: float = 20.0  # per tagged person missing or in excess at a table

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Weights:
        if not data:
            return cls()
        names = {f.name.rstrip("_"): f.name for f in fields(cls)}
        kwargs: dict[str, float] = {}
        for key, value in data.items():
            if key not in names:
                raise ProblemError(f"weights: unknown weight {key!r} (known: {', '.join(sorted(names))})")
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ProblemError(f"weights.{key}: expected a number, got {value!r}")
            kwargs[names[key]] = float(value)
        return cls(**kwargs)


@dataclass(frozen=True)
class Person:
    id: Id
    name: str
    offers: frozenset[str]
    needs: frozenset[str]
    interests: frozenset[str]
    sector: str
    languages: frozenset[str]
    host: bool = False
    tags: frozenset[str] = frozenset()
    # The words are folded to match (« IA » meets « ia »); the why lines show them as this person
    # wrote them: folded word -> their spelling, for their offers, needs and interests.
    spelling: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def spelled(self, word: str) -> str:
        """``word`` (folded) as this person wrote it; as is when they did not."""
        return self.spelling.get(word, word)


@dataclass
class Problem:
    people: list[Person]
    index: dict[Id, int]
    rounds: int
    size_min: int
    size_target: int
    size_max: int
    history: list[list[list[int]]]  # past rounds, oldest first; tables as person indices
    history_weights: list[float]  # multiplier of `weights.history` per past round
    avoid: list[tuple[int, int]]
    meet: list[tuple[int, int]]
    continue_: list[tuple[int, int]]
    attendance: list[list[int]]  # person indices per round
    pinned: list[dict[int, int]]  # per round: person index -> table index
    tables: list[int]  # number of tables per round
    hosts_per_table: bool = False
    spread_attribute: str | None = None
    lang: str = "fr"
    weights: Weights = field(default_factory=Weights)
    need_offer_matrix: np.ndarray | None = None  # n×n, replaces the word alignment when given

    @property
    def n(self) -> int:
        return len(self.people)

    def ids(self, indices: list[int]) -> list[Id]:
        return [self.people[i].id for i in indices]


def _strings(value: Any, where: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProblemError(f"{where}: expected a list of strings, got {value!r}")
    return frozenset(v.strip().casefold() for v in value if v.strip())


def _spelling(raw: dict[str, Any]) -> dict[str, str]:
    """Each folded word of a person's offers, needs and interests -> how they wrote it (the first
    spelling when they wrote it twice). ``needs_as_written`` (optional: need as matched -> as the
    person wrote it) names a need reworded to match an offer in the person's own words."""
    out: dict[str, str] = {}
    as_written = raw.get("needs_as_written") or {}
    if not isinstance(as_written, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in as_written.items()):
        raise ProblemError(f"people[{raw.get('id')!r}].needs_as_written: expected an object of strings")
    for matched, written in as_written.items():
        if matched.strip() and written.strip():
            out.setdefault(matched.strip().casefold(), written.strip())
    for key in ("needs", "offers", "interests"):
        for value in raw.get(key) or []:
            if isinstance(value, str) and value.strip():
                out.setdefault(value.strip().casefold(), value.strip())
    return out


def _int(value: Any, where: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProblemError(f"{where}: expected an integer, got {value!r}")
    if value < minimum:
        raise ProblemError(f"{where}: must be at least {minimum}, got {value}")
    return value


def _person(raw: Any, k: int) -> Person:
    where = f"people[{k}]"
    if not isinstance(raw, dict):
        raise ProblemError(f"{where}: expected an object with an \"id\"")
    pid = raw.get("id")
    if isinstance(pid, bool) or not isinstance(pid, str | int):
        raise ProblemError(f"{where}.id: expected a string or an integer, got {pid!r}")
    sector = raw.get("sector") or ""
    if not isinstance(sector, str):
        raise ProblemError(f"{where}.sector: expected a string, got {sector!r}")
    name = raw.get("name")
    if name is not None and not isinstance(name, str):
        raise ProblemError(f"{where}.name: expected a string, got {name!r}")
    return Person(
        id=pid,
        name=name or str(pid),
        offers=_strings(raw.get("offers"), f"{where}.offers"),
        needs=_strings(raw.get("needs"), f"{where}.needs"),
        interests=_strings(raw.get("interests"), f"{where}.interests"),
        sector=sector.strip(),
        languages=_strings(raw.get("languages"), f"{where}.languages"),
        host=bool(raw.get("host", False)),
        tags=_strings(raw.get("tags"), f"{where}.tags"),
        spelling=_spelling(raw),
    )


def table_count(attendees: int, size_min: int, size_target: int, size_max: int) -> int | None:
    """The number of tables closest to attendees / target that keeps sizes within min..max."""
    low = -(-attendees // size_max)
    high = attendees // size_min
    if attendees == 0 or low > high:
        return None
    return min(max(round(attendees / size_target), low), high)


def compatible(a: Person, b: Person) -> bool:
    """Two people can talk: a common language, or one of them did not say (unknown)."""
    return not a.languages or not b.languages or bool(a.languages & b.languages)


class _Finder:
    """Maps the ids found in a problem to person indices, naming the field in its errors."""

    def __init__(self, people: list[Person]) -> None:
        self.index: dict[Id, int] = {}
        for k, p in enumerate(people):
            if p.id in self.index:
                raise ProblemError(f"people[{k}].id: duplicate id {p.id!r}")
            self.index[p.id] = k
        self.by_text = {str(p.id): k for k, p in enumerate(people)}

    def __call__(self, pid: Any, where: str, *, key: bool = False) -> int:
        if not isinstance(pid, bool) and isinstance(pid, str | int) and pid in self.index:
            return self.index[pid]
        if key and isinstance(pid, str) and pid in self.by_text:
            return self.by_text[pid]
        raise ProblemError(f"{where}: unknown person id {pid!r}")


def parse_problem(data: Any) -> Problem:
    """Validate a PROBLEM.json dict (docs/engine.md) into a `Problem`; each error names its field."""
    if not isinstance(data, dict):
        raise ProblemError("the problem must be a JSON object")
    people = _parse_people(data.get("people"))
    find = _Finder(people)
    rounds = _int(data.get("rounds", 1), "rounds", 1)
    size_min, size_target, size_max = _parse_sizes(data.get("table_size"))
    avoid = _parse_pairs(data, "avoid", find)
    meet = _parse_pairs(data, "meet", find)
    continue_ = _parse_pairs(data, "continue", find)
    both = set(avoid) & (set(meet) | set(continue_))
    if both:
        a, b = min(both)
        raise ProblemError(f"avoid: the pair {people[a].id!r}, {people[b].id!r} is also a meet or continue wish")
    weights = Weights.from_dict(data.get("weights"))
    history = _parse_history(data.get("history"), find)
    history_weights = _parse_history_weights(data.get("history_weights"), len(history), weights)
    attendance = _parse_attendance(data.get("attendance"), rounds, len(people), find)
    tables = _parse_tables(data.get("tables"), attendance, size_min, size_target, size_max)
    pinned = _parse_pinned(data.get("pinned"), rounds, attendance, tables, size_max, avoid, find)
    _check_languages(people, attendance)
    spread = data.get("spread_attribute") or data.get("spread")
    if spread is not None and not isinstance(spread, str):
        raise ProblemError(f"spread_attribute: expected a tag name, got {spread!r}")
    lang = data.get("lang", "fr")
    if lang not in ("fr", "en"):
        raise ProblemError(f"lang: expected \"fr\" or \"en\", got {lang!r}")
    return Problem(
        people=people, index=find.index, rounds=rounds, size_min=size_min, size_target=size_target,
        size_max=size_max, history=history, history_weights=history_weights, avoid=avoid, meet=meet,
        continue_=continue_, attendance=attendance, pinned=pinned, tables=tables,
        hosts_per_table=bool(data.get("hosts_per_table", False)),
        spread_attribute=spread.strip().casefold() if spread else None, lang=lang, weights=weights,
        need_offer_matrix=_parse_matrix(data.get("need_offer_matrix"), len(people)),
    )


def _parse_people(raw_people: Any) -> list[Person]:
    if not isinstance(raw_people, list) or not raw_people:
        raise ProblemError("people: expected a non-empty list")
    return [_person(raw, k) for k, raw in enumerate(raw_people)]


def _parse_sizes(sizes: Any) -> tuple[int, int, int]:
    if not isinstance(sizes, dict):
        raise ProblemError('table_size: expected {"min": …, "target": …, "max": …}')
    size_min = _int(sizes.get("min"), "table_size.min", 2)
    size_max = _int(sizes.get("max"), "table_size.max", 2)
    size_target = _int(sizes.get("target", (size_min + size_max) // 2), "table_size.target", 2)
    if not size_min <= size_target <= size_max:
        raise ProblemError(f"table_size: impossible sizes, need min <= target <= max "
                           f"(got {size_min}, {size_target}, {size_max})")
    return size_min, size_target, size_max


def _parse_pairs(data: dict[str, Any], name: str, find: _Finder) -> list[tuple[int, int]]:
    raw = data.get(name) or []
    if not isinstance(raw, list):
        raise ProblemError(f"{name}: expected a list of [id, id] pairs")
    out = []
    for k, pair in enumerate(raw):
        if not isinstance(pair, list) or len(pair) != 2:
            raise ProblemError(f"{name}[{k}]: expected a pair [id, id], got {pair!r}")
        a, b = find(pair[0], f"{name}[{k}]"), find(pair[1], f"{name}[{k}]")
        if a == b:
            raise ProblemError(f"{name}[{k}]: a person cannot be paired with themself ({pair[0]!r})")
        out.append((min(a, b), max(a, b)))
    return sorted(set(out))


def _parse_history(raw_history: Any, find: _Finder) -> list[list[list[int]]]:
    raw_history = raw_history or []
    if not isinstance(raw_history, list):
        raise ProblemError("history: expected a list of past rounds, each a list of tables")
    history: list[list[list[int]]] = []
    for h, past in enumerate(raw_history):
        if not isinstance(past, list) or not all(isinstance(t, list) for t in past):
            raise ProblemError(f"history[{h}]: expected a list of tables (lists of ids)")
        history.append([[find(pid, f"history[{h}]") for pid in table] for table in past])
    return history


def _parse_history_weights(raw_hw: Any, count: int, weights: Weights) -> list[float]:
    if raw_hw is None:
        return [weights.history_decay ** (count - 1 - h) for h in range(count)]
    if (not isinstance(raw_hw, list) or len(raw_hw) != count
            or not all(isinstance(w, int | float) and not isinstance(w, bool) and w >= 0 for w in raw_hw)):
        raise ProblemError(f"history_weights: expected {count} non-negative numbers, "
                           "one per past round")
    return [float(w) for w in raw_hw]


def _parse_attendance(raw_att: Any, rounds: int, n: int, find: _Finder) -> list[list[int]]:
    if raw_att is None:
        return [list(range(n)) for _ in range(rounds)]
    if not isinstance(raw_att, list) or len(raw_att) != rounds:
        raise ProblemError(f"attendance: expected null or one list of ids per round ({rounds})")
    attendance = []
    for r, ids in enumerate(raw_att):
        if not isinstance(ids, list):
            raise ProblemError(f"attendance[{r}]: expected a list of ids")
        present = [find(pid, f"attendance[{r}]") for pid in ids]
        if len(set(present)) != len(present):
            raise ProblemError(f"attendance[{r}]: a person is listed twice")
        attendance.append(sorted(present))
    return attendance


def _parse_tables(
    raw_tables: Any, attendance: list[list[int]], size_min: int, size_target: int, size_max: int
) -> list[int]:
    tables: list[int] = []
    for r, present in enumerate(attendance):
        fixed = raw_tables[r] if isinstance(raw_tables, list) and r < len(raw_tables) else raw_tables
        if fixed is None:
            count = table_count(len(present), size_min, size_target, size_max)
            if count is None:
                raise ProblemError(f"round {r + 1} cannot be seated: {len(present)} attendees, "
                                   f"tables of {size_min} to {size_max}")
        else:
            count = _int(fixed, "tables", 1)
            if not count * size_min <= len(present) <= count * size_max:
                raise ProblemError(f"round {r + 1} cannot be seated: {len(present)} attendees at "
                                   f"{count} tables of {size_min} to {size_max}")
        tables.append(count)
    return tables


def _parse_pinned(
    raw_pinned: Any, rounds: int, attendance: list[list[int]], tables: list[int], size_max: int,
    avoid: list[tuple[int, int]], find: _Finder,
) -> list[dict[int, int]]:
    pinned: list[dict[int, int]] = [{} for _ in range(rounds)]
    if raw_pinned is None:
        return pinned
    per_round = raw_pinned if isinstance(raw_pinned, list) else [raw_pinned] * rounds
    if len(per_round) != rounds:
        raise ProblemError(f"pinned: expected an object {{id: table}} or one per round ({rounds})")
    for r, pins in enumerate(per_round):
        if pins is None:
            continue
        if not isinstance(pins, dict):
            raise ProblemError(f"pinned[{r}]: expected an object {{id: table index}}")
        present = set(attendance[r])
        for pid, table in pins.items():
            i = find(pid, f"pinned[{r}]", key=True)
            if i not in present:
                raise ProblemError(f"pinned[{r}]: {pid!r} is pinned but does not attend round {r + 1}")
            if isinstance(table, bool) or not isinstance(table, int) or not 0 <= table < tables[r]:
                raise ProblemError(f"pinned[{r}]: table {table!r} of {pid!r} is not in 0..{tables[r] - 1}")
            pinned[r][i] = table
        counts: dict[int, int] = {}
        for table in pinned[r].values():
            counts[table] = counts.get(table, 0) + 1
        for table, count in counts.items():
            if count > size_max:
                raise ProblemError(f"pinned[{r}]: {count} people pinned to table {table}, "
                                   f"more than {size_max} seats")
        for a, b in avoid:
            if a in pinned[r] and b in pinned[r] and pinned[r][a] == pinned[r][b]:
                raise ProblemError(f"pinned[{r}]: two people pinned to table {pinned[r][a]} "
                                   "cannot sit together")
    return pinned


def _check_languages(people: list[Person], attendance: list[list[int]]) -> None:
    for r, present in enumerate(attendance):
        for i in present:
            if not any(compatible(people[i], people[j]) for j in present if j != i):
                raise ProblemError(f"round {r + 1} cannot be seated: nobody else speaks a language of "
                                   f"{people[i].id!r} ({', '.join(sorted(people[i].languages))})")


def _parse_matrix(raw: Any, n: int) -> np.ndarray | None:
    """`need_offer_matrix`: n×n non-negative numbers in people order, [i][j] = how well the needs of
    i are met by the offers of j (e.g. sentence-vector similarities computed by the app). Replaces
    the exact-word alignment of needs and offers when given."""
    if raw is None:
        return None
    try:
        matrix = np.array(raw, dtype=np.float64)
    except (TypeError, ValueError):
        raise ProblemError(f"need_offer_matrix: expected {n} lists of {n} numbers") from None
    if matrix.shape != (n, n):
        raise ProblemError(f"need_offer_matrix: expected {n}×{n} numbers (people order), "
                           f"got shape {matrix.shape}")
    if not np.all(np.isfinite(matrix)) or np.any(matrix < 0):
        raise ProblemError("need_offer_matrix: numbers must be finite and non-negative")
    return matrix


@dataclass
class Scores:
    base: np.ndarray  # n x n, per meeting: complementarity, interests, sectors
    avoid: np.ndarray  # n x n, per meeting: the (confidential) avoid penalty
    once: np.ndarray  # n x n, once per plan
    past: np.ndarray  # n x n, per meeting, history penalty (already weighted)
    repeat: float  # per extra meeting of a pair within the plan
    compat: np.ndarray  # n x n bool, can talk
    matches: np.ndarray  # n x n, needs of i offered by j (int from words, float from a matrix)
    history_count: np.ndarray  # n x n int, times met in history
    attributes: np.ndarray  # A x n bool (hosts first when hosts_per_table)
    attribute_weights: np.ndarray  # A


def _incidence(*families: list[frozenset[str]]) -> list[np.ndarray]:
    """People x words 0/1 matrices over one shared vocabulary (so needs and offers line up)."""
    vocabulary = sorted({word for family in families for words in family for word in words})
    column = {word: k for k, word in enumerate(vocabulary)}
    out = []
    for family in families:
        m = np.zeros((len(family), len(vocabulary)), dtype=np.int64)
        for i, words in enumerate(family):
            m[i, [column[w] for w in words]] = 1
        out.append(m)
    return out


def score_matrices(problem: Problem) -> Scores:
    w = problem.weights
    n = problem.n
    people = problem.people
    needs, offers = _incidence([p.needs for p in people], [p.offers for p in people])
    (interest_sets,) = _incidence([p.interests for p in people])
    (spoken,) = _incidence([p.languages for p in people])
    matches = needs @ offers.T  # needs of i offered by j
    if problem.need_offer_matrix is not None:
        matches = problem.need_offer_matrix.copy()
    interests = interest_sets @ interest_sets.T
    sectors = [p.sector.casefold() for p in people]
    known = {x: k for k, x in enumerate(sorted(set(sectors) - {""}))}
    codes = np.array([known[x] if x else -1 - k for k, x in enumerate(sectors)], dtype=np.int64)
    same_sector = codes[:, None] == codes[None, :]
    silent = spoken.sum(axis=1) == 0  # no language given: talks with anyone
    compat = ((spoken @ spoken.T) > 0) | silent[:, None] | silent[None, :]
    np.fill_diagonal(matches, 0)
    np.fill_diagonal(interests, 0)
    np.fill_diagonal(same_sector, False)
    np.fill_diagonal(compat, False)
    base = (w.complementarity * (matches + matches.T) + w.interest * interests
            + w.same_sector * same_sector)
    once = np.zeros((n, n))
    for a, b in problem.meet:
        once[a, b] = once[b, a] = w.meet
    avoid = np.zeros((n, n))
    for a, b in problem.avoid:
        avoid[a, b] = avoid[b, a] = w.avoid
    history_count = np.zeros((n, n), dtype=np.int64)
    past = np.zeros((n, n))
    for h, past_round in enumerate(problem.history):
        for table in past_round:
            for x in table:
                for y in table:
                    if x != y:
                        history_count[x, y] += 1
                        past[x, y] += w.history * problem.history_weights[h]
    for a, b in problem.continue_:
        once[a, b] = once[b, a] = once[a, b] + w.continue_
        past[a, b] = past[b, a] = 0.0
    np.fill_diagonal(base, 0.0)
    attrs, attr_w = [], []
    if problem.hosts_per_table:
        attrs.append([p.host for p in people])
        attr_w.append(w.host)
    if problem.spread_attribute:
        attrs.append([problem.spread_attribute in p.tags for p in people])
        attr_w.append(w.spread)
    return Scores(
        base=base.astype(np.float64), avoid=avoid, once=once, past=past, repeat=w.repeat, compat=compat,
        matches=matches, history_count=history_count,
        attributes=np.array(attrs, dtype=bool).reshape(len(attrs), n),
        attribute_weights=np.array(attr_w, dtype=np.float64),
    )


def spread_bounds(count: int, tables: int) -> tuple[int, int]:
    """Tagged people per table when spread evenly: floor and ceiling of count / tables."""
    return count // tables, -(-count // tables)


def _number(value: Any) -> int | float:
    """An int when the value is whole (word matches), else a float rounded to 6 places."""
    value = float(value)
    return int(value) if value.is_integer() else round(value, 6)


def evaluate(problem: Problem, scores: Scores, plan: list[list[list[int]]]) -> dict[str, Any]:
    """Objective and statistics of a plan (rounds of tables of person indices), from scratch."""
    n = problem.n
    w = problem.weights
    counts = np.zeros((n, n), dtype=np.int64)
    language_violations = 0
    spread_penalty = 0.0
    size_violations = 0
    seated_wrong = 0
    for r, tables in enumerate(plan):
        seated = sorted(i for t in tables for i in t)
        if seated != sorted(problem.attendance[r]) or len(tables) != problem.tables[r]:
            seated_wrong += 1
        for table in tables:
            if not problem.size_min <= len(table) <= problem.size_max:
                size_violations += 1
            for x in table:
                if not any(scores.compat[x, y] for y in table if y != x):
                    language_violations += 1
                for y in table:
                    if x != y:
                        counts[x, y] += 1
        for a in range(len(scores.attribute_weights)):
            total = int(scores.attributes[a, problem.attendance[r]].sum())
            lo, hi = spread_bounds(total, len(tables))
            for table in tables:
                c = int(scores.attributes[a, table].sum()) if table else 0
                spread_penalty += scores.attribute_weights[a] * (max(0, lo - c) + max(0, c - hi))
    iu = np.triu_indices(n, 1)
    c = counts[iu]
    met = c > 0
    objective = float(np.sum(c * (scores.base[iu] - scores.avoid[iu]) + met * scores.once[iu] - c * scores.past[iu]
                             - scores.repeat * c * (c - 1) / 2))
    objective -= w.language * language_violations + spread_penalty
    continue_pairs = set(problem.continue_)
    total = counts + scores.history_count
    repeat_pairs = sum(
        1 for i, j in zip(*np.nonzero(np.triu(counts, 1)), strict=True)
        if total[i, j] > 1 and (int(i), int(j)) not in continue_pairs
    )
    return {
        "objective": round(float(objective), 6),
        "repeat_pairs": int(repeat_pairs),
        "avoid_violations": int(sum(counts[a, b] > 0 for a, b in problem.avoid)),
        "meet_satisfied": int(sum(counts[a, b] > 0 for a, b in problem.meet)),
        "meet_total": len(problem.meet),
        "continue_satisfied": int(sum(counts[a, b] > 0 for a, b in problem.continue_)),
        "continue_total": len(problem.continue_),
        "need_offer_matches": _number(np.sum(counts * scores.matches)),
        "language_violations": int(language_violations),
        "size_violations": int(size_violations + seated_wrong),
        "spread_penalty": round(float(spread_penalty), 6),
    }
