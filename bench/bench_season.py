"""Season benchmark (issue 3, point 5): 240 members, 10 breakfasts, tables of 5 to 7, with history
and wishes, planned in 20 s. Prints the target checks and compares need ↔ offer matches with random
seating (same attendance, same number and sizes of tables, averaged over 20 random seatings).

    .venv/bin/python bench/bench_season.py [--time-limit 20] [--seed 1] [--people 240] [--rounds 10]
    .venv/bin/python bench/bench_season.py --realistic [--seeds 1-5] [--matching words|themes]

--realistic uses `synthetic.realistic_season` (issue 14: varied vocabularies, skewed popularity,
attendance 70–90 %, history) over several seeds and prints one line per season plus the spread.
--matching themes passes the theme-level match matrix as `need_offer_matrix` (what sentence
vectors would see); `words` (default) leaves the engine to its exact-word alignment. Matches are
counted with the same matching for the plan and for random seating.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

from tablee.engine import plan
from tablee.engine.model import evaluate, parse_problem, score_matrices
from tablee.engine.synthetic import realistic_season, season_problem, theme_matrix


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
    parser.add_argument("--realistic", action="store_true")
    parser.add_argument("--seeds", default="1-5", help="with --realistic: 1-5 or 1,3")
    parser.add_argument("--matching", choices=["words", "themes"], default="words")
    args = parser.parse_args()
    if args.realistic:
        return realistic(args)

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


def realistic(args: argparse.Namespace) -> int:
    if "-" in args.seeds:
        low, high = (int(x) for x in args.seeds.split("-"))
        seeds = list(range(low, high + 1))
    else:
        seeds = [int(x) for x in args.seeds.split(",")]
    print(f"realistic seasons, {args.people} members, {args.rounds} rounds, {args.time_limit:g} s, "
          f"matching: {args.matching}, {os.cpu_count()} CPUs")
    ratios, failures = [], 0
    for seed in seeds:
        problem = realistic_season(seed=seed, people=args.people, rounds=args.rounds)
        if args.matching == "themes":
            problem["need_offer_matrix"] = theme_matrix(problem)
        load = os.getloadavg()[0]
        started = time.perf_counter()
        result = plan(problem, time_limit=args.time_limit, seed=seed)
        wall = time.perf_counter() - started
        stats = result["stats"]
        baseline = random_matches(problem, samples=20, seed=seed)
        ratio = stats["need_offer_matches"] / baseline if baseline else float("inf")
        meet = stats["meet_satisfied"] / stats["meet_total"] if stats["meet_total"] else 1.0
        ok = (stats["repeat_pairs"] == 0 and stats["avoid_violations"] == 0
              and stats["language_violations"] == 0 and meet >= 0.9)
        failures += not ok
        ratios.append(ratio)
        attendance = sum(len(a) for a in problem["attendance"]) / (args.people * args.rounds)
        print(f"  seed {seed}: {ratio:.2f}x ({stats['need_offer_matches']:.0f} vs {baseline:.0f} random), "
              f"repeats {stats['repeat_pairs']}, avoid {stats['avoid_violations']}, "
              f"language {stats['language_violations']}, meet {meet:.0%}, "
              f"attendance {attendance:.0%}, {wall:.1f} s wall, load {load:.1f}"
              f"{'' if ok else '  [RULE BROKEN]'}", flush=True)
    mean = sum(ratios) / len(ratios)
    print(f"ratio: min {min(ratios):.2f}x, mean {mean:.2f}x, max {max(ratios):.2f}x; "
          f"seasons with a rule broken: {failures}")
    return 0 if failures == 0 and min(ratios) >= 3.5 else 1


if __name__ == "__main__":
    sys.exit(main())
