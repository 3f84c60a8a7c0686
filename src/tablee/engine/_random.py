"""The one random stream of every engine kernel: xorshift64* in a one-cell uint64 array.

The state lives in an array owned by the caller, so a search split into chunks between clock
checks follows the same trajectory as one call: a solver is deterministic for a seed and an
iteration budget. `seed_state` turns any integer seed into a good non-zero state (splitmix64).
"""

from __future__ import annotations

import numpy as np
from numba import njit

MULTIPLIER = np.uint64(0x2545F4914F6CDD1D)


def seed_state(seed: int) -> int:
    """splitmix64 of the seed: any int, including 0, gives a good non-zero xorshift state."""
    z = (seed + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return (z ^ (z >> 31)) or 1


def new_stream(seed: int) -> np.ndarray:
    """A one-cell state array for the kernels below."""
    return np.array([seed_state(seed)], dtype=np.uint64)


@njit(cache=True)
def next_u64(rng: np.ndarray) -> np.uint64:
    """The next 64-bit output (the state advances in place)."""
    x = rng[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    rng[0] = x
    return x * MULTIPLIER


@njit(cache=True)
def next_u53(rng: np.ndarray) -> np.uint64:
    """The top 53 bits of the next output."""
    return next_u64(rng) >> np.uint64(11)


@njit(cache=True)
def randint(rng: np.ndarray, k: int) -> int:
    """Uniform integer in [0, k) (k ≥ 1; modulo bias below 2⁻⁵⁰ for the k we use)."""
    return np.int64(next_u53(rng) % np.uint64(k))


@njit(cache=True)
def rand01(rng: np.ndarray) -> float:
    """Uniform float in [0, 1)."""
    return np.float64(next_u53(rng)) / 9007199254740992.0
