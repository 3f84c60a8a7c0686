"""The social golfer problem: W rounds of G groups of S players, no pair meeting twice.

When no schedule without repeats exists (or none is found in time) the solver
returns the schedule with the fewest repeats it found, counted as
Σ over pairs of max(0, times met − 1). Algorithm notes: docs/engine_golfers.md.
"""

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from tablee.engine import _golfers_kernels as kernels
from tablee.engine import designs
from tablee.engine._random import new_stream


@dataclass(frozen=True)
class GolfersResult:
    rounds: list[list[list[int]]]
    repeats: int
    elapsed_s: float


# Tabu tenure in [TENURE_MIN, TENURE_MIN + TENURE_SPAN); after MAX_STABLE iterations without a
# new best, back to the best schedule plus KICK random swaps. Tuned on 8-4-9 without the design.
TENURE_MIN = 2
TENURE_SPAN = 10
KICK = 20
MAX_STABLE = 5000
# The bench turns the designs (finite-field and cyclic) off to measure the local search alone.
USE_DESIGNS = True
# Share of the time limit the cyclic design searches may use before the local search takes over.
DESIGN_SHARE = 0.25
# Share of DESIGN_SHARE that the 1-rotational search may use (it finds its designs in a fraction
# of a second or not at all: a resolvable design with S = G is an affine plane).
ROTATIONAL_SHARE = 1 / 3
# Share of what is left of DESIGN_SHARE that the exact searches (round-orbit and fixed-point
# families, side by side) may use (the cyclic family's tabu search gets the rest).
ORBIT_SHARE = 0.75
PROGRESS_EVERY_S = 0.25
CHUNK_TARGET_S = 0.05


def count_repeats(rounds: Sequence[Sequence[Sequence[int]]]) -> int:
    """Σ over pairs of players of max(0, times they shared a group − 1)."""
    met = Counter(
        (min(p, q), max(p, q))
        for groups in rounds
        for group in groups
        for p, q in combinations(group, 2)
    )
    return sum(times - 1 for times in met.values())


def repeats_lower_bound(*, groups: int, size: int, rounds: int) -> int:
    """A lower bound on the repeats of any schedule.

    Each player shares a group with rounds·(size − 1) partners but has only
    n − 1 distinct people to meet; every surplus is a repeat, counted from both ends.
    """
    n = groups * size
    surplus = max(0, rounds * (size - 1) - (n - 1))
    return (n * surplus + 1) // 2


def solve_golfers(
    *,
    groups: int,
    size: int,
    rounds: int,
    time_limit: float,
    seed: int,
    progress: Callable[[float, str], None] | None = None,
    max_iterations: int | None = None,
    use_designs: bool | None = None,
    timer: Callable[[], float] = time.perf_counter,
) -> GolfersResult:
    """Find `rounds` partitions of players 0..groups·size−1 into groups of `size`
    with as few repeated pairs as possible.

    Stops at zero repeats (or the lower bound), after `max_iterations` tabu
    iterations, or at `time_limit` seconds, whichever comes first, and returns the
    best schedule found. Deterministic for a seed whenever the iteration budget,
    not the clock, ends the search (and the design searches, bounded by the clock, either
    finish or are off: `use_designs`, default the module's USE_DESIGNS).

    `timer`: the clock the time limit and `elapsed_s` are measured on (elapsed time; a test may
    pass `time.process_time`, this process's CPU time, which a loaded machine cannot starve).
    """
    _validate(
        groups=groups,
        size=size,
        rounds=rounds,
        time_limit=time_limit,
        max_iterations=max_iterations,
    )
    start = timer()
    deadline = start + time_limit
    n = groups * size
    lower = repeats_lower_bound(groups=groups, size=size, rounds=rounds)

    members = np.empty((rounds, groups, size), dtype=np.int64)
    members[0] = np.arange(n).reshape(groups, size)
    rng = new_stream(seed)
    with_designs = USE_DESIGNS if use_designs is None else use_designs
    designed = (
        _designed_rounds(groups=groups, size=size, rounds=rounds, seed=seed,
                         deadline=start + DESIGN_SHARE * time_limit, timer=timer)
        if with_designs else None
    )  # fmt: skip
    first = 1
    if designed is not None:
        first = len(designed)
        members[:first] = designed
    if first < rounds:
        kernels.greedy_init(members, first, rng)
    grp = np.empty((rounds, n), dtype=np.int64)
    meet = np.zeros((n, n), dtype=np.int64)
    cost = kernels.rebuild(members, grp, meet)
    best_members = members.copy()

    if cost > lower and groups > 1 and rounds > 1:
        stats = np.zeros(kernels.N_STATS, dtype=np.int64)
        stats[kernels.COST] = cost
        stats[kernels.BEST] = cost
        tabu = np.zeros((rounds, n, n), dtype=np.int64)
        budget = max_iterations if max_iterations is not None else np.iinfo(np.int64).max
        chunk = 64
        last_report = start
        while stats[kernels.BEST] > lower and stats[kernels.IT] < budget:
            now = timer()
            if now >= deadline:
                break
            chunk_start = now
            kernels.search(
                members, grp, meet, tabu, best_members, stats, rng,
                min(budget, int(stats[kernels.IT]) + chunk), lower,
                TENURE_MIN, TENURE_SPAN, MAX_STABLE, KICK,
            )  # fmt: skip
            now = timer()
            # Size the next chunk so that the clock is read every CHUNK_TARGET_S or so.
            took = now - chunk_start
            chunk = int(min(max(chunk * CHUNK_TARGET_S / max(took, 1e-6), 16), chunk * 4, 1 << 22))
            if progress is not None and now - last_report >= PROGRESS_EVERY_S:
                last_report = now
                fraction = (now - start) / time_limit
                if max_iterations is not None:
                    fraction = max(fraction, stats[kernels.IT] / max_iterations)
                progress(
                    min(fraction, 1.0),
                    f"Répétitions : {stats[kernels.BEST]} (itération {stats[kernels.IT]})",
                )
        cost = int(stats[kernels.BEST])

    if progress is not None:
        progress(1.0, f"Répétitions : {cost}")
    schedule = best_members.tolist()
    return GolfersResult(
        rounds=schedule, repeats=count_repeats(schedule), elapsed_s=timer() - start
    )


def _designed_rounds(
    *, groups: int, size: int, rounds: int, seed: int, deadline: float, timer: Callable[[], float]
) -> np.ndarray | None:
    """Rounds without repeats from a construction: all `rounds` when a design family gives
    them, else the finite-field prefix (or None). See docs/engine_golfers.md."""
    prefix = transversal_rounds(groups=groups, size=size, rounds=rounds)
    if prefix is not None and len(prefix) == rounds:
        return prefix
    shares = {designs.rotational_rounds: ROTATIONAL_SHARE, designs.exact_rounds: ORBIT_SHARE}
    for family in (designs.rotational_rounds, designs.exact_rounds, designs.cyclic_schedule):
        # Each family but the last leaves part of what is left to the next ones.
        now = timer()
        until = now + shares.get(family, 1.0) * max(0.0, deadline - now)
        full = family(
            groups=groups, size=size, rounds=rounds, deadline=until, seed=seed, timer=timer
        )
        if full is not None and count_repeats(full.tolist()) == 0:
            return _canonical(full, groups=groups, size=size)
    return prefix


def _canonical(schedule: np.ndarray, *, groups: int, size: int) -> np.ndarray:
    """Relabel the players so that round 0 is the canonical one (0..S−1, S..2S−1, …)."""
    label = np.empty(groups * size, dtype=np.int64)
    label[schedule[0].ravel()] = np.arange(groups * size)
    return label[schedule]


def transversal_rounds(*, groups: int, size: int, rounds: int) -> np.ndarray | None:
    """Rounds without any repeat built from the finite field GF(groups), when
    `groups` is a prime power and size ≤ groups (a transversal design).

    Player g·size + j is "(g, j)": column j, value g. In round t (a field element)
    group g holds (g + j·t, j) for each column j. Two players of different columns
    j ≠ k share a group only in the round t = (x − y)/(j − k), so at most once; two
    players of one column never do. That gives `groups` rounds, round 0 being the
    canonical one; when size divides groups, one more round splits each column into
    groups of `size`. Returns None when no such design applies.
    """
    field = _galois_field(groups)
    if field is None or size > groups:
        return None
    add, mul = field
    n_rounds = groups + (1 if groups % size == 0 else 0)
    n_rounds = min(n_rounds, rounds)
    design = np.empty((n_rounds, groups, size), dtype=np.int64)
    for t in range(min(groups, n_rounds)):
        for g in range(groups):
            for j in range(size):
                design[t, g, j] = add[g, mul[j, t]] * size + j
    if n_rounds > groups:
        column = np.array([[x * size + j for x in range(groups)] for j in range(size)])
        design[groups] = column.reshape(groups, size)
    return design


def _galois_field(q: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Addition and multiplication tables of GF(q), or None if q is not a prime power.

    Elements are the integers 0..q−1 read as polynomials over GF(p) in base p.
    """
    p = next((d for d in range(2, q + 1) if q % d == 0), None)
    if p is None:
        return None
    k, rest = 0, q
    while rest % p == 0:
        rest //= p
        k += 1
    if rest != 1:
        return None

    def digits(x: int) -> list[int]:
        return [(x // p**i) % p for i in range(k)]

    def number(ds: list[int]) -> int:
        return sum(d * p**i for i, d in enumerate(ds))

    def reduce(poly: list[int], modulus: list[int]) -> list[int]:
        poly = poly[:]
        for i in range(len(poly) - 1, k - 1, -1):
            c = poly[i] % p
            if c:
                for j in range(k + 1):
                    poly[i - k + j] = (poly[i - k + j] - c * modulus[j]) % p
        return [c % p for c in poly[:k]]

    def times(a: list[int], b: list[int], modulus: list[int]) -> list[int]:
        prod = [0] * (2 * k - 1)
        for i, x in enumerate(a):
            for j, y in enumerate(b):
                prod[i + j] += x * y
        return reduce(prod + [0], modulus) if k > 1 else [prod[0] % p]

    modulus = [0] * k + [1]
    if k > 1:
        # The monic polynomial of degree k whose powers of x reach every non-zero element.
        for low in range(p**k):
            candidate = digits(low) + [1]
            seen, x = set(), [0, 1] + [0] * (k - 2)
            power = [1] + [0] * (k - 1)
            for _ in range(q - 1):
                power = times(power, x, candidate)
                seen.add(number(power))
            if len(seen) == q - 1 and 0 not in seen:
                modulus = candidate
                break
    add = np.array(
        [
            [
                number([(a + b) % p for a, b in zip(digits(x), digits(y), strict=True)])
                for y in range(q)
            ]
            for x in range(q)
        ]
    )
    mul = np.array(
        [[number(times(digits(x), digits(y), modulus)) for y in range(q)] for x in range(q)]
    )
    return add, mul


def _validate(
    *, groups: int, size: int, rounds: int, time_limit: float, max_iterations: int | None
) -> None:
    if groups < 1:
        raise ValueError(f"groups must be at least 1 (got {groups})")
    if size < 2:
        raise ValueError(f"size must be at least 2 (got {size})")
    if rounds < 1:
        raise ValueError(f"rounds must be at least 1 (got {rounds})")
    if not time_limit > 0:
        raise ValueError(f"time_limit must be positive (got {time_limit})")
    if max_iterations is not None and max_iterations < 0:
        raise ValueError(f"max_iterations must be zero or more (got {max_iterations})")
