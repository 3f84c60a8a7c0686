"""Season benchmark (issue 3, point 5): 240 members, 10 breakfasts, tables of 5 to 7, with history
and wishes, planned in 20 s. Prints the target checks and compares need ↔ offer matches with random
seating (same attendance, same number and sizes of tables, averaged over 20 random seatings).

    .venv/bin/python bench/bench_season.py [--time-limit 20] [--seed 1] [--people 240] [--rounds 10]
    .venv/bin/python bench/bench_season.py --realistic [--seeds 1-5] [--matching words|themes]

--realistic uses `synthetic.realistic_season` (issue 14: varied vocabularies, skewed popularity,
attendance 70–90 %, history) over several seeds and prints one line per season plus the spread.
--matching themes passes the theme-level match matrix as `need_offer_matrix` (what sentence
vectors would see); `words` (default) leaves the engine to its exact-word alignment. Matches are
counted with the same matching for the plan and for random seating. Each season also prints
`match_upper_bound` (no plan keeping the hard rules can make more matches) over random seating.
The kernels are compiled or loaded (`warm_up`) before the first season, as a worker does when it
starts: no season's 20 s pays for it.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

import numpy as np

from tablee.engine import plan, warm_up
from tablee.engine.model import Problem, evaluate, parse_problem, score_matrices
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


def largest_table_and_pairs(attendees: int, tables: int, size_min: int, size_max: int) -> tuple[int, int]:
    """The largest table a round can have, and the most pairs its tables can hold (sizes as unequal
    as the limits allow: pairs grow with the square of the size)."""
    sizes = [size_min] * tables
    extra = attendees - size_min * tables
    for t in range(tables):
        sizes[t] += min(extra, size_max - size_min)
        extra -= sizes[t] - size_min
    return max(sizes), sum(s * (s - 1) // 2 for s in sizes)


def _meetings_allowed(problem_dict: dict) -> tuple[Problem, np.ndarray, np.ndarray]:
    """The parsed problem, each pair's matches per meeting (m(i, j) + m(j, i)) and how many times
    the hard rules let the pair meet: 0 if it met in the history, must avoid or never attends the
    same round as the other, the rounds both attend for a continue pair, else 1."""
    problem = parse_problem(problem_dict)
    scores = score_matrices(problem)
    present = np.zeros((problem.rounds, problem.n), dtype=np.int64)
    for r, attendees in enumerate(problem.attendance):
        present[r, attendees] = 1
    together = present.T @ present  # rounds both attend
    copies = np.where(scores.history_count > 0, 0, np.minimum(together, 1))
    for a, b in problem.continue_:
        copies[a, b] = copies[b, a] = together[a, b]
    for a, b in problem.avoid:
        copies[a, b] = copies[b, a] = 0
    np.fill_diagonal(copies, 0)
    return problem, scores.matches + scores.matches.T, copies


def matching_share(problem_dict: dict) -> float:
    """The share of the pairs allowed to meet that match (need ↔ offer, either way): random
    seating makes about this share of its pairs match, so the ratio to random falls as it rises."""
    _, value, copies = _meetings_allowed(problem_dict)
    allowed = np.triu(copies > 0, 1)
    return float((value[allowed] > 0).sum() / max(1, allowed.sum()))


def match_upper_bound(problem_dict: dict) -> float:
    """An upper bound on a plan's need ↔ offer matches (as `evaluate` counts them) under the hard
    rules: a pair counts m(i, j) + m(j, i) per meeting; a pair that met in the history or must
    avoid each other cannot meet (a continue pair can meet in each round both attend); a pair
    that never attends the same round cannot meet. Two relaxations, the bound is the smaller:
    - degrees: person i meets at most (largest table - 1) people per round attended, so the
      matches involving i are at most the sum of i's best that many eligible partner values;
      each meeting counts at both ends, hence half the sum over people;
    - pairs: the season holds at most sum over rounds of the most pairs its tables can hold, so
      the matches are at most the sum of that many best pair values.
    It ignores that a table is a clique (i's table-mates also meet each other), so it is loose."""
    problem, value, copies = _meetings_allowed(problem_dict)
    n = problem.n
    degree = np.zeros(n, dtype=np.int64)
    pair_slots = 0
    for r, attendees in enumerate(problem.attendance):
        largest, pairs = largest_table_and_pairs(len(attendees), problem.tables[r], problem.size_min,
                                                 problem.size_max)
        degree[attendees] += largest - 1
        pair_slots += pairs
    by_degree = 0.0
    for i in range(n):
        values = np.repeat(value[i], copies[i])
        by_degree += float(np.sort(values)[::-1][: degree[i]].sum())
    iu = np.triu_indices(n, 1)
    pair_values = np.sort(np.repeat(value[iu], copies[iu]))[::-1]
    return min(by_degree / 2, float(pair_values[:pair_slots].sum()))


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
    warm_up()  # kernels compiled or loaded before the clock starts, as a worker does
    load = os.getloadavg()[0]
    started = time.perf_counter()
    result = plan(problem, time_limit=args.time_limit, seed=args.seed)
    wall = time.perf_counter() - started
    stats = result["stats"]
    baseline = random_matches(problem, samples=20, seed=args.seed)
    ratio = stats["need_offer_matches"] / baseline if baseline else float("inf")
    bound = match_upper_bound(problem)
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
         f"{stats['need_offer_matches']} vs {baseline:.0f} random = {ratio:.2f}x "
         f"(upper bound {bound:.0f} = {bound / baseline:.2f}x)"),
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
    # As a worker does when it starts (tables.services.plan_run): the kernels are compiled or
    # loaded from numba's cache before the first season, so no season's budget pays for it.
    warm = warm_up()
    print(f"realistic seasons, {args.people} members, {args.rounds} rounds, {args.time_limit:g} s, "
          f"matching: {args.matching}, {os.cpu_count()} CPUs, kernels ready in {warm:.1f} s")
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
        bound = match_upper_bound(problem)
        share = matching_share(problem)
        meet = stats["meet_satisfied"] / stats["meet_total"] if stats["meet_total"] else 1.0
        ok = (stats["repeat_pairs"] == 0 and stats["avoid_violations"] == 0
              and stats["language_violations"] == 0 and meet >= 0.9)
        failures += not ok
        ratios.append(ratio)
        attendance = sum(len(a) for a in problem["attendance"]) / (args.people * args.rounds)
        print(f"  seed {seed}: {ratio:.2f}x ({stats['need_offer_matches']:.0f} vs {baseline:.0f} random; "
              f"bound {bound:.0f} = {bound / baseline:.2f}x; {share:.1%} of allowed pairs match), "
              f"repeats {stats['repeat_pairs']}, avoid {stats['avoid_violations']}, "
              f"language {stats['language_violations']}, meet {meet:.0%}, "
              f"newcomer spread penalty {stats['spread_penalty']:g}, "
              f"attendance {attendance:.0%}, {wall:.1f} s wall, load {load:.1f}"
              f"{'' if ok else '  [RULE BROKEN]'}", flush=True)
    mean = sum(ratios) / len(ratios)
    print(f"ratio: min {min(ratios):.2f}x, mean {mean:.2f}x, max {max(ratios):.2f}x; "
          f"seasons with a rule broken: {failures}")
    return 0 if failures == 0 and min(ratios) >= 3.5 else 1


if __name__ == "__main__":
    sys.exit(main())
