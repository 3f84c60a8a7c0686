"""The MDGP solver: instance files, known optima, feasibility, determinism, the clock."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tablee.engine import _mdgp_kernels as k
from tablee.engine import mdgp
from tablee.engine.mdgp import (
    MdgpInstance,
    MdgpParams,
    most_pairs_sizes,
    objective,
    read_instance,
    solve_mdgp,
)

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module", autouse=True)
def _compiled() -> None:
    """Compile (or load from cache) the kernels once, so timing tests measure the search only."""
    solve_mdgp(_random_instance(np.random.default_rng(0), 6, [2, 2, 2], [2, 2, 2]),
               time_limit=60, seed=0, max_iterations=2)


def _random_instance(rng: np.random.Generator, n: int, lower: list[int], upper: list[int],
                     integer: bool = False) -> MdgpInstance:
    d = rng.integers(0, 100, size=(n, n)).astype(float) if integer else rng.uniform(0, 100, (n, n))
    d = np.triu(d, 1)
    return MdgpInstance(n=n, lower=np.array(lower), upper=np.array(upper), d=d + d.T)


def _brute_force(instance: MdgpInstance) -> float:
    n, n_groups = instance.n, instance.lower.size
    assigns = np.array(list(itertools.product(range(n_groups), repeat=n)))
    sizes = np.stack([(assigns == g).sum(axis=1) for g in range(n_groups)], axis=1)
    feasible = np.all((sizes >= instance.lower) & (sizes <= instance.upper), axis=1)
    assigns = assigns[feasible]
    values = np.zeros(len(assigns))
    for i, j in itertools.combinations(range(n), 2):
        values += instance.d[i, j] * (assigns[:, i] == assigns[:, j])
    return float(values.max())


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "instance.txt"
    path.write_text(text)
    return path


# --- reading instance files -------------------------------------------------------------------

def test_read_instance_reads_bounds_and_a_symmetric_matrix() -> None:
    instance = read_instance(DATA / "RanInt_n012_ss_03.txt")
    assert instance.n == 12
    assert instance.lower.tolist() == [3, 3, 3, 3]
    assert instance.upper.tolist() == [3, 3, 3, 3]
    assert instance.d[0, 2] == instance.d[2, 0] == 70
    assert instance.d[10, 11] == 10
    assert np.all(np.diag(instance.d) == 0)


GOOD_HEADER = "3 2 ds 1 2 1 2\n"
GOOD_PAIRS = "0 1 1.5\n0 2 2\n1 2 3\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file"),
        ("3 2\n" + GOOD_PAIRS, "expected `N G ss|ds"),
        ("3 two ds 1 2 1 2\n" + GOOD_PAIRS, "must be integers"),
        ("3 2 xx 1 2 1 2\n" + GOOD_PAIRS, "`ss` or `ds`"),
        ("3 2 ds 1 2 1\n" + GOOD_PAIRS, "expected 4 bounds"),
        (GOOD_HEADER + "0 1 1.5\n0 2 2\n", "expected 3 lines"),
        (GOOD_HEADER + "0 1 1.5\n0 2 2\n1 2\n", "expected `i j d_ij`"),
        (GOOD_HEADER + "0 1 1.5\n0 2 abc\n1 2 3\n", "d_ij a number"),
        (GOOD_HEADER + "0 1 1.5\n0 3 2\n1 2 3\n", "is not two elements"),
        (GOOD_HEADER + "0 1 1.5\n1 0 2\n1 2 3\n", "appears twice"),
        (GOOD_HEADER + "0 1 nan\n0 2 2\n1 2 3\n", "must be finite"),
        ("3 2 ds 2 2 2 2\n" + GOOD_PAIRS, "no grouping of 3 elements"),
        ("3 2 ds 2 1 1 2\n" + GOOD_PAIRS, "lower <= upper"),
    ],
)
def test_read_instance_rejects_a_bad_file_with_a_clear_message(tmp_path: Path, text: str,
                                                               message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_instance(_write(tmp_path, text))


def test_read_instance_rejects_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read the file"):
        read_instance(tmp_path / "absent.txt")


def test_solve_mdgp_rejects_an_impossible_instance_before_searching() -> None:
    d = np.array([[0.0, 1.0], [np.nan, 0.0]])
    with pytest.raises(ValueError, match="finite"):
        solve_mdgp(MdgpInstance(n=2, lower=np.array([1]), upper=np.array([2]), d=d),
                   time_limit=1.0, seed=0)
    with pytest.raises(ValueError, match="no grouping of 2 elements"):
        solve_mdgp(MdgpInstance(n=2, lower=np.array([1]), upper=np.array([1]), d=np.zeros((2, 2))),
                   time_limit=1.0, seed=0)


# --- solution quality -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "best_known"),
    [("RanInt_n012_ss_03.txt", 993.0), ("RanReal_n060_ss_04.txt", 18050.80)],
)
def test_solver_reaches_the_published_best_known_value(name: str, best_known: float) -> None:
    result = solve_mdgp(read_instance(DATA / name), time_limit=3.0, seed=1)
    assert result.objective >= best_known * (1 - 1e-6)


@pytest.mark.parametrize("case", range(16))
def test_solver_finds_the_brute_force_optimum_of_tiny_instances(case: int) -> None:
    rng = np.random.default_rng(case)
    n = int(rng.integers(8, 10))
    n_groups = 3
    if case % 2:  # equal sizes, as at a breakfast of full tables
        lower = [n // n_groups] * n_groups
        upper = [-(-n // n_groups)] * n_groups
    else:
        lower = [int(x) for x in rng.integers(0, n // n_groups + 1, n_groups)]
        upper = [lo + int(x) for lo, x in zip(lower, rng.integers(0, 4, n_groups), strict=True)]
        upper[-1] = max(upper[-1], n - sum(upper[:-1]))
    instance = _random_instance(rng, n, lower, upper, integer=bool(case % 3 == 0))
    result = solve_mdgp(instance, time_limit=10.0, seed=case, max_iterations=300)
    assert result.objective == pytest.approx(_brute_force(instance), rel=1e-9)


@st.composite
def instances(draw: st.DrawFn) -> MdgpInstance:
    n = draw(st.integers(1, 14))
    n_groups = draw(st.integers(1, 5))
    lower = draw(st.lists(st.integers(0, 4), min_size=n_groups, max_size=n_groups))
    extra = draw(st.lists(st.integers(0, 4), min_size=n_groups, max_size=n_groups))
    upper = [lo + x for lo, x in zip(lower, extra, strict=True)]
    if sum(lower) > n:
        lower = [0] * n_groups
    upper[-1] = max(upper[-1], n - sum(upper[:-1]), lower[-1])
    seed = draw(st.integers(0, 2**32 - 1))
    return _random_instance(np.random.default_rng(seed), n, lower, upper,
                            integer=draw(st.booleans()))


@settings(max_examples=60, deadline=None)
@given(instance=instances(), seed=st.integers(0, 2**63))
def test_every_solution_partitions_the_elements_within_the_size_bounds(instance: MdgpInstance,
                                                                      seed: int) -> None:
    result = solve_mdgp(instance, time_limit=10.0, seed=seed, max_iterations=20)
    assert len(result.groups) == instance.lower.size
    assert sorted(itertools.chain.from_iterable(result.groups)) == list(range(instance.n))
    for members, lo, up in zip(result.groups, instance.lower, instance.upper, strict=True):
        assert lo <= len(members) <= up
    assert result.objective == pytest.approx(objective(instance.d, result.groups), abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(instance=instances(), seed=st.integers(0, 2**63), pool=st.integers(1, 4),
       cross_share=st.sampled_from([0.0, 0.5, 1.0]))
def test_pool_and_crossover_keep_every_solution_within_the_size_bounds(
        instance: MdgpInstance, seed: int, pool: int, cross_share: float) -> None:
    params = MdgpParams(alpha=2, pool=pool, cross_share=cross_share)  # many restarts
    result = solve_mdgp(instance, time_limit=10.0, seed=seed, max_iterations=60, params=params)
    assert sorted(itertools.chain.from_iterable(result.groups)) == list(range(instance.n))
    for members, lo, up in zip(result.groups, instance.lower, instance.upper, strict=True):
        assert lo <= len(members) <= up
    assert result.objective == pytest.approx(objective(instance.d, result.groups), abs=1e-9)


@pytest.mark.parametrize("case", range(6))
def test_crossover_child_is_feasible_and_keeps_a_group_its_parents_share(case: int) -> None:
    rng = np.random.default_rng(200 + case)
    instance = _random_instance(rng, 40, [5, 3, 6, 4, 2], [11, 9, 8, 12, 10])
    lower, upper, d = instance.lower, instance.upper, instance.d
    state = np.array([case + 1], dtype=np.uint64)
    first, _ = k.random_assignment(state, instance.n, lower, upper)
    second = first.copy()
    a = int(np.flatnonzero(first != first[0])[0])  # the parents differ by one swap
    second[a], second[0] = first[0], first[a]
    child = np.empty(instance.n, dtype=np.int64)
    k.crossover(state, d, first, second, lower, upper, child)
    sizes = np.bincount(child, minlength=lower.size)
    assert np.all(child >= 0)
    assert np.all((sizes >= lower) & (sizes <= upper))
    # A group the two parents hold identically comes through whole (left-overs may join it).
    for g in range(lower.size):
        if np.array_equal(first == g, second == g):
            assert np.all(child[first == g] == g)


def test_reported_objective_is_the_sum_over_pairs_in_each_group() -> None:
    instance = read_instance(DATA / "RanReal_n060_ss_04.txt")
    result = solve_mdgp(instance, time_limit=10.0, seed=3, max_iterations=200)
    by_hand = sum(instance.d[i, j] for members in result.groups
                  for i, j in itertools.combinations(members, 2))
    assert result.objective == pytest.approx(by_hand, rel=1e-12)


@pytest.mark.parametrize("case", range(4))
def test_descent_stops_where_no_move_or_swap_improves(case: int) -> None:
    rng = np.random.default_rng(100 + case)
    instance = _random_instance(rng, 30, [4, 5, 3, 6, 4], [8, 7, 9, 6, 8], integer=case % 2 == 0)
    lower, upper, d = instance.lower, instance.upper, instance.d
    state = np.array([case + 1], dtype=np.uint64)
    assign, _ = k.random_assignment(state, instance.n, lower, upper)
    members, size, pos = k.build_members(assign, lower.size, instance.n)
    w = k.compute_gains(d, assign, lower.size)
    bound = np.empty((lower.size, lower.size))
    k.local_search(state, d, assign, size, members, pos, w, lower, upper, bound, float(d.min()))

    def value(a: np.ndarray) -> float:
        return objective(d, [list(np.flatnonzero(a == g)) for g in range(lower.size)])

    here = value(assign)
    sizes = np.bincount(assign, minlength=lower.size)
    assert np.all((sizes >= lower) & (sizes <= upper))
    np.testing.assert_allclose(w, k.compute_gains(d, assign, lower.size), atol=1e-9)
    for i in range(instance.n):
        for g in range(lower.size):
            if g != assign[i] and sizes[assign[i]] > lower[assign[i]] and sizes[g] < upper[g]:
                moved = assign.copy()
                moved[i] = g
                assert value(moved) <= here + 1e-9
        for j in range(i + 1, instance.n):
            swapped = assign.copy()
            swapped[i], swapped[j] = assign[j], assign[i]
            assert value(swapped) <= here + 1e-9


def _leave_gains(members: np.ndarray, size: np.ndarray, w: np.ndarray) -> np.ndarray:
    full = np.empty((size.size, size.size))
    k._best_leave_gains(members, size, w, full)
    return full


@settings(max_examples=40, deadline=None)
@given(instance=instances(), seed=st.integers(0, 2**32 - 1))
def test_the_updated_swap_bound_equals_a_full_recompute_after_every_move_and_swap(
        instance: MdgpInstance, seed: int) -> None:
    """The descent updates the pruning table over the two changed groups only; after any sequence
    of moves and swaps (groups emptied and refilled included) it equals the full table."""
    lower, upper, d = instance.lower, instance.upper, instance.d
    n_groups = lower.size
    rng = np.random.default_rng(seed)
    state = np.array([seed + 1], dtype=np.uint64)
    assign, _ = k.random_assignment(state, instance.n, lower, upper)
    members, size, pos = k.build_members(assign, n_groups, instance.n)
    w = k.compute_gains(d, assign, n_groups)
    bound = _leave_gains(members, size, w)
    for _ in range(40):
        i = int(rng.integers(instance.n))
        a, b = int(assign[i]), int(rng.integers(n_groups))
        if b == a:
            continue
        if size[a] > lower[a] and size[b] < upper[b] and rng.random() < 0.5:
            k._apply_move(d, assign, size, members, pos, w, i, b)
        elif size[b] > 0:
            k._apply_swap(d, assign, members, pos, w, i, members[b, rng.integers(size[b])])
        else:
            continue
        k._refresh_leave_gains(w, members, size, bound, a, b)
        assert np.array_equal(bound, _leave_gains(members, size, w))


@pytest.mark.parametrize(
    ("lower", "upper"),
    [([5] * 8, [5] * 8),  # ss: swaps only
     ([2, 3, 0, 4, 1, 2, 0, 3], [9, 7, 8, 12, 6, 9, 5, 10])],  # ds: moves, groups emptied
)
def test_the_search_with_the_updated_swap_bound_is_the_search_with_a_full_recompute(
        lower: list[int], upper: list[int]) -> None:
    """`check=True` recomputes the table in full after every update of every descent (weak and
    strong perturbations, crossovers), and after each weak perturbation, which keeps the table
    up to date for the descent that follows, and raises on any difference; the search is
    unchanged."""
    instance = _random_instance(np.random.default_rng(41), 40, lower, upper)
    lower_a, upper_a, d = instance.lower, instance.upper, instance.d
    n_groups = lower_a.size
    start_sizes = most_pairs_sizes(lower_a, upper_a, instance.n)

    def run(check: bool) -> tuple[np.ndarray, float]:
        rng = np.array([2024], dtype=np.uint64)
        assign, _ = k.random_assignment(rng, instance.n, lower_a, upper_a)
        members, size, pos = k.build_members(assign, n_groups, instance.n)
        w = k.compute_gains(d, assign, n_groups)
        bound = np.empty((n_groups, n_groups))
        k.local_search(rng, d, assign, size, members, pos, w, lower_a, upper_a, bound, 0.0, check)
        values = np.full(k.N_VALUES, k.objective_of(w, assign))
        counters = np.zeros(k.N_COUNTERS, dtype=np.int64)
        best = assign.copy()
        pool = np.zeros((3, instance.n), dtype=np.int64)
        pool_values = np.full(3, k.EMPTY)
        walk_best = assign.copy()
        k.iterated_maxima_search(d, 0.0, lower_a, upper_a, assign, size, members, pos, w, bound,
                                 best, values, counters, rng, 300, 15, 1, 3, 7, 0.5,
                                 pool, pool_values, walk_best, start_sizes, 0.5, check)
        assert counters[k.C_ROUNDS] >= 5  # restarts from the best, fresh starts and crossovers
        return best, float(values[k.V_BEST])

    checked, plain = run(check=True), run(check=False)
    assert np.array_equal(checked[0], plain[0])
    assert checked[1] == plain[1]


@pytest.mark.parametrize("case", range(4))
def test_a_tournament_perturbation_step_makes_the_least_losing_of_its_draws(case: int) -> None:
    """Each step of `perturb(..., tournament=T)` draws T random swaps (equal bounds: no moves) and
    makes the best one: replay the draws on a copy of the stream and compare."""
    instance = _random_instance(np.random.default_rng(60 + case), 30, [6] * 5, [6] * 5)
    d, lower, upper = instance.d, instance.lower, instance.upper
    rng = np.array([777 + case], dtype=np.uint64)
    assign, _ = k.random_assignment(rng, instance.n, lower, upper)
    members, size, pos = k.build_members(assign, lower.size, instance.n)
    w = k.compute_gains(d, assign, lower.size)
    for _ in range(5):  # five one-step perturbations of size 1, each checked
        replay = rng.copy()
        deltas = []
        for _draw in range(6):
            i = k._randint(replay, instance.n)
            a = assign[i]
            b = k._randint(replay, lower.size - 1)
            b += b >= a
            j = members[b, k._randint(replay, size[b])]
            deltas.append(w[i, b] - w[i, a] + w[j, a] - w[j, b] - 2.0 * d[i, j])
        before = k.objective_of(w, assign)
        change = k.perturb(rng, d, assign, size, members, pos, w, lower, upper, 1, 0.5, None, 6)
        assert rng[0] == replay[0]  # the same draws, no more
        assert change == pytest.approx(max(deltas))
        assert k.objective_of(w, assign) == pytest.approx(before + change)
        assert max(deltas) > min(deltas)  # the choice mattered


@pytest.mark.parametrize("case", range(3))
def test_a_tournament_share_makes_some_steps_random_and_the_others_tournaments(case: int) -> None:
    """With `tournament_share` p < 1 each step first draws a chance: below p a tournament of T
    swaps, else one random swap. Replay the draws on a copy of the stream; both kinds must occur."""
    instance = _random_instance(np.random.default_rng(70 + case), 30, [6] * 5, [6] * 5)
    d, lower, upper = instance.d, instance.lower, instance.upper
    rng = np.array([888 + case], dtype=np.uint64)
    assign, _ = k.random_assignment(rng, instance.n, lower, upper)
    members, size, pos = k.build_members(assign, lower.size, instance.n)
    w = k.compute_gains(d, assign, lower.size)
    kinds = set()
    for _ in range(12):  # twelve one-step perturbations, each checked
        replay = rng.copy()
        draws = 6 if k._rand01(replay) < 0.5 else 1
        kinds.add(draws)
        deltas = []
        for _draw in range(draws):
            i = k._randint(replay, instance.n)
            a = assign[i]
            b = k._randint(replay, lower.size - 1)
            b += b >= a
            j = members[b, k._randint(replay, size[b])]
            deltas.append(w[i, b] - w[i, a] + w[j, a] - w[j, b] - 2.0 * d[i, j])
        change = k.perturb(rng, d, assign, size, members, pos, w, lower, upper, 1, 0.5, None, 6,
                           0.5)
        assert rng[0] == replay[0]  # the same draws, no more
        assert change == pytest.approx(max(deltas))
    assert kinds == {1, 6}


def test_a_tournament_stall_gives_way_to_random_steps_while_the_walk_is_stuck() -> None:
    """`tournament_stall` K: tournaments until the walk's best has not improved for K iterations,
    then random steps. K at or past alpha never triggers (the walk ends first): the same search as
    without it; a small K changes the search."""
    assert k.weak_tournament(16, 0, 10**6) == 16
    assert k.weak_tournament(16, 250, 249) == 16
    assert k.weak_tournament(16, 250, 250) == 1
    instance = read_instance(DATA / "RanReal_n060_ss_04.txt")

    def run(stall: int) -> tuple[list[list[int]], int]:
        result = solve_mdgp(instance, time_limit=60.0, seed=5, max_iterations=1500,
                            params=MdgpParams(alpha=40, tournament=8, tournament_stall=stall))
        return result.groups, result.improved_at

    plain = run(0)
    assert run(40) == plain
    assert run(5) != plain


def test_a_pool_restart_keeps_only_the_pools_best_and_counts_itself() -> None:
    pool = np.arange(12, dtype=np.int64).reshape(4, 3)
    pool_values = np.array([5.0, 9.0, 7.0, 1.0])
    counters = np.zeros(k.N_COUNTERS, dtype=np.int64)
    counters[k.C_POOL], counters[k.C_POOL_STALL] = 4, 30
    k._pool_restart(pool, pool_values, counters)
    assert counters[k.C_POOL] == 1 and counters[k.C_POOL_STALL] == 0
    assert counters[k.C_POOL_RESTARTS] == 1
    assert pool[0].tolist() == [3, 4, 5] and pool_values[0] == 9.0
    assert np.all(pool_values[1:] == k.EMPTY)
    # A refused candidate (a value already held, or below the worst of a full pool) says so.
    assert not k._pool_insert(pool, pool_values, counters, pool[2], 9.0)
    assert k._pool_insert(pool, pool_values, counters, pool[2], 8.0)
    # Without keep_best the pool is emptied entirely.
    k._pool_restart(pool, pool_values, counters, False)
    assert counters[k.C_POOL] == 0 and counters[k.C_POOL_RESTARTS] == 2
    assert np.all(pool_values == k.EMPTY)


def test_a_frozen_pool_is_restarted_after_pool_restart_walks_without_an_entry() -> None:
    """`pool_restart` R: once R walks in a row end without entering the full pool, it is emptied
    down to its best and refilled from fresh groupings. Deterministic at a fixed number of
    iterations; an R the search never reaches is the search without it; a small R changes it."""
    instance = read_instance(DATA / "RanReal_n060_ss_04.txt")

    def run(restart: int, keep: bool = True) -> mdgp.MdgpResult:
        return solve_mdgp(instance, time_limit=60.0, seed=3, max_iterations=600,
                          params=MdgpParams(alpha=10, pool=4, pool_restart=restart,
                                            pool_restart_keep=keep))

    plain = run(0)
    assert plain.pool_restarts == 0
    assert (run(10**6).groups, run(10**6).improved_at) == (plain.groups, plain.improved_at)
    restarted = run(3)
    assert restarted.pool_restarts > 0
    assert restarted.groups != plain.groups
    again = run(3)
    assert (again.groups, again.improved_at, again.pool_restarts) == (
        restarted.groups, restarted.improved_at, restarted.pool_restarts)
    assert sorted(i for g in restarted.groups for i in g) == list(range(instance.n))
    # Emptying the whole pool (and shaking this restart's best) is another search, as repeatable.
    emptied = run(3, keep=False)
    assert emptied.pool_restarts > 0
    assert (emptied.groups, emptied.improved_at) != (restarted.groups, restarted.improved_at)
    assert (run(3, keep=False).groups, run(3, keep=False).improved_at) == (
        emptied.groups, emptied.improved_at)
    assert run(10**6, keep=False).groups == plain.groups


# --- determinism and the clock ----------------------------------------------------------------

def test_same_seed_and_iteration_budget_give_the_same_grouping() -> None:
    instance = read_instance(DATA / "RanReal_n060_ss_04.txt")
    params = MdgpParams(alpha=20)  # several restarts within the budget
    first = solve_mdgp(instance, time_limit=60.0, seed=7, max_iterations=400, params=params)
    second = solve_mdgp(instance, time_limit=60.0, seed=7, max_iterations=400, params=params)
    other_seed = solve_mdgp(instance, time_limit=60.0, seed=8, max_iterations=400, params=params)
    assert first.iterations == second.iterations == 400
    assert first.groups == second.groups
    assert first.objective == second.objective
    assert other_seed.groups != first.groups


@pytest.mark.parametrize("pool_size", [0, 3])
def test_chunk_boundaries_do_not_change_the_search(pool_size: int) -> None:
    """The driver cuts the search into chunks by the clock; the result must not depend on it,
    with or without the elite pool."""
    instance = read_instance(DATA / "RanReal_n060_ss_04.txt")
    lower, upper, d = instance.lower, instance.upper, instance.d

    def run(chunks: list[int]) -> np.ndarray:
        rng = np.array([12345], dtype=np.uint64)
        assign, _ = k.random_assignment(rng, instance.n, lower, upper)
        members, size, pos = k.build_members(assign, lower.size, instance.n)
        w = k.compute_gains(d, assign, lower.size)
        bound = np.empty((lower.size, lower.size))
        k.local_search(rng, d, assign, size, members, pos, w, lower, upper, bound, 0.0)
        values = np.full(k.N_VALUES, k.objective_of(w, assign))
        counters = np.zeros(k.N_COUNTERS, dtype=np.int64)
        best = assign.copy()
        pool = np.zeros((pool_size, instance.n), dtype=np.int64)
        pool_values = np.full(pool_size, k.EMPTY)
        walk_best = assign.copy()
        for chunk in chunks:
            k.iterated_maxima_search(d, 0.0, lower, upper, assign, size, members, pos, w, bound,
                                     best, values, counters, rng, chunk, 15, 1, 3, 7, 0.5,
                                     pool, pool_values, walk_best, upper, 0.5)
        assert counters[k.C_ROUNDS] >= 3  # the chunks cut through restarts too
        return best

    assert np.array_equal(run([120]), run([1] * 30 + [7] * 10 + [20]))


def test_solver_returns_by_the_time_limit() -> None:
    instance = read_instance(DATA / "RanReal_n060_ss_04.txt")
    reports: list[tuple[float, str]] = []
    # On this process's CPU clock: a loaded machine may starve the process of wall time, which no
    # solver can help; what it owes is to look at its clock often.
    started = time.process_time()
    result = solve_mdgp(instance, time_limit=0.6, seed=1, clock="cpu",
                        progress=lambda f, msg: reports.append((f, msg)))
    took = time.process_time() - started
    assert took < 0.6 + 0.25
    assert result.cpu_s <= took
    assert result.iterations > 0
    assert 2 <= len(reports) <= 0.6 * 4 + 2  # a few per second, never a flood
    assert [f for f, _ in reports] == sorted(f for f, _ in reports)
    assert reports[-1][0] == 1.0


def test_the_clock_starts_once_the_kernels_are_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []

    def load() -> float:
        events.append("load")
        return 0.0

    def clock() -> float:
        events.append("clock")
        return time.process_time()

    monkeypatch.setattr(mdgp, "load_kernels", load)
    monkeypatch.setitem(mdgp.CLOCKS, "cpu", clock)
    solve_mdgp(read_instance(DATA / "RanReal_n060_ss_04.txt"), time_limit=5, seed=1, clock="cpu",
               max_iterations=2)
    assert events[0] == "load"
    assert events.count("clock") >= 2  # the start, then the deadline checks


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 4)), min_size=1, max_size=5), st.data())
def test_the_start_sizes_have_the_most_pairs(bounds, data) -> None:
    from itertools import product

    lower = np.array([lo for lo, _ in bounds], dtype=np.int64)
    upper = lower + np.array([extra for _, extra in bounds], dtype=np.int64)
    n = data.draw(st.integers(int(lower.sum()), int(upper.sum())))

    sizes = most_pairs_sizes(lower, upper, n)

    assert sizes.sum() == n and np.all(lower <= sizes) and np.all(sizes <= upper)
    best = max(
        sum(s * (s - 1) // 2 for s in combo)
        for combo in product(*(range(lo, hi + 1) for lo, hi in zip(lower, upper, strict=True)))
        if sum(combo) == n
    )
    assert int((sizes * (sizes - 1) // 2).sum()) == best


def test_an_unknown_clock_or_start_or_a_tournament_below_one_is_refused() -> None:
    instance = read_instance(DATA / "RanInt_n012_ss_03.txt")
    with pytest.raises(ValueError, match="clock"):
        solve_mdgp(instance, time_limit=1, seed=1, clock="sundial")
    with pytest.raises(ValueError, match="start"):
        solve_mdgp(instance, time_limit=1, seed=1, params=MdgpParams(start="anywhere"))
    with pytest.raises(ValueError, match="tournament"):
        solve_mdgp(instance, time_limit=1, seed=1, params=MdgpParams(tournament=0))
    with pytest.raises(ValueError, match="tournament_share"):
        solve_mdgp(instance, time_limit=1, seed=1, params=MdgpParams(tournament_share=1.5))
    with pytest.raises(ValueError, match="tournament_stall"):
        solve_mdgp(instance, time_limit=1, seed=1, params=MdgpParams(tournament_stall=-1))
    with pytest.raises(ValueError, match="pool_restart"):
        solve_mdgp(instance, time_limit=1, seed=1, params=MdgpParams(pool_restart=-1))


def test_improved_at_is_the_iteration_where_the_best_was_found() -> None:
    instance = read_instance(DATA / "RanReal_n060_ss_04.txt")
    full = solve_mdgp(instance, time_limit=60, seed=3, max_iterations=3000)
    assert 0 < full.improved_at <= full.iterations

    upto = solve_mdgp(instance, time_limit=60, seed=3, max_iterations=full.improved_at)
    before = solve_mdgp(instance, time_limit=60, seed=3, max_iterations=full.improved_at - 1)

    assert upto.objective == pytest.approx(full.objective)
    assert before.objective < full.objective - 1e-6


def test_a_target_stops_the_search_once_its_best_reaches_it() -> None:
    """Same trajectory as without a target, cut at the end of the first chunk whose best reaches
    it (the best may improve again within that chunk)."""
    instance = read_instance(DATA / "RanReal_n060_ss_04.txt")
    early = solve_mdgp(instance, time_limit=60, seed=3, max_iterations=500)
    stopped = solve_mdgp(instance, time_limit=60, seed=3, max_iterations=100_000,
                         target=early.objective - 1e-6)
    assert stopped.objective >= early.objective - 1e-6
    assert stopped.iterations < 100_000
    same = solve_mdgp(instance, time_limit=60, seed=3, max_iterations=stopped.iterations)
    assert (same.groups, same.improved_at) == (stopped.groups, stopped.improved_at)
