"""Big rooms (issue 14, point 4): one gala of 1 000 attendees at tables of 8 to 10.

    .venv/bin/python bench/bench_gala.py [--people 1000] [--limits 5 10 30] [--seed 1]

For each time limit, plans the single round and prints whether every hard rule holds (no avoid
pair together, nobody without a common language, sizes within 8..10), the meet wishes granted and
the need ↔ offer matches (more time, better plan). Then repairs the 30 s plan after 20 no-shows and
10 walk-ins and prints the repair time. The people are `synthetic.realistic_season` members
(seed 7), all attending. Wall-clock limits: the load average is printed with every line.
"""

from __future__ import annotations

import argparse
import os
import time

from tablee.engine import plan, repair
from tablee.engine.synthetic import realistic_season


def gala(people: int) -> dict:
    problem = realistic_season(seed=7, people=people + 10, rounds=1)
    ids = [p["id"] for p in problem["people"]]
    problem["attendance"] = [ids[:people]]
    problem["table_size"] = {"min": 8, "target": 9, "max": 10}
    problem["history"], problem["continue"] = [], []
    present = set(ids[:people])
    problem["meet"] = [p for p in problem["meet"] if set(p) <= present]
    return problem


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--limits", type=float, nargs="+", default=[5.0, 10.0, 30.0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    problem = gala(args.people)
    print(f"gala: {args.people} attendees, tables of 8 to 10, {os.cpu_count()} CPUs")
    last = None
    for limit in args.limits:
        load = os.getloadavg()[0]
        started = time.perf_counter()
        result = plan(problem, time_limit=limit, seed=args.seed)
        wall = time.perf_counter() - started
        stats = result["stats"]
        valid = (stats["avoid_violations"] == 0 and stats["language_violations"] == 0
                 and stats["size_violations"] == 0)
        print(f"  limit {limit:g} s: {'valid' if valid else 'INVALID'}, {len(result['rounds'][0])} tables, "
              f"meet {stats['meet_satisfied']}/{stats['meet_total']}, "
              f"need-offer {stats['need_offer_matches']}, objective {stats['objective']:.1f}, "
              f"{stats['iterations']} iterations, {wall:.1f} s wall, load {load:.1f}", flush=True)
        last = result
    tables = [t["people"] for t in last["rounds"][0]]
    ids = [p["id"] for p in problem["people"]]
    absent = [t[0] for t in tables[:20]]
    walk_ins = ids[args.people:args.people + 10]
    load = os.getloadavg()[0]
    started = time.perf_counter()
    fixed = repair(problem, tables, absent=absent, walk_ins=walk_ins)
    wall = time.perf_counter() - started
    print(f"  repair (20 no-shows, 10 walk-ins): {wall:.2f} s wall, moved {len(fixed['moved'])}, "
          f"seated {len(fixed['seated_walk_ins'])} walk-ins, load {load:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
