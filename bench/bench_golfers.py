"""Social golfer benchmark (issue 3, part B): repeats left on the classic instances in 10 s.

    .venv/bin/python bench/bench_golfers.py [--time-limit 10] [--seeds 3] [--no-designs]
        [--instances 5-3-7 6-6-3 8-4-9 7-6-7 8-4-10 10-6-7]

Instances are groups-size-rounds. For each, seeds 0, 1, … are tried until one reaches the
target repeats or --seeds are spent. --no-designs turns off the finite-field seeding, to
measure the local search alone. Timings are noisy when other work shares the CPU: the load
average is printed first.
"""

from __future__ import annotations

import argparse
import os
import sys

from tablee.engine import golfers

DEFAULT = ["5-3-7", "6-6-3", "8-4-9", "7-6-7", "8-4-10", "10-6-7"]
# What the issue asks (8-4-10 and 10-6-7 have no target; zero would be the aim).
TARGETS = {"5-3-7": 0, "6-6-3": 0, "8-4-9": 0, "7-6-7": 5, "8-4-10": 0, "10-6-7": 0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--no-designs", action="store_true")
    parser.add_argument("--instances", nargs="+", default=DEFAULT)
    args = parser.parse_args()
    golfers.USE_DESIGNS = not args.no_designs

    # Compile (or load from numba's cache) the kernels before timing anything.
    golfers.solve_golfers(groups=10, size=6, rounds=3, time_limit=5, seed=0, max_iterations=10)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'instance':9} {'limit':>6} {'repeats':>8} {'bound':>6} {'elapsed':>8}  seeds tried")
    missed = 0
    for name in args.instances:
        groups, size, rounds = (int(x) for x in name.split("-"))
        target = TARGETS.get(name, 0)
        lower = golfers.repeats_lower_bound(groups=groups, size=size, rounds=rounds)
        tried = []
        best = None
        for seed in range(args.seeds):
            result = golfers.solve_golfers(
                groups=groups, size=size, rounds=rounds, time_limit=args.time_limit, seed=seed
            )
            assert result.repeats == golfers.count_repeats(result.rounds)
            tried.append(f"{seed}:{result.repeats} ({result.elapsed_s:.1f} s)")
            if best is None or result.repeats < best.repeats:
                best = result
            if result.repeats <= target:
                break
        ok = "ok" if best.repeats <= target else f"target {target}"
        missed += best.repeats > target
        print(
            f"{name:9} {args.time_limit:>5.0f}s {best.repeats:>8} {lower:>6} "
            f"{best.elapsed_s:>7.2f}s  {', '.join(tried)}  [{ok}]",
            flush=True,
        )
    return 0 if missed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
