"""How many iterations the MDGP search needs to reach a value, per seed (issue 14, session 10).

Iterations, not seconds: the count does not depend on the machine. Each run goes to
``--max-iterations`` and reports the iteration at which its best grouping was found
(`MdgpResult.improved_at`): the iteration to reach ``--target`` when the best is the target.

    .venv/bin/python bench/mdgp_hitting.py /work/shared/bench/mdgplib/RanReal_n120_ss_01.txt \
        --target 47363.2 --max-iterations 600000 --seeds 1-11 [--params '{"alpha": 500}']
"""

from __future__ import annotations

import argparse
import json
import statistics

from tablee.engine.mdgp import MdgpParams, read_instance, solve_mdgp


def _seeds(text: str) -> list[int]:
    if "-" in text:
        first, last = text.split("-")
        return list(range(int(first), int(last) + 1))
    return [int(s) for s in text.split(",")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance")
    parser.add_argument("--target", type=float, required=True)
    parser.add_argument("--max-iterations", type=int, default=600_000)
    parser.add_argument("--seeds", default="1-11")
    parser.add_argument("--params", default="{}", help="MdgpParams fields as JSON")
    parser.add_argument("--stop-at-target", action="store_true",
                        help="stop each run once it reaches the target (same iteration counts)")
    args = parser.parse_args()
    instance = read_instance(args.instance)
    params = MdgpParams(**json.loads(args.params))
    reached = []
    for seed in _seeds(args.seeds):
        result = solve_mdgp(instance, time_limit=1e9, seed=seed, max_iterations=args.max_iterations,
                            params=params, clock="cpu",
                            target=args.target if args.stop_at_target else None)
        hit = result.objective >= args.target - 1e-6
        reached.append(result.improved_at if hit else float("inf"))
        print(f"seed {seed}: best {result.objective:.2f} at iteration {result.improved_at}"
              f"{'' if hit else ' (target not reached)'}, {result.cpu_s:.1f} s CPU"
              f"{f', {result.pool_restarts} pool restarts' if result.pool_restarts else ''}", flush=True)
    print(f"reached {sum(r != float('inf') for r in reached)}/{len(reached)}, "
          f"median iterations {statistics.median(reached):.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
