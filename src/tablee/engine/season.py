"""The season solver: every round of a season seated at once.

Construction, then iterated tabu search (Lai & Hao 2016 for the maximally diverse grouping problem,
extended to many rounds): each iteration takes the next round in turn, picks the best non-tabu move
(one person to another table, sizes permitting) or swap (two people of different tables), with
aspiration when it beats the best plan; when the best has not improved for a while, the current
plan is shaken by random swaps costing less than a quarter of the repeat weight (so almost never one
that seats a pair twice, which the search would undo at once). The search goes on from there, not
from the best plan: going back to the best at each shake (`restore_best`, the default until
session 10) threw the trajectory away and made fewer matches (bench/RESULTS.md, session 10). Deltas are O(1) from per-round gain matrices (see `_season_kernels`).

The no-repeat rule couples the rounds: in a good plan most moves that would pay are blocked because
the person already met someone at the new table in another round. Every `transfer` iterations a
pass of *meeting transfers* (`_season_kernels.transfer_pass`) takes such a move (or swap) in one
round, when exactly one pair would meet twice, together with the best move or swap in the other
round that parts that pair there: the pair meets in this round instead, and the two steps are kept
when together they improve the plan.

Deterministic for a seed and an iteration count: the search runs in chunks between time checks, and
a chunk boundary changes nothing. It stops at the time limit, at `max_iterations`, or when the best
plan has not improved for `idle_limit` iterations — whichever comes first; only the time limit makes
two runs with the same seed differ.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tablee.engine.model import Problem, Scores, spread_bounds

Progress = Callable[[float, str], None]


@dataclass
class SeasonResult:
    rounds: list[list[list[int]]]  # per round, tables of person indices
    objective: float
    iterations: int
    perturbations: int
    elapsed_s: float
    transfers: int = 0  # meeting transfers applied (SearchParams.transfer)


@dataclass(frozen=True)
class SearchParams:
    stall_visits: int = 150  # visits of each round without a new best before a perturbation
    perturb_divisor: int = 10  # a perturbation makes (people per round / this) random swaps
    tenure_min: int = 7  # a person moved stays put for this many visits of the round...
    tenure_span: int = 8  # ...plus a random 0..span
    restore_best: bool = False  # perturb the best plan (True) or the current one
    burst: int = 1  # iterations in a row on the same round
    # A perturbation swap costs at most this times the repeat weight (None: any random swap): a
    # swap that seats a pair twice costs about the whole weight, and the search would undo it.
    perturb_cost: float | None = 0.25
    transfer: int = 30  # a pass of meeting transfers every this many iterations (0: none)


def _seed(seed: int) -> np.ndarray:
    x = (int(seed) * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) % (1 << 64)
    return np.array([x or 1], dtype=np.uint64)


def solve_season(
    problem: Problem,
    scores: Scores,
    *,
    time_limit: float,
    seed: int,
    progress: Progress | None = None,
    max_iterations: int | None = None,
    idle_limit: int | None = None,
    params: SearchParams | None = None,
    timer: Callable[[], float] = time.perf_counter,
) -> SeasonResult:
    """`timer`: the clock the time limit is measured on (elapsed time; a benchmark or a test may
    pass `time.process_time`, this process's CPU time)."""
    started = timer()
    from tablee.engine import _season_kernels as k  # numba: imported only when solving

    R, n = problem.rounds, problem.n
    tmax = max(problem.tables)
    smin, smax = problem.size_min, problem.size_max
    tab = np.full((R, n), -1, dtype=np.int64)
    mem = np.zeros((R, tmax, smax + 2), dtype=np.int64)
    size = np.zeros((R, tmax), dtype=np.int64)
    pos = np.full((R, n), -1, dtype=np.int64)
    att = np.zeros((R, n), dtype=np.int64)
    na = np.array([len(a) for a in problem.attendance], dtype=np.int64)
    isatt = np.zeros((R, n), dtype=np.bool_)
    pin = np.full((R, n), -1, dtype=np.int64)
    compat = np.ascontiguousarray(scores.compat)
    for r, present in enumerate(problem.attendance):
        att[r, : len(present)] = present
        isatt[r, present] = True
        for i, t in problem.pinned[r].items():
            pin[r, i] = t
    movable = isatt & (pin < 0)
    ntab = np.array(problem.tables, dtype=np.int64)
    C = np.zeros((n, n), dtype=np.int64)
    W = np.zeros((R, n, tmax), dtype=np.float64)
    LC = np.zeros((R, n), dtype=np.int64)
    LCT = np.zeros((R, n, tmax), dtype=np.int64)
    crit = np.zeros((R, n), dtype=np.int64)
    tviol = np.zeros((R, tmax), dtype=np.int64)
    attr = np.ascontiguousarray(scores.attributes)
    aw = scores.attribute_weights
    A = len(aw)
    alo = np.zeros((R, A), dtype=np.int64)
    ahi = np.zeros((R, A), dtype=np.int64)
    for r, present in enumerate(problem.attendance):
        for a in range(A):
            alo[r, a], ahi[r, a] = spread_bounds(int(attr[a, present].sum()), problem.tables[r])
    acnt = np.zeros((R, A, tmax), dtype=np.int64)
    abits = np.zeros(n, dtype=np.int64)  # which attributes each person has, as bits
    for a in range(A):
        abits |= attr[a].astype(np.int64) << a
    tabu = np.zeros((R, n), dtype=np.int64)
    rng = _seed(seed)
    buf = np.zeros((2, smax + 2), dtype=np.int64)
    # The kernels take base - avoid - past as one matrix (one memory read per pair in the hot loop).
    base = scores.base - scores.avoid - scores.past
    once, repeat = scores.once, scores.repeat
    wl = float(problem.weights.language)

    k.construct(tab, mem, size, pos, att, na, isatt, ntab, C, W, base, once, repeat, compat,
                LC, LCT, crit, tviol, attr, acnt, pin, smin, rng)
    cur = k.objective(C, tviol, acnt, base, once, repeat, wl, aw, alo, ahi, ntab)
    counters = np.zeros(k.N_COUNTERS, dtype=np.int64)
    values = np.full(k.N_VALUES, cur, dtype=np.float64)
    best_tab = tab.copy()

    mean_size = max(1, int(na.mean()))
    params = params or SearchParams()
    floor = -1e300 if params.perturb_cost is None else -params.perturb_cost * scores.repeat
    # Iterations visit the rounds in turn: per-round counts are scaled by R.
    stall_limit = R * params.stall_visits
    strength = max(2, mean_size // params.perturb_divisor)
    tenure_min, tenure_span = R * params.tenure_min, R * params.tenure_span
    idle = idle_limit if idle_limit is not None else max(20_000, 12 * stall_limit)
    chunk, last_report = R, started
    while True:
        now = timer()
        done_iters = int(counters[k.K_ITER])
        if now - started >= time_limit:
            break
        if max_iterations is not None and done_iters >= max_iterations:
            break
        if done_iters - counters[k.K_IMPROVED_AT] > idle:
            break
        if progress is not None and now - last_report >= 0.25:
            last_report = now
            progress(min(1.0, (now - started) / time_limit), _progress_text(values[k.V_BEST], done_iters))
        steps = chunk if max_iterations is None else min(chunk, max_iterations - done_iters)
        t0 = timer()
        k.search(steps, counters, values, best_tab, tab, mem, size, pos, att, na, isatt, movable,
                 ntab, C, W, base, once, repeat, compat, LC, LCT, crit, tviol, wl, attr, aw,
                 alo, ahi, acnt, abits, smin, smax, tabu, rng, buf, stall_limit, strength, tenure_min,
                 tenure_span, params.restore_best, params.burst,
                 params.transfer, floor)
        spent = timer() - t0
        # Aim at ~50 ms per chunk: frequent time checks, negligible overhead.
        chunk = max(1, min(chunk * 2, int(steps * 0.05 / max(spent, 1e-6)) or 1))
    if progress is not None:
        progress(1.0, _progress_text(values[k.V_BEST], int(counters[k.K_ITER])))
    rounds = []
    for r in range(R):
        tables: list[list[int]] = [[] for _ in range(problem.tables[r])]
        for i in problem.attendance[r]:
            tables[int(best_tab[r, i])].append(i)
        rounds.append(tables)
    return SeasonResult(
        rounds=rounds, objective=float(values[k.V_BEST]), iterations=int(counters[k.K_ITER]),
        perturbations=int(counters[k.K_PERTURBATIONS]), elapsed_s=timer() - started,
        transfers=int(counters[k.K_TRANSFERS]),
    )


def _progress_text(best: float, iterations: int) -> str:
    return f"objectif {best:,.1f} · itération {iterations:,}".replace(",", " ")
