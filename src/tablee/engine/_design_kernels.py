"""Numba kernels of the design searches of `designs.py`.

`base_round_search`: the cyclic family.

Points: p < L·m is (x, i) = (p mod m, p // m), "x on level i" with x in the cyclic group Z_m;
p ≥ L·m is a fixed point ∞_k (k = p − L·m). Round t of the developed schedule maps (x, i) to
(x + t mod m, i) and keeps every ∞ in place. A pair's *orbit* under this translation is its key:

  key 0                     forbidden (two fixed points, or a pure difference m/2: its orbit is
                            short, so the pair would meet twice in m rounds)
  1 + k·L + i               ∞_k with level i
  pure  + i·(m//2+1) + d    two points of level i at distance d = min(δ, m − δ)
  mixed + (i, j)·m + δ      (x, i) and (x + δ, j), i < j

The developed m rounds have no repeat iff every key other than 0 is used at most once by the
base round and key 0 never. The search is a tabu search on base rounds (swap two points of two
blocks), cost = Σ over keys of the uses beyond their capacity.

`rotational_dfs`: the 1-rotational family over Z_(n−1) ∪ {∞} (see its docstring).

`orbit_dfs`: the round-orbit family over Z_m × levels (no fixed point), whose rounds come in orbits
of prescribed lengths h | m (see its docstring).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from tablee.engine._random import randint


@njit(cache=True)
def pair_key(p, q, m, levels, n_fixed):
    lm = levels * m
    if p >= lm and q >= lm:
        return 0
    if q >= lm:
        p, q = q, p
    if p >= lm:
        return 1 + (p - lm) * levels + q // m
    i, j = p // m, q // m
    x, y = p % m, q % m
    pure = 1 + n_fixed * levels
    if i == j:
        d = (y - x) % m
        if m - d < d:
            d = m - d
        if 2 * d == m:
            return 0
        return pure + i * (m // 2 + 1) + d
    if i > j:
        i, j, x, y = j, i, y, x
    mixed = pure + levels * (m // 2 + 1)
    pair_index = i * levels - i * (i + 1) // 2 + (j - i - 1)
    return mixed + pair_index * m + (y - x) % m


def n_keys(m: int, levels: int, n_fixed: int) -> int:
    return 1 + n_fixed * levels + levels * (m // 2 + 1) + levels * (levels - 1) // 2 * m


@njit(cache=True)
def _change(block, S, p, skip, step, keys, count):
    """Add (step=1) or remove (step=−1) the pairs of p with the members of `block` except slot
    `skip`; returns the cost change."""
    delta = 0
    for s in range(S):
        if s == skip:
            continue
        k = keys[p, block[s]]
        c = count[k]
        if k == 0:
            delta += step
        elif step > 0:
            delta += 1 if c >= 1 else 0
        else:
            delta -= 1 if c >= 2 else 0
        count[k] = c + step
    return delta


@njit(cache=True)
def base_round_search(blocks, per_round, keys, n_keys_, rng, max_iterations, tenure):
    """Tabu search from `blocks` (b·G×S: b base rounds of `per_round` = G blocks, modified in
    place; a swap stays inside one base round). Returns (cost, iterations); stops at cost 0 or
    after max_iterations."""
    G, S = blocks.shape
    n = G * S
    count = np.zeros(n_keys_, dtype=np.int64)
    cost = 0
    for g in range(G):
        for a in range(S):
            for b in range(a + 1, S):
                k = keys[blocks[g, a], blocks[g, b]]
                if k == 0 or count[k] >= 1:
                    cost += 1
                count[k] += 1
    best_cost = cost
    best = blocks.copy()
    tabu = np.zeros(n, dtype=np.int64)
    it = 0
    stable = 0
    while cost > 0 and it < max_iterations:
        it += 1
        best_delta = 1 << 30
        n_best = 0
        bg1 = bs1 = bg2 = bs2 = -1
        for g1 in range(G):
            for s1 in range(S):
                p = blocks[g1, s1]
                # Only moves that touch a point in conflict can lower the cost.
                conflicted = False
                for s in range(S):
                    if s != s1:
                        k = keys[p, blocks[g1, s]]
                        if k == 0 or count[k] > 1:
                            conflicted = True
                            break
                if not conflicted:
                    continue
                r0 = (g1 // per_round) * per_round
                for g2 in range(r0, r0 + per_round):
                    if g2 == g1:
                        continue
                    for s2 in range(S):
                        q = blocks[g2, s2]
                        d = _change(blocks[g1], S, p, s1, -1, keys, count)
                        d += _change(blocks[g2], S, q, s2, -1, keys, count)
                        blocks[g1, s1] = q
                        blocks[g2, s2] = p
                        d += _change(blocks[g1], S, q, s1, 1, keys, count)
                        d += _change(blocks[g2], S, p, s2, 1, keys, count)
                        # undo
                        _change(blocks[g1], S, q, s1, -1, keys, count)
                        _change(blocks[g2], S, p, s2, -1, keys, count)
                        blocks[g1, s1] = p
                        blocks[g2, s2] = q
                        _change(blocks[g1], S, p, s1, 1, keys, count)
                        _change(blocks[g2], S, q, s2, 1, keys, count)
                        allowed = (tabu[p] <= it and tabu[q] <= it) or cost + d < best_cost
                        if not allowed:
                            continue
                        if d < best_delta:
                            best_delta = d
                            n_best = 1
                            bg1, bs1, bg2, bs2 = g1, s1, g2, s2
                        elif d == best_delta:
                            n_best += 1
                            if randint(rng, n_best) == 0:
                                bg1, bs1, bg2, bs2 = g1, s1, g2, s2
        if n_best == 0:
            continue
        p = blocks[bg1, bs1]
        q = blocks[bg2, bs2]
        d = _change(blocks[bg1], S, p, bs1, -1, keys, count)
        d += _change(blocks[bg2], S, q, bs2, -1, keys, count)
        blocks[bg1, bs1] = q
        blocks[bg2, bs2] = p
        d += _change(blocks[bg1], S, q, bs1, 1, keys, count)
        d += _change(blocks[bg2], S, p, bs2, 1, keys, count)
        cost += d
        tabu[p] = it + tenure + randint(rng, tenure + 1)
        tabu[q] = it + tenure + randint(rng, tenure + 1)
        if cost < best_cost:
            best_cost = cost
            best[:] = blocks
            stable = 0
        else:
            stable += 1
        if stable > 2000:
            # Restart from the best base round, shaken by a few random swaps.
            stable = 0
            for g in range(G):
                for s in range(S):
                    blocks[g, s] = best[g, s]
            count[:] = 0
            for _ in range(G):
                g1 = randint(rng, G)
                r0 = (g1 // per_round) * per_round
                g2 = r0 + randint(rng, per_round - 1)
                if g2 >= g1:
                    g2 += 1
                s1 = randint(rng, S)
                s2 = randint(rng, S)
                p = blocks[g1, s1]
                blocks[g1, s1] = blocks[g2, s2]
                blocks[g2, s2] = p
            cost = 0
            for g in range(G):
                for a in range(S):
                    for b in range(a + 1, S):
                        k = keys[blocks[g, a], blocks[g, b]]
                        if k == 0 or count[k] >= 1:
                            cost += 1
                        count[k] += 1
    if cost > best_cost:
        blocks[:] = best
        cost = best_cost
    return cost, it


@njit(cache=True)
def rotational_dfs(N, W, S, n_blocks, order, node_limit, out):
    """Base blocks B_1..B_r ⊂ Z_N for the 1-rotational family of `designs.rotational_rounds`:
    their differences cover Z_N minus the subgroup H = ⟨W⟩ exactly once, and they meet each coset
    of H other than H itself exactly once. Each block starts with the smallest free coset
    representative; later points follow `order` with increasing values. Returns 1 (blocks in
    `out`, r×S), 0 (none exists) or −1 (node limit).
    """
    used = np.zeros(N, dtype=np.bool_)
    for h in range(0, N, W):
        used[h] = True
    coset = np.zeros(W, dtype=np.bool_)
    coset[0] = True
    total = n_blocks * S
    seq = np.zeros(total, dtype=np.int64)
    cursor = np.zeros(total, dtype=np.int64)
    L = order.shape[0]
    pos = 0
    forward = True
    nodes = 0
    while True:
        if pos == total:
            for q in range(total):
                out[q // S, q % S] = seq[q]
            return 1
        if pos < 0:
            return 0
        nodes += 1
        if nodes > node_limit:
            return -1
        s = pos % S
        if s == 0:
            if forward:
                c = 0
                while coset[c]:
                    c += 1
                seq[pos] = c
                coset[c] = True
                pos += 1
            else:
                coset[seq[pos]] = False
                pos -= 1
            continue
        start = pos - s
        if forward:
            cursor[pos] = -1
        else:
            y = seq[pos]
            coset[y % W] = False
            for t in range(start, pos):
                used[(y - seq[t]) % N] = False
                used[(seq[t] - y) % N] = False
        found = False
        r = cursor[pos] + 1
        while r < L:
            y = order[r]
            r += 1
            if coset[y % W] or (s > 1 and y <= seq[pos - 1]):
                continue
            ok = True
            t = start
            while t < pos:
                d1 = (y - seq[t]) % N
                d2 = (seq[t] - y) % N
                if used[d1] or used[d2] or d1 == d2:
                    ok = False
                    break
                used[d1] = True
                used[d2] = True
                t += 1
            if not ok:
                for u in range(start, t):
                    used[(y - seq[u]) % N] = False
                    used[(seq[u] - y) % N] = False
                continue
            cursor[pos] = r - 1
            seq[pos] = y
            coset[y % W] = True
            found = True
            break
        if found:
            pos += 1
            forward = True
        else:
            pos -= 1
            forward = False


@njit(cache=True)
def orbit_dfs(
    m,
    L,
    S,
    hs,
    nblocks,
    preplaced,
    free_from,
    swap_orbits,
    keys,
    used0,
    lift_order,
    node_limit,
    out,
):
    """Representative blocks for the round-orbit family of `designs.orbit_rounds`.

    Points p = i·m + x (x ∈ Z_m on level i < L). Round orbit r has length h = hs[r] (h | m): its
    base round is invariant under the subgroup H = ⟨h⟩ of Z_m and is made of the H-translates of
    nblocks[r] representative blocks, each meeting every H-orbit of points ("class" (i, x mod h))
    at most once, together every class not in `preplaced[r]` (classes another block of the round
    holds, e.g. with a fixed point) once; the developed rounds are base round + t, t < h. Every translate of a
    representative block then appears once in the schedule, so there is no repeat iff the pairs of
    all representative blocks have distinct keys (`pair_key`, fixed = 0), none of them 0 (short
    orbit) nor already used in `used0`.

    Depth-first, one point at a time, orbit after orbit in the order of `hs`: a block starts at
    the smallest free class, on its point of level i with x = class mod h (H-translates make it
    so), its other points follow in increasing class order, any lift x + j·h (j in the order of
    `lift_order[r, :m/h]`, a permutation). Symmetry breaking: a point entering a level no point has
    entered yet is at x = 0 (each level can be translated on its own); the levels from `free_from`
    on are interchangeable, so a point entering one of them enters the next; when `swap_orbits`
    (orbits of one length interchangeable), the first block of the later of two orbits of one
    length has the larger (or same) second point. The last block of a round holds all the free
    classes: they are taken in any order, the one with the fewest possible lifts first. Exact:
    returns 1
    (blocks in `out`, one row per representative block, orbit after orbit), 0 (none exists) or
    −1 (more than `node_limit` nodes).
    """
    R = hs.shape[0]
    total = 0
    for r in range(R):
        total += nblocks[r] * S
    rnd = np.empty(total, dtype=np.int64)
    first = np.empty(R, dtype=np.int64)  # position of each orbit's first point
    q = 0
    for r in range(R):
        first[r] = q
        for _ in range(nblocks[r] * S):
            rnd[q] = r
            q += 1
    used = used0.copy()
    used[0] = True
    placed = preplaced.copy()
    seq = np.zeros(total, dtype=np.int64)  # chosen candidate index: class · lifts + lift
    pts = np.zeros(total, dtype=np.int64)  # the point itself
    cursor = np.zeros(total, dtype=np.int64)
    # The class a position is restricted to (−1: any, in increasing order), and the classes of
    # each orbit not holding a point yet.
    pick = np.full(total, -1, dtype=np.int64)
    free = np.zeros(R, dtype=np.int64)
    for r in range(R):
        for c in range(L * hs[r]):
            if not placed[r, c]:
                free[r] += 1
    pos = 0
    # How many points each level holds; how many of the interchangeable levels hold some.
    touched = np.zeros(L, dtype=np.int64)
    entered = 0
    forward = True
    nodes = 0
    while True:
        if pos == total:
            for i in range(total):
                out[i // S, i % S] = pts[i]
            return 1
        if pos < 0:
            return 0
        nodes += 1
        if nodes > node_limit:
            return -1
        r = rnd[pos]
        h = hs[r]
        lifts = m // h
        s = pos % S
        if s == 0:
            if forward:
                c = 0
                while placed[r, c]:
                    c += 1
                seq[pos] = c * lifts
                pts[pos] = (c // h) * m + (c % h)
                placed[r, c] = True
                free[r] -= 1
                touched[c // h] += 1
                if touched[c // h] == 1 and c // h >= free_from:
                    entered += 1
                pos += 1
            else:
                placed[r, seq[pos] // lifts] = False
                free[r] += 1
                touched[pts[pos] // m] -= 1
                if touched[pts[pos] // m] == 0 and pts[pos] // m >= free_from:
                    entered -= 1
                pos -= 1
            continue
        start = pos - s
        if forward:
            pick[pos] = -1
            if free[r] == S - s:
                # The last block of its round: its classes are all the free ones, in any order.
                # Take the smallest on a level no point has entered yet (the symmetry rule below
                # wants it), or the one whose free class comes first when two orbits of one length
                # are compared, else the one with the fewest possible lifts.
                fewest = lifts + 1
                for c in range(L * h):
                    if placed[r, c]:
                        continue
                    if touched[c // h] == 0 or (swap_orbits and pos == first[r] + 1):
                        pick[pos] = c
                        fewest = 1
                        break
                    count = 0
                    for j in range(lifts):
                        y = (c // h) * m + c % h + j * h
                        t = start
                        while t < pos and not used[keys[pts[t], y]]:
                            t += 1
                        if t == pos:
                            count += 1
                    if count < fewest:
                        fewest = count
                        pick[pos] = c
                if fewest == 0:
                    pos -= 1
                    forward = False
                    continue
                cursor[pos] = pick[pos] * lifts
            else:
                cursor[pos] = (seq[pos - 1] // lifts + 1) * lifts
        else:
            y = pts[pos]
            placed[r, seq[pos] // lifts] = False
            free[r] += 1
            touched[y // m] -= 1
            if touched[y // m] == 0 and y // m >= free_from:
                entered -= 1
            for t in range(start, pos):
                used[keys[pts[t], y]] = False
            cursor[pos] = seq[pos] + 1
        found = False
        idx = cursor[pos]
        limit = L * h * lifts if pick[pos] < 0 else (pick[pos] + 1) * lifts
        while idx < limit:
            c = idx // lifts
            if placed[r, c]:
                idx += lifts - idx % lifts
                continue
            y = (c // h) * m + c % h + lift_order[r, idx % lifts] * h
            if touched[y // m] == 0 and (
                y % m or (y // m >= free_from and y // m != free_from + entered)
            ):
                # Symmetry: a new level is entered at x = 0; an interchangeable one, in order.
                idx += 1
                continue
            if (
                swap_orbits
                and pos == first[r] + 1
                and r > 0
                and hs[r - 1] == h
                and y < pts[first[r - 1] + 1]
            ):
                # Symmetry: two orbits of one length are interchangeable; their first blocks'
                # second points come in order.
                idx += 1
                continue
            ok = True
            t = start
            while t < pos:
                k = keys[pts[t], y]
                if used[k]:
                    ok = False
                    break
                used[k] = True
                t += 1
            if not ok:
                for u in range(start, t):
                    used[keys[pts[u], y]] = False
                idx += 1
                continue
            seq[pos] = idx
            pts[pos] = y
            placed[r, c] = True
            free[r] -= 1
            touched[y // m] += 1
            if touched[y // m] == 1 and y // m >= free_from:
                entered += 1
            found = True
            break
        if found:
            pos += 1
            forward = True
        else:
            pos -= 1
            forward = False
