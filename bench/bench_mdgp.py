"""Benchmark the MDGP solver on MDGPLIB instances and print a table.

    python bench/bench_mdgp.py [--quick] [--seed 1] [--dir ../shared/bench/mdgplib] [--only n120]

Each instance runs with its time budget (`--quick`: a tenth, at least 1 s). Gap is
(reference - objective) / reference: negative means better than the reference. The load average is
printed too: on a shared machine a busy CPU means fewer iterations in the same budget.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from tablee.engine.mdgp import read_instance, solve_mdgp

# The shared benchmark folder sits beside the checkout (../shared/bench/mdgplib).
DEFAULT_DIR = Path(
    os.environ.get("TABLEE_MDGPLIB", Path(__file__).resolve().parents[2] / "shared" / "bench" / "mdgplib")
)

# (file, budget in seconds, reference objective or None). References: best-known values published
# by Araujo & Figueiredo (SBPO 2018) for the two small ones, Iterated Maxima Search (Lai & Hao 2016)
# run on a 2-core machine with the same budget for n120 and n240 (issue 3).
INSTANCES: list[tuple[str, float, float | None]] = [
    ("RanInt_n012_ss_03.txt", 1.0, 993.0),
    ("RanReal_n030_ss_01.txt", 3.0, None),
    ("RanReal_n060_ss_04.txt", 3.0, 18050.80),
    ("RanReal_n120_ss_01.txt", 10.0, 47338.40),
    ("RanReal_n120_ss_02.txt", 10.0, None),
    ("RanReal_n120_ds_01.txt", 10.0, None),
    ("RanInt_n120_ds_01.txt", 10.0, None),
    ("RanReal_n240_ss_01.txt", 30.0, 155241.93),
    ("RanInt_n240_ds_01.txt", 30.0, None),
    ("RanReal_n480_ss_01.txt", 60.0, None),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of each budget (at least 1 s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="folder of the instance files")
    parser.add_argument("--only", default="", help="run the instances whose name contains this")
    args = parser.parse_args(argv)

    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
          f" ({os.cpu_count()} CPUs)")
    header = (f"{'instance':<24}{'budget s':>9}{'seed':>6}{'objective':>14}{'reference':>14}"
              f"{'gap %':>8}{'elapsed s':>10}{'iterations':>12}")
    print(header)
    print("-" * len(header))
    for name, budget, reference in INSTANCES:
        if args.only not in name:
            continue
        path = args.dir / name
        if not path.exists():
            print(f"{name:<24} missing in {args.dir}", file=sys.stderr)
            continue
        if args.quick:
            budget = max(1.0, budget / 10)
        instance = read_instance(path)
        started = time.perf_counter()
        result = solve_mdgp(instance, time_limit=budget, seed=args.seed)
        elapsed = time.perf_counter() - started
        ref = f"{reference:.2f}" if reference is not None else "-"
        gap = f"{100 * (reference - result.objective) / reference:.3f}" if reference else "-"
        print(f"{Path(name).stem:<24}{budget:>9.1f}{args.seed:>6}{result.objective:>14.2f}{ref:>14}"
              f"{gap:>8}{elapsed:>10.2f}{result.iterations:>12}", flush=True)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
