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

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tablee.engine import _mdgp_kernels as k


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


@dataclass(frozen=True)
class MdgpParams:
    """Search parameters. `alpha`: maxima-search rounds without improvement before a restart;
    `weak_min`..`weak_max`: random moves or swaps per weak perturbation, drawn each time;
    `strong`: random moves or swaps per strong perturbation (None: n // 8)."""

    alpha: int = 1000
    weak_min: int = 1
    weak_max: int = 3
    strong: int | None = None


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


def solve_mdgp(
    instance: MdgpInstance,
    *,
    time_limit: float,
    seed: int,
    progress: Callable[[float, str], None] | None = None,
    max_iterations: int | None = None,
    params: MdgpParams | None = None,
) -> MdgpResult:
    """Best grouping found within `time_limit` seconds (and `max_iterations`, when given)."""
    started = time.perf_counter()
    check_instance(instance)
    params = params or MdgpParams()
    d = np.ascontiguousarray(instance.d, dtype=np.float64)
    lower = np.ascontiguousarray(instance.lower, dtype=np.int64)
    upper = np.ascontiguousarray(instance.upper, dtype=np.int64)
    n, n_groups = instance.n, lower.size
    strong = params.strong if params.strong is not None else max(2, n // 8)

    rng = np.array([_seed_state(seed)], dtype=np.uint64)
    # Bound of d used to skip hopeless swaps (see _mdgp_kernels.local_search).
    dmin = float(d[~np.eye(n, dtype=bool)].min()) if n > 1 else 0.0
    assign, _ = k.random_assignment(rng, n, lower, upper)
    members, size, pos = k.build_members(assign, n_groups, int(min(upper.max(), n)))
    w = k.compute_gains(d, assign, n_groups)
    bound = np.empty((n_groups, n_groups))
    k.local_search(rng, d, assign, size, members, pos, w, lower, upper, bound, dmin)
    values = np.full(k.N_VALUES, k.objective_of(w, assign))
    counters = np.zeros(k.N_COUNTERS, dtype=np.int64)
    best = assign.copy()

    deadline = started + time_limit
    chunk, last_report = 1, -1.0
    while max_iterations is None or counters[k.C_ITER] < max_iterations:
        now = time.perf_counter()
        if now >= deadline:
            break
        if progress is not None and now - last_report >= 0.25:
            last_report = now
            progress(min(1.0, (now - started) / time_limit), f"{values[k.V_BEST]:.2f}")
        todo = chunk if max_iterations is None else min(chunk, max_iterations - counters[k.C_ITER])
        t0 = time.perf_counter()
        k.iterated_maxima_search(d, dmin, lower, upper, assign, size, members, pos, w, bound,
                                 best, values, counters, rng, todo, params.alpha,
                                 params.weak_min, params.weak_max, strong)
        spent = time.perf_counter() - t0
        # Aim at chunks of ~20 ms, never past the deadline.
        per_iteration = max(spent / todo, 1e-7)
        room = max(deadline - time.perf_counter(), 0.0)
        chunk = max(1, int(min(0.02, room) / per_iteration))

    groups = [sorted(int(i) for i in np.flatnonzero(best == g)) for g in range(n_groups)]
    if progress is not None:
        progress(1.0, f"{values[k.V_BEST]:.2f}")
    return MdgpResult(
        objective=objective(d, groups),
        groups=groups,
        elapsed_s=time.perf_counter() - started,
        iterations=int(counters[k.C_ITER]),
    )


def _seed_state(seed: int) -> int:
    """splitmix64 of the seed: a well-mixed, never-zero xorshift state."""
    mask = (1 << 64) - 1
    z = (seed + 0x9E3779B97F4A7C15) & mask
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    z ^= z >> 31
    return z or 0x9E3779B97F4A7C15
