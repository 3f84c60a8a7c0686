"""Season benchmark (issue 3, point 5): 240 members, 10 breakfasts, tables of 5 to 7, with history
and wishes, planned in 20 s. Prints the target checks and compares need ↔ offer matches with random
seating (same attendance, same number and sizes of tables, averaged over 20 random seatings).

    .venv/bin/python bench/bench_season.py [--time-limit 20] [--seed 1] [--people 240] [--rounds 10]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

from tablee.engine import plan
from tablee.engine.model import evaluate, parse_problem, score_matrices
from tablee.engine.synthetic import season_problem


def random_matches(problem_dict: dict, samples: int, seed: int) -> float:
    problem = parse_problem(problem_dict)
    scores = score_matrices(problem)
    rnd = random.Random(seed)
    total = 0
    for _ in range(samples):
        rounds = []
        for r, present in enumerate(problem.attendance):
            order = present[:]
            rnd.shuffle(order)
            tables = problem.tables[r]
            rounds.append([order[t::tables] for t in range(tables)])
        total += evaluate(problem, scores, rounds)["need_offer_matches"]
    return total / samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--people", type=int, default=240)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--topics", type=int, default=24,
                        help="size of the needs/offers vocabulary (fewer: random seating matches more)")
    args = parser.parse_args()

    problem = season_problem(people=args.people, rounds=args.rounds, topics=args.topics, seed=args.seed)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    result = plan(problem, time_limit=args.time_limit, seed=args.seed)
    wall = time.perf_counter() - started
    stats = result["stats"]
    baseline = random_matches(problem, samples=20, seed=args.seed)
    ratio = stats["need_offer_matches"] / baseline if baseline else float("inf")
    meet_share = stats["meet_satisfied"] / stats["meet_total"] if stats["meet_total"] else 1.0
    checks = [
        ("no pair meets twice (history included)", stats["repeat_pairs"] == 0,
         f"{stats['repeat_pairs']} repeat pairs"),
        ("no avoid pair together", stats["avoid_violations"] == 0,
         f"{stats['avoid_violations']} violations"),
        ("nobody without a common language", stats["language_violations"] == 0,
         f"{stats['language_violations']} violations"),
        (">= 90 % of meet wishes", meet_share >= 0.9,
         f"{stats['meet_satisfied']}/{stats['meet_total']} = {meet_share:.0%}"),
        (">= 3x need ↔ offer matches of random seating", ratio >= 3.0,
         f"{stats['need_offer_matches']} vs {baseline:.0f} random = {ratio:.2f}x"),
        (f"within {args.time_limit:g} s", wall <= args.time_limit + 1.0, f"{wall:.1f} s wall"),
    ]
    print(f"season: {args.people} members, {args.rounds} rounds, {args.topics} topics, seed {args.seed}, "
          f"load average at start {load:.2f}, {os.cpu_count()} CPUs")
    print(f"solver: {stats['iterations']} iterations, objective {stats['objective']:.1f}, "
          f"continue {stats['continue_satisfied']}/{stats['continue_total']}, "
          f"spread penalty {stats['spread_penalty']}")
    for name, ok, detail in checks:
        print(f"  [{'ok' if ok else 'FAIL'}] {name}: {detail}")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
