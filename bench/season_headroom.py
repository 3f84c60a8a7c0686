"""Headroom of the season solver (issue 14, session 13): two methods unlike what was tried.

    .venv/bin/python bench/season_headroom.py base --seeds 2,24,1,8 [--cpu 15]
    .venv/bin/python bench/season_headroom.py resolve --seed 2 [--budget 5] [--sweeps 2]
    .venv/bin/python bench/season_headroom.py lagrange --seed 2 [--cpu 600] [--round-budget 1]
    .venv/bin/python bench/season_headroom.py sequential --seed 2 [--polish 15]
    .venv/bin/python bench/season_headroom.py polish --seed 2 --plan FILE [--polish 15]

`base` runs the season solver (`solve_season`, on the CPU clock) and keeps its plan in --cache;
the other commands start from that plan (or run the solver first). Development seasons only
(`synthetic.realistic_season`, 1-10); the held-out seasons 16-25 need --held-out, for a measurement
that nothing is tuned on (the brief of session 13 asked for season 24, the hardest).

**resolve: one round re-optimised with the others fixed.** Round r of a finished plan is an MDGP
over its attendees (K_r groups of size_min..size_max, the freedom the season solver has) with pair
weights d_ij = the season objective's marginal worth of the pair meeting in round r given the
other rounds (`_season_kernels._value`: base - avoid - past - repeat * k + once when k = 0, k the
pair's meetings in the other rounds), a newcomer-pair penalty of `spread` when the newcomers'
spread bounds are 0..1 per table (then a table's penalty is exactly the pairs' for up to two
newcomers, and at least that for more), and -F for a pair that may not meet in r (met in another
round of the plan or in the history, unless a continue pair; avoid). The MDGP kernels
(`_mdgp_kernels`, Iterated Maxima Search with the elite pool, the default MdgpParams) run from the
round as it is (so they can only keep or raise its d-value); the language rule (a person needs
one compatible table-mate) is not pairwise, so violations are repaired afterwards by the best
swap that removes them. The new round is kept when `evaluate`'s objective of the whole plan rises
and every rule the bench checks is kept; the figures printed are `evaluate`'s.

**lagrange: Lagrangian decomposition by rounds.** The rule "a pair meets at most once" is relaxed
with multipliers mu_ij >= 0; each round is then its own MDGP with weights w_ij - mu_ij (w as above
with no other round: base - avoid - past + once, forbidden history and avoid pairs at -F), solved
by the same kernels for --round-budget seconds of CPU from its previous solution. L(mu) = sum of the
rounds' values + sum mu is printed as an ESTIMATE ONLY: the rounds are not solved exactly, so it
is not a valid upper bound. Subgradient: mu_ij += step * (meetings_ij - 1), projected on mu >= 0,
Polyak step theta * (L - best feasible) / |g|^2, theta halved after 5 iterations without a lower L.
Repair of each iteration's union into a season: the rounds are fixed one at a time (each round
re-solved with the pairs of the rounds already fixed forbidden, from its Lagrangian solution, the
other pairs priced w - mu), then one `resolve` sweep; the best feasible season is kept and, at
the end, optionally polished by the season solver's own tabu search started from it (`polish`).

**sequential**: that repair alone at mu = 0 (each round's best grouping alone, then the rounds
fixed in order), then optionally the solver's tabu search from its plan (--polish seconds).
Figures and what they mean: bench/RESULTS.md, "Season, issue 14 session 13".
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from tablee.engine import _mdgp_kernels as mk
from tablee.engine._random import new_stream
from tablee.engine.mdgp import MdgpParams, load_kernels, most_pairs_sizes
from tablee.engine.model import (
    Problem,
    Scores,
    evaluate,
    parse_problem,
    score_matrices,
    spread_bounds,
)
from tablee.engine.synthetic import realistic_season

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_season import random_matches  # noqa: E402

FORBID = 300.0  # -d of a pair that may not meet: above any gain a meeting can enable here
Plan = list[list[list[int]]]


# --------------------------------------------------------------------------- season data

class Season:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.data = realistic_season(seed=seed)
        self.problem: Problem = parse_problem(self.data)
        self.scores: Scores = score_matrices(self.problem)
        p, s = self.problem, self.scores
        assert not any(p.pinned), "pins are not handled here"
        n = p.n
        self.merged = s.base - s.avoid - s.past
        self.cont = np.zeros((n, n), dtype=bool)
        for a, b in p.continue_:
            self.cont[a, b] = self.cont[b, a] = True
        self.fixed_forbid = np.zeros((n, n), dtype=bool)  # history (not continue) or avoid
        self.fixed_forbid |= (s.history_count > 0) & ~self.cont
        for a, b in p.avoid:
            self.fixed_forbid[a, b] = self.fixed_forbid[b, a] = True
        # Newcomer spread as pairs, when every round's bounds are 0..1 per table.
        self.spread_pairs = np.zeros((p.rounds, n, n))
        for a, weight in enumerate(s.attribute_weights):
            tagged = s.attributes[a]
            for r, present in enumerate(p.attendance):
                lo, hi = spread_bounds(int(tagged[present].sum()), p.tables[r])
                if lo == 0 and hi == 1:
                    self.spread_pairs[r] += weight * np.outer(tagged, tagged)
        self.random = random_matches(self.data, samples=20, seed=seed)

    def counts(self, plan: Plan, skip: int = -1) -> np.ndarray:
        n = self.problem.n
        c = np.zeros((n, n), dtype=np.int64)
        for r, tables in enumerate(plan):
            if r == skip:
                continue
            for t in tables:
                idx = np.asarray(t)
                c[np.ix_(idx, idx)] += 1
        np.fill_diagonal(c, 0)
        return c

    def weights(self, r: int, other: np.ndarray | None, mu: np.ndarray | None = None) -> np.ndarray:
        """d over round r's attendees (in attendance order): the worth of the pair meeting in r
        given `other` (meetings in the other rounds; None: none), minus mu, forbidden at -FORBID."""
        att = np.asarray(self.problem.attendance[r])
        ix = np.ix_(att, att)
        s = self.scores
        d = self.merged[ix] + s.once[ix] - self.spread_pairs[r][ix]
        forbid = self.fixed_forbid[ix].copy()
        if other is not None:
            k = other[ix]
            d = d - s.repeat * k - s.once[ix] * (k > 0)
            forbid |= (k > 0) & ~self.cont[ix]
        if mu is not None:
            d = d - mu[ix]
        d = np.where(forbid, -FORBID, np.maximum(d, -FORBID))
        np.fill_diagonal(d, 0.0)
        return np.ascontiguousarray(d)

    def evaluate(self, plan: Plan) -> dict:
        ev = evaluate(self.problem, self.scores, plan)
        meet = ev["meet_satisfied"] / ev["meet_total"] if ev["meet_total"] else 1.0
        ev["rules_ok"] = (ev["repeat_pairs"] == 0 and ev["avoid_violations"] == 0
                          and ev["language_violations"] == 0 and ev["size_violations"] == 0
                          and meet >= 0.9)
        ev["meet_share"] = meet
        ev["ratio"] = ev["need_offer_matches"] / self.random
        return ev


def describe(season: Season, ev: dict) -> str:
    return (f"{ev['need_offer_matches']} matches = {ev['ratio']:.3f}x random ({season.random:.1f}), "
            f"objective {ev['objective']:.1f}, repeats {ev['repeat_pairs']}, avoid {ev['avoid_violations']}, "
            f"language {ev['language_violations']}, sizes {ev['size_violations']}, meet {ev['meet_share']:.0%}, "
            f"spread {ev['spread_penalty']:g}{'' if ev['rules_ok'] else '  [RULE BROKEN]'}")


# --------------------------------------------------------------------------- MDGP from a start

def ims(d: np.ndarray, groups: int, smin: int, smax: int, start: np.ndarray, cpu: float, seed: int,
        params: MdgpParams | None = None) -> tuple[np.ndarray, float, int]:
    """Iterated Maxima Search (the engine's kernels, as `mdgp._solve` drives them) from the
    grouping `start` (group per element) for `cpu` seconds of CPU: (best grouping, value, iterations)."""
    params = params or MdgpParams()
    n = d.shape[0]
    lower = np.full(groups, smin, dtype=np.int64)
    upper = np.full(groups, smax, dtype=np.int64)
    rng = new_stream(seed)
    dmin = float(d[~np.eye(n, dtype=bool)].min())
    start_sizes = most_pairs_sizes(lower, upper, n)
    assign = start.astype(np.int64).copy()
    members, size, pos = mk.build_members(assign, groups, int(min(upper.max(), n)))
    w = mk.compute_gains(d, assign, groups)
    bound = np.empty((groups, groups))
    mk.local_search(rng, d, assign, size, members, pos, w, lower, upper, bound, dmin)
    values = np.full(mk.N_VALUES, mk.objective_of(w, assign))
    counters = np.zeros(mk.N_COUNTERS, dtype=np.int64)
    best = assign.copy()
    pool = np.zeros((params.pool, n), dtype=np.int64)
    pool_values = np.full(params.pool, mk.EMPTY)
    walk_best = assign.copy()
    strong = params.strong if params.strong is not None else max(2, n // 8)
    started = time.process_time()
    chunk = 1
    while time.process_time() - started < cpu:
        t0 = time.process_time()
        mk.iterated_maxima_search(d, dmin, lower, upper, assign, size, members, pos, w, bound,
                                  best, values, counters, rng, chunk, params.alpha,
                                  params.weak_min, params.weak_max, strong, params.move_share,
                                  pool, pool_values, walk_best, start_sizes, params.cross_share,
                                  False, params.tournament, params.tournament_share,
                                  params.tournament_stall, params.pool_restart,
                                  params.pool_restart_keep)
        spent = max(time.process_time() - t0, 1e-6)
        chunk = max(1, int(chunk * min(4.0, 0.02 / spent)))
    return best, grouping_value(d, best), int(counters[mk.C_ITER])


def grouping_value(d: np.ndarray, assign: np.ndarray) -> float:
    same = assign[:, None] == assign[None, :]
    return float((d * same).sum() / 2.0)


def to_assign(season: Season, r: int, tables: list[list[int]]) -> np.ndarray:
    where = {i: a for a, i in enumerate(season.problem.attendance[r])}
    assign = np.empty(len(where), dtype=np.int64)
    for t, table in enumerate(tables):
        for i in table:
            assign[where[i]] = t
    return assign


def to_tables(season: Season, r: int, assign: np.ndarray) -> list[list[int]]:
    att = season.problem.attendance[r]
    tables: list[list[int]] = [[] for _ in range(season.problem.tables[r])]
    for a, t in enumerate(assign):
        tables[int(t)].append(att[a])
    return tables


def language_repair(season: Season, r: int, d: np.ndarray, assign: np.ndarray) -> tuple[np.ndarray, int]:
    """Remove language violations (a person with no compatible table-mate) by the best swaps or
    moves that leave both tables without one; returns the grouping and the violations left."""
    att = np.asarray(season.problem.attendance[r])
    compat = season.scores.compat[np.ix_(att, att)]
    smin, smax = season.problem.size_min, season.problem.size_max
    groups = season.problem.tables[r]
    assign = assign.copy()

    def table_ok(members: np.ndarray) -> bool:
        sub = compat[np.ix_(members, members)]
        return bool(np.all(sub.any(axis=1))) if len(members) > 1 else False

    def violators() -> list[int]:
        out = []
        for g in range(groups):
            m = np.flatnonzero(assign == g)
            sub = compat[np.ix_(m, m)]
            out += [int(x) for x in m[~sub.any(axis=1)]]
        return out

    for _ in range(50):
        bad = violators()
        if not bad:
            return assign, 0
        x = bad[0]
        t = int(assign[x])
        best_gain, best_step = -np.inf, None
        for y in range(len(att)):  # y leaves its table u for t; someone of t (or x) goes to u
            u = int(assign[y])
            if u == t:
                continue
            mt = np.flatnonzero(assign == t)
            mu = np.flatnonzero(assign == u)
            # A move of y to t.
            if len(mt) < smax and len(mu) > smin:
                new_t = np.append(mt, y)
                new_u = mu[mu != y]
                if table_ok(new_t) and table_ok(new_u):
                    gain = d[y, mt].sum() - d[y, new_u].sum()
                    if gain > best_gain:
                        best_gain, best_step = gain, (y, -1)
            for z in mt:  # a swap of y with z
                new_t = np.append(mt[mt != z], y)
                new_u = np.append(mu[mu != y], z)
                if table_ok(new_t) and table_ok(new_u):
                    gain = (d[y, mt[mt != z]].sum() - d[y, mu[mu != y]].sum()
                            + d[z, mu[mu != y]].sum() - d[z, mt[mt != z]].sum())
                    if gain > best_gain:
                        best_gain, best_step = gain, (y, int(z))
        if best_step is None:
            break
        y, z = best_step
        u = int(assign[y])
        assign[y] = t
        if z >= 0:
            assign[z] = u
    return assign, len(violators())


def resolve_round(season: Season, plan: Plan, r: int, cpu: float, seed: int,
                  mu: np.ndarray | None = None, other: np.ndarray | None = None,
                  start: np.ndarray | None = None) -> tuple[list[list[int]], float, float, int]:
    """Round r re-solved with the other rounds of `plan` fixed (or `other` given): the new tables,
    d-value before (of plan's round r, or `start`) and after, IMS iterations."""
    if other is None:
        other = season.counts(plan, skip=r)
    d = season.weights(r, other, mu)
    if start is None:
        start = to_assign(season, r, plan[r])
    before = grouping_value(d, start)
    p = season.problem
    assign, _, iterations = ims(d, p.tables[r], p.size_min, p.size_max, start, cpu, seed)
    assign, _left = language_repair(season, r, d, assign)
    return to_tables(season, r, assign), before, grouping_value(d, assign), iterations


# --------------------------------------------------------------------------- the season solver

def solver_plan(season: Season, cpu: float, seed: int) -> tuple[Plan, float, int]:
    from tablee.engine.season import solve_season

    started = time.process_time()
    result = solve_season(season.problem, season.scores, time_limit=cpu, seed=seed,
                          timer=time.process_time)
    return result.rounds, time.process_time() - started, result.iterations


def polish(season: Season, plan: Plan, cpu: float, seed: int) -> tuple[Plan, int]:
    """The season solver's own search (`solve_season`, default parameters) started from `plan`
    instead of its greedy construction, for `cpu` seconds of CPU: (best plan, iterations). The
    kernel `construct` is swapped, for this call only, for `rebuild` from the given seating."""
    from tablee.engine import _season_kernels as sk
    from tablee.engine.season import solve_season

    p = season.problem
    source = np.full((p.rounds, p.n), -1, dtype=np.int64)
    for r, tables in enumerate(plan):
        for t, table in enumerate(tables):
            source[r, table] = t
    original = sk.construct

    def from_plan(tab, mem, size, pos, att, na, isatt, ntab, C, W, base, once, repeat, compat,  # noqa: ANN001, ANN202
                  LC, LCT, crit, tviol, attr, acnt, pin, smin, rng):
        sk.rebuild(source, tab, mem, size, pos, att, na, isatt, C, W, base, once, repeat, compat,
                   LC, LCT, crit, tviol, attr, acnt)

    sk.construct = from_plan
    try:
        result = solve_season(p, season.scores, time_limit=cpu, seed=seed, timer=time.process_time)
    finally:
        sk.construct = original
    return result.rounds, result.iterations


def cached_plan(season: Season, cache: Path, cpu: float) -> Plan:
    path = cache / f"season{season.seed}_solver_{cpu:g}cpu.json"
    if path.exists():
        return json.loads(path.read_text())
    plan, spent, iterations = solver_plan(season, cpu, season.seed)
    path.write_text(json.dumps(plan))
    print(f"  solver plan: {spent:.1f} s CPU, {iterations} iterations, kept in {path}", flush=True)
    return plan


# --------------------------------------------------------------------------- commands

def cmd_base(args: argparse.Namespace) -> None:
    for seed in parse_seeds(args.seeds, args.held_out):
        season = Season(seed)
        load = os.getloadavg()[0]
        plan = cached_plan(season, args.cache, args.cpu)
        print(f"season {seed} (load {load:.1f}): solver {describe(season, season.evaluate(plan))}", flush=True)


def resolve_sweeps(season: Season, plan: Plan, sweeps: int, budget: float, seed: int,
                   verbose: bool = True) -> tuple[Plan, dict]:
    ev = season.evaluate(plan)
    for sweep in range(sweeps):
        gained = 0
        for r in range(season.problem.rounds):
            tables, before, after, iterations = resolve_round(season, plan, r, budget, seed + 1000 * sweep + r)
            trial = plan[:r] + [tables] + plan[r + 1:]
            ev_new = season.evaluate(trial)
            kept = ev_new["rules_ok"] and ev_new["objective"] > ev["objective"] + 1e-6
            if verbose:
                print(f"    sweep {sweep + 1} round {r + 1}: d {before:.1f} -> {after:.1f} "
                      f"({after - before:+.1f}, {iterations} it.); plan objective "
                      f"{ev['objective']:.1f} -> {ev_new['objective']:.1f}, matches "
                      f"{ev['need_offer_matches']} -> {ev_new['need_offer_matches']}"
                      f"{' kept' if kept else ' not kept'}"
                      f"{'' if ev_new['rules_ok'] else ' (rule broken: ' + describe(season, ev_new) + ')'}",
                      flush=True)
            if kept:
                plan, ev = trial, ev_new
                gained += 1
        if gained == 0:
            break
    return plan, ev


def cmd_resolve(args: argparse.Namespace) -> None:
    load_kernels()
    season = Season(args.seed)
    plan = cached_plan(season, args.cache, args.cpu)
    ev0 = season.evaluate(plan)
    print(f"season {args.seed}, load {os.getloadavg()[0]:.1f}: solver {describe(season, ev0)}", flush=True)
    cpu0 = time.process_time()
    plan, ev = resolve_sweeps(season, plan, args.sweeps, args.budget, args.seed)
    print(f"season {args.seed}: after re-solve ({time.process_time() - cpu0:.0f} s CPU, load "
          f"{os.getloadavg()[0]:.1f}) {describe(season, ev)}; change "
          f"{(ev['need_offer_matches'] / ev0['need_offer_matches'] - 1):+.2%} matches", flush=True)
    if args.save:
        Path(args.save).write_text(json.dumps(plan))


def lagrange_repair(season: Season, sols: list[np.ndarray], mu: np.ndarray, budget: float,
                    seed: int, order: list[int]) -> Plan:
    """Fix the rounds one at a time (in `order`): each re-solved from its Lagrangian grouping with
    the pairs of the rounds already fixed forbidden and the others priced w - mu."""
    p = season.problem
    n = p.n
    fixed = np.zeros((n, n), dtype=np.int64)
    plan: Plan = [[] for _ in range(p.rounds)]
    for r in order:
        d = season.weights(r, fixed, mu)
        assign, _, _ = ims(d, p.tables[r], p.size_min, p.size_max, sols[r], budget, seed + r)
        d_true = season.weights(r, fixed)
        assign, _ = language_repair(season, r, d_true, assign)
        plan[r] = to_tables(season, r, assign)
        for t in plan[r]:
            idx = np.asarray(t)
            fixed[np.ix_(idx, idx)] += 1
        np.fill_diagonal(fixed, 0)
    return plan


def cmd_sequential(args: argparse.Namespace) -> None:
    """The rounds fixed one at a time with no multipliers (the Lagrangian repair at mu = 0): each
    round's best grouping alone (IMS from the solver's round), then re-solved with the pairs of the
    rounds already fixed forbidden; then optionally `resolve` sweeps and the solver's polish."""
    load_kernels()
    season = Season(args.seed)
    p = season.problem
    plan0 = cached_plan(season, args.cache, args.cpu_solver)
    ev0 = season.evaluate(plan0)
    print(f"season {args.seed}, load {os.getloadavg()[0]:.1f}: solver {describe(season, ev0)}", flush=True)
    started = time.process_time()
    sols = []
    for r in range(p.rounds):
        d = season.weights(r, None)
        a, _, _ = ims(d, p.tables[r], p.size_min, p.size_max, to_assign(season, r, plan0[r]),
                      args.round_budget, 31 * r + args.seed)
        sols.append(a)
    mu = np.zeros((p.n, p.n))
    order = list(range(p.rounds))
    plan = lagrange_repair(season, sols, mu, args.repair_budget, args.seed, order)
    ev = season.evaluate(plan)
    print(f"  sequential ({time.process_time() - started:.0f} s CPU): {describe(season, ev)}", flush=True)
    if args.sweeps:
        plan, ev = resolve_sweeps(season, plan, args.sweeps, args.sweep_budget, args.seed, verbose=False)
        print(f"  + re-solve sweeps ({time.process_time() - started:.0f} s CPU): {describe(season, ev)}",
              flush=True)
    if args.polish:
        plan, iterations = polish(season, plan, args.polish, args.seed)
        ev = season.evaluate(plan)
        print(f"  + solver polish {args.polish:g} s CPU ({iterations} it.; {time.process_time() - started:.0f} s "
              f"CPU in all): {describe(season, ev)}", flush=True)
    print(f"season {args.seed}: {ev['need_offer_matches']} vs solver {ev0['need_offer_matches']} "
          f"({ev['need_offer_matches'] / ev0['need_offer_matches'] - 1:+.2%}), load {os.getloadavg()[0]:.1f}",
          flush=True)
    if args.save:
        Path(args.save).write_text(json.dumps(plan))


def cmd_polish(args: argparse.Namespace) -> None:
    """The solver's search from a saved plan (e.g. the best of `lagrange`)."""
    load_kernels()
    season = Season(args.seed)
    plan = json.loads(Path(args.plan).read_text())
    ev = season.evaluate(plan)
    print(f"season {args.seed}, load {os.getloadavg()[0]:.1f}: start {describe(season, ev)}", flush=True)
    plan, iterations = polish(season, plan, args.polish, args.seed)
    ev = season.evaluate(plan)
    print(f"  + solver polish {args.polish:g} s CPU ({iterations} it.): {describe(season, ev)}", flush=True)


def cmd_lagrange(args: argparse.Namespace) -> None:
    load_kernels()
    season = Season(args.seed)
    p = season.problem
    n, R = p.n, p.rounds
    plan0 = cached_plan(season, args.cache, args.cpu_solver)
    ev0 = season.evaluate(plan0)
    print(f"season {args.seed}, load {os.getloadavg()[0]:.1f}: solver {describe(season, ev0)}", flush=True)
    once_pairs = ~season.fixed_forbid & ~season.cont
    np.fill_diagonal(once_pairs, False)
    mu = np.zeros((n, n))
    # Rounds start from the solver's plan (a feasible season: the relaxation's optimum can only be higher).
    sols = [to_assign(season, r, plan0[r]) for r in range(R)]
    best_plan, best_ev = plan0, ev0
    best_feasible = ev0["objective"]
    theta, best_L, since = args.theta, np.inf, 0
    started = time.process_time()
    it = 0
    while time.process_time() - started < args.cpu:
        it += 1
        values = []
        meet = np.zeros((n, n), dtype=np.int64)
        for r in range(R):
            d = season.weights(r, None, mu)
            g = p.tables[r]
            sols[r], v, _ = ims(d, g, p.size_min, p.size_max, sols[r], args.round_budget, 7919 * it + r)
            values.append(v)
            att = np.asarray(p.attendance[r])
            same = sols[r][:, None] == sols[r][None, :]
            np.fill_diagonal(same, False)
            meet[np.ix_(att, att)] += same
        mu_sum = float(np.triu(mu, 1).sum())
        L = sum(values) + mu_sum
        g = np.where(once_pairs, meet - 1, 0)
        g = np.where((mu > 0) | (g > 0), g, 0)  # projected subgradient
        excess = int(np.triu(np.maximum(meet - 1, 0) * once_pairs, 1).sum())
        norm = float((np.triu(g, 1).astype(np.float64) ** 2).sum())
        if best_L - 1e-6 > L:
            best_L, since = L, 0
        else:
            since += 1
            if since >= 5:
                theta, since = theta / 2, 0
        # The union made feasible, every `repair_every` iterations, once per price of the pairs
        # of the rounds not fixed yet (w - price * mu).
        repairs = []
        if it % args.repair_every == 1 % args.repair_every:
            for price in args.repair_prices:
                repaired = lagrange_repair(season, sols, price * mu, args.repair_budget, 104729 * it,
                                           list(range(R)))
                ev_rep = season.evaluate(repaired)
                if args.sweep_budget > 0:
                    repaired, ev_rep = resolve_sweeps(season, repaired, 1, args.sweep_budget,
                                                      15485863 * it, verbose=False)
                improved = ev_rep["rules_ok"] and ev_rep["objective"] > best_ev["objective"] + 1e-6
                if improved:
                    best_plan, best_ev = repaired, ev_rep
                    best_feasible = ev_rep["objective"]
                repairs.append(f"price {price:g}: objective {ev_rep['objective']:.1f}, "
                               f"{ev_rep['need_offer_matches']} matches ({ev_rep['ratio']:.3f}x)"
                               f"{'' if ev_rep['rules_ok'] else ' RULE BROKEN (' + describe(season, ev_rep) + ')'}"
                               f"{' NEW BEST' if improved else ''}")
        # Lagrangian in the same units as the objective of a feasible season (language ignored).
        step = theta * max(L - best_feasible, 1.0) / max(norm, 1.0)
        mu = np.where(once_pairs, np.maximum(0.0, mu + step * np.where(once_pairs, meet - 1, 0)), 0.0)
        mu = np.triu(mu, 1)
        mu = mu + mu.T
        print(f"  it {it:3d} ({time.process_time() - started:5.0f} s CPU, load {os.getloadavg()[0]:.1f}): "
              f"L estimate {L:9.1f} (rounds {sum(values):9.1f} + mu {mu_sum:8.1f}), "
              f"pairs met more than once {excess:4d}, theta {theta:.3g}, step {step:.3g}"
              f"{'; repaired: ' + '; '.join(repairs) if repairs else ''}", flush=True)
    print(f"season {args.seed}: best feasible after {time.process_time() - started:.0f} s CPU: "
          f"{describe(season, best_ev)} (solver: {ev0['need_offer_matches']}, "
          f"{(best_ev['need_offer_matches'] / ev0['need_offer_matches'] - 1):+.2%}); lowest L estimate "
          f"{best_L:.1f} (not a bound)", flush=True)
    if args.save:
        Path(args.save).write_text(json.dumps(best_plan))


def parse_seeds(text: str, held_out: bool = False) -> list[int]:
    if "-" in text:
        low, high = (int(x) for x in text.split("-"))
        seeds = list(range(low, high + 1))
    else:
        seeds = [int(x) for x in text.split(",")]
    if not held_out and any(16 <= s <= 25 for s in seeds):
        raise SystemExit("seasons 16-25 are held out: pass --held-out to measure one (never to tune)")
    return seeds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/season_headroom"))
    parser.add_argument("--held-out", action="store_true",
                        help="allow seasons 16-25 (measurement only: nothing may be tuned on them)")
    sub = parser.add_subparsers(dest="command", required=True)
    base = sub.add_parser("base")
    base.add_argument("--seeds", default="2,24")
    base.add_argument("--cpu", type=float, default=15.0)
    res = sub.add_parser("resolve")
    res.add_argument("--seed", type=int, required=True)
    res.add_argument("--cpu", type=float, default=15.0, help="the solver's CPU seconds (cached plan)")
    res.add_argument("--budget", type=float, default=5.0, help="CPU seconds of IMS per round")
    res.add_argument("--sweeps", type=int, default=2)
    res.add_argument("--save")
    lag = sub.add_parser("lagrange")
    lag.add_argument("--seed", type=int, required=True)
    lag.add_argument("--cpu-solver", type=float, default=15.0)
    lag.add_argument("--cpu", type=float, default=600.0)
    lag.add_argument("--round-budget", type=float, default=1.0)
    lag.add_argument("--repair-budget", type=float, default=1.0)
    lag.add_argument("--sweep-budget", type=float, default=0.0)
    lag.add_argument("--repair-every", type=int, default=1)
    lag.add_argument("--repair-prices", type=lambda t: [float(x) for x in t.split(",")], default=[1.0],
                     help="repair once per price: the unfixed pairs priced w - price * mu")
    lag.add_argument("--theta", type=float, default=1.0)
    lag.add_argument("--save")
    seq = sub.add_parser("sequential")
    seq.add_argument("--seed", type=int, required=True)
    seq.add_argument("--cpu-solver", type=float, default=15.0)
    seq.add_argument("--round-budget", type=float, default=1.0)
    seq.add_argument("--repair-budget", type=float, default=1.0)
    seq.add_argument("--sweeps", type=int, default=0)
    seq.add_argument("--sweep-budget", type=float, default=1.0)
    seq.add_argument("--polish", type=float, default=0.0, help="CPU seconds of the solver from the plan")
    seq.add_argument("--save")
    pol = sub.add_parser("polish")
    pol.add_argument("--seed", type=int, required=True)
    pol.add_argument("--plan", required=True)
    pol.add_argument("--polish", type=float, default=15.0)
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    if getattr(args, "seed", None) is not None:
        parse_seeds(str(args.seed), args.held_out)
    {"base": cmd_base, "resolve": cmd_resolve, "lagrange": cmd_lagrange, "sequential": cmd_sequential,
     "polish": cmd_polish}[args.command](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
