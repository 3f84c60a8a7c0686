"""MDGP search speed at a fixed number of iterations: CPU seconds and iterations per CPU second.

    python bench/mdgp_speed.py [--only n120_ss] [--iterations 200000] [--seed 1]
        [--dir ../shared/bench/mdgplib] [--against OTHER/src] [--block 2000]

A fixed iteration count makes the search (grouping and objective) the same on every run, so two
versions of the code can be compared on equal work. Two ways:
- run this script once per checkout (`PYTHONPATH=<checkout>/src`), interleaved (old, new, old,
  new), and compare the `it/CPU s` and the `groups` digest (equal digests: the same search);
- `--against OTHER/src` (e.g. `git archive main src | tar -x -C /tmp/main`) loads the other
  checkout's `_mdgp_kernels.py` beside this one's and runs both searches in one process from the
  same start, alternating blocks of `--block` iterations, so that the machine's load falls on both
  alike; it prints each one's iterations per CPU second, the ratio and whether the two searches
  ended on the same best grouping. The set-up mirrors `solve_mdgp`'s.
Each row prints the load average beside it. Without --iterations each instance runs its default
count below (about 10 s of CPU before issue 14 session 9's speed-up).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from tablee.engine import _mdgp_kernels
from tablee.engine._random import new_stream
from tablee.engine.mdgp import MdgpInstance, MdgpParams, most_pairs_sizes, read_instance, solve_mdgp

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


def _kernels_of(src: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("other_mdgp_kernels",
                                                  src / "tablee" / "engine" / "_mdgp_kernels.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # numba's cache looks the module up by name when it loads a compiled kernel.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class _Search:
    """The state `solve_mdgp` builds before its loop, for one kernel module."""

    def __init__(self, kernels: ModuleType, instance: MdgpInstance, seed: int) -> None:
        k, params = kernels, MdgpParams()
        d = np.ascontiguousarray(instance.d, dtype=np.float64)
        lower = np.ascontiguousarray(instance.lower, dtype=np.int64)
        upper = np.ascontiguousarray(instance.upper, dtype=np.int64)
        n, n_groups = instance.n, lower.size
        rng = new_stream(seed)
        dmin = float(d[~np.eye(n, dtype=bool)].min()) if n > 1 else 0.0
        start_sizes = most_pairs_sizes(lower, upper, n)
        assign, _ = k.random_assignment(rng, n, start_sizes, start_sizes)
        members, size, pos = k.build_members(assign, n_groups, int(min(upper.max(), n)))
        w = k.compute_gains(d, assign, n_groups)
        bound = np.empty((n_groups, n_groups))
        k.local_search(rng, d, assign, size, members, pos, w, lower, upper, bound, dmin)
        self.kernels = k
        self.values = np.full(k.N_VALUES, k.objective_of(w, assign))
        self.counters = np.zeros(k.N_COUNTERS, dtype=np.int64)
        self.best = assign.copy()
        self.head: tuple[Any, ...] = (d, dmin, lower, upper, assign, size, members, pos, w, bound,
                                      self.best, self.values, self.counters, rng)
        self.tail: tuple[Any, ...] = (params.alpha, params.weak_min, params.weak_max,
                                      max(2, n // 8) if params.strong is None else params.strong,
                                      params.move_share,
                                      np.zeros((params.pool, n), dtype=np.int64),
                                      np.full(params.pool, k.EMPTY), assign.copy(), start_sizes,
                                      params.cross_share)
        self.cpu_s = 0.0

    def run(self, iterations: int) -> None:
        started = time.process_time()
        self.kernels.iterated_maxima_search(*self.head, iterations, *self.tail)
        self.cpu_s += time.process_time() - started


def _against(other: ModuleType, instance: MdgpInstance, name: str, iterations: int, block: int,
             seed: int) -> None:
    for kernels in (other, _mdgp_kernels):  # load or compile outside the clock
        _Search(kernels, instance, seed + 1).run(1)
    load = os.getloadavg()[0]
    searches = {"other": _Search(other, instance, seed), "this": _Search(_mdgp_kernels, instance, seed)}
    done = 0
    while done < iterations:
        todo = min(block, iterations - done)
        order = ("other", "this") if (done // block) % 2 == 0 else ("this", "other")
        for key in order:
            searches[key].run(todo)
        done += todo
    a, b = searches["other"], searches["this"]
    same = bool(np.array_equal(a.best, b.best)) and a.values[a.kernels.V_BEST] == b.values[b.kernels.V_BEST]
    print(f"{name:<22} {done:>8} it  other {done / a.cpu_s:8.0f} it/CPU s  this {done / b.cpu_s:8.0f} "
          f"it/CPU s  ratio {a.cpu_s / b.cpu_s:.3f}  best {b.values[b.kernels.V_BEST]:.2f}  "
          f"same search: {same}  load {load:.2f} -> {os.getloadavg()[0]:.2f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the instances whose name contains this")
    parser.add_argument("--iterations", type=int, default=0, help="iterations per instance")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="folder of the instance files")
    parser.add_argument("--against", type=Path, help="another checkout's src folder to compare with")
    parser.add_argument("--block", type=int, default=2000, help="iterations per turn with --against")
    args = parser.parse_args(argv)

    other = _kernels_of(args.against) if args.against else None
    # Load (or compile) the kernels outside the measured runs.
    tiny = MdgpInstance(n=4, lower=np.array([2, 2]), upper=np.array([2, 2]), d=np.ones((4, 4)) - np.eye(4))
    solve_mdgp(tiny, time_limit=60.0, seed=0, max_iterations=2)
    for name, iterations in INSTANCES:
        if args.only not in name:
            continue
        instance = read_instance(args.dir / name)
        iterations = args.iterations or iterations
        if other is not None:
            _against(other, instance, Path(name).stem, iterations, args.block, args.seed)
            continue
        result = solve_mdgp(instance, time_limit=1e9, seed=args.seed, max_iterations=iterations,
                            clock="cpu")
        digest = hashlib.sha1(repr(result.groups).encode()).hexdigest()[:10]
        print(f"{Path(name).stem:<22} {result.iterations:>8} it  cpu {result.cpu_s:7.2f} s  "
              f"{result.iterations / result.cpu_s:9.0f} it/CPU s  objective {result.objective:.2f}  "
              f"groups {digest}  load {os.getloadavg()[0]:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
