"""Cyclic design constructions for the social golfer problem: what they build has no repeat."""

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tablee.engine import _design_kernels as kernels
from tablee.engine import designs
from tablee.engine._random import new_stream
from tablee.engine.golfers import count_repeats, solve_golfers


def assert_is_schedule(rounds, *, groups, size, n_rounds):
    assert len(rounds) == n_rounds
    for round_ in rounds:
        assert len(round_) == groups
        assert all(len(group) == size for group in round_)
        assert sorted(p for group in round_ for p in group) == list(range(groups * size))


def far():
    return time.perf_counter() + 60


@pytest.mark.parametrize(
    ("groups", "size", "n_rounds"), [(10, 4, 13), (9, 3, 13), (4, 4, 5), (6, 2, 11), (10, 4, 9)]
)
def test_rotational_designs_have_no_repeats(groups, size, n_rounds):
    schedule = designs.rotational_rounds(
        groups=groups, size=size, rounds=n_rounds, deadline=far(), seed=0
    )

    assert_is_schedule(schedule.tolist(), groups=groups, size=size, n_rounds=n_rounds)
    assert count_repeats(schedule.tolist()) == 0


def test_rotational_designs_apply_only_where_the_arithmetic_does():
    # 31 players: 31 = 1 (mod 3) fails; 5-3-7 passes the arithmetic but the search proves that
    # no base round exists (Kirkman's schoolgirls are not 1-rotational over Z_14).
    assert designs.rotational_rounds(groups=8, size=4, rounds=10, deadline=far(), seed=0) is None
    assert designs.rotational_rounds(groups=5, size=3, rounds=7, deadline=far(), seed=0) is None
    assert designs.rotational_rounds(groups=10, size=4, rounds=14, deadline=far(), seed=0) is None


def test_the_cyclic_family_finds_ten_six_seven():
    schedule = designs.cyclic_schedule(groups=10, size=6, rounds=7, deadline=far(), seed=1)

    assert_is_schedule(schedule.tolist(), groups=10, size=6, n_rounds=7)
    assert count_repeats(schedule.tolist()) == 0


@settings(max_examples=40, deadline=None)
@given(
    split=st.sampled_from(
        [(5, 3, 1, 4, 4), (5, 4, 0, 4, 5), (3, 5, 1, 4, 4), (7, 2, 2, 4, 4), (4, 3, 0, 3, 4),
         (6, 2, 3, 5, 3)]
    ),
    seed=st.integers(0, 2**32),
)
def test_a_base_round_costs_zero_exactly_when_its_development_has_no_repeat(split, seed):
    m, levels, fixed, groups, size = split
    n = groups * size
    assert levels * m + fixed == n
    order = np.random.default_rng(seed).permutation(levels * m)
    blocks = np.empty((groups, size), dtype=np.int64)
    rest = list(order)
    for g in range(groups):
        for s in range(size):
            blocks[g, s] = levels * m + g if s == 0 and g < fixed else rest.pop()
    keys = designs.pair_keys(n=n, m=m, levels=levels, fixed=fixed)

    cost, _ = kernels.base_round_search(
        blocks, groups, keys, kernels.n_keys(m, levels, fixed), new_stream(seed), 0, 3
    )
    developed = designs.develop(blocks, m=m, levels=levels, rounds=m)

    repeats = count_repeats(developed.tolist())
    assert (cost == 0) == (repeats == 0)
    if m % 2 and fixed <= 1:
        # No forbidden pair can occur, every orbit has m pairs: a difference used c times makes
        # each of its m pairs meet c times.
        assert repeats == m * cost


@pytest.mark.parametrize(("groups", "size", "n_rounds"), [(10, 4, 13), (10, 6, 7)])
def test_the_solver_uses_the_designs(groups, size, n_rounds):
    # A far deadline: a fresh install compiles the design kernels inside the first call's budget, and
    # CI's machine is loaded. The 10 s figures are bench_golfers.py's (warm cache).
    result = solve_golfers(groups=groups, size=size, rounds=n_rounds, time_limit=60, seed=1)

    assert result.repeats == 0
    assert_is_schedule(result.rounds, groups=groups, size=size, n_rounds=n_rounds)
    assert result.rounds[0][0] == list(range(size))


def test_without_designs_the_local_search_alone_does_not_finish_ten_four_thirteen():
    result = solve_golfers(
        groups=10, size=4, rounds=13, time_limit=10, seed=1, max_iterations=200, use_designs=False
    )

    assert result.repeats > 0
