"""Social golfer schedules without repeats from cyclic designs (a search over ONE round).

Both families below are classic ways to build resolvable designs (Hanani, Ray-Chaudhuri & Wilson;
Buratti's 1-rotational designs): ask the schedule to be invariant under a cyclic group that moves
round t to round t + 1. Then one *base round* determines every round, a pair's orbit under the
group is a "difference", and the schedule has no repeat iff the base round uses each difference at
most once. That is a search over one round of n players instead of W rounds.

1. **1-rotational over Z_(n−1) ∪ {∞}** (`rotational_rounds`), for resolvable 2-(n, S, 1)
   designs: W = (n − 1)/(S − 1) rounds, H = ⟨W⟩ the subgroup of order S − 1. The base round is
   {∞} ∪ H plus the H-translates of r = (G − 1)/(S − 1) base blocks whose differences cover
   Z_(n−1) ∖ H exactly once and whose points represent each other coset of H once. Round t is
   the base round + t. A depth-first search finds the base blocks (exact: it can also prove that
   none exist). Settles 10-4-13 (a resolvable BIBD(40, 4, 1)) in about 0.1 s, 9-3-13, 4-4-5 and
   every round robin G-2-(2G−1).
2. **Cyclic over Z_m × {levels} ∪ {fixed points}** (`cyclic_schedule`), for packings: players
   (x, i) with x ∈ Z_m on L = n // m levels, plus f = n mod m fixed points; round t maps (x, i)
   to (x + t, i) and keeps the fixed points. Any m ≥ W works in principle; a tabu search over
   base rounds (swap two players of two groups) looks for one with no repeated difference.
   Settles 10-6-7 (m = 7, L = 8, f = 4) in about 0.1 s.
3. **Round orbits over Z_m × {levels}** (`orbit_rounds`), no fixed point: the rounds need not
   form ONE orbit of length m. They come in orbits of lengths h_1 + … + h_k = W, each h | m; a
   round of an orbit of length h is invariant under the subgroup ⟨h⟩ of Z_m, so it is the
   ⟨h⟩-translates of L·h/S representative blocks. No repeat iff the pairs of all representative
   blocks have distinct differences: an exact depth-first search over those few blocks. Kirkman
   systems (Z_7 × 3 levels, orbits 7 + 1 + 1 + 1: 7-3-10), resolvable BIBD(28, 4, 1) (Z_7 × 4,
   7 + 1 + 1: 7-4-9) and the resolvable 4-GDD of type 2^16 (Z_8 × 4, orbits 2 + 4 + 4: 8-4-10).
4. **Fixed-point rounds over Z_m × {levels} ∪ {∞}** (`fixed_point_rounds`): every round is
   invariant under Z_m; ∞ sits with whole levels, the rest are translates of representative
   blocks. With m = S − 1 it is a transversal design from a quasi-difference matrix: 10-10-4 (two
   orthogonal Latin squares of order 10) over Z_9 ∪ {∞}. `exact_rounds` runs 3 and 4 side by side.

Nothing here names an instance: for G, S, W each family applies when its arithmetic does, and
every schedule is checked by `golfers.count_repeats` before use. When no base round is found in
time the caller falls back to its local search. A `deadline` is a value of the family's `timer`
(elapsed time by default; the caller's clock, which a test may make this process's CPU time).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from tablee.engine import _design_kernels as kernels
from tablee.engine._random import new_stream, randint

TABU_CHUNK = 2000
TABU_TENURE = 3
DFS_NODES = 2_000_000


def rotational_rounds(
    *,
    groups: int,
    size: int,
    rounds: int,
    deadline: float,
    seed: int,
    timer: Callable[[], float] = time.perf_counter,
) -> np.ndarray | None:
    """The first `rounds` rounds of a 1-rotational resolvable design, or None (the arithmetic
    does not apply, no such design exists, or `deadline`, a `timer()` value, passed)."""
    n = groups * size
    if groups < 2 or size < 2 or (n - 1) % (size - 1) or (groups - 1) % (size - 1):
        return None
    n_rounds = (n - 1) // (size - 1)
    if rounds > n_rounds:
        return None
    N, r = n - 1, (groups - 1) // (size - 1)
    out = np.zeros((max(r, 1), size), dtype=np.int64)
    order = np.arange(1, N, dtype=np.int64)
    rng = new_stream(seed)
    found = r == 0
    while not found:
        # No more nodes than the time left allows at a guessed speed (the clock is read between
        # two searches only).
        left = deadline - timer()
        nodes = min(DFS_NODES, max(50_000, int(NODES_PER_SECOND * left)))
        status = kernels.rotational_dfs(N, n_rounds, size, r, order, nodes, out)
        if status == 0:
            return None
        found = status == 1
        if not found:
            if timer() >= deadline:
                return None
            # A new candidate order restarts the search elsewhere (heavy-tailed run times).
            for i in range(len(order) - 1, 0, -1):
                j = randint(rng, i + 1)
                order[i], order[j] = order[j], order[i]
    subgroup = [n_rounds * h for h in range(size - 1)]
    base = [[N, *subgroup]]
    if r:
        base += [[(b + h) % N for b in block] for block in out.tolist() for h in subgroup]
    base_array = np.array(base, dtype=np.int64)
    schedule = np.empty((rounds, groups, size), dtype=np.int64)
    for t in range(rounds):
        schedule[t] = np.where(base_array == N, N, (base_array + t) % N)
    return schedule


def candidate_orbits(*, groups: int, size: int, rounds: int) -> list[tuple[int, int, int]]:
    """The (m, levels, fixed) splits of n = groups·size for `cyclic_schedule`, smallest m first:
    m ≥ rounds, fixed ≤ groups (two fixed points never share a group), at most one point per
    level beside a fixed point, and enough distinct differences for one round's pairs."""
    n = groups * size
    out = []
    pairs_needed = groups * size * (size - 1) // 2
    for m in range(max(rounds, 2), n):
        levels, fixed = divmod(n, m)
        if fixed > groups or (fixed and size - 1 > levels):
            continue
        capacity = fixed * levels + levels * ((m - 1) // 2) + levels * (levels - 1) // 2 * m
        if pairs_needed <= capacity:
            out.append((m, levels, fixed))
    return out


def cyclic_schedule(
    *,
    groups: int,
    size: int,
    rounds: int,
    deadline: float,
    seed: int,
    timer: Callable[[], float] = time.perf_counter,
) -> np.ndarray | None:
    """`rounds` rounds (W×G×S array of players 0..n−1) with no repeat, or None.

    Tries each split of `candidate_orbits` in turn, sharing the time left until `deadline` (a
    `timer()` value), the first one getting at least a quarter of it.
    """
    if groups < 2 or size < 2 or rounds < 2:
        return None
    candidates = candidate_orbits(groups=groups, size=size, rounds=rounds)
    rng = new_stream(seed)
    for index, (m, levels, fixed) in enumerate(candidates):
        now = timer()
        if now >= deadline:
            return None
        left = deadline - now
        share = left / (len(candidates) - index)
        if index == 0:
            share = max(share, left / 4)
        base = _search_base_round(
            groups=groups,
            size=size,
            m=m,
            levels=levels,
            fixed=fixed,
            until=now + share,
            rng=rng,
            timer=timer,
        )
        if base is not None:
            return develop(base, m=m, levels=levels, rounds=rounds)
    return None


def develop(base: np.ndarray, *, m: int, levels: int, rounds: int) -> np.ndarray:
    """The first `rounds` translates of a base round (G×S array) of the cyclic family."""
    lm = levels * m
    out = np.empty((rounds, *base.shape), dtype=np.int64)
    for t in range(rounds):
        out[t] = np.where(base < lm, (base // m) * m + (base % m + t) % m, base)
    return out


def pair_keys(*, n: int, m: int, levels: int, fixed: int) -> np.ndarray:
    """keys[p, q]: the difference (orbit) of the pair {p, q}; 0 for a forbidden pair."""
    keys = np.zeros((n, n), dtype=np.int64)
    for p in range(n):
        for q in range(n):
            if p != q:
                keys[p, q] = kernels.pair_key(p, q, m, levels, fixed)
    return keys


def _search_base_round(
    *,
    groups: int,
    size: int,
    m: int,
    levels: int,
    fixed: int,
    until: float,
    rng: np.ndarray,
    timer: Callable[[], float],
) -> np.ndarray | None:
    n = groups * size
    keys = pair_keys(n=n, m=m, levels=levels, fixed=fixed)
    n_keys = kernels.n_keys(m, levels, fixed)
    # Start: fixed point k heads group k, the other players in a random order.
    points = list(range(levels * m))
    for i in range(len(points) - 1, 0, -1):
        j = randint(rng, i + 1)
        points[i], points[j] = points[j], points[i]
    blocks = np.empty((groups, size), dtype=np.int64)
    for g in range(groups):
        for s in range(size):
            blocks[g, s] = levels * m + g if s == 0 and g < fixed else points.pop()
    while timer() < until:
        cost, _ = kernels.base_round_search(
            blocks, groups, keys, n_keys, rng, TABU_CHUNK, TABU_TENURE
        )
        if cost == 0:
            return blocks
    return None


# The round-orbit family: configurations tried, and the node budget of the first pass (doubled at
# each pass over the configurations still open).
ORBIT_MAX_CONFIGS = 64
ORBIT_FIRST_NODES = 20_000
# The fewest nodes a search gets in a pass (the budget shares 1/k² shrink below it).
ORBIT_LEAST_NODES = 1_000


def orbit_configurations(
    *, groups: int, size: int, rounds: int
) -> list[tuple[int, tuple[int, ...]]]:
    """The (m, orbit lengths) of `orbit_rounds` for G, S, W, at most ORBIT_MAX_CONFIGS of them.

    m divides n = G·S with L = n / m levels; each orbit length h divides m, S divides L·h (the
    ⟨h⟩-invariant round is L·h/S representative blocks) and the lengths add up to W. The pairs of
    the representative blocks, L·W/S·C(S, 2), must not outnumber the differences of Z_m × L
    (the short difference m/2 excluded), nor those between two levels the pairs that must join two
    levels (a block of an orbit of length h holds at most h points of one level). Orbit lengths in
    increasing order (the DFS fills the most constrained rounds first). Order, a heuristic: m = G
    first (then L = S levels, one per seat, as in the finite-field designs), then those without an
    orbit of full length m (its base round is the largest exact search: L·m/S blocks at once),
    fewer orbits, the shorter longest orbit, larger m.
    """
    n = groups * size
    out: list[tuple[int, tuple[int, ...]]] = []
    if groups < 2 or size < 2 or rounds < 2:
        return out
    for m in range(n, 1, -1):
        if n % m:
            continue
        levels = n // m
        within = levels * ((m - 1) // 2)
        across = levels * (levels - 1) // 2 * m
        if levels * rounds * (size - 1) > 2 * (within + across):
            continue
        lengths = [h for h in range(1, m + 1) if m % h == 0 and (levels * h) % size == 0]
        for parts in _partitions(rounds, lengths, limit=ORBIT_MAX_CONFIGS):
            blocks = [levels * h // size for h in parts]
            pairs = sum(blocks) * size * (size - 1) // 2
            most_within = sum(
                b * _most_pairs_within(size, h) for b, h in zip(blocks, parts, strict=True)
            )
            if pairs - min(within, most_within) <= across:
                out.append((m, parts))
    out.sort(
        key=lambda config: (
            config[0] != groups,
            config[0] in config[1],
            len(config[1]),
            max(config[1]),
            -config[0],
        )
    )
    return out[:ORBIT_MAX_CONFIGS]


def _most_pairs_within(size: int, cap: int) -> int:
    """The most pairs of one level in a block of `size` with at most `cap` points per level."""
    full, rest = divmod(size, min(cap, size))
    return full * min(cap, size) * (min(cap, size) - 1) // 2 + rest * (rest - 1) // 2


def _partitions(total: int, parts: list[int], *, limit: int) -> list[tuple[int, ...]]:
    """Up to `limit` multisets of `parts` adding up to `total`, each in increasing order."""
    found: list[tuple[int, ...]] = []

    def extend(prefix: list[int], left: int, smallest: int) -> None:
        if len(found) >= limit:
            return
        if left == 0:
            found.append(tuple(prefix))
            return
        for h in parts:
            if h >= smallest and h <= left:
                extend([*prefix, h], left - h, h)

    extend([], total, 1)
    return found


def orbit_rounds(
    *,
    groups: int,
    size: int,
    rounds: int,
    deadline: float,
    seed: int,
    timer: Callable[[], float] = time.perf_counter,
) -> np.ndarray | None:
    """`rounds` rounds without repeat from the round-orbit family over Z_m × levels, or None.

    Passes over `orbit_configurations` with a node budget that doubles at each pass, the k-th
    configuration getting 1/k² of it (earlier ones are preferred, none is starved); a
    configuration proven empty is dropped. Stops at `deadline` (a `timer()` value)
    between two searches.
    Each search after the first pass tries the lifts in a new random order (the run time of a
    depth-first search is heavy-tailed); deterministic for a seed when no deadline cuts it.
    """
    searches = _orbit_searches(groups=groups, size=size, rounds=rounds)
    return _budgeted(searches, deadline=deadline, seed=seed, timer=timer)


def exact_rounds(
    *,
    groups: int,
    size: int,
    rounds: int,
    deadline: float,
    seed: int,
    timer: Callable[[], float] = time.perf_counter,
) -> np.ndarray | None:
    """`orbit_rounds` and `fixed_point_rounds` side by side: one pass over both families'
    searches, the k-th of each family getting 1/k² of the budget."""
    searches = _orbit_searches(groups=groups, size=size, rounds=rounds)
    searches += _fixed_point_searches(groups=groups, size=size, rounds=rounds)
    return _budgeted(searches, deadline=deadline, seed=seed, timer=timer)


def _orbit_searches(*, groups: int, size: int, rounds: int) -> list[tuple[int, int, int, Search]]:
    n = groups * size
    configs = orbit_configurations(groups=groups, size=size, rounds=rounds)
    keys = {m: pair_keys(n=n, m=m, levels=n // m, fixed=0) for m in {m for m, _ in configs}}
    return [
        (rank, m, len(lengths), _orbit_search_of(size=size, m=m, lengths=lengths, keys=keys[m]))
        for rank, (m, lengths) in enumerate(configs)
    ]


def fixed_point_configurations(*, groups: int, size: int, rounds: int) -> list[int]:
    """The m of `fixed_point_rounds` for G, S, W, largest first: m divides S − 1 (the fixed
    point's block is ∞ and a = (S − 1)/m whole levels) and n − 1 (L = (n − 1)/m levels); the
    L − a other levels make (L − a)/S blocks, each with a point on S levels, whose translates fill
    the round; W·a ≤ L (each level is whole in one round only); the pairs between levels fit."""
    n = groups * size
    out: list[int] = []
    if groups < 2 or size < 3 or rounds < 2:
        return out
    for m in range(size - 1, 1, -1):
        if (size - 1) % m or (n - 1) % m:
            continue
        a, levels = (size - 1) // m, (n - 1) // m
        if (levels - a) % size or rounds * a > levels:
            continue
        across = levels * (levels - 1) // 2 * m - rounds * a * (a - 1) // 2 * m
        if rounds * (levels - a) // size * size * (size - 1) // 2 <= across:
            out.append(m)
    return out


def fixed_point_rounds(
    *,
    groups: int,
    size: int,
    rounds: int,
    deadline: float,
    seed: int,
    timer: Callable[[], float] = time.perf_counter,
) -> np.ndarray | None:
    """`rounds` rounds without repeat, each invariant under Z_m, over Z_m × levels ∪ {∞}, or None.

    Round j puts the fixed point ∞ with the whole levels j·a … (j + 1)·a − 1 (a = (S − 1)/m) and
    the Z_m-translates of (L − a)/S representative blocks with a point on S of the other levels.
    No repeat iff the pairs of the representative blocks have distinct differences, none of them
    already in a block of ∞. With m = S − 1 and G = S this is a transversal design from a
    quasi-difference matrix (10-10-4: two orthogonal Latin squares of order 10, over Z_9 ∪ {∞}).
    The same exact search and budgets as `orbit_rounds`.
    """
    searches = _fixed_point_searches(groups=groups, size=size, rounds=rounds)
    return _budgeted(searches, deadline=deadline, seed=seed, timer=timer)


def _fixed_point_searches(
    *, groups: int, size: int, rounds: int
) -> list[tuple[int, int, int, Search]]:
    return [
        (rank, m, rounds, _fixed_point_search_of(groups=groups, size=size, rounds=rounds, m=m))
        for rank, m in enumerate(
            fixed_point_configurations(groups=groups, size=size, rounds=rounds)
        )
    ]


Search = Callable[[int, np.ndarray], tuple[np.ndarray | None, int]]
# A first guess of the search speed (nodes per second), refined by each search that hits its
# budget: a search never gets more nodes than the time left to the deadline allows.
NODES_PER_SECOND = 2_000_000


def _budgeted(
    searches: list[tuple[int, int, int, Search]],
    *,
    deadline: float,
    seed: int,
    timer: Callable[[], float],
) -> np.ndarray | None:
    """Runs the exact searches (rank, m, orbits, search(node_limit, lift_order)) in passes with a
    doubling node budget, the one of rank k getting 1/(k + 1)² of it, until one finds rounds, all
    are proven empty, or `deadline` passes; lift orders shuffled from the second pass on."""
    rng = new_stream(seed)
    budget = ORBIT_FIRST_NODES
    rate = float(NODES_PER_SECOND)
    open_searches = searches
    while open_searches:
        still_open = []
        for rank, m, orbits, search in open_searches:
            now = timer()
            if now >= deadline:
                return None
            # One permutation of 0…m−1 per orbit: the order in which lifts are tried.
            lift_order = np.tile(np.arange(m, dtype=np.int64), (orbits, 1))
            if budget > ORBIT_FIRST_NODES:
                for row in lift_order:
                    _shuffle(row, rng)
            nodes = max(ORBIT_LEAST_NODES, budget // (rank + 1) ** 2)
            nodes = min(nodes, max(ORBIT_LEAST_NODES, int(rate * (deadline - now))))
            schedule, status = search(nodes, lift_order)
            if schedule is not None:
                return schedule
            if status < 0:
                took = timer() - now
                if took > 0.01:
                    rate = nodes / took
                still_open.append((rank, m, orbits, search))
        open_searches = still_open
        budget *= 2
    return None


def _orbit_search_of(*, size: int, m: int, lengths: tuple[int, ...], keys: np.ndarray) -> Search:
    levels = keys.shape[0] // m

    def search(node_limit: int, lift_order: np.ndarray) -> tuple[np.ndarray | None, int]:
        # An orbit of length h has m / h lifts: keep the permutation's entries below m / h.
        for row, h in zip(lift_order, lengths, strict=True):
            row[: m // h] = row[row < m // h]
        return _orbit_search(
            size=size, m=m, levels=levels, lengths=lengths, keys=keys, node_limit=node_limit,
            lift_order=lift_order,
        )  # fmt: skip

    return search


def _fixed_point_search_of(*, groups: int, size: int, rounds: int, m: int) -> Search:
    n = groups * size
    a, levels = (size - 1) // m, (n - 1) // m
    per_round = (levels - a) // size
    keys = pair_keys(n=n, m=m, levels=levels, fixed=1)
    used = np.zeros(kernels.n_keys(m, levels, 1), dtype=np.bool_)
    preplaced = np.zeros((rounds, levels * m), dtype=np.bool_)
    infinity_blocks = []
    for j in range(rounds):
        block = [levels * m] + [i * m + x for i in range(j * a, (j + 1) * a) for x in range(m)]
        infinity_blocks.append(block)
        preplaced[j, j * a : (j + 1) * a] = True
        for p in block:
            for q in block:
                if p < q:
                    used[keys[p, q]] = True
    hs = np.ones(rounds, dtype=np.int64)
    nblocks = np.full(rounds, per_round, dtype=np.int64)

    def search(node_limit: int, lift_order: np.ndarray) -> tuple[np.ndarray | None, int]:
        blocks = np.zeros((rounds * per_round, size), dtype=np.int64)
        status = kernels.orbit_dfs(
            m, levels, size, hs, nblocks, preplaced, rounds * a, False, keys, used, lift_order,
            node_limit, blocks,
        )  # fmt: skip
        if status != 1:
            return None, status
        level, x = blocks // m, blocks % m
        out = np.empty((rounds, groups, size), dtype=np.int64)
        for j in range(rounds):
            reps = slice(j * per_round, (j + 1) * per_round)
            out[j, 0] = infinity_blocks[j]
            out[j, 1:] = np.concatenate([level[reps] * m + (x[reps] + t) % m for t in range(m)])
        return out, 1

    return search


def _orbit_search(
    *,
    size: int,
    m: int,
    levels: int,
    lengths: tuple[int, ...],
    keys: np.ndarray,
    node_limit: int,
    lift_order: np.ndarray,
) -> tuple[np.ndarray | None, int]:
    """One exact search (`_design_kernels.orbit_dfs`): (the rounds, 1), (None, 0) when the
    configuration has no solution, (None, −1) when the node limit stopped it."""
    used = np.zeros(kernels.n_keys(m, levels, 0), dtype=np.bool_)
    hs = np.array(lengths, dtype=np.int64)
    nblocks = levels * hs // size
    preplaced = np.zeros((len(lengths), levels * m), dtype=np.bool_)
    blocks = np.zeros((int(nblocks.sum()), size), dtype=np.int64)
    status = kernels.orbit_dfs(
        m, levels, size, hs, nblocks, preplaced, 0, True, keys, used, lift_order, node_limit, blocks
    )
    if status != 1:
        return None, status
    return develop_orbits(blocks, m=m, levels=levels, lengths=lengths), 1


def develop_orbits(
    blocks: np.ndarray, *, m: int, levels: int, lengths: tuple[int, ...]
) -> np.ndarray:
    """The rounds (W×G×S) of the round-orbit family from its representative blocks (one row per
    block, orbit after orbit as `orbit_dfs` returns them)."""
    size = blocks.shape[1]
    out = []
    first = 0
    for h in lengths:
        count = levels * h // size
        reps = blocks[first : first + count]
        first += count
        level, x = reps // m, reps % m
        base = np.concatenate([level * m + (x + u * h) % m for u in range(m // h)])
        for t in range(h):
            out.append((base // m) * m + (base % m + t) % m)
    return np.array(out, dtype=np.int64)


def _shuffle(values: np.ndarray, rng: np.ndarray) -> None:
    for i in range(len(values) - 1, 0, -1):
        j = randint(rng, i + 1)
        values[i], values[j] = values[j], values[i]
