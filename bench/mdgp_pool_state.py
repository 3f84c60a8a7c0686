"""The MDGP elite pool along one run: values, distances, size profiles (issue 14, session 12).

Runs the search of `solve_mdgp` (`mdgp.start_state`, then `SearchState.advance`) by fixed
iteration chunks (the same search, see `test_chunk_boundaries_do_not_change_the_search`) and prints
after each chunk the global best, the pool's values, each member's distance to the best and the
pool's mean and smallest pairwise distance. Distance: the number of pairs grouped together in one solution and not in the other.

    .venv/bin/python bench/mdgp_pool_state.py /work/shared/bench/mdgplib/RanReal_n120_ds_01.txt \
        --seed 2 --iterations 600000 --every 50000 [--params '{"pool_restart": 20}']
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from tablee.engine import _mdgp_kernels as k
from tablee.engine.mdgp import MdgpParams, load_kernels, read_instance, start_state


def pair_distance(a: np.ndarray, b: np.ndarray) -> int:
    together_a = a[:, None] == a[None, :]
    together_b = b[:, None] == b[None, :]
    return int((together_a != together_b).sum() // 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=600_000)
    parser.add_argument("--every", type=int, default=50_000)
    parser.add_argument("--params", default="{}", help="MdgpParams fields as JSON")
    args = parser.parse_args()
    params = MdgpParams(**json.loads(args.params))
    instance = read_instance(args.instance)
    load_kernels()
    state = start_state(instance, seed=args.seed, params=params)
    n_groups = instance.lower.size
    counters, values, pool, pool_values, best = (state.counters, state.values, state.pool,
                                                 state.pool_values, state.best)
    print(f"most-pairs sizes {state.start_sizes.tolist()}")
    while counters[k.C_ITER] < args.iterations:
        state.advance(min(args.every, args.iterations - counters[k.C_ITER]))
        held = int(counters[k.C_POOL])
        order = np.argsort(-pool_values[:held])
        to_best = [pair_distance(pool[p], best) for p in order]
        pairwise = [pair_distance(pool[p], pool[q]) for p in range(held) for q in range(p + 1, held)]
        same_sizes = sum(np.array_equal(np.bincount(pool[p], minlength=n_groups),
                                        np.bincount(best, minlength=n_groups)) for p in order)
        print(f"iteration {counters[k.C_ITER]}: walks {counters[k.C_ROUNDS]}, best "
              f"{values[k.V_BEST]:.2f} (at {counters[k.C_IMPROVED_AT]}), restarts "
              f"{counters[k.C_POOL_RESTARTS]}; pool {' '.join(f'{pool_values[p]:.2f}' for p in order)}; "
              f"to best {to_best}; pairwise mean {np.mean(pairwise) if pairwise else 0:.0f}, "
              f"min {min(pairwise) if pairwise else 0}; {same_sizes}/{held} at the best's sizes",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
