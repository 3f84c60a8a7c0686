"""An upper bound on a season's need ↔ offer matches that sees tables (issue 14, point 3).

    .venv/bin/python bench/season_bound.py [--seeds 1-10] [--time-limit 300]

For each realistic season (`synthetic.realistic_season`, as `bench_season.py --realistic` builds
them) it prints a number that no plan keeping the hard rules can beat, beside random seating (the
same 20 samples `bench_season.py` draws): if the bound is below 3.5× random, 3.5× is out of reach.

**The relaxation.** A plan seats, in each round r, the attendees A_r at exactly K_r tables of
size_min..size_max (K_r = `Problem.tables[r]`, as the solver and the bench fix it). It is worth
sum over rounds, tables and pairs {i, j} at the table of w_ij = m_ij + m_ji (`evaluate` counts
`counts * matches` over ordered pairs, so a meeting counts both directions). The hard rules kept
here are the ones that constrain matches: a pair that met in the history or must avoid each other
never sits together; any other pair meets at most once over the season, except a continue pair
(allowed in every round both attend, so left free). The language rule, pins, the newcomer spread
and meet wishes are dropped: dropping a rule can only raise the optimum, so the bound stays valid.

This is a set-partitioning problem over tables T (a subset of A_r of allowed size with no forbidden
pair): maximise sum w(T) z_T subject to

    sum over tables of round r holding i of z_T = 1        (every attendee, every round)   dual pi_ri
    sum over tables of round r of z_T = K_r                 (tables per round)            dual s_r
    sum over tables (all rounds) holding i and j of z_T <= 1 (pair once; copies_ij)       dual mu_ij >= 0

**Why the bound is valid for any duals.** For a plan (z_T in {0, 1}, or any z >= 0 satisfying the
rows), w(T) = rc(T) + sum_{i in T} pi_ri + s_r + sum_{pairs of T} mu_ij with the reduced cost
rc(T). Summing over the plan's tables: each round has exactly K_r tables, each attendee sits once,
each pair with mu_ij > 0 meets at most once, hence

    matches <= sum_r K_r * rc*_r + sum_{r, i} pi_ri + sum_r K_r s_r + sum_ij mu_ij

where rc*_r is the largest reduced cost of any table of round r (Lagrangian / Farley bound). This
holds for any pi, s and any mu >= 0, whatever the LP found; what must be exact is rc*_r, and
`_best_table` computes it by branch and bound over all tables of the round (no heuristic), with
the bound of its docstring. The duals come from column generation on the LP relaxation (HiGHS
through `highspy`, a dev-only tool): the LP holds the tables found so far, the pair rows that some
LP solution violated (a missing row just has mu = 0, still valid), and one artificial column per
round (cost -M) so it is always feasible. At the LP optimum over all tables, the bound equals the
LP value; stopped earlier, it is larger, and still valid.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numba import njit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_season import _meetings_allowed, random_matches  # noqa: E402

from tablee.engine.synthetic import realistic_season  # noqa: E402

NEG = -1e18  # a forbidden pair (history, avoid): never at one table
FORBIDDEN = -1e17  # anything below is forbidden
EPS = 1e-7


@njit(cache=True)
def _best_table(a, p, smin, smax, lower):
    """The best table of one round: max over subsets S (smin <= |S| <= smax, no pair with
    a = NEG) of sum_{pairs of S} a_ij - sum_{i in S} p_i, exact, by depth-first branch and bound.

    Returns (value, members padded with -1); value = `lower` and no members when no table beats
    `lower`. A branch holding S with candidates C (allowed with all of S) is cut when, for every
    number t of people still to add, f(S) + the sum of the t largest
    h_t(v) = g(v) + half_{t-1}(v) over v in C is <= the best so far, where g(v) = -p_v +
    sum_{u in S} a_uv is what v adds with S, and half_{q}(v) is half the sum of v's q largest
    positive a_vu over the whole round. This is a valid cap: for added people X (a subset of C,
    |X| = t), the pairs inside X are worth sum_{v in X} (1/2) sum_{u in X, u != v} a_vu, and v's
    t - 1 partners in X are worth at most its t - 1 largest positive values."""
    k = a.shape[0]
    half = np.zeros((k, smax))
    for v in range(k):
        row = np.zeros(k)
        for u in range(k):
            if u != v and a[v, u] > 0:
                row[u] = a[v, u]
        row = np.sort(row)[::-1]
        acc = 0.0
        for q in range(1, smax):
            acc += row[q - 1] if q - 1 < k else 0.0
            half[v, q] = 0.5 * acc
    best = lower
    best_set = np.full(smax, -1, dtype=np.int64)
    members = np.zeros(smax, dtype=np.int64)
    cand = np.zeros((smax + 1, k), dtype=np.int64)
    ncand = np.zeros(smax + 1, dtype=np.int64)
    pos = np.zeros(smax + 1, dtype=np.int64)
    g = np.zeros((smax + 1, k))
    f = np.zeros(smax + 1)
    key = np.zeros(k)
    for v in range(k):
        g[0, v] = -p[v]
        key[v] = -(g[0, v] + half[v, smax - 1])
    order = np.argsort(key)
    for q in range(k):
        cand[0, q] = order[q]
    ncand[0] = k
    depth = 0
    while depth >= 0:
        if pos[depth] >= ncand[depth]:
            depth -= 1
            continue
        v = cand[depth, pos[depth]]
        pos[depth] += 1
        s = depth + 1
        members[depth] = v
        fc = f[depth] + g[depth, v]
        nc = 0
        for q in range(pos[depth], ncand[depth]):
            u = cand[depth, q]
            if a[v, u] <= FORBIDDEN:
                continue
            g[s, u] = g[depth, u] + a[v, u]
            cand[s, nc] = u
            nc += 1
        if s >= smin and fc > best:
            best = fc
            best_set[:] = -1
            best_set[:s] = members[:s]
        if s == smax or nc == 0:
            continue
        tmin = max(1, smin - s)
        tmax = min(smax - s, nc)
        if tmin > tmax:
            continue
        ub = -np.inf
        vals = np.empty(nc)
        for t in range(tmin, tmax + 1):
            for q in range(nc):
                u = cand[s, q]
                vals[q] = g[s, u] + half[u, t - 1]
            top = np.sort(vals)[nc - t:] if t < nc else vals
            total = fc + top.sum()
            if total > ub:
                ub = total
        if ub <= best + 1e-9:
            continue
        t_key = smax - s - 1
        for q in range(nc):
            u = cand[s, q]
            key[q] = -(g[s, u] + half[u, t_key])
        order = np.argsort(key[:nc])
        tmp = cand[s, :nc].copy()
        for q in range(nc):
            cand[s, q] = tmp[order[q]]
        f[s] = fc
        ncand[s] = nc
        pos[s] = 0
        depth = s
    return best, best_set


@njit(cache=True)
def _grow_tables(a, p, smin, smax):
    """Heuristic pricing: from each person, add the best allowed person until smax (keeping the
    best prefix of size >= smin), then the best of 1-swaps, additions and removals while one pays,
    the start staying in (so each person gets a good table of their own: many distinct columns).
    Returns one table per start (members padded with -1) and its value sum a - sum p (NEG when
    none). Forbidden pairs (a <= FORBIDDEN) are counted in `bad`, never added to a value."""
    k = a.shape[0]
    tables = np.full((k, smax), -1, dtype=np.int64)
    values = np.full(k, NEG)
    inset = np.zeros(k, dtype=np.bool_)
    gain = np.zeros(k)  # -p_u + sum of a_uv over the members v allowed with u (v != u)
    bad = np.zeros(k, dtype=np.int64)  # members forbidden with u
    members = np.full(smax, -1, dtype=np.int64)
    best_members = np.full(smax, -1, dtype=np.int64)
    for start in range(k):
        inset[:] = False
        members[:] = -1
        size = 0
        for u in range(k):
            gain[u] = -p[u]
            bad[u] = 0
        f = 0.0
        best_f = NEG
        best_size = 0
        pick = start
        while True:
            # add `pick`
            members[size] = pick
            inset[pick] = True
            size += 1
            f += gain[pick]
            for u in range(k):
                if u != pick:
                    if a[pick, u] <= FORBIDDEN:
                        bad[u] += 1
                    else:
                        gain[u] += a[pick, u]
            if size >= smin and f > best_f:
                best_f, best_size = f, size
                best_members[:] = members
            if size == smax:
                break
            pick = -1
            for u in range(k):
                if not inset[u] and bad[u] == 0 and (pick < 0 or gain[u] > gain[pick]):
                    pick = u
            if pick < 0:
                break
        if best_size == 0:
            continue
        # local search from the best prefix: rebuild gain and bad for it
        inset[:] = False
        members[:] = -1
        members[:best_size] = best_members[:best_size]
        size = best_size
        for u in range(k):
            gain[u] = -p[u]
            bad[u] = 0
        for q in range(size):
            x = members[q]
            inset[x] = True
            for u in range(k):
                if u != x:
                    if a[x, u] <= FORBIDDEN:
                        bad[u] += 1
                    else:
                        gain[u] += a[x, u]
        f = best_f
        while True:
            best_delta = 1e-9
            kind, bq, by = 0, -1, -1
            for y in range(k):
                if inset[y] or bad[y] > 1:
                    continue
                if size < smax and bad[y] == 0 and gain[y] > best_delta:
                    best_delta, kind, bq, by = gain[y], 1, -1, y
                for q in range(size):
                    x = members[q]
                    if x == start:
                        continue
                    if a[x, y] <= FORBIDDEN:
                        if bad[y] != 1:
                            continue
                        d = gain[y] - gain[x]
                    else:
                        if bad[y] != 0:
                            continue
                        d = gain[y] - a[x, y] - gain[x]
                    if d > best_delta:
                        best_delta, kind, bq, by = d, 2, q, y
            if size > smin:
                for q in range(size):
                    if members[q] != start and -gain[members[q]] > best_delta:
                        best_delta, kind, bq, by = -gain[members[q]], 3, q, -1
            if kind == 0:
                break
            f += best_delta
            if kind >= 2:  # take members[bq] out
                x = members[bq]
                inset[x] = False
                for u in range(k):
                    if u != x:
                        if a[x, u] <= FORBIDDEN:
                            bad[u] -= 1
                        else:
                            gain[u] -= a[x, u]
                members[bq] = members[size - 1]
                members[size - 1] = -1
                size -= 1
            if kind <= 2:  # put `by` in
                members[size] = by
                size += 1
                inset[by] = True
                for u in range(k):
                    if u != by:
                        if a[by, u] <= FORBIDDEN:
                            bad[u] += 1
                        else:
                            gain[u] += a[by, u]
        tables[start, :size] = np.sort(members[:size])
        values[start] = f
    return tables, values


@dataclass
class Season:
    """The data the relaxation keeps: pair values, who may sit together, who attends."""

    value: np.ndarray  # n x n, w_ij = m_ij + m_ji per meeting
    forbidden: np.ndarray  # n x n bool: never at one table
    once: np.ndarray  # n x n bool: meets at most once (the others are free: continue pairs)
    attendance: list[np.ndarray]
    tables: list[int]
    size_min: int
    size_max: int


def season_data(problem_dict: dict) -> Season:
    problem, value, copies = _meetings_allowed(problem_dict)
    forbidden = copies == 0
    np.fill_diagonal(forbidden, True)
    return Season(
        value=value.astype(np.float64), forbidden=forbidden, once=copies == 1,
        attendance=[np.array(a, dtype=np.int64) for a in problem.attendance],
        tables=list(problem.tables), size_min=problem.size_min, size_max=problem.size_max,
    )


@dataclass
class Bound:
    bound: float  # valid upper bound on the matches
    lp: float  # last LP value (a bound only at convergence; for information)
    iterations: int
    columns: int
    pair_rows: int
    cpu: float
    converged: bool
    history: list[tuple[float, float, float]] = field(default_factory=list)  # (cpu, lp, bound)


def _reduced(season: Season, r: int, mu: np.ndarray) -> np.ndarray:
    att = season.attendance[r]
    a = season.value[np.ix_(att, att)] - mu[np.ix_(att, att)]
    a[season.forbidden[np.ix_(att, att)]] = NEG
    np.fill_diagonal(a, 0.0)
    return a


def _initial_columns(season: Season, rnd: random.Random, plans: int,
                     tries: int = 200) -> list[tuple[int, tuple[int, ...]]]:
    """Tables of `plans` random plans that keep the relaxation's rules (drawn round after round,
    each person to the emptiest table with room where nobody is forbidden or already met; a round
    that fails `tries` times is left out): a feasible start, so the LP's duals make sense from the
    first iteration. The artificial columns cover whatever is left out."""
    columns = []
    for _ in range(plans):
        met = np.zeros_like(season.forbidden)
        for r, att in enumerate(season.attendance):
            k = season.tables[r]
            caps = [len(att) // k + (t < len(att) % k) for t in range(k)]
            for _ in range(tries):
                order = [int(i) for i in att]
                rnd.shuffle(order)
                tables: list[list[int]] = [[] for _ in range(k)]
                for i in order:
                    blocked = season.forbidden[i] | (met[i] & season.once[i])
                    fits = [t for t in range(k) if len(tables[t]) < caps[t] and not blocked[tables[t]].any()]
                    if not fits:
                        break
                    tables[min(fits, key=lambda t: len(tables[t]))].append(i)
                else:
                    break
            else:
                continue
            for table in tables:
                columns.append((r, tuple(sorted(table))))
                met[np.ix_(table, table)] = True
    return columns


def season_upper_bound(season: Season, *, time_limit: float = 600.0, seed: int = 1,
                       gap: float = 1e-4, start: list[list[list[int]]] | None = None,
                       per_round: int = 100, box: float = 2.0, options: dict | None = None,
                       verbose: bool = False) -> Bound:
    """Column generation on the set-partitioning LP (HiGHS, warm-started: columns and pair rows
    are added to the same model), then the Lagrangian bound of the module docstring with rc*_r
    computed exactly (`_best_table`). Stops at LP optimality (no table of positive reduced cost,
    no violated pair row), or when the bound is within `gap` of the LP value, or once `time_limit`
    seconds of CPU are spent (the bound is then computed from the last duals: valid, looser)."""
    import highspy

    started = time.process_time()
    n = season.value.shape[0]
    rounds = len(season.attendance)
    inf = highspy.kHighsInf
    row_of: list[tuple[int, int]] = []
    cover: dict[tuple[int, int], int] = {}
    for r, att in enumerate(season.attendance):
        for i in att:
            cover[(r, int(i))] = len(row_of)
            row_of.append((r, int(i)))
    n_cover = len(row_of)
    top = -np.sort(-np.where(season.forbidden, 0.0, season.value), axis=1)[:, : season.size_max - 1]
    # The box on the duals (a stabilisation: it changes which duals the LP returns, never the
    # validity of the bound): `box` times what anyone can bring to a table.
    box = box * float(top.sum(axis=1).max()) + 1.0
    big = 1.0 + float(np.triu(season.value, 1).sum())

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for name, value in (options or {}).items():
        h.setOptionValue(name, value)
    # minimise -w. Rows: cover (= 1), tables per round (= K_r), then pair rows (<= 1) as needed.
    lower = np.concatenate([np.ones(n_cover), np.array(season.tables, dtype=float)])
    h.addRows(n_cover + rounds, lower, lower.copy(), 0, np.zeros(n_cover + rounds, dtype=np.int32),
              np.array([], dtype=np.int32), np.array([], dtype=float))
    # slack and surplus per cover row (cost `box`), one artificial per round (cost `big`)
    idx, val, starts, costs = [], [], [], []
    for q in range(n_cover):
        starts += [len(idx), len(idx) + 1]
        idx += [q, q]
        val += [1.0, -1.0]
        costs += [box, box]
    for r, att in enumerate(season.attendance):
        starts.append(len(idx))
        idx += [cover[(r, int(i))] for i in att] + [n_cover + r]
        val += [1.0] * len(att) + [float(season.tables[r])]
        costs.append(big)
    n_fixed = len(costs)
    h.addCols(n_fixed, np.array(costs), np.zeros(n_fixed), np.full(n_fixed, inf), len(idx),
              np.array(starts, dtype=np.int32), np.array(idx, dtype=np.int32), np.array(val))

    pair_rows: dict[tuple[int, int], int] = {}
    columns: list[tuple[int, tuple[int, ...]]] = []
    seen: set[tuple[int, tuple[int, ...]]] = set()
    holding: list[list[int]] = [[] for _ in range(n)]  # columns holding each person

    def add_columns(new: list[tuple[int, tuple[int, ...]]]) -> int:
        idx, val, starts, costs = [], [], [], []
        for col in new:
            if col in seen:
                continue
            seen.add(col)
            r, table = col
            c = len(columns)
            columns.append(col)
            for x in table:
                holding[x].append(c)
            starts.append(len(idx))
            idx += [cover[(r, x)] for x in table] + [n_cover + r]
            val += [1.0] * (len(table) + 1)
            for q, x in enumerate(table):
                for y in table[q + 1:]:
                    pr = pair_rows.get((x, y))
                    if pr is not None:
                        idx.append(pr)
                        val.append(1.0)
            costs.append(-float(season.value[np.ix_(table, table)].sum() / 2))
        if costs:
            m = len(costs)
            h.addCols(m, np.array(costs), np.zeros(m), np.full(m, inf), len(idx),
                      np.array(starts, dtype=np.int32), np.array(idx, dtype=np.int32), np.array(val))
        return len(costs)

    def add_pair_rows(pairs: list[tuple[int, int]]) -> None:
        idx, starts = [], []
        for x, y in pairs:
            pair_rows[(x, y)] = n_cover + rounds + len(pair_rows)
            starts.append(len(idx))
            idx += [n_fixed + c for c in sorted(set(holding[x]) & set(holding[y]))]
        m = len(pairs)
        h.addRows(m, np.full(m, -inf), np.ones(m), len(idx), np.array(starts, dtype=np.int32),
                  np.array(idx, dtype=np.int32), np.ones(len(idx)))

    start_cols = [(r, tuple(sorted(int(i) for i in t))) for r, tables in enumerate(start or [])
                  for t in tables]
    add_columns(start_cols + _initial_columns(season, random.Random(seed), 3))
    best_bound = np.inf
    lp_value = np.nan
    history: list[tuple[float, float, float]] = []
    it = 0
    converged = False
    tables_k = np.array(season.tables, dtype=float)
    while True:
        it += 1
        lp_started = time.process_time()
        h.run()
        lp_cpu = time.process_time() - lp_started
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"LP: {h.getModelStatus()}")
        lp_value = -h.getInfo().objective_function_value
        solution = h.getSolution()
        y = -np.array(solution.row_dual)  # duals of the maximisation
        z = np.array(solution.col_value)[n_fixed:]
        pi = np.zeros((rounds, n))
        for q, (r, i) in enumerate(row_of):
            pi[r, i] = y[q]
        sigma = y[n_cover:n_cover + rounds]
        mu = np.zeros((n, n))
        for (x, yy), pr in pair_rows.items():
            mu[x, yy] = mu[yy, x] = max(0.0, y[pr])
        # violated pair rows (the LP solution seats a once-pair together more than once)
        together = np.zeros((n, n))
        for c in np.nonzero(z > 1e-9)[0]:
            table = np.array(columns[c][1])
            together[np.ix_(table, table)] += z[c]
        viol = [(int(x), int(yy)) for x, yy in np.argwhere(np.triu((together > 1 + 1e-6) & season.once, 1))
                if (int(x), int(yy)) not in pair_rows]
        # heuristic pricing
        new: list[tuple[int, tuple[int, ...]]] = []
        max_rc = np.zeros(rounds)
        for r, att in enumerate(season.attendance):
            tabs, values = _grow_tables(_reduced(season, r, mu), pi[r, att], season.size_min,
                                        season.size_max)
            rc = values - sigma[r]
            max_rc[r] = rc.max()
            for q in np.argsort(-rc)[:per_round]:
                if rc[q] <= EPS:
                    break
                new.append((r, tuple(int(att[m]) for m in tabs[q][tabs[q] >= 0])))
        new_cols = add_columns(new)
        if viol:
            add_pair_rows(viol)
        cpu = time.process_time() - started
        if verbose:
            estimate = float(pi.sum() + sigma @ tables_k + mu.sum() / 2 + tables_k @ np.maximum(max_rc, 0))
            print(f"    it {it}: cpu {cpu:.0f} s (LP {lp_cpu:.1f} s), lp {lp_value:.1f}, "
                  f"cols {len(columns)} (+{new_cols}), "
                  f"pair rows {len(pair_rows)} (+{len(viol)}), heuristic max rc {max_rc.max():.3f}, "
                  f"bound if the heuristic were exact {estimate:.1f}", flush=True)
        out_of_time = cpu > time_limit
        if (new_cols == 0 and not viol) or out_of_time:
            # the valid bound: exact pricing in every round
            exact = np.zeros(rounds)
            found = []
            for r, att in enumerate(season.attendance):
                a = _reduced(season, r, mu)
                # Only a table better than the heuristic's best, and than rc 0, is sought: when
                # none exists, rc*_r <= max(that, 0), which is what the bound then uses.
                floor = max(max_rc[r], 0.0) + sigma[r]
                value, members = _best_table(a, pi[r, att], season.size_min, season.size_max, floor)
                exact[r] = value - sigma[r]
                if (members >= 0).any():
                    found.append((r, tuple(sorted(int(att[m]) for m in members[members >= 0]))))
            bound = float(pi.sum() + sigma @ tables_k + mu.sum() / 2 + tables_k @ exact)
            best_bound = min(best_bound, bound)
            history.append((time.process_time() - started, lp_value, bound))
            if verbose:
                print(f"    exact pricing: max rc {exact.max():.3f}, bound {bound:.1f}, best {best_bound:.1f}, "
                      f"cpu {time.process_time() - started:.0f} s", flush=True)
            added = add_columns(found)
            if best_bound <= lp_value * (1 + gap) + 1e-6 or (added == 0 and not viol):
                converged = best_bound <= lp_value * (1 + gap) + 1e-6 or not out_of_time
                break
            if out_of_time:
                break
    return Bound(bound=best_bound, lp=lp_value, iterations=it, columns=len(columns),
                 pair_rows=len(pair_rows), cpu=time.process_time() - started, converged=converged,
                 history=history)


def meeting_lp_bound(problem_dict: dict, solver: str = "ipm", duals: dict | None = None) -> float:
    """A bound between the degree bound and the table LP: the LP over meetings x_ijr in [0, 1]
    (pair i, j together in round r, both attending, allowed) with, in each round, at most
    (largest table - 1) meetings per attendee and at most the round's pair slots in all, and each
    once-pair meeting at most once over the season. Every plan keeping the hard rules is a 0/1
    point of it, so its optimum bounds the matches. Pairs worth 0 are left out (they only use
    capacity: the optimum is the same without them). Unlike `bench_season.match_upper_bound`,
    which counts each person's best partners at each end independently, the LP shares a
    popular person's few seats among everyone who would like to meet them. It ignores that a
    table is a clique."""
    import highspy
    from bench_season import largest_table_and_pairs

    problem, value, copies = _meetings_allowed(problem_dict)
    n, rounds = problem.n, problem.rounds
    present = np.zeros((rounds, n), dtype=bool)
    for r, att in enumerate(problem.attendance):
        present[r, att] = True
    deg_row = -np.ones((rounds, n), dtype=np.int64)
    row_upper: list[float] = []
    for r, att in enumerate(problem.attendance):
        largest, _ = largest_table_and_pairs(len(att), problem.tables[r], problem.size_min,
                                             problem.size_max)
        for i in att:
            deg_row[r, i] = len(row_upper)
            row_upper.append(float(largest - 1))
    slot_row = []
    for r, att in enumerate(problem.attendance):
        _, pairs = largest_table_and_pairs(len(att), problem.tables[r], problem.size_min,
                                           problem.size_max)
        slot_row.append(len(row_upper))
        row_upper.append(float(pairs))
    iu, ju = np.nonzero(np.triu((value > 0) & (copies > 0), 1))
    pair_row = {}
    for i, j in zip(iu, ju, strict=True):
        if copies[i, j] == 1:
            pair_row[(i, j)] = len(row_upper)
            row_upper.append(1.0)
    starts, idx, costs = [], [], []
    for i, j in zip(iu, ju, strict=True):
        for r in range(rounds):
            if present[r, i] and present[r, j]:
                starts.append(len(idx))
                idx += [deg_row[r, i], deg_row[r, j], slot_row[r]]
                if (i, j) in pair_row:
                    idx.append(pair_row[(i, j)])
                costs.append(-float(value[i, j]))
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("solver", solver)
    m = len(row_upper)
    h.addRows(m, np.full(m, -highspy.kHighsInf), np.array(row_upper), 0, np.zeros(m, dtype=np.int32),
              np.array([], dtype=np.int32), np.array([], dtype=float))
    k = len(costs)
    h.addCols(k, np.array(costs), np.zeros(k), np.ones(k), len(idx), np.array(starts, dtype=np.int32),
              np.array(idx, dtype=np.int32), np.ones(len(idx)))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"LP: {h.getModelStatus()}")
    if duals is not None:  # the pair rows' duals (>= 0 in the maximisation), for by_round_bound
        row_dual = np.array(h.getSolution().row_dual)
        for pair, row in pair_row.items():
            duals[(int(pair[0]), int(pair[1]))] = max(0.0, -float(row_dual[row]))
    # HiGHS's objective is a floating-point optimum: the dual objective of an optimal basis
    # equals it; a tiny margin covers rounding.
    return -h.getInfo().objective_function_value + 1e-6


def by_round_bound(problem_dict: dict, *, time_limit: float = 60.0, verbose: bool = False) -> float:
    """Lagrangian decomposition by round: the pair-once rows priced at mu (the meeting LP's duals),
    then each round alone bounded by `season_upper_bound` with values w - mu:
    matches <= sum of mu over once-pairs + sum_r (best round-r partition under w - mu), valid for
    any mu >= 0 (a plan meets each once-pair at most once, so it pays mu_ij at most once)."""
    mu: dict[tuple[int, int], float] = {}
    meeting_lp_bound(problem_dict, duals=mu)
    season = season_data(problem_dict)
    n = season.value.shape[0]
    penalty = np.zeros((n, n))
    for (i, j), x in mu.items():
        penalty[i, j] = penalty[j, i] = x
    total = float(sum(mu.values()))
    for r, att in enumerate(season.attendance):
        one = Season(value=season.value - penalty, forbidden=season.forbidden,
                     once=np.zeros_like(season.once), attendance=[att], tables=[season.tables[r]],
                     size_min=season.size_min, size_max=season.size_max)
        out = season_upper_bound(one, time_limit=time_limit, seed=r + 1)
        if verbose:
            print(f"    round {r + 1}: bound {out.bound:.1f} (LP {out.lp:.1f}, "
                  f"{'converged' if out.converged else 'stopped'}, {out.cpu:.0f} s CPU)", flush=True)
        total += out.bound
    return total


def main() -> int:
    from tablee.engine.model import evaluate, parse_problem, score_matrices
    from tablee.engine.season import solve_season

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1-10", help="1-10 or 2,6,10")
    parser.add_argument("--time-limit", type=float, default=300.0,
                        help="CPU seconds of column generation per season (then the exact pricing)")
    parser.add_argument("--start-time", type=float, default=5.0,
                        help="seconds of the season solver whose plan seeds the LP (0: none)")
    parser.add_argument("--box", type=float, default=2.0,
                        help="the duals' box, times the most a person brings to a table")
    parser.add_argument("--ipm", action="store_true",
                        help="interior-point duals without crossover (central duals: less heading-in)")
    parser.add_argument("--primal", action="store_true", help="primal simplex (warm after new columns)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if "-" in args.seeds:
        low, high = (int(x) for x in args.seeds.split("-"))
        seeds = list(range(low, high + 1))
    else:
        seeds = [int(x) for x in args.seeds.split(",")]
    print(f"season upper bounds, column generation {args.time_limit:g} s of CPU, "
          f"start from {args.start_time:g} s of the solver, {os.cpu_count()} CPUs", flush=True)
    options: dict = {}
    if args.ipm:
        options = {"solver": "ipm", "run_crossover": "off"}
    if args.primal:
        options = {"simplex_strategy": 4}
    for seed in seeds:
        problem = realistic_season(seed=seed)
        load = os.getloadavg()[0]
        wall = time.perf_counter()
        baseline = random_matches(problem, samples=20, seed=seed)
        start = None
        found = float("nan")
        if args.start_time > 0:
            parsed = parse_problem(problem)
            scores = score_matrices(parsed)
            result = solve_season(parsed, scores, time_limit=args.start_time, seed=seed)
            start = result.rounds
            found = float(evaluate(parsed, scores, start)["need_offer_matches"])
        out = season_upper_bound(season_data(problem), time_limit=args.time_limit, seed=seed,
                                 start=start, box=args.box, verbose=args.verbose, options=options)
        wall = time.perf_counter() - wall
        print(f"  seed {seed}: bound {out.bound:.1f} = {out.bound / baseline:.3f}x random "
              f"({baseline:.1f}); LP {out.lp:.1f} = {out.lp / baseline:.3f}x; start plan {found:.0f} = "
              f"{found / baseline:.2f}x; {'converged' if out.converged else 'stopped'} after "
              f"{out.iterations} iterations, {out.columns} columns, {out.pair_rows} pair rows, "
              f"{out.cpu:.0f} s CPU, {wall:.0f} s wall, load {load:.1f} -> {os.getloadavg()[0]:.1f}; "
              f"3.5x {'OUT OF REACH' if out.bound < 3.5 * baseline else 'not ruled out'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
