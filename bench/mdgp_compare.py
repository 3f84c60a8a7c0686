"""Two MDGP parameter sets at the same CPU budget, alternated seed by seed (issue 14, session 11).

Alternating old and new in one process gives both the same machine load, so their objectives
compare equal work even on a shared machine; the iterations each run bought are printed too.

    .venv/bin/python bench/mdgp_compare.py /work/shared/bench/mdgplib/RanReal_n120_ds_01.txt \
        --budget 10 --seeds 1-5 --new '{"tournament": 4}' [--old '{}']
"""

from __future__ import annotations

import argparse
import json
import os
import statistics

from mdgp_hitting import _seeds  # the same SEEDS syntax ("2-11" or "1,4,7"); bench/ is on the path

from tablee.engine.mdgp import MdgpParams, read_instance, solve_mdgp


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance")
    parser.add_argument("--budget", type=float, default=10.0, help="CPU seconds per run")
    parser.add_argument("--seeds", default="1-5")
    parser.add_argument("--old", default="{}", help="MdgpParams fields as JSON")
    parser.add_argument("--new", required=True, help="MdgpParams fields as JSON")
    args = parser.parse_args()
    instance = read_instance(args.instance)
    variants = {"old": MdgpParams(**json.loads(args.old)), "new": MdgpParams(**json.loads(args.new))}
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"old {args.old}, new {args.new}")
    found: dict[str, list[float]] = {name: [] for name in variants}
    for seed in _seeds(args.seeds):
        line = [f"seed {seed}:"]
        for name, params in variants.items():
            result = solve_mdgp(instance, time_limit=args.budget, seed=seed, params=params, clock="cpu")
            found[name].append(result.objective)
            restarts = f", {result.pool_restarts} restarts" if result.pool_restarts else ""
            line.append(f"{name} {result.objective:.2f} ({result.iterations} it.{restarts})")
        print(" ".join(line), f"load {os.getloadavg()[0]:.2f}", flush=True)
    for name, values in found.items():
        print(f"{name}: median {statistics.median(values):.2f}, mean {statistics.fmean(values):.2f}, "
              f"worst {min(values):.2f}, best {max(values):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
