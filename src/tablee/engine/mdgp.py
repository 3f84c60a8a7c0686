"""Maximally diverse grouping: split n elements into groups of bounded sizes, maximising the sum of
d_ij over the pairs that share a group.

The solver is Iterated Maxima Search (Lai & Hao 2016, EJOR 254): descents over one-move and swap
neighbourhoods evaluated through a gain matrix, chained by weak perturbations into a "maxima
search", restarted from a strong perturbation of the best when stuck. The hot loops are numba
kernels in `_mdgp_kernels.py`; this module reads instances, checks data and drives the clock.

Determinism: for a given instance, seed and number of iterations, the search is the same on every
run. A time limit makes the number of iterations depend on speed; pass `max_iterations` to get a
reproducible run.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tablee.engine import _mdgp_kernels as k
from tablee.engine._random import new_stream

# The clocks a time limit can be measured on.
CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}


@dataclass(frozen=True)
class MdgpInstance:
    n: int
    lower: np.ndarray  # (G,) int64
    upper: np.ndarray  # (G,) int64
    d: np.ndarray  # (n, n) symmetric float64, zero diagonal


@dataclass(frozen=True)
class MdgpResult:
    objective: float
    groups: list[list[int]]  # groups[g]: sorted elements of group g, sizes within its bounds
    elapsed_s: float
    iterations: int = 0
    cpu_s: float = 0.0  # CPU time of this process during the solve
    improved_at: int = 0  # the iteration at which the best grouping was found (time to target, in work)
    pool_restarts: int = 0  # times the elite pool was emptied down to its best (`pool_restart`)


@dataclass(frozen=True)
class MdgpParams:
    """Search parameters. `alpha`: maxima-search rounds without improvement before a restart;
    `weak_min`..`weak_max`: random moves or swaps per weak perturbation, drawn each time;
    `strong`: random moves or swaps per strong perturbation (None: n // 8); `start`: group sizes
    of the first solution, "most_pairs" (see `most_pairs_sizes`) or "random" (issue 3's start);
    `move_share`: chance that a random perturbation step is a move (changing two group sizes)
    rather than a swap, when the bounds allow a move; `pool`: elite solutions kept (the best of
    each walk, distinct values; 0: plain IMS, every walk restarts from the best); `cross_share`:
    once the pool is full, chance that a walk starts from a crossover of two elite solutions
    rather than from the shaken best; `tournament`: each weak perturbation step draws this many
    random moves or swaps and makes the one that loses least (1: IMS's random step; strong
    perturbations stay random; see docs/engine_mdgp.md); `tournament_share`: chance that a weak
    step is such a tournament, else one random step (1: always; the default 16 with 0.5 keeps
    most of pure tournament 16's gain on n120 without its stall on n240 `ss`); `tournament_stall`: once a walk's best
    has not improved for this many iterations, its weak steps are random until it improves (0:
    never; counts below `alpha` only matter, as a walk ends after `alpha`); `pool_restart`: once
    this many walks in a row have ended without their best entering the full pool (a frozen pool,
    whose crossovers keep leading back to the same basins), the pool is emptied down to its best
    and refilled from fresh groupings (0: never); `pool_restart_keep` False: emptied entirely, and
    the shaken walks then start from the pool's best, not the global best (an independent search
    per restart; the global best is still returned)."""

    alpha: int = 1000
    weak_min: int = 1
    weak_max: int = 3
    strong: int | None = None
    start: str = "most_pairs"
    move_share: float = 0.5
    pool: int = 10
    cross_share: float = 0.5
    tournament: int = 16
    tournament_share: float = 0.5
    tournament_stall: int = 0
    pool_restart: int = 0
    pool_restart_keep: bool = True


def read_instance(path: str | Path) -> MdgpInstance:
    """Read an MDGPLIB file: `N G ss|ds LB1 UB1 … LBG UBG`, then `i j d_ij` for every pair i < j."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the file ({exc})") from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ValueError(f"{path}: empty file, expected a header `N G ss|ds LB1 UB1 …`")
    header = lines[0].split()
    if len(header) < 3:
        raise ValueError(f"{path}: line 1: expected `N G ss|ds LB1 UB1 …`, got {lines[0]!r}")
    try:
        n, n_groups = int(header[0]), int(header[1])
        bounds = [int(x) for x in header[3:]]
    except ValueError:
        raise ValueError(f"{path}: line 1: N, G and the bounds must be integers") from None
    if header[2] not in ("ss", "ds"):
        raise ValueError(f"{path}: line 1: the third field must be `ss` or `ds`, got {header[2]!r}")
    if n < 1 or n_groups < 1:
        raise ValueError(f"{path}: line 1: N and G must be at least 1 (got N={n}, G={n_groups})")
    if len(bounds) != 2 * n_groups:
        raise ValueError(
            f"{path}: line 1: expected {2 * n_groups} bounds for {n_groups} groups, got {len(bounds)}"
        )
    lower = np.array(bounds[0::2], dtype=np.int64)
    upper = np.array(bounds[1::2], dtype=np.int64)

    body = [line.split() for line in lines[1:] if line.strip()]
    expected = n * (n - 1) // 2
    if len(body) != expected:
        raise ValueError(f"{path}: expected {expected} lines `i j d_ij` for N={n}, got {len(body)}")
    d = np.zeros((n, n))
    seen = np.zeros((n, n), dtype=bool)
    for lineno, fields in enumerate(body, start=2):
        if len(fields) != 3:
            raise ValueError(f"{path}: line {lineno}: expected `i j d_ij`, got {' '.join(fields)!r}")
        try:
            i, j, value = int(fields[0]), int(fields[1]), float(fields[2])
        except ValueError:
            raise ValueError(f"{path}: line {lineno}: i and j must be integers, d_ij a number") from None
        if not (0 <= i < n and 0 <= j < n) or i == j:
            raise ValueError(f"{path}: line {lineno}: pair ({i}, {j}) is not two elements of 0..{n - 1}")
        if not np.isfinite(value):
            raise ValueError(f"{path}: line {lineno}: d_ij must be finite, got {fields[2]!r}")
        if seen[i, j]:
            raise ValueError(f"{path}: line {lineno}: pair ({i}, {j}) appears twice")
        seen[i, j] = seen[j, i] = True
        d[i, j] = d[j, i] = value
    instance = MdgpInstance(n=n, lower=lower, upper=upper, d=d)
    try:
        check_instance(instance)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    return instance


def check_instance(instance: MdgpInstance) -> None:
    """Raise ValueError unless the instance has at least one feasible grouping."""
    lower, upper, d = instance.lower, instance.upper, instance.d
    if lower.ndim != 1 or lower.shape != upper.shape or lower.size == 0:
        raise ValueError("lower and upper must be two vectors of the same length G >= 1")
    if d.shape != (instance.n, instance.n):
        raise ValueError(f"d must be {instance.n}x{instance.n}, got {d.shape}")
    if not np.all(np.isfinite(d)):
        raise ValueError("d must hold finite numbers only")
    if not np.allclose(d, d.T) or np.any(np.diag(d) != 0):
        raise ValueError("d must be symmetric with a zero diagonal")
    if np.any(lower < 0) or np.any(lower > upper):
        raise ValueError("every group needs 0 <= lower <= upper")
    if lower.sum() > instance.n or upper.sum() < instance.n:
        raise ValueError(
            f"no grouping of {instance.n} elements fits the bounds "
            f"(lower bounds sum to {lower.sum()}, upper bounds to {upper.sum()})"
        )


def objective(d: np.ndarray, groups: list[list[int]]) -> float:
    """Sum of d_ij over the pairs in the same group, computed from scratch."""
    total = 0.0
    for members in groups:
        idx = np.asarray(members, dtype=np.int64)
        total += float(d[np.ix_(idx, idx)].sum()) / 2.0
    return total


def most_pairs_sizes(lower: np.ndarray, upper: np.ndarray, n: int) -> np.ndarray:
    """Group sizes within the bounds, summing to n, with the most pairs Σ s(s−1)/2.

    With different bounds (`ds` instances) the sizes decide most of the objective: moving one
    element from a group of 9 to a group of 15 adds 6 pairs, about 300 on RanInt_n120_ds_01, more
    than the spread between good solutions of one size profile. A local search rarely crosses
    between profiles (groups at a bound block one-moves), so the search starts at this one, found
    by dynamic programming over groups and running totals. Equal bounds (`ss`) give the bounds back.
    """
    groups = lower.size
    neg = -1
    best = np.full((groups + 1, n + 1), neg, dtype=np.int64)
    choice = np.zeros((groups + 1, n + 1), dtype=np.int64)
    best[0, 0] = 0
    for g in range(groups):
        for total in range(n + 1):
            if best[g, total] == neg:
                continue
            for size in range(int(lower[g]), int(min(upper[g], n - total)) + 1):
                value = best[g, total] + size * (size - 1) // 2
                if value > best[g + 1, total + size]:
                    best[g + 1, total + size] = value
                    choice[g + 1, total + size] = size
    sizes = np.empty(groups, dtype=np.int64)
    total = n
    for g in range(groups, 0, -1):
        sizes[g - 1] = choice[g, total]
        total -= sizes[g - 1]
    return sizes


def solve_mdgp(
    instance: MdgpInstance,
    *,
    time_limit: float,
    seed: int,
    progress: Callable[[float, str], None] | None = None,
    max_iterations: int | None = None,
    params: MdgpParams | None = None,
    clock: str = "wall",
    target: float | None = None,
) -> MdgpResult:
    """Best grouping found within `time_limit` seconds (and `max_iterations`, when given).
    With `target`, the search also stops at the end of the first chunk whose best reaches that
    value: the same trajectory as without it, cut short (the best may still improve within that
    chunk; `improved_at` says where the returned best was found).

    `clock="wall"` (default) measures the limit in elapsed time; `clock="cpu"` in CPU time of this
    process, like the C++ IMS of Lai & Hao (its loop tests `clock()`), so that a benchmark on a
    shared machine compares equal work. The result carries both elapsed and CPU seconds.

    The clock starts once the compiled kernels are in memory (`load_kernels`): loading numba's
    cache is the program starting, not the search, as for a C++ solver compiled ahead of time.
    """
    if clock not in CLOCKS:
        raise ValueError(f"clock must be one of {sorted(CLOCKS)} (got {clock!r})")
    load_kernels()
    return _solve(instance, time_limit=time_limit, seed=seed, progress=progress,
                  max_iterations=max_iterations, params=params, timer=CLOCKS[clock], target=target)


@functools.cache
def load_kernels() -> float:
    """Load (or compile) every kernel the search calls, once per process; seconds it took."""
    started = time.perf_counter()
    rng = np.random.default_rng(0)
    d = np.triu(rng.random((6, 6)), 1)
    tiny = MdgpInstance(n=6, lower=np.array([2, 2], dtype=np.int64),
                        upper=np.array([4, 4], dtype=np.int64), d=d + d.T)
    _solve(tiny, time_limit=60.0, seed=0, progress=None, max_iterations=3, params=None,
           timer=time.perf_counter)
    return time.perf_counter() - started


@dataclass
class SearchState:
    """One search's arrays, which the kernels change in place: `start_state` makes them, `advance`
    runs the search on. `_solve` advances it by chunks sized to its clock; a bench may advance it
    by fixed chunks and look at the pool in between (the same search whatever the chunks)."""

    params: MdgpParams
    d: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    strong: int
    dmin: float
    rng: np.ndarray
    start_sizes: np.ndarray
    assign: np.ndarray
    size: np.ndarray
    members: np.ndarray
    pos: np.ndarray
    w: np.ndarray
    bound: np.ndarray
    best: np.ndarray
    values: np.ndarray
    counters: np.ndarray
    pool: np.ndarray
    pool_values: np.ndarray
    walk_best: np.ndarray

    def advance(self, iterations: int) -> None:
        p = self.params
        k.iterated_maxima_search(self.d, self.dmin, self.lower, self.upper, self.assign, self.size,
                                 self.members, self.pos, self.w, self.bound, self.best, self.values,
                                 self.counters, self.rng, iterations, p.alpha, p.weak_min,
                                 p.weak_max, self.strong, p.move_share, self.pool,
                                 self.pool_values, self.walk_best, self.start_sizes,
                                 p.cross_share, False, p.tournament, p.tournament_share,
                                 p.tournament_stall, p.pool_restart, p.pool_restart_keep)


def start_state(instance: MdgpInstance, *, seed: int, params: MdgpParams) -> SearchState:
    """The start of a search: the instance and parameters checked, a first grouping (random at the
    start sizes, then a descent), no iteration done, the elite pool empty."""
    check_instance(instance)
    d = np.ascontiguousarray(instance.d, dtype=np.float64)
    lower = np.ascontiguousarray(instance.lower, dtype=np.int64)
    upper = np.ascontiguousarray(instance.upper, dtype=np.int64)
    n, n_groups = instance.n, lower.size
    strong = params.strong if params.strong is not None else max(2, n // 8)
    if params.tournament < 1:
        raise ValueError(f"params.tournament must be at least 1 (got {params.tournament})")
    if not 0.0 <= params.tournament_share <= 1.0:
        raise ValueError(f"params.tournament_share must be in [0, 1] (got {params.tournament_share})")
    if params.tournament_stall < 0:
        raise ValueError(f"params.tournament_stall must be at least 0 (got {params.tournament_stall})")
    if params.pool_restart < 0:
        raise ValueError(f"params.pool_restart must be at least 0 (got {params.pool_restart})")

    rng = new_stream(seed)
    # Bound of d used to skip hopeless swaps (see _mdgp_kernels.local_search).
    dmin = float(d[~np.eye(n, dtype=bool)].min()) if n > 1 else 0.0
    # Start at the group sizes with the most pairs (see `most_pairs_sizes`); the search may leave them.
    if params.start == "most_pairs":
        start_sizes = most_pairs_sizes(lower, upper, n)
        assign, _ = k.random_assignment(rng, n, start_sizes, start_sizes)
    elif params.start == "random":
        start_sizes = most_pairs_sizes(lower, upper, n)
        assign, _ = k.random_assignment(rng, n, lower, upper)
    else:
        raise ValueError(f"params.start must be 'most_pairs' or 'random' (got {params.start!r})")
    members, size, pos = k.build_members(assign, n_groups, int(min(upper.max(), n)))
    w = k.compute_gains(d, assign, n_groups)
    bound = np.empty((n_groups, n_groups))
    k.local_search(rng, d, assign, size, members, pos, w, lower, upper, bound, dmin)
    values = np.full(k.N_VALUES, k.objective_of(w, assign))
    counters = np.zeros(k.N_COUNTERS, dtype=np.int64)
    best = assign.copy()
    pool = np.zeros((params.pool, n), dtype=np.int64)
    pool_values = np.full(params.pool, k.EMPTY)
    walk_best = assign.copy()
    return SearchState(params=params, d=d, lower=lower, upper=upper, strong=strong, dmin=dmin,
                       rng=rng, start_sizes=start_sizes, assign=assign, size=size, members=members,
                       pos=pos, w=w, bound=bound, best=best, values=values, counters=counters,
                       pool=pool, pool_values=pool_values, walk_best=walk_best)


def _solve(
    instance: MdgpInstance,
    *,
    time_limit: float,
    seed: int,
    progress: Callable[[float, str], None] | None,
    max_iterations: int | None,
    params: MdgpParams | None,
    timer: Callable[[], float],
    target: float | None = None,
) -> MdgpResult:
    wall_started, cpu_started = time.perf_counter(), time.process_time()
    started = timer()
    state = start_state(instance, seed=seed, params=params or MdgpParams())
    counters, values = state.counters, state.values
    deadline = started + time_limit
    chunk, last_report = 1, -1.0
    while max_iterations is None or counters[k.C_ITER] < max_iterations:
        now = timer()
        if now >= deadline:
            break
        if progress is not None and now - last_report >= 0.25:
            last_report = now
            progress(min(1.0, (now - started) / time_limit), f"{values[k.V_BEST]:.2f}")
        todo = chunk if max_iterations is None else min(chunk, max_iterations - counters[k.C_ITER])
        t0 = timer()
        state.advance(todo)
        if target is not None and values[k.V_BEST] >= target:
            break
        spent = timer() - t0
        # Aim at chunks of ~20 ms, never past the deadline.
        per_iteration = max(spent / todo, 1e-7)
        room = max(deadline - timer(), 0.0)
        chunk = max(1, int(min(0.02, room) / per_iteration))

    groups = [sorted(int(i) for i in np.flatnonzero(state.best == g))
              for g in range(state.lower.size)]
    if progress is not None:
        progress(1.0, f"{values[k.V_BEST]:.2f}")
    return MdgpResult(
        objective=objective(state.d, groups),
        groups=groups,
        elapsed_s=time.perf_counter() - wall_started,
        iterations=int(counters[k.C_ITER]),
        cpu_s=time.process_time() - cpu_started,
        improved_at=int(counters[k.C_IMPROVED_AT]),
        pool_restarts=int(counters[k.C_POOL_RESTARTS]),
    )
