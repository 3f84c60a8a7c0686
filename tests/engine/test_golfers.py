"""The social golfer solver: schedules are valid, repeats are counted right, it finds zero."""

import time
from collections import Counter
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tablee.engine import _golfers_kernels as kernels
from tablee.engine import designs
from tablee.engine.golfers import (
    count_repeats,
    repeats_lower_bound,
    solve_golfers,
    transversal_rounds,
)


def brute_force_repeats(rounds):
    met = Counter()
    for groups in rounds:
        for group in groups:
            for p in group:
                for q in group:
                    if p < q:
                        met[p, q] += 1
    return sum(max(0, times - 1) for times in met.values())


def assert_is_schedule(rounds, *, groups, size, n_rounds):
    assert len(rounds) == n_rounds
    for round_ in rounds:
        assert len(round_) == groups
        assert all(len(group) == size for group in round_)
        assert sorted(p for group in round_ for p in group) == list(range(groups * size))


@settings(max_examples=25, deadline=None)
@given(
    groups=st.integers(1, 5),
    size=st.integers(2, 5),
    n_rounds=st.integers(1, 6),
    seed=st.integers(0, 2**32),
)
def test_every_round_partitions_all_players_into_groups_of_size(groups, size, n_rounds, seed):
    result = solve_golfers(
        groups=groups, size=size, rounds=n_rounds, time_limit=5, seed=seed, max_iterations=300
    )

    assert_is_schedule(result.rounds, groups=groups, size=size, n_rounds=n_rounds)
    assert result.repeats == brute_force_repeats(result.rounds)
    assert result.repeats >= repeats_lower_bound(groups=groups, size=size, rounds=n_rounds)


@settings(max_examples=50, deadline=None)
@given(
    st.integers(2, 12).flatmap(
        lambda n: st.lists(
            st.permutations(range(n)).map(lambda p: [list(p[:2]), list(p[2:4]), list(p[4:])]),
            min_size=1,
            max_size=6,
        )
    )
)
def test_count_repeats_matches_a_brute_force_count(rounds):
    assert count_repeats(rounds) == brute_force_repeats(rounds)


def test_count_repeats_counts_each_extra_meeting():
    same_table_three_times = [[[0, 1, 2]], [[0, 1, 2]], [[2, 1, 0]]]

    assert count_repeats(same_table_three_times) == 3 * 2


def test_the_lower_bound_is_reached_when_one_group_meets_every_round():
    result = solve_golfers(groups=1, size=4, rounds=3, time_limit=1, seed=0)

    assert result.repeats == repeats_lower_bound(groups=1, size=4, rounds=3) == 6 * 2


@pytest.mark.parametrize(("groups", "size", "n_rounds"), [(5, 3, 7), (6, 6, 3)])
def test_it_finds_a_schedule_without_repeats(groups, size, n_rounds):
    result = solve_golfers(groups=groups, size=size, rounds=n_rounds, time_limit=8, seed=1)

    assert result.repeats == 0
    assert brute_force_repeats(result.rounds) == 0
    assert_is_schedule(result.rounds, groups=groups, size=size, n_rounds=n_rounds)


@pytest.mark.parametrize(
    ("groups", "size", "n_rounds"), [(7, 6, 7), (8, 4, 9), (4, 4, 5), (9, 3, 10)]
)
def test_finite_field_designs_have_no_repeats(groups, size, n_rounds):
    design = transversal_rounds(groups=groups, size=size, rounds=n_rounds)

    assert len(design) == n_rounds
    assert_is_schedule(design.tolist(), groups=groups, size=size, n_rounds=n_rounds)
    assert brute_force_repeats(design.tolist()) == 0


def test_no_design_without_a_prime_power_number_of_groups():
    assert transversal_rounds(groups=6, size=6, rounds=3) is None
    assert transversal_rounds(groups=10, size=6, rounds=7) is None
    assert transversal_rounds(groups=5, size=6, rounds=3) is None


def test_the_first_round_is_the_canonical_one():
    result = solve_golfers(groups=3, size=3, rounds=3, time_limit=2, seed=4)

    assert result.rounds[0] == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]


def test_it_is_deterministic_for_a_seed_and_an_iteration_budget():
    # The local search alone (a cyclic design solves 10-6-7) is not done in 2000 iterations: the
    # budget ends it.
    runs = [
        solve_golfers(groups=10, size=6, rounds=7, time_limit=60, seed=7, max_iterations=2000,
                      use_designs=False)
        for _ in range(2)
    ]
    other_seed = solve_golfers(
        groups=10, size=6, rounds=7, time_limit=60, seed=8, max_iterations=2000, use_designs=False
    )

    assert runs[0].rounds == runs[1].rounds
    assert runs[0].repeats == runs[1].repeats > 0
    assert other_seed.rounds != runs[0].rounds


def load_kernels_of_8_4_10():
    """Compile (or load from numba's cache) every kernel a search of 8-4-10 may call, so that a
    measured run measures the search. Which ones a short run reaches depends on its clock."""
    far = time.perf_counter() + 600
    designs.exact_rounds(groups=8, size=4, rounds=10, deadline=far, seed=0)  # finds one
    designs.cyclic_schedule(groups=10, size=6, rounds=7, deadline=far, seed=1)  # finds one
    solve_golfers(
        groups=8, size=4, rounds=10, time_limit=60, seed=0, max_iterations=10, use_designs=False
    )


def test_it_returns_its_best_schedule_when_time_runs_out():
    load_kernels_of_8_4_10()

    # On this process's CPU clock: a loaded machine may starve the process of wall time, which no
    # solver can help; what it owes is to look at its clock often (~50 ms of work).
    started = time.process_time()
    result = solve_golfers(
        groups=8, size=4, rounds=10, time_limit=0.3, seed=0, timer=time.process_time
    )
    took = time.process_time() - started

    assert_is_schedule(result.rounds, groups=8, size=4, n_rounds=10)
    assert result.repeats == brute_force_repeats(result.rounds) > 0  # the clock ended it
    assert 0.3 <= result.elapsed_s <= took < 0.3 + 0.25


def test_it_reports_progress_as_a_fraction():
    reports = []

    solve_golfers(
        groups=8, size=4, rounds=10, time_limit=0.6, seed=0,
        progress=lambda fraction, message: reports.append((fraction, message)),
    )  # fmt: skip

    assert reports
    assert all(0 <= fraction <= 1 for fraction, _ in reports)
    assert reports[-1][0] == 1.0
    assert len(reports) <= 0.6 * 4 + 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"groups": 0}, "groups"),
        ({"size": 1}, "size"),
        ({"rounds": 0}, "rounds"),
        ({"time_limit": 0}, "time_limit"),
        ({"time_limit": -1.5}, "time_limit"),
        ({"max_iterations": -1}, "max_iterations"),
    ],
)
def test_invalid_arguments_raise_value_error(kwargs, message):
    arguments = {"groups": 3, "size": 3, "rounds": 3, "time_limit": 1.0, "seed": 0} | kwargs

    with pytest.raises(ValueError, match=message):
        solve_golfers(**arguments)


def test_swaps_keep_the_incremental_indexes_exact():
    rng = np.random.default_rng(0)
    groups, size, n_rounds = 5, 3, 6
    n = groups * size
    members = np.array([rng.permutation(n).reshape(groups, size) for _ in range(n_rounds)])
    grp = np.empty((n_rounds, n), dtype=np.int64)
    meet = np.zeros((n, n), dtype=np.int64)
    kernels.rebuild(members, grp, meet)
    slot = np.empty((n_rounds, n), dtype=np.int64)
    for w, g, s in np.ndindex(members.shape):
        slot[w, members[w, g, s]] = s
    index = np.empty((n_rounds, n, groups), dtype=np.int32)
    out = np.empty((n_rounds, n), dtype=np.int32)
    kernels.build_index(members, meet, index, out)

    for _ in range(500):
        w = int(rng.integers(n_rounds))
        a, b = (int(p) for p in rng.choice(n, 2, replace=False))
        if grp[w, a] != grp[w, b]:
            kernels.swap(members, grp, slot, meet, index, out, w, a, b)

    fresh_meet = np.zeros_like(meet)
    fresh_grp = np.empty_like(grp)
    fresh_index, fresh_out = np.empty_like(index), np.empty_like(out)
    kernels.rebuild(members, fresh_grp, fresh_meet)
    kernels.build_index(members, fresh_meet, fresh_index, fresh_out)
    assert (meet == fresh_meet).all() and (grp == fresh_grp).all()
    assert (index == fresh_index).all() and (out == fresh_out).all()
    pairs = Counter(
        tuple(sorted(pair))
        for round_ in members.tolist()
        for group in round_
        for pair in combinations(group, 2)
    )
    assert all(meet[p, q] == times for (p, q), times in pairs.items())


# The round-orbit designs (designs.orbit_rounds): rounds in orbits of lengths h | m under Z_m.


@pytest.mark.parametrize(("groups", "size", "n_rounds"), [(8, 4, 10), (7, 4, 9), (7, 3, 10)])
def test_round_orbit_designs_reach_the_counting_bound(groups, size, n_rounds):
    # A resolvable 4-GDD of type 2^16 (Aguado's 8-4-10), a resolvable BIBD(28, 4, 1) and a
    # Kirkman triple system of order 21. The search is exact with node budgets: deterministic,
    # whatever the load (the deadline is only a safety net).
    design = designs.orbit_rounds(
        groups=groups, size=size, rounds=n_rounds, deadline=time.perf_counter() + 600, seed=0
    )

    assert design is not None
    assert_is_schedule(design.tolist(), groups=groups, size=size, n_rounds=n_rounds)
    assert brute_force_repeats(design.tolist()) == 0


def test_8_4_10_reaches_zero_repeats():
    result = solve_golfers(groups=8, size=4, rounds=10, time_limit=60, seed=1)

    assert result.repeats == 0
    assert brute_force_repeats(result.rounds) == 0
    assert_is_schedule(result.rounds, groups=8, size=4, n_rounds=10)
    assert result.rounds[0] == [[4 * g + s for s in range(4)] for g in range(8)]


def test_orbit_configurations_follow_the_arithmetic():
    configs = designs.orbit_configurations(groups=8, size=4, rounds=10)

    assert configs[0] == (8, (2, 4, 4))
    for m, lengths in configs:
        levels = 32 // m
        assert 32 % m == 0 and sum(lengths) == 10 and list(lengths) == sorted(lengths)
        assert all(m % h == 0 and levels * h % 4 == 0 for h in lengths)
    # Ten invariant rounds would need 60 differences between levels; Z_8 × 4 has 48.
    assert (8, (1,) * 10) not in configs
    assert designs.orbit_configurations(groups=5, size=3, rounds=8) == []


def _orbit_solutions_exist(groups, size, m, lengths):
    """Brute force without the kernel's symmetry breaking and without differences: choose the
    representative blocks of each orbit in every way, develop, count repeats."""
    n = groups * size
    levels = n // m

    def classes_of(points, h):
        return {(p // m, p % m % h) for p in points}

    def extend(chosen, orbit, free):
        h = lengths[orbit]
        if not free:
            done = lengths[: orbit + 1]
            blocks = np.array(chosen, dtype=np.int64).reshape(-1, size)
            if count_repeats(designs.develop_orbits(blocks, m=m, levels=levels, lengths=done)):
                return False
            if orbit + 1 == len(lengths):
                return True
            return extend(chosen, orbit + 1, classes_of(range(n), lengths[orbit + 1]))
        first = min(free)
        start = first[0] * m + first[1]
        others = [p for p in range(n) if (p // m, p % m % h) in free - {first}]
        for rest in combinations(others, size - 1):
            taken = classes_of(rest, h)
            if len(taken) == size - 1 and extend(
                [*chosen, [start, *rest]], orbit, free - taken - {first}
            ):
                return True
        return False

    return extend([], 0, classes_of(range(n), lengths[0]))


@pytest.mark.parametrize(
    ("groups", "size", "n_rounds"), [(3, 2, 5), (4, 2, 6), (3, 3, 4), (2, 3, 2), (4, 2, 4)]
)
def test_the_exact_orbit_search_agrees_with_a_brute_force(groups, size, n_rounds):
    n = groups * size
    for m, lengths in designs.orbit_configurations(groups=groups, size=size, rounds=n_rounds):
        keys = designs.pair_keys(n=n, m=m, levels=n // m, fixed=0)
        order = np.tile(np.arange(m, dtype=np.int64), (len(lengths), 1))
        schedule, status = designs._orbit_search(
            size=size, m=m, levels=n // m, lengths=lengths, keys=keys, node_limit=10**8,
            lift_order=order,
        )  # fmt: skip

        assert status in (0, 1)
        assert (status == 1) == _orbit_solutions_exist(groups, size, m, lengths), (m, lengths)
        if schedule is not None:
            assert count_repeats(schedule.tolist()) == 0
            assert_is_schedule(schedule.tolist(), groups=groups, size=size, n_rounds=n_rounds)


def test_fixed_point_designs_give_two_orthogonal_latin_squares_of_order_10():
    # 10-10-4: four rounds of 10 tables of 10 is a transversal design TD(4, 10); Z_9 ∪ {∞}.
    assert designs.fixed_point_configurations(groups=10, size=10, rounds=4) == [9, 3]
    design = designs.fixed_point_rounds(
        groups=10, size=10, rounds=4, deadline=time.perf_counter() + 600, seed=0
    )

    assert design is not None
    assert_is_schedule(design.tolist(), groups=10, size=10, n_rounds=4)
    assert brute_force_repeats(design.tolist()) == 0


def _fixed_point_solutions_exist(groups, size, n_rounds, m):
    """Brute force without symmetry breaking: every choice of the representative blocks."""
    n = groups * size
    a, levels = (size - 1) // m, (n - 1) // m
    per_round = (levels - a) // size

    def rounds_of(reps):
        out = []
        for j, blocks in enumerate(reps):
            whole = [i * m + x for i in range(j * a, (j + 1) * a) for x in range(m)]
            tables = [[levels * m, *whole]]
            tables += [[(p // m) * m + (p % m + t) % m for p in b] for b in blocks for t in range(m)]
            out.append(tables)
        return out

    def blocks_of(free):
        if not free:
            yield []
            return
        first = min(free)
        for others in combinations(sorted(free - {first}), size - 1):
            for xs in np.ndindex(*([m] * (size - 1))):
                block = [first * m] + [i * m + x for i, x in zip(others, xs, strict=True)]
                for rest in blocks_of(free - {first, *others}):
                    yield [block, *rest]

    def extend(reps):
        if len(reps) == n_rounds:
            return True
        j = len(reps)
        free = set(range(levels)) - set(range(j * a, (j + 1) * a))
        for blocks in blocks_of(free):
            if count_repeats(rounds_of([*reps, blocks])) == 0 and extend([*reps, blocks]):
                return True
        return False

    assert per_round >= 1
    return extend([])


@pytest.mark.parametrize(("groups", "size", "n_rounds"), [(4, 4, 5), (4, 4, 4), (3, 3, 4)])
def test_the_fixed_point_search_agrees_with_a_brute_force(groups, size, n_rounds):
    (m,) = designs.fixed_point_configurations(groups=groups, size=size, rounds=n_rounds)
    design = designs.fixed_point_rounds(
        groups=groups, size=size, rounds=n_rounds, deadline=time.perf_counter() + 600, seed=0
    )

    assert (design is not None) == _fixed_point_solutions_exist(groups, size, n_rounds, m)
    if design is not None:
        assert_is_schedule(design.tolist(), groups=groups, size=size, n_rounds=n_rounds)
        assert count_repeats(design.tolist()) == 0
