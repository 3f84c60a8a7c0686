"""Numba kernels of the season solver (see `season.py` for the algorithm, docs/engine.md for the model).

All state lives in plain arrays owned by the caller (`season.solve_season`), so the search runs in
chunks between time checks; random numbers come from the engine's one stream (`_random.py`), so a
chunk boundary changes nothing, only the number of iterations does.

Gain matrix: W[r, i, t] = sum over the people j at table t in round r (j != i) of
value(i, j, k), where k = C[i, j] - [i and j share a table in round r] is the number of *other*
rounds of the plan in which i and j meet, and

    value(i, j, k) = base[i, j] - repeat * k + (once[i, j] if k == 0)

is the marginal worth of one more meeting of the pair (`base` here is base - avoid - past of the
model: one matrix read in the hot loop). A move of i from t to u in round r is then worth
W[r, i, u] - W[r, i, t]; a swap of i (at t) with j (at u) is worth
W[r, i, u] - W[r, i, t] + W[r, j, t] - W[r, j, u] - 2 value(i, j, C[i, j]).
Taking i out of a table changes C for its table-mates, which shifts their gains in the other rounds:
`_pair_count_changed` keeps W exact in O(rounds) per pair. The language rule is table-level: with
per-person counters (LC: compatible table-mates, LCT: compatible people per table, crit: table-mates
who would be left with nobody) most moves are proven harmless in O(1); the others are re-counted in
O(size^2) by `_lang_delta`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from tablee.engine._random import randint as _randint

EPS = 1e-9

# int64 counters
K_ITER = 0
K_IMPROVED_AT = 1
K_LAST_PERTURB = 2
K_PERTURBATIONS = 3
K_TRANSFERS_TRIED = 4
K_TRANSFERS = 5
N_COUNTERS = 6
# float64 values
V_CUR = 0
V_BEST = 1
N_VALUES = 2


@njit(cache=True, inline="always")
def _value(base, once, repeat, i, j, k):
    # `base` here is base - avoid - past (merged by the caller); `repeat` is a scalar.
    x = base[i, j] - repeat * k
    if k == 0:
        x += once[i, j]
    return x


@njit(cache=True, inline="always")
def _spread_pen(c, lo, hi):
    p = 0
    if c < lo:
        p += lo - c
    if c > hi:
        p += c - hi
    return p


@njit(cache=True)
def _pair_count_changed(W, tab, isatt, base, once, repeat, i, j, cold, cnew, skip):
    for r2 in range(tab.shape[0]):
        if r2 == skip:
            continue
        ti = tab[r2, i]
        tj = tab[r2, j]
        s = 1 if (ti >= 0 and ti == tj) else 0
        diff = (_value(base, once, repeat, i, j, cnew - s)
                - _value(base, once, repeat, i, j, cold - s))
        if tj >= 0 and isatt[r2, i]:
            W[r2, i, tj] += diff
        if ti >= 0 and isatt[r2, j]:
            W[r2, j, ti] += diff


@njit(cache=True)
def _lang_table(r, t, mem, size, compat, LC, crit, tviol):
    m = size[r, t]
    v = 0
    for a in range(m):
        x = mem[r, t, a]
        c = 0
        for b in range(m):
            if a != b and compat[x, mem[r, t, b]]:
                c += 1
        LC[r, x] = c
        if c == 0:
            v += 1
    for a in range(m):
        x = mem[r, t, a]
        c = 0
        for b in range(m):
            y = mem[r, t, b]
            if a != b and compat[x, y] and LC[r, y] == 1:
                c += 1
        crit[r, x] = c
    tviol[r, t] = v


@njit(cache=True)
def _remove(r, i, tab, mem, size, pos, att, na, isatt, C, W, base, once, repeat,
            compat, LC, LCT, crit, tviol, attr, acnt):
    t = tab[r, i]
    last = size[r, t] - 1
    p = pos[r, i]
    moved = mem[r, t, last]
    mem[r, t, p] = moved
    pos[r, moved] = p
    size[r, t] = last
    tab[r, i] = -1
    pos[r, i] = -1
    for a in range(size[r, t]):
        j = mem[r, t, a]
        cold = C[i, j]
        C[i, j] = cold - 1
        C[j, i] = cold - 1
        _pair_count_changed(W, tab, isatt, base, once, repeat, i, j, cold, cold - 1, r)
    for a in range(na[r]):
        x = att[r, a]
        if x != i:
            W[r, x, t] -= _value(base, once, repeat, x, i, C[x, i])
            if compat[x, i]:
                LCT[r, x, t] -= 1
    for a in range(attr.shape[0]):
        if attr[a, i]:
            acnt[r, a, t] -= 1
    LC[r, i] = 0
    crit[r, i] = 0
    _lang_table(r, t, mem, size, compat, LC, crit, tviol)
    return t


@njit(cache=True)
def _add(r, i, u, tab, mem, size, pos, att, na, isatt, C, W, base, once, repeat,
         compat, LC, LCT, crit, tviol, attr, acnt):
    for a in range(na[r]):
        x = att[r, a]
        if x != i:
            W[r, x, u] += _value(base, once, repeat, x, i, C[x, i])
            if compat[x, i]:
                LCT[r, x, u] += 1
    for a in range(size[r, u]):
        j = mem[r, u, a]
        cold = C[i, j]
        C[i, j] = cold + 1
        C[j, i] = cold + 1
        _pair_count_changed(W, tab, isatt, base, once, repeat, i, j, cold, cold + 1, r)
    m = size[r, u]
    mem[r, u, m] = i
    pos[r, i] = m
    size[r, u] = m + 1
    tab[r, i] = u
    for a in range(attr.shape[0]):
        if attr[a, i]:
            acnt[r, a, u] += 1
    _lang_table(r, u, mem, size, compat, LC, crit, tviol)


@njit(cache=True)
def _viol_of(buf, m, compat):
    v = 0
    for a in range(m):
        x = buf[a]
        ok = False
        for b in range(m):
            if a != b and compat[x, buf[b]]:
                ok = True
                break
        if not ok:
            v += 1
    return v


@njit(cache=True, inline="always")
def _leave_safe(r, i, t, crit, tviol):
    """Nobody at t needs i to have someone to talk to, and nobody at t is already stranded."""
    return crit[r, i] == 0 and tviol[r, t] == 0


@njit(cache=True)
def _lang_delta(r, i, t, j, u, mem, size, compat, tviol, buf):
    """Change in violations when i leaves t for u and j (or -1) leaves u for t."""
    m1 = 0
    for a in range(size[r, t]):
        x = mem[r, t, a]
        if x != i:
            buf[0, m1] = x
            m1 += 1
    if j >= 0:
        buf[0, m1] = j
        m1 += 1
    m2 = 0
    for a in range(size[r, u]):
        x = mem[r, u, a]
        if x != j:
            buf[1, m2] = x
            m2 += 1
    buf[1, m2] = i
    m2 += 1
    return (_viol_of(buf[0], m1, compat) + _viol_of(buf[1], m2, compat)
            - tviol[r, t] - tviol[r, u])


@njit(cache=True)
def _attr_delta(r, i, t, j, u, attr, aw, alo, ahi, acnt):
    d = 0.0
    for a in range(attr.shape[0]):
        gi = 1 if attr[a, i] else 0
        gj = 1 if (j >= 0 and attr[a, j]) else 0
        if gi == gj:
            continue
        ct = acnt[r, a, t]
        cu = acnt[r, a, u]
        nt = ct - gi + gj
        nu = cu + gi - gj
        lo = alo[r, a]
        hi = ahi[r, a]
        d -= aw[a] * (_spread_pen(nt, lo, hi) + _spread_pen(nu, lo, hi)
                      - _spread_pen(ct, lo, hi) - _spread_pen(cu, lo, hi))
    return d


@njit(cache=True)
def _swap_delta(r, i, j, bound, tab, mem, size, C, W, base, once, repeat, compat, LCT,
                crit, tviol, wl, attr, aw, alo, ahi, acnt, buf):
    """Exact worth of swapping i and j; or any value <= bound when it cannot exceed bound."""
    t = tab[r, i]
    u = tab[r, j]
    d = (W[r, i, u] - W[r, i, t] + W[r, j, t] - W[r, j, u]
         - 2.0 * _value(base, once, repeat, i, j, C[i, j]))
    if attr.shape[0] > 0:
        d += _attr_delta(r, i, t, j, u, attr, aw, alo, ahi, acnt)
    if _leave_safe(r, i, t, crit, tviol) and _leave_safe(r, j, u, crit, tviol):
        if d <= bound:  # with no violation now, the language rule can only lower d
            return d
        ci = 1 if compat[i, j] else 0
        if LCT[r, j, t] - ci > 0 and LCT[r, i, u] - ci > 0:
            return d
    return d - wl * _lang_delta(r, i, t, j, u, mem, size, compat, tviol, buf)


@njit(cache=True)
def objective(C, tviol, acnt, base, once, repeat, wl, aw, alo, ahi, ntab):
    n = C.shape[0]
    total = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            c = C[i, j]
            if c > 0:
                total += c * base[i, j] + once[i, j] - repeat * c * (c - 1) / 2.0
    for r in range(ntab.shape[0]):
        for t in range(ntab[r]):
            total -= wl * tviol[r, t]
            for a in range(aw.shape[0]):
                total -= aw[a] * _spread_pen(acnt[r, a, t], alo[r, a], ahi[r, a])
    return total


@njit(cache=True)
def construct(tab, mem, size, pos, att, na, isatt, ntab, C, W, base, once, repeat,
              compat, LC, LCT, crit, tviol, attr, acnt, pin, smin, rng):
    """Greedy: round after round, pinned people first, then each person (in a random order) at
    the open table where they gain most; capacities keep sizes balanced within min..max."""
    R = tab.shape[0]
    for r in range(R):
        T = ntab[r]
        n_r = na[r]
        cap = np.empty(T, dtype=np.int64)
        for t in range(T):
            cap[t] = n_r // T + (1 if t < n_r % T else 0)
        for a in range(n_r):
            i = att[r, a]
            if pin[r, i] >= 0:
                _add(r, i, pin[r, i], tab, mem, size, pos, att, na, isatt, C, W, base, once,
                     repeat, compat, LC, LCT, crit, tviol, attr, acnt)
        for t in range(T):
            if size[r, t] > cap[t]:
                cap[t] = size[r, t]
        order = np.empty(n_r, dtype=np.int64)
        m = 0
        for a in range(n_r):
            if pin[r, att[r, a]] < 0:
                order[m] = att[r, a]
                m += 1
        for a in range(m - 1, 0, -1):
            b = _randint(rng, a + 1)
            tmp = order[a]
            order[a] = order[b]
            order[b] = tmp
        for a in range(m):
            i = order[a]
            deficit = 0
            for t in range(T):
                if size[r, t] < smin:
                    deficit += smin - size[r, t]
            best_t = -1
            best_v = -1e300
            for t in range(T):
                if size[r, t] >= cap[t] or (m - a <= deficit and size[r, t] >= smin):
                    continue
                v = W[r, i, t]
                if size[r, t] > 0 and LCT[r, i, t] == 0:
                    v -= 1e6  # nobody to talk to (so far)
                if v > best_v:
                    best_v = v
                    best_t = t
            _add(r, i, best_t, tab, mem, size, pos, att, na, isatt, C, W, base, once, repeat,
                 compat, LC, LCT, crit, tviol, attr, acnt)


@njit(cache=True)
def search(iters, counters, values, best_tab, tab, mem, size, pos, att, na, isatt, movable, ntab,
           C, W, base, once, repeat, compat, LC, LCT, crit, tviol, wl, attr, aw, alo, ahi,
           acnt, abits, smin, smax, tabu, rng, buf, stall_limit, strength, tenure_min, tenure_span,
           restore, burst, transfer, floor):
    """Tabu search over moves and swaps, one round per iteration in turn, with a pass of meeting
    transfers (`transfer_pass`) every `transfer` iterations; when the best has not improved for
    `stall_limit` iterations, a burst of random swaps, each with a delta of at least `floor` (iterated
    tabu search)."""
    R = tab.shape[0]
    n = tab.shape[1]
    # Per-iteration copies of the round's state, by attendee position: contiguous in the hot loop.
    lt = np.empty(n, dtype=np.int64)
    lmov = np.empty(n, dtype=np.bool_)
    ltabu = np.empty(n, dtype=np.bool_)
    lsafe = np.empty(n, dtype=np.bool_)
    D = np.empty((n, W.shape[2]), dtype=np.float64)
    for _ in range(iters):
        it = counters[K_ITER]
        r = (it // burst) % R
        cur = values[V_CUR]
        best = values[V_BEST]
        bd = -1e300
        bi = -1
        bj = -1
        bu = -1
        ties = 0
        T = ntab[r]
        nr = na[r]
        for a in range(nr):
            i = att[r, a]
            t = tab[r, i]
            lt[a] = t
            lmov[a] = movable[r, i]
            ltabu[a] = tabu[r, i] > it
            lsafe[a] = crit[r, i] == 0 and tviol[r, t] == 0
            own = W[r, i, t]
            for u in range(T):
                D[a, u] = W[r, i, u] - own
        for a in range(nr):
            if not lmov[a]:
                continue
            i = att[r, a]
            t = lt[a]
            i_tabu = ltabu[a]
            if size[r, t] > smin:
                for u in range(T):
                    if u == t or size[r, u] >= smax:
                        continue
                    d = D[a, u]
                    if abits[i] != 0:
                        d += _attr_delta(r, i, t, -1, u, attr, aw, alo, ahi, acnt)
                    # Nobody stranded at t or u and nobody at t needing i: a violation can only
                    # appear (i alone at u), so d is exact when i has someone at u, a bound if not.
                    if not (lsafe[a] and tviol[r, u] == 0 and (LCT[r, i, u] > 0 or d <= bd - EPS)):
                        d -= wl * _lang_delta(r, i, t, -1, u, mem, size, compat, tviol, buf)
                    if d <= bd - EPS or (i_tabu and cur + d <= best + EPS):
                        continue
                    if d > bd + EPS:
                        bd = d
                        bi = i
                        bj = -1
                        bu = u
                        ties = 1
                    else:
                        ties += 1
                        if _randint(rng, ties) == 0:
                            bi = i
                            bj = -1
                            bu = u
            # Swaps, with the delta inlined: this loop is where the time goes.
            for b in range(a + 1, nr):
                u = lt[b]
                if u == t or not lmov[b]:
                    continue
                j = att[r, b]
                k = C[i, j]
                v = base[i, j] - repeat * k
                if k == 0:
                    v += once[i, j]
                d = D[a, u] + D[b, t] - 2.0 * v
                if abits[i] != abits[j]:
                    d += _attr_delta(r, i, t, j, u, attr, aw, alo, ahi, acnt)
                if lsafe[a] and lsafe[b]:
                    if d <= bd - EPS:  # the language rule could only lower it
                        continue
                    ci = 1 if compat[i, j] else 0
                    if LCT[r, j, t] - ci <= 0 or LCT[r, i, u] - ci <= 0:
                        d -= wl * _lang_delta(r, i, t, j, u, mem, size, compat, tviol, buf)
                else:
                    d -= wl * _lang_delta(r, i, t, j, u, mem, size, compat, tviol, buf)
                if d <= bd - EPS or ((i_tabu or ltabu[b]) and cur + d <= best + EPS):
                    continue
                if d > bd + EPS:
                    bd = d
                    bi = i
                    bj = j
                    bu = -1
                    ties = 1
                else:
                    ties += 1
                    if _randint(rng, ties) == 0:
                        bi = i
                        bj = j
                        bu = -1
        if bi >= 0:
            _relocate(r, bi, bu, bj, tab, mem, size, pos, att, na, isatt, C, W, base, once, repeat,
                      compat, LC, LCT, crit, tviol, attr, acnt)
            if bj >= 0:
                tabu[r, bj] = it + tenure_min + _randint(rng, tenure_span + 1)
            tabu[r, bi] = it + tenure_min + _randint(rng, tenure_span + 1)
            values[V_CUR] = cur + bd
            if values[V_CUR] > best + EPS:
                values[V_BEST] = values[V_CUR]
                counters[K_IMPROVED_AT] = it
                best_tab[:, :] = tab
        counters[K_ITER] = it + 1
        if transfer > 0 and it % transfer == transfer - 1:
            # The rounds in turn (the round just searched would always be the same one when
            # `transfer` is a multiple of R).
            transfer_pass((it // transfer) % R, counters, values, tab, mem, size, pos, att, na, isatt, movable, ntab,
                          C, W, base, once, repeat, compat, LC, LCT, crit, tviol, wl, attr, aw,
                          alo, ahi, acnt, smin, smax, buf)
            if values[V_CUR] > values[V_BEST] + EPS:
                values[V_BEST] = values[V_CUR]
                counters[K_IMPROVED_AT] = it
                best_tab[:, :] = tab
        if it - max(counters[K_IMPROVED_AT], counters[K_LAST_PERTURB]) > stall_limit:
            if restore and values[V_CUR] < values[V_BEST] - EPS:
                rebuild(best_tab, tab, mem, size, pos, att, na, isatt, C, W, base, once,
                        repeat, compat, LC, LCT, crit, tviol, attr, acnt)
                values[V_CUR] = values[V_BEST]
            _perturb(values, strength, tab, mem, size, pos, att, na, isatt, movable, C, W, base,
                     once, repeat, compat, LC, LCT, crit, tviol, wl, attr, aw, alo, ahi,
                     acnt, rng, buf, floor)
            counters[K_LAST_PERTURB] = it
            counters[K_PERTURBATIONS] += 1


@njit(cache=True)
def _best_relocation(r, z, tab, mem, size, att, na, movable, ntab, C, W, base, once, repeat,
                     compat, LCT, crit, tviol, wl, attr, aw, alo, ahi, acnt, smin, smax, buf):
    """The best move (to table bu) or swap (with bj) of z in round r: (delta, bu, bj)."""
    t = tab[r, z]
    bd = -1e300
    bu = -1
    bj = -1
    if size[r, t] > smin:
        for u in range(ntab[r]):
            if u == t or size[r, u] >= smax:
                continue
            d = (W[r, z, u] - W[r, z, t] + _attr_delta(r, z, t, -1, u, attr, aw, alo, ahi, acnt)
                 - wl * _lang_delta(r, z, t, -1, u, mem, size, compat, tviol, buf))
            if d > bd + EPS:
                bd = d
                bu = u
                bj = -1
    for a in range(na[r]):
        y = att[r, a]
        if tab[r, y] == t or not movable[r, y]:
            continue
        d = _swap_delta(r, z, y, bd, tab, mem, size, C, W, base, once, repeat, compat, LCT, crit,
                        tviol, wl, attr, aw, alo, ahi, acnt, buf)
        if d > bd + EPS:
            bd = d
            bu = -1
            bj = y
    return bd, bu, bj


@njit(cache=True)
def transfer_pass(r, counters, values, tab, mem, size, pos, att, na, isatt, movable, ntab, C, W,
                  base, once, repeat, compat, LC, LCT, crit, tviol, wl, attr, aw, alo, ahi, acnt,
                  smin, smax, buf):
    """Meeting transfers in round r: i goes to table u (a move, or a swap with someone of u)
    where it would meet x again (x met it in exactly one other round r2, in the plan), a step that
    would pay were it not a repeat; then the best move or swap of i or x in r2 parts them there.
    The pair meets in r instead of r2. Applied when the two steps together improve the plan;
    returns how many were."""
    done = 0
    T = ntab[r]
    for a in range(na[r]):
        i = att[r, a]
        if not movable[r, i]:
            continue
        for u in range(T):
            t = tab[r, i]
            if u == t:
                continue
            d = W[r, i, u] - W[r, i, t]
            if d > -EPS or d < -2.0 * repeat:
                continue
            x = -1
            conflicts = 0
            for q in range(size[r, u]):
                y = mem[r, u, q]
                if C[i, y] > 0:
                    conflicts += 1
                    x = y
            if conflicts != 1 or C[i, x] != 1:
                continue
            # The first step: the move of i to u, or its best swap with someone at u.
            d1 = -1e300
            j1 = -1
            if size[r, t] > smin and size[r, u] < smax:
                d1 = (d + _attr_delta(r, i, t, -1, u, attr, aw, alo, ahi, acnt)
                      - wl * _lang_delta(r, i, t, -1, u, mem, size, compat, tviol, buf))
            for q in range(size[r, u]):
                j = mem[r, u, q]
                if j == x or not movable[r, j]:
                    continue
                dj = _swap_delta(r, i, j, d1, tab, mem, size, C, W, base, once, repeat, compat,
                                 LCT, crit, tviol, wl, attr, aw, alo, ahi, acnt, buf)
                if dj > d1 + EPS:
                    d1 = dj
                    j1 = j
            if d1 + repeat + once[i, x] <= EPS:
                continue
            r2 = -1
            for q in range(tab.shape[0]):
                if q != r and tab[q, i] >= 0 and tab[q, i] == tab[q, x]:
                    r2 = q
            if r2 < 0:
                continue
            counters[K_TRANSFERS_TRIED] += 1
            _relocate(r, i, u, j1, tab, mem, size, pos, att, na, isatt, C, W, base, once, repeat,
                      compat, LC, LCT, crit, tviol, attr, acnt)
            bd = -1e300
            bz = -1
            bu = -1
            bj = -1
            for z in (i, x):
                if not movable[r2, z]:
                    continue
                d2, u2, j2 = _best_relocation(r2, z, tab, mem, size, att, na, movable, ntab, C, W,
                                              base, once, repeat, compat, LCT, crit, tviol, wl,
                                              attr, aw, alo, ahi, acnt, smin, smax, buf)
                if d2 > bd:
                    bd = d2
                    bz = z
                    bu = u2
                    bj = j2
            if bz >= 0 and d1 + bd > EPS:
                _relocate(r2, bz, bu, bj, tab, mem, size, pos, att, na, isatt, C, W, base, once,
                          repeat, compat, LC, LCT, crit, tviol, attr, acnt)
                values[V_CUR] += d1 + bd
                counters[K_TRANSFERS] += 1
                done += 1
            else:  # undone: i back to t (a swap undoes itself)
                _relocate(r, i, t, j1, tab, mem, size, pos, att, na, isatt, C, W, base, once, repeat,
                          compat, LC, LCT, crit, tviol, attr, acnt)
    return done


@njit(cache=True)
def _swap(r, i, j, tab, mem, size, pos, att, na, isatt, C, W, base, once, repeat, compat,
          LC, LCT, crit, tviol, attr, acnt):
    t = _remove(r, i, tab, mem, size, pos, att, na, isatt, C, W, base, once, repeat,
                compat, LC, LCT, crit, tviol, attr, acnt)
    u = _remove(r, j, tab, mem, size, pos, att, na, isatt, C, W, base, once, repeat,
                compat, LC, LCT, crit, tviol, attr, acnt)
    _add(r, i, u, tab, mem, size, pos, att, na, isatt, C, W, base, once, repeat, compat,
         LC, LCT, crit, tviol, attr, acnt)
    _add(r, j, t, tab, mem, size, pos, att, na, isatt, C, W, base, once, repeat, compat,
         LC, LCT, crit, tviol, attr, acnt)


@njit(cache=True)
def _relocate(r, z, u, j, tab, mem, size, pos, att, na, isatt, C, W, base, once, repeat, compat,
              LC, LCT, crit, tviol, attr, acnt):
    """One step of the search in round r: z moves to table u (j < 0), or z and j swap tables."""
    if j < 0:
        _remove(r, z, tab, mem, size, pos, att, na, isatt, C, W, base, once, repeat,
                compat, LC, LCT, crit, tviol, attr, acnt)
        _add(r, z, u, tab, mem, size, pos, att, na, isatt, C, W, base, once, repeat,
             compat, LC, LCT, crit, tviol, attr, acnt)
    else:
        _swap(r, z, j, tab, mem, size, pos, att, na, isatt, C, W, base, once, repeat,
              compat, LC, LCT, crit, tviol, attr, acnt)


@njit(cache=True)
def _perturb(values, strength, tab, mem, size, pos, att, na, isatt, movable, C, W, base, once,
             repeat, compat, LC, LCT, crit, tviol, wl, attr, aw, alo, ahi, acnt, rng, buf, floor):
    """`strength` random swaps, each redrawn (up to 64 times) until it costs at most -floor
    (with floor well above -repeat, it seats no pair twice and breaks no rule, barring a gain)."""
    R = tab.shape[0]
    for _ in range(strength):
        found = False
        for _try in range(64):
            r = _randint(rng, R)
            if na[r] < 2:
                continue
            i = att[r, _randint(rng, na[r])]
            j = att[r, _randint(rng, na[r])]
            if i == j or not movable[r, i] or not movable[r, j] or tab[r, i] == tab[r, j]:
                continue
            d = _swap_delta(r, i, j, -1e300, tab, mem, size, C, W, base, once, repeat, compat,
                            LCT, crit, tviol, wl, attr, aw, alo, ahi, acnt, buf)
            if d >= floor:
                found = True
                break
        if not found:
            continue
        _swap(r, i, j, tab, mem, size, pos, att, na, isatt, C, W, base, once, repeat,
              compat, LC, LCT, crit, tviol, attr, acnt)
        values[V_CUR] += d


@njit(cache=True)
def rebuild(source, tab, mem, size, pos, att, na, isatt, C, W, base, once, repeat, compat,
            LC, LCT, crit, tviol, attr, acnt):
    """Reset the whole state to the seating `source` (rounds x people, -1 when absent)."""
    tab[:, :] = -1
    size[:, :] = 0
    pos[:, :] = -1
    C[:, :] = 0
    W[:, :, :] = 0.0
    LC[:, :] = 0
    LCT[:, :, :] = 0
    crit[:, :] = 0
    tviol[:, :] = 0
    acnt[:, :, :] = 0
    for r in range(tab.shape[0]):
        for a in range(na[r]):
            i = att[r, a]
            _add(r, i, source[r, i], tab, mem, size, pos, att, na, isatt, C, W, base, once,
                 repeat, compat, LC, LCT, crit, tviol, attr, acnt)
