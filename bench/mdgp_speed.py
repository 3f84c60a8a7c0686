"""MDGP search speed at a fixed number of iterations: CPU seconds and iterations per CPU second.

    python bench/mdgp_speed.py [--only n120_ss] [--iterations 200000] [--seed 1]
        [--dir ../shared/bench/mdgplib]

A fixed iteration count makes the search (grouping and objective) the same on every run, so two
versions of the code can be compared on equal work: run this script once per checkout
(`PYTHONPATH=<checkout>/src`), interleaved (old, new, old, new), and compare the `it/CPU s` and the
`groups` digest (equal digests: the same search). Each row prints the load average beside it.
Without --iterations each instance runs its default count below (about 10 s of CPU before issue
14 session 9's speed-up).
"""

from __future__ import annotations

import argparse
import hashlib
import os
from pathlib import Path

import numpy as np

from tablee.engine.mdgp import MdgpInstance, read_instance, solve_mdgp

DEFAULT_DIR = Path(
    os.environ.get("TABLEE_MDGPLIB", Path(__file__).resolve().parents[2] / "shared" / "bench" / "mdgplib")
)

# (file, iterations)
INSTANCES: list[tuple[str, int]] = [
    ("RanReal_n120_ss_01.txt", 200_000),
    ("RanReal_n120_ds_01.txt", 200_000),
    ("RanInt_n120_ds_01.txt", 200_000),
    ("RanReal_n240_ss_01.txt", 100_000),
    ("RanInt_n240_ds_01.txt", 100_000),
    ("RanReal_n480_ss_01.txt", 30_000),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the instances whose name contains this")
    parser.add_argument("--iterations", type=int, default=0, help="iterations per instance")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="folder of the instance files")
    args = parser.parse_args(argv)

    # Load (or compile) the kernels outside the measured runs.
    tiny = MdgpInstance(n=4, lower=np.array([2, 2]), upper=np.array([2, 2]), d=np.ones((4, 4)) - np.eye(4))
    solve_mdgp(tiny, time_limit=60.0, seed=0, max_iterations=2)
    for name, iterations in INSTANCES:
        if args.only not in name:
            continue
        instance = read_instance(args.dir / name)
        iterations = args.iterations or iterations
        result = solve_mdgp(instance, time_limit=1e9, seed=args.seed, max_iterations=iterations,
                            clock="cpu")
        digest = hashlib.sha1(repr(result.groups).encode()).hexdigest()[:10]
        print(f"{Path(name).stem:<22} {result.iterations:>8} it  cpu {result.cpu_s:7.2f} s  "
              f"{result.iterations / result.cpu_s:9.0f} it/CPU s  objective {result.objective:.2f}  "
              f"groups {digest}  load {os.getloadavg()[0]:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
