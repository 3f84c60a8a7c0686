"""Benchmark the MDGP solver on MDGPLIB instances and print a table.

    python bench/bench_mdgp.py [--quick] [--seeds 1] [--clock wall|cpu] [--dir ../shared/bench/mdgplib]
        [--only n120]

Each instance runs with its time budget (`--quick`: a tenth, at least 1 s), once per seed of
--seeds (e.g. `1-5`, or `1,3`); with several seeds the table gives the best, mean and worst. Gap
is (reference - objective) / reference: negative means better than the reference. `--clock cpu`
measures each budget in CPU time of this process, as the C++ IMS does (`clock()` in its main
loop; checked in the copy shipped with the R package mhoehle/socialroulette, src/IMS.cpp): on a
shared machine this compares equal work. The load average is printed with every row.
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
# by Araujo & Figueiredo (SBPO 2018) for the two small ones; for n120 to n480 the C++ Iterated
# Maxima Search (Lai & Hao 2016), best of two seeds at the same budget on this kind of machine, as
# measured in issue 14.
INSTANCES: list[tuple[str, float, float | None]] = [
    ("RanInt_n012_ss_03.txt", 1.0, 993.0),
    ("RanReal_n030_ss_01.txt", 3.0, None),
    ("RanReal_n060_ss_04.txt", 3.0, 18050.80),
    ("RanReal_n120_ss_01.txt", 10.0, 47351.97),
    ("RanReal_n120_ss_02.txt", 10.0, None),
    ("RanReal_n120_ds_01.txt", 10.0, 50541.08),
    ("RanInt_n120_ds_01.txt", 10.0, 51140.0),
    ("RanReal_n240_ss_01.txt", 30.0, 155241.93),
    ("RanInt_n240_ds_01.txt", 30.0, 160350.0),
    ("RanReal_n480_ss_01.txt", 60.0, 377844.87),
]


def parse_seeds(text: str) -> list[int]:
    """`1-5` → [1, 2, 3, 4, 5]; `1,3` → [1, 3]; `2` → [2]."""
    if "-" in text:
        low, high = (int(x) for x in text.split("-", 1))
        return list(range(low, high + 1))
    return [int(x) for x in text.split(",")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of each budget (at least 1 s)")
    parser.add_argument("--seeds", "--seed", default="1", help="seeds: 1, 1-5 or 1,3 (default 1)")
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="folder of the instance files")
    parser.add_argument("--only", default="", help="run the instances whose name contains this")
    args = parser.parse_args(argv)

    seeds = parse_seeds(args.seeds)
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
          f" ({os.cpu_count()} CPUs); clock: {args.clock}; seeds {seeds}")
    header = (f"{'instance':<24}{'budget s':>9}{'seeds':>6}{'best':>12}{'mean':>12}{'worst':>12}"
              f"{'reference':>12}{'gap % (best/worst)':>20}{'wall s':>8}{'load':>6}")
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
        objectives, walls = [], []
        for seed in seeds:
            started = time.perf_counter()
            result = solve_mdgp(instance, time_limit=budget, seed=seed, clock=args.clock)
            walls.append(time.perf_counter() - started)
            objectives.append(result.objective)
            if len(seeds) > 1:
                print(f"  {Path(name).stem} seed {seed}: {result.objective:.2f} "
                      f"({result.iterations} iterations, wall {walls[-1]:.1f} s, "
                      f"cpu {result.cpu_s:.1f} s)", flush=True)
        best, worst = max(objectives), min(objectives)
        mean = sum(objectives) / len(objectives)
        ref = f"{reference:.2f}" if reference is not None else "-"
        gap = (f"{100 * (reference - best) / reference:.3f}/{100 * (reference - worst) / reference:.3f}"
               if reference else "-")
        print(f"{Path(name).stem:<24}{budget:>9.1f}{len(seeds):>6}{best:>12.2f}{mean:>12.2f}"
              f"{worst:>12.2f}{ref:>12}{gap:>20}{max(walls):>8.1f}{os.getloadavg()[0]:>6.1f}",
              flush=True)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
