"""Numba kernels of the social golfer solver (see docs/engine_golfers.md).

State of a schedule of W rounds, G groups of S players, n = G·S:
  members[w, g, s]  player in seat s of group g in round w
  grp[w, p]         group of player p in round w
  meet[p, q]        how many rounds p and q share a group (symmetric, zero diagonal)
The cost is Σ_{p<q} max(0, meet[p, q] − 1). Round 0 is fixed (symmetry breaking).

Everything random goes through the engine's one random stream (`_random.py`: xorshift64* in a
one-element array), so a run split into chunks follows the same trajectory as a single call: the
solver is deterministic for a seed and an iteration budget.
"""

import numpy as np
from numba import njit

from tablee.engine._random import randint as _randint

# Indices into the int64 `stats` array that carries the search state between chunks.
IT, COST, BEST, STABLE, RESTARTS = 0, 1, 2, 3, 4
N_STATS = 5


@njit(cache=True)
def _popcount(x: np.uint64) -> int:
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return np.int64((x * np.uint64(0x0101010101010101)) >> np.uint64(56))


@njit(cache=True)
def _add_round(members: np.ndarray, grp: np.ndarray, meet: np.ndarray, w: int) -> None:
    G, S = members.shape[1], members.shape[2]
    for g in range(G):
        for i in range(S):
            p = members[w, g, i]
            grp[w, p] = g
            for j in range(i + 1, S):
                q = members[w, g, j]
                meet[p, q] += 1
                meet[q, p] += 1


@njit(cache=True)
def rebuild(members: np.ndarray, grp: np.ndarray, meet: np.ndarray) -> int:
    """Recompute grp and meet from members; return the cost."""
    meet[:, :] = 0
    for w in range(members.shape[0]):
        _add_round(members, grp, meet, w)
    n = meet.shape[0]
    cost = 0
    for p in range(n):
        for q in range(p + 1, n):
            if meet[p, q] > 1:
                cost += meet[p, q] - 1
    return cost


@njit(cache=True)
def greedy_init(members: np.ndarray, first: int, rng: np.ndarray) -> None:
    """Fill rounds first..W-1 greedily, round after round (after Triska & Musliu),
    given rounds 0..first-1.

    Players are placed two at a time: among unplaced pairs, take the one that
    creates the fewest repeated meetings with the group being filled, then the one
    with the most *freedom* — players still unmet by both — so that later rounds
    are not starved of fresh partners. Ties are broken at random.
    """
    W, G, S = members.shape
    n = G * S
    words = (n + 63) // 64
    met = np.zeros((n, words), dtype=np.uint64)  # met[p] = bitset of players p has met
    for p in range(n):
        met[p, p // 64] |= np.uint64(1) << np.uint64(p % 64)  # a player "has met" itself
    for w in range(first):
        for g in range(G):
            for i in range(S):
                p = members[w, g, i]
                for j in range(S):
                    q = members[w, g, j]
                    met[p, q // 64] |= np.uint64(1) << np.uint64(q % 64)
    placed = np.zeros(n, dtype=np.bool_)
    group = np.empty(S, dtype=np.int64)
    for w in range(first, W):
        placed[:] = False
        for g in range(G):
            k = 0
            while k < S:
                pick_pair = S - k >= 2
                best_conf = 1 << 30
                best_free = -1
                ties = 0
                bx = -1
                by = -1
                for x in range(n):
                    if placed[x]:
                        continue
                    conf_x = 0
                    for t in range(k):
                        z = group[t]
                        if met[x, z // 64] & (np.uint64(1) << np.uint64(z % 64)):
                            conf_x += 1
                    if not pick_pair:
                        free = 0
                        for wd in range(words):
                            free += _popcount(~met[x, wd])
                        if conf_x < best_conf or (conf_x == best_conf and free > best_free):
                            best_conf, best_free, ties, bx = conf_x, free, 1, x
                        elif conf_x == best_conf and free == best_free:
                            ties += 1
                            if _randint(rng, ties) == 0:
                                bx = x
                        continue
                    for y in range(x + 1, n):
                        if placed[y]:
                            continue
                        conf = conf_x
                        if met[x, y // 64] & (np.uint64(1) << np.uint64(y % 64)):
                            conf += 1
                        if conf > best_conf:
                            continue
                        for t in range(k):
                            z = group[t]
                            if met[y, z // 64] & (np.uint64(1) << np.uint64(z % 64)):
                                conf += 1
                        if conf > best_conf:
                            continue
                        free = 0
                        for wd in range(words):
                            free += _popcount(~(met[x, wd] | met[y, wd]))
                        if conf < best_conf or free > best_free:
                            best_conf, best_free, ties, bx, by = conf, free, 1, x, y
                        elif free == best_free:
                            ties += 1
                            if _randint(rng, ties) == 0:
                                bx, by = x, y
                group[k] = bx
                placed[bx] = True
                k += 1
                if pick_pair:
                    group[k] = by
                    placed[by] = True
                    k += 1
            for i in range(S):
                members[w, g, i] = group[i]
        # Record the round's meetings only once it is complete.
        for g in range(G):
            for i in range(S):
                p = members[w, g, i]
                for j in range(S):
                    q = members[w, g, j]
                    met[p, q // 64] |= np.uint64(1) << np.uint64(q % 64)


@njit(cache=True)
def build_index(members, meet, H, out) -> None:
    """H[w, p, g] = members of group g in round w that p has met at least once;
    out[w, p] = members of p's own group in round w that p has met at least twice."""
    W, G, S = members.shape
    n = G * S
    H[:, :, :] = 0
    out[:, :] = 0
    for w in range(W):
        for g in range(G):
            for s in range(S):
                x = members[w, g, s]
                for p in range(n):
                    if meet[p, x] >= 1:
                        H[w, p, g] += 1
                for t in range(S):
                    y = members[w, g, t]
                    if meet[x, y] >= 2:
                        out[w, x] += 1


@njit(cache=True)
def _change_pair(grp, meet, H, out, p, q, step, skip_w) -> None:
    """meet[p, q] += step (±1), keeping H and out in step (round skip_w aside for out)."""
    W = grp.shape[0]
    before = meet[p, q]
    after = before + step
    meet[p, q] = after
    meet[q, p] = after
    if (before == 0) != (after == 0):
        for v in range(W):
            H[v, p, grp[v, q]] += step
            H[v, q, grp[v, p]] += step
    if (before >= 2) != (after >= 2):
        for v in range(W):
            if v != skip_w and grp[v, p] == grp[v, q]:
                out[v, p] += step
                out[v, q] += step


@njit(cache=True)
def swap(members, grp, slot, meet, H, out, w, a, b) -> None:
    """Swap players a and b (different groups) in round w, updating every index."""
    G, S = members.shape[1], members.shape[2]
    n = G * S
    ga = grp[w, a]
    gb = grp[w, b]
    sa = slot[w, a]
    sb = slot[w, b]
    for p in range(n):
        change = (meet[p, b] >= 1) - (meet[p, a] >= 1)
        H[w, p, ga] += change
        H[w, p, gb] -= change
    members[w, ga, sa] = b
    members[w, gb, sb] = a
    grp[w, a] = gb
    grp[w, b] = ga
    slot[w, a] = sb
    slot[w, b] = sa
    for t in range(S):
        if t != sa:
            x = members[w, ga, t]
            _change_pair(grp, meet, H, out, a, x, -1, w)
            _change_pair(grp, meet, H, out, b, x, 1, w)
        if t != sb:
            y = members[w, gb, t]
            _change_pair(grp, meet, H, out, b, y, -1, w)
            _change_pair(grp, meet, H, out, a, y, 1, w)
    for g in (ga, gb):
        for i in range(S):
            x = members[w, g, i]
            c = 0
            for j in range(S):
                if meet[x, members[w, g, j]] >= 2:
                    c += 1
            out[w, x] = c


@njit(cache=True)
def search(
    members: np.ndarray,
    grp: np.ndarray,
    meet: np.ndarray,
    tabu: np.ndarray,
    best_members: np.ndarray,
    stats: np.ndarray,
    rng: np.ndarray,
    iter_end: int,
    lower: int,
    tenure_min: int,
    tenure_span: int,
    max_stable: int,
    kick: int,
) -> None:
    """Tabu search over swaps (Dotú & Van Hentenryck), until iteration iter_end.

    A move swaps two players of different groups within one round, at least one
    of them in conflict (sharing their group with someone already met). The best
    non-tabu move is taken (a tabu move is allowed when it beats the best cost);
    a swap stays tabu for a random tenure. After max_stable iterations without a
    new best, the search goes back to the best schedule and applies `kick`
    random swaps.

    The delta of a swap is O(1): with H and out (see build_index), swapping a
    (group ga) and b (group gb) changes the cost by
    H[w,b,ga] + H[w,a,gb] − 2·[a met b] − out[w,a] − out[w,b].
    """
    W, G, S = members.shape
    n = G * S
    it = stats[IT]
    cost = stats[COST]
    best = stats[BEST]
    stable = stats[STABLE]
    cand_w = np.empty(W * n, dtype=np.int64)
    cand_p = np.empty(W * n, dtype=np.int64)
    slot = np.empty((W, n), dtype=np.int64)
    H = np.empty((W, n, G), dtype=np.int32)
    out = np.empty((W, n), dtype=np.int32)
    for w in range(W):
        for g in range(G):
            for s in range(S):
                slot[w, members[w, g, s]] = s
    build_index(members, meet, H, out)
    while it < iter_end and best > lower:
        nc = 0
        for w in range(1, W):
            for p in range(n):
                if out[w, p] > 0:
                    cand_w[nc] = w
                    cand_p[nc] = p
                    nc += 1
        best_delta = 1 << 30
        ties = 0
        mw = -1
        ma = -1
        mb = -1
        for c in range(nc):
            w = cand_w[c]
            a = cand_p[c]
            ga = grp[w, a]
            base_a = -out[w, a]
            for b in range(n):
                gb = grp[w, b]
                if gb == ga:
                    continue
                if out[w, b] > 0 and b < a:
                    continue  # already evaluated from b's side
                delta = base_a - out[w, b] + H[w, b, ga] + H[w, a, gb]
                if meet[a, b] >= 1:
                    delta -= 2
                if delta > best_delta:
                    continue
                if tabu[w, min(a, b), max(a, b)] > it and cost + delta >= best:
                    continue
                if delta < best_delta:
                    best_delta = delta
                    ties = 1
                    mw, ma, mb = w, a, b
                else:
                    ties += 1
                    if _randint(rng, ties) == 0:
                        mw, ma, mb = w, a, b
        if mw < 0:
            # Every move is tabu: swap a random conflicted player with a random other.
            c = _randint(rng, nc)
            mw = cand_w[c]
            ma = cand_p[c]
            gb = _randint(rng, G - 1)
            if gb >= grp[mw, ma]:
                gb += 1
            mb = members[mw, gb, _randint(rng, S)]
            best_delta = H[mw, mb, grp[mw, ma]] + H[mw, ma, gb] - out[mw, ma] - out[mw, mb]
            if meet[ma, mb] >= 1:
                best_delta -= 2
        swap(members, grp, slot, meet, H, out, mw, ma, mb)
        cost += best_delta
        tabu[mw, min(ma, mb), max(ma, mb)] = it + tenure_min + _randint(rng, tenure_span)
        it += 1
        if cost < best:
            best = cost
            best_members[:, :, :] = members
            stable = 0
        else:
            stable += 1
            if stable > max_stable:
                members[:, :, :] = best_members
                for _ in range(kick):
                    w = 1 + _randint(rng, W - 1)
                    ga = _randint(rng, G)
                    gb = _randint(rng, G - 1)
                    if gb >= ga:
                        gb += 1
                    sa = _randint(rng, S)
                    sb = _randint(rng, S)
                    a = members[w, ga, sa]
                    b = members[w, gb, sb]
                    members[w, ga, sa] = b
                    members[w, gb, sb] = a
                cost = rebuild(members, grp, meet)
                for w in range(W):
                    for g in range(G):
                        for s in range(S):
                            slot[w, members[w, g, s]] = s
                build_index(members, meet, H, out)
                stable = 0
                stats[RESTARTS] += 1
    stats[IT] = it
    stats[COST] = cost
    stats[BEST] = best
    stats[STABLE] = stable
