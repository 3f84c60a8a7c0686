"""Numba kernels of the MDGP solver (see `mdgp.py` for the algorithm and docs/engine_mdgp.md).

State is plain arrays owned by the caller, so the search can run in chunks between time checks and
stay deterministic: a chunk boundary changes nothing, only the number of iterations does. Random
numbers come from the engine's one stream (`_random.py`), independent of numba's global generator.

Gain matrix: W[i, g] = sum of d[i, j] over the elements j of group g. With it a move of i from a to
b is worth W[i, b] - W[i, a], and a swap of i (in a) with j (in b) is worth
W[i, b] - W[i, a] + W[j, a] - W[j, b] - 2 d[i, j]; applying either updates W in O(n).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from tablee.engine._random import rand01 as _rand01
from tablee.engine._random import randint as _randint

# A delta must beat this to count as an improvement: below it, float noise could cycle.
EPS = 1e-9

# Layout of the int64 `counters` array.
C_ITER = 0  # iterations done so far
C_STALL = 1  # maxima-search rounds since its best improved
C_ROUNDS = 2  # maxima searches finished (strong perturbations)
C_IMPROVED_AT = 3  # iteration at which the global best last improved
C_POOL = 4  # elite solutions held in the pool so far
C_POOL_STALL = 5  # walks since the pool last took a solution
C_POOL_RESTARTS = 6  # times the pool was emptied down to its best (`pool_restart`)
N_COUNTERS = 7

# Layout of the float64 `values` array.
V_CUR = 0  # objective of the current solution
V_MS_BEST = 1  # best of the current maxima search
V_BEST = 2  # global best
N_VALUES = 3

# From this many groups on, a swap pass first screens each element over all groups at once.
SCREEN_GROUPS = 16

# Pool slot holding nothing yet.
EMPTY = -np.inf


@njit(cache=True)
def compute_gains(d, assign, n_groups):
    n = assign.shape[0]
    w = np.zeros((n, n_groups))
    for i in range(n):
        for j in range(n):
            w[i, assign[j]] += d[i, j]
    return w


@njit(cache=True)
def objective_of(w, assign):
    total = 0.0
    for i in range(assign.shape[0]):
        total += w[i, assign[i]]
    return 0.5 * total


@njit(cache=True)
def random_assignment(rng, n, lower, upper):
    """A uniformly shuffled feasible assignment: every group filled to its lower bound first."""
    n_groups = lower.shape[0]
    order = np.arange(n)
    for k in range(n - 1, 0, -1):
        r = _randint(rng, k + 1)
        order[k], order[r] = order[r], order[k]
    assign = np.empty(n, dtype=np.int64)
    size = np.zeros(n_groups, dtype=np.int64)
    pos = 0
    for g in range(n_groups):
        for _ in range(lower[g]):
            assign[order[pos]] = g
            pos += 1
        size[g] = lower[g]
    open_groups = np.empty(n_groups, dtype=np.int64)
    while pos < n:
        m = 0
        for g in range(n_groups):
            if size[g] < upper[g]:
                open_groups[m] = g
                m += 1
        g = open_groups[_randint(rng, m)]
        assign[order[pos]] = g
        size[g] += 1
        pos += 1
    return assign, size


@njit(cache=True)
def build_members(assign, n_groups, capacity):
    """members[g, :size[g]] lists group g; pos[i] is i's index in its group's row."""
    n = assign.shape[0]
    members = np.empty((n_groups, capacity), dtype=np.int64)
    size = np.zeros(n_groups, dtype=np.int64)
    pos = np.empty(n, dtype=np.int64)
    for i in range(n):
        g = assign[i]
        members[g, size[g]] = i
        pos[i] = size[g]
        size[g] += 1
    return members, size, pos


@njit(cache=True)
def _apply_move(d, assign, size, members, pos, w, i, b):
    a = assign[i]
    n = assign.shape[0]
    for k in range(n):
        dik = d[i, k]
        w[k, a] -= dik
        w[k, b] += dik
    last = members[a, size[a] - 1]
    members[a, pos[i]] = last
    pos[last] = pos[i]
    members[b, size[b]] = i
    pos[i] = size[b]
    assign[i] = b
    size[a] -= 1
    size[b] += 1


@njit(cache=True)
def _apply_swap(d, assign, members, pos, w, i, j):
    a = assign[i]
    b = assign[j]
    n = assign.shape[0]
    for k in range(n):
        diff = d[j, k] - d[i, k]
        w[k, a] += diff
        w[k, b] -= diff
    members[a, pos[i]] = j
    members[b, pos[j]] = i
    pos[i], pos[j] = pos[j], pos[i]
    assign[i] = b
    assign[j] = a


@njit(cache=True)
def _leave_column(w, members, size, out, g):
    """out[e, g] = max over i in g of (W[i, e] - W[i, g]) for every e; out[g, g] = -inf.
    Two running maxima (even and odd members) halve the chain of dependent max operations."""
    n_groups = size.shape[0]
    m = size[g]
    for e in range(n_groups):
        best0 = -np.inf
        best1 = -np.inf
        t = 0
        while t + 1 < m:
            i0 = np.uint64(members[g, t])  # unsigned: no negative-index wraparound
            i1 = np.uint64(members[g, t + 1])
            gain0 = w[i0, e] - w[i0, g]
            gain1 = w[i1, e] - w[i1, g]
            if gain0 > best0:
                best0 = gain0
            if gain1 > best1:
                best1 = gain1
            t += 2
        if t < m:
            i0 = np.uint64(members[g, t])
            gain0 = w[i0, e] - w[i0, g]
            if gain0 > best0:
                best0 = gain0
        out[e, g] = best0 if best0 > best1 else best1
    out[g, g] = -np.inf


@njit(cache=True)
def _best_leave_gains(members, size, w, out):
    """out[b, a] = max over i in a of (W[i, b] - W[i, a]): the best that leaving a for b can give
    (-inf when a is empty, and on the diagonal, so that one row holds every target of a group)."""
    for a in range(size.shape[0]):
        _leave_column(w, members, size, out, a)


@njit(cache=True)
def _refresh_leave_gains(w, members, size, out, a, b):
    """Bring `out` (see `_best_leave_gains`) up to date after a move or a swap between groups a and b.

    Such a step changes the members of a and b and W's columns a and b, nothing else, so out[e, c]
    can change only when c or e is a or b: rows a and b (over each other group's members) and
    columns a and b (over their own members, every row). Each of these entries is again the
    maximum over the same values as in a full recompute, so the table holds exactly the same
    numbers, in O(n + (|a| + |b|) G) instead of O(nG).
    """
    n_groups = size.shape[0]
    for c in range(n_groups):
        if c != a and c != b:
            best_a = -np.inf
            best_b = -np.inf
            for t in range(size[c]):
                i = np.uint64(members[c, t])  # unsigned: no negative-index wraparound
                wic = w[i, c]
                gain = w[i, a] - wic
                if gain > best_a:
                    best_a = gain
                gain = w[i, b] - wic
                if gain > best_b:
                    best_b = gain
            out[a, c] = best_a
            out[b, c] = best_b
    _leave_column(w, members, size, out, a)
    _leave_column(w, members, size, out, b)


@njit(cache=True)
def _check_leave_gains(members, size, w, out):
    """Raise AssertionError unless `out` equals a full recompute (the `check` mode of the descent)."""
    n_groups = size.shape[0]
    full = np.empty_like(out)
    _best_leave_gains(members, size, w, full)
    for a in range(n_groups):
        for b in range(n_groups):
            if out[a, b] != full[a, b]:
                raise AssertionError("the updated leave-gain table differs from a full recompute")


@njit(cache=True)
def local_search(rng, d, assign, size, members, pos, w, lower, upper, bound, dmin, check=False):
    """Descent over one-moves then swaps until neither improves. Returns the objective gain.
    (`_descent` with the table `bound` computed in full first.)"""
    _best_leave_gains(members, size, w, bound)
    return _descent(rng, d, assign, size, members, pos, w, lower, upper, bound, dmin, check)


@njit(cache=True)
def _descent(rng, d, assign, size, members, pos, w, lower, upper, bound, dmin, check):
    """Descent over one-moves then swaps until neither improves, from a current `bound`.
    Returns the objective gain.

    A swap of i (in a) with j (in b) is worth at most (W[i, b] - W[i, a]) + bound[a, b] - 2 dmin,
    with bound = _best_leave_gains (row a: what leaving each group b for a can give). At a local optimum about 1 % of the (element, group) pairs pass
    this test, so a swap pass costs O(nG) plus a few group scans instead of O(n^2). For a
    promising (i, b) the best j of group b is taken.

    `bound` must be current on entry (`local_search` computes it in full; a weak perturbation keeps
    it current), and is kept up to date after each move or swap by `_refresh_leave_gains` (rows
    and columns of the two groups only). `check=True` compares it
    with a full recompute after every update and raises AssertionError on a difference (tests).
    """
    n = assign.shape[0]
    n_groups = lower.shape[0]
    gain = 0.0
    two_dmin = 2.0 * dmin
    screen = n_groups >= SCREEN_GROUPS
    improved = True
    while improved:
        improved = False
        # One-moves: O(nG) per pass, and the only way group sizes change.
        moved = True
        while moved:
            moved = False
            # No move is possible unless a group can lose an element and one can take it (never
            # with equal bounds): skip the pass, which would change nothing.
            can_leave = can_take = False
            for g in range(n_groups):
                can_leave = can_leave or size[g] > lower[g]
                can_take = can_take or size[g] < upper[g]
            if not (can_leave and can_take):
                break
            for i in range(n):
                a = assign[i]
                if size[a] <= lower[a]:
                    continue
                best_g = -1
                best_delta = EPS
                for g in range(n_groups):
                    if g != a and size[g] < upper[g]:
                        delta = w[i, g] - w[i, a]
                        if delta > best_delta:
                            best_delta = delta
                            best_g = g
                if best_g >= 0:
                    _apply_move(d, assign, size, members, pos, w, i, best_g)
                    _refresh_leave_gains(w, members, size, bound, a, best_g)
                    if check:
                        _check_leave_gains(members, size, w, bound)
                    gain += best_delta
                    moved = True
        # Swaps; back to moves as soon as a pass improved. `bound` is up to date here.
        # A random starting element, so that low indices are not always tried first.
        offset = _randint(rng, n)
        for step in range(n):
            i = step + offset if step + offset < n else step + offset - n
            a = assign[i]
            # Unsigned copies for indexing: no negative-index wraparound in the inner loops.
            ui = np.uint64(i)
            ua = np.uint64(a)
            wia = w[ui, ua]
            if screen:
                # The test below over every group at once, a vector loop (bound[a, a] = -inf
                # fails it): with many groups, most elements have no promising one.
                promising = 0
                for b in range(n_groups):
                    promising += w[ui, b] - wia + bound[ua, b] - two_dmin > EPS
                if promising == 0:
                    continue
            for b in range(n_groups):
                gain_i = w[ui, b] - wia
                if gain_i + bound[ua, b] - two_dmin <= EPS:
                    continue
                best_t = -1
                best_delta = EPS
                for t in range(size[b]):
                    j = np.uint64(members[b, t])
                    delta = gain_i + w[j, ua] - w[j, b] - 2.0 * d[ui, j]
                    if delta > best_delta:
                        best_delta = delta
                        best_t = t
                if best_t >= 0:
                    _apply_swap(d, assign, members, pos, w, i, members[b, best_t])
                    _refresh_leave_gains(w, members, size, bound, a, b)
                    if check:
                        _check_leave_gains(members, size, w, bound)
                    gain += best_delta
                    improved = True
                    break
    return gain


@njit(cache=True)
def perturb(rng, d, assign, size, members, pos, w, lower, upper, strength, move_share=0.5,
            bound=None, tournament=1, tournament_share=1.0):
    """`strength` random moves or swaps, whatever their value: a move (which changes two group
    sizes) with probability `move_share` when the bounds allow it. Returns the objective change.
    With `bound` (current on entry), it stays current (`_refresh_leave_gains` after each step), so
    the descent that follows need not recompute it. `tournament` > 1: each step draws that many
    random moves or swaps and makes the one that loses least; with `tournament_share` < 1, each
    step is such a tournament with that chance, else one random move or swap (one more draw per
    step; none when the share is 1, so the stream is then unchanged)."""
    n = assign.shape[0]
    n_groups = lower.shape[0]
    change = 0.0
    if n_groups < 2:
        return change
    for _ in range(strength):
        best_i = best_j = best_b = -1
        best_delta = -np.inf
        draws = tournament
        if tournament > 1 and tournament_share < 1.0 and _rand01(rng) >= tournament_share:
            draws = 1
        for _draw in range(draws):
            i = _randint(rng, n)
            a = assign[i]
            b = _randint(rng, n_groups - 1)
            if b >= a:
                b += 1
            if size[a] > lower[a] and size[b] < upper[b] and _rand01(rng) < move_share:
                j = -1
                delta = w[i, b] - w[i, a]
            elif size[b] > 0:
                j = members[b, _randint(rng, size[b])]
                delta = w[i, b] - w[i, a] + w[j, a] - w[j, b] - 2.0 * d[i, j]
            else:
                continue
            if delta > best_delta:
                best_delta = delta
                best_i, best_j, best_b = i, j, b
        if best_i < 0:
            continue
        a = assign[best_i]
        change += best_delta
        if best_j < 0:
            _apply_move(d, assign, size, members, pos, w, best_i, best_b)
        else:
            _apply_swap(d, assign, members, pos, w, best_i, best_j)
        if bound is not None:
            _refresh_leave_gains(w, members, size, bound, a, best_b)
    return change


@njit(cache=True)
def _reset(d, source, assign, size, members, pos, w):
    assign[:] = source
    new_members, new_size, new_pos = build_members(assign, size.shape[0], members.shape[1])
    members[:, :] = new_members
    size[:] = new_size
    pos[:] = new_pos
    w[:, :] = compute_gains(d, assign, size.shape[0])


@njit(cache=True)
def _unassigned_pair_sum(d, parent, g, child):
    """Sum of d over the pairs of parent group g whose two elements the child has not placed."""
    n = parent.shape[0]
    total = 0.0
    for i in range(n):
        if parent[i] != g or child[i] >= 0:
            continue
        for j in range(i + 1, n):
            if parent[j] == g and child[j] < 0:
                total += d[i, j]
    return total


@njit(cache=True)
def crossover(rng, d, first, second, lower, upper, child):
    """Group-based crossover: the child takes whole groups from its two parents in turn, each time
    the group (by index, so its size bounds) with the largest sum over its still-free pairs, then
    places what is left greedily (groups below their lower bound first, then the best room), and
    last fills any group still below its lower bound from groups that can spare an element.

    Group g of a parent always goes to group g of the child, so every copied group fits its own
    bounds. Writes the child's assignment into `child`.
    """
    n = first.shape[0]
    n_groups = lower.shape[0]
    child[:] = -1
    taken = np.zeros(n_groups, dtype=np.bool_)
    csize = np.zeros(n_groups, dtype=np.int64)
    wc = np.zeros((n, n_groups))
    turn = _randint(rng, 2)
    for step in range(n_groups):
        parent = first if (step + turn) % 2 == 0 else second
        best_g = -1
        best_q = -np.inf
        for g in range(n_groups):
            if taken[g]:
                continue
            q = _unassigned_pair_sum(d, parent, g, child)
            if q > best_q:
                best_q = q
                best_g = g
        taken[best_g] = True
        for i in range(n):
            if parent[i] == best_g and child[i] < 0 and csize[best_g] < upper[best_g]:
                child[i] = best_g
                csize[best_g] += 1
                for k in range(n):
                    wc[k, best_g] += d[i, k]
    # Elements left over, in random order.
    left = np.empty(n, dtype=np.int64)
    m = 0
    for i in range(n):
        if child[i] < 0:
            left[m] = i
            m += 1
    for t in range(m - 1, 0, -1):
        r = _randint(rng, t + 1)
        left[t], left[r] = left[r], left[t]
    for t in range(m):
        i = left[t]
        # A group below its lower bound takes it first; otherwise the best group with room.
        best_g = -1
        best_v = -np.inf
        short = False
        for g in range(n_groups):
            if csize[g] < lower[g]:
                short = True
                break
        for g in range(n_groups):
            if short and csize[g] >= lower[g]:
                continue
            if csize[g] >= upper[g]:
                continue
            if wc[i, g] > best_v:
                best_v = wc[i, g]
                best_g = g
        child[i] = best_g
        csize[best_g] += 1
        for k in range(n):
            wc[k, best_g] += d[i, k]
    # Copied groups may sit above their lower bound while another stays short with nothing left to
    # place (its elements went with other copied groups): move it the best element of a group that
    # can spare one. The bounds' sums always allow it.
    for g in range(n_groups):
        while csize[g] < lower[g]:
            best_i = -1
            best_v = -np.inf
            for i in range(n):
                h = child[i]
                if h != g and csize[h] > lower[h] and wc[i, g] - wc[i, h] > best_v:
                    best_v = wc[i, g] - wc[i, h]
                    best_i = i
            h = child[best_i]
            child[best_i] = g
            csize[h] -= 1
            csize[g] += 1
            for k in range(n):
                wc[k, h] -= d[best_i, k]
                wc[k, g] += d[best_i, k]


@njit(cache=True)
def _pool_insert(pool, pool_values, counters, candidate, value):
    """Keep `candidate` in the elite pool if it is new and better than the worst held.
    Returns whether it was kept."""
    held = counters[C_POOL]
    for p in range(held):
        if abs(pool_values[p] - value) <= EPS:
            return False
    if held < pool.shape[0]:
        pool[held] = candidate
        pool_values[held] = value
        counters[C_POOL] = held + 1
        return True
    worst = 0
    for p in range(1, held):
        if pool_values[p] < pool_values[worst]:
            worst = p
    if value > pool_values[worst] + EPS:
        pool[worst] = candidate
        pool_values[worst] = value
        return True
    return False


@njit(cache=True)
def _pool_restart(pool, pool_values, counters, keep_best=True):
    """Empty the pool down to its best solution (kept in slot 0), or entirely (`keep_best`
    False), so that the next walks start from fresh groupings again until it is full."""
    held = counters[C_POOL]
    top = 0
    for p in range(1, held):
        if pool_values[p] > pool_values[top]:
            top = p
    if top != 0:
        pool[0] = pool[top]
        pool_values[0] = pool_values[top]
    for p in range(1, held):
        pool_values[p] = EMPTY
    if not keep_best:
        pool_values[0] = EMPTY
    counters[C_POOL] = min(held, 1) if keep_best else 0
    counters[C_POOL_STALL] = 0
    counters[C_POOL_RESTARTS] += 1


@njit(cache=True)
def weak_tournament(tournament, tournament_stall, stall):
    """Draws per weak step after `stall` iterations without a better walk best: `tournament`,
    or 1 (a random step) once `tournament_stall` > 0 of them have passed."""
    if tournament_stall > 0 and stall >= tournament_stall:
        return 1
    return tournament


@njit(cache=True)
def iterated_maxima_search(d, dmin, lower, upper, assign, size, members, pos, w, bound, best,
                           values, counters, rng, n_iterations, alpha, weak_min, weak_max,
                           strong, move_share, pool, pool_values, walk_best, start_sizes,
                           cross_share, check=False, tournament=1, tournament_share=1.0,
                           tournament_stall=0, pool_restart=0, pool_restart_keep=True):
    """Run `n_iterations` iterations of Iterated Maxima Search on the given state.

    One iteration: weak perturbation of the current local optimum (weak_min to weak_max random
    moves or swaps), then descent; the new local optimum is always kept, so the search walks from
    maximum to maximum. After `alpha` iterations without improving the best of this walk, the next
    walk starts from a strong perturbation of the global best. `check`: see `local_search`.
    `tournament`, `tournament_share`: see `perturb` (weak perturbations only; strong ones stay
    random). `tournament_stall` > 0: once the walk's best has not improved for that many
    iterations, its weak steps are random (no tournament) until it improves or the walk ends.
    `pool_restart` > 0: once that many walks in a row have ended without their best entering the
    full pool, the pool is emptied down to its best (`_pool_restart`), and the following walks
    start from fresh groupings until it is full again (0: never). `pool_restart_keep` False:
    the pool is emptied entirely, and from then on the shaken walks start from the pool's best
    rather than the global best (each restart begins an independent search; the global best is
    still kept and returned).
    """
    # `bound` is current from here on: each weak perturbation and descent keeps it so.
    _best_leave_gains(members, size, w, bound)
    for _ in range(n_iterations):
        weak = weak_min + _randint(rng, weak_max - weak_min + 1)
        draws = weak_tournament(tournament, tournament_stall, counters[C_STALL])
        values[V_CUR] += perturb(rng, d, assign, size, members, pos, w, lower, upper, weak,
                                 move_share, bound, draws, tournament_share)
        if check:
            _check_leave_gains(members, size, w, bound)
        values[V_CUR] += _descent(rng, d, assign, size, members, pos, w, lower, upper, bound,
                                  dmin, check)
        counters[C_ITER] += 1
        if values[V_CUR] > values[V_MS_BEST] + EPS:
            values[V_MS_BEST] = values[V_CUR]
            counters[C_STALL] = 0
            if pool.shape[0] > 0:
                walk_best[:] = assign
            if values[V_CUR] > values[V_BEST] + EPS:
                values[V_BEST] = values[V_CUR]
                best[:] = assign
                counters[C_IMPROVED_AT] = counters[C_ITER]
        else:
            counters[C_STALL] += 1
        if counters[C_STALL] >= alpha:
            held = 0
            cross = fill = False
            if pool.shape[0] > 0:
                if _pool_insert(pool, pool_values, counters, walk_best, values[V_MS_BEST]):
                    counters[C_POOL_STALL] = 0
                else:
                    counters[C_POOL_STALL] += 1
                    if pool_restart > 0 and counters[C_POOL_STALL] >= pool_restart:
                        _pool_restart(pool, pool_values, counters, pool_restart_keep)
                held = counters[C_POOL]
                # The first walks start from fresh random groupings until the pool is full; then
                # a walk starts from a crossover of two random elite solutions (cross_share) or,
                # as in IMS, from the shaken best.
                fill = held < pool.shape[0]
                cross = not fill and held >= 2 and _rand01(rng) < cross_share
            if fill:
                fresh, _ = random_assignment(rng, assign.shape[0], start_sizes, start_sizes)
                _reset(d, fresh, assign, size, members, pos, w)
            elif cross:
                p1 = _randint(rng, held)
                p2 = _randint(rng, held - 1)
                if p2 >= p1:
                    p2 += 1
                crossover(rng, d, pool[p1], pool[p2], lower, upper, walk_best)
                _reset(d, walk_best, assign, size, members, pos, w)
            else:
                # Start afresh from the best with an exact W: this also clears float drift. After
                # a restart that emptied the whole pool, the best is the pool's (this epoch's).
                if counters[C_POOL_RESTARTS] > 0 and not pool_restart_keep:
                    top = 0
                    for p in range(1, held):
                        if pool_values[p] > pool_values[top]:
                            top = p
                    _reset(d, pool[top], assign, size, members, pos, w)
                else:
                    _reset(d, best, assign, size, members, pos, w)
                perturb(rng, d, assign, size, members, pos, w, lower, upper, strong, move_share)
            local_search(rng, d, assign, size, members, pos, w, lower, upper, bound, dmin, check)
            values[V_CUR] = objective_of(w, assign)
            if pool.shape[0] > 0:
                walk_best[:] = assign
            values[V_MS_BEST] = values[V_CUR]
            counters[C_STALL] = 0
            counters[C_ROUNDS] += 1
            if values[V_CUR] > values[V_BEST] + EPS:
                values[V_BEST] = values[V_CUR]
                best[:] = assign
                counters[C_IMPROVED_AT] = counters[C_ITER]
