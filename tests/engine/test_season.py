"""The season planner: hard rules (hypothesis), brute-force optimum, determinism, wishes, errors."""

from __future__ import annotations

import importlib.util
import itertools
import random
import re
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tablee.engine import ProblemError, plan
from tablee.engine.model import evaluate, parse_problem, score_matrices
from tablee.engine.season import SearchParams, solve_season
from tablee.engine.synthetic import season_problem


def person(pid, **fields):
    return {"id": pid, "offers": [], "needs": [], "interests": [], "sector": "",
            "languages": ["fr"], **fields}


def check_hard_rules(problem: dict, result: dict) -> None:
    parsed = parse_problem(problem)
    sizes = problem["table_size"]
    for r, tables in enumerate(result["rounds"]):
        seated = [pid for t in tables for pid in t["people"]]
        expected = parsed.ids(parsed.attendance[r])
        assert sorted(seated, key=str) == sorted(expected, key=str), "everyone seated exactly once"
        for t in tables:
            assert sizes["min"] <= len(t["people"]) <= sizes["max"]
            for pid in t["people"]:
                langs = set(parsed.people[parsed.index[pid]].languages)
                others = [parsed.people[parsed.index[q]] for q in t["people"] if q != pid]
                assert any(not o.languages or langs & o.languages for o in others), pid
            for a, b in problem.get("avoid", []):
                assert not (a in t["people"] and b in t["people"])
        for pid, table in (parsed.pinned[r] or {}).items():
            assert parsed.people[pid].id in tables[table]["people"]
    assert result["stats"]["avoid_violations"] == 0
    assert result["stats"]["language_violations"] == 0
    assert result["stats"]["size_violations"] == 0


@st.composite
def feasible_problems(draw):
    """A problem built around a hidden valid seating, so that every hard rule can be met."""
    size_min = draw(st.integers(2, 3))
    size_max = draw(st.integers(size_min, 5))
    tables = draw(st.integers(1, 4))
    sizes = [draw(st.integers(size_min, size_max)) for _ in range(tables)]
    n = sum(sizes)
    ids = [f"p{k}" for k in range(n)] if draw(st.booleans()) else list(range(100, 100 + n))
    seating, k = [], 0
    for s in sizes:
        seating.append(ids[k:k + s])
        k += s
    topics = ["a", "b", "c", "d"]
    people = []
    for t, table in enumerate(seating):  # everyone at a hidden table speaks its language
        lang = ["fr"] if t % 2 == 0 else ["en"]
        for pid in table:
            people.append(person(pid, languages=lang if draw(st.booleans()) else ["fr", "en"],
                                 offers=draw(st.lists(st.sampled_from(topics), max_size=2)),
                                 needs=draw(st.lists(st.sampled_from(topics), max_size=2))))
    where = {pid: t for t, table in enumerate(seating) for pid in table}
    apart = [[a, b] for a, b in itertools.combinations(ids, 2) if where[a] != where[b]]
    avoid = draw(st.lists(st.sampled_from(apart), max_size=4, unique_by=lambda p: tuple(p))) if apart else []
    rounds = draw(st.integers(1, 3))
    attendance, counts, pinned = [], [], []
    for _ in range(rounds):  # whole hidden tables come or not: the hidden seating stays valid
        present = draw(st.lists(st.integers(0, tables - 1), min_size=1, unique=True).map(sorted))
        attendance.append([pid for t in present for pid in seating[t]])
        counts.append(len(present))
        pins = {}
        if draw(st.booleans()):
            pid = draw(st.sampled_from(attendance[-1]))
            pins = {str(pid): present.index(where[pid])}
        pinned.append(pins)
    return {
        "people": people,
        "rounds": rounds,
        "table_size": {"min": size_min, "target": size_min, "max": size_max},
        "tables": counts,
        "attendance": attendance,
        "avoid": avoid,
        "pinned": pinned,
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=feasible_problems(), seed=st.integers(0, 1000))
def test_every_hard_rule_holds_on_random_feasible_problems(problem, seed):
    result = plan(problem, time_limit=10, seed=seed, max_iterations=400)

    check_hard_rules(problem, result)


def all_partitions(items, sizes_ok, tables):
    """Every split of items into `tables` unordered groups whose sizes pass sizes_ok."""
    def rec(rest, groups):
        if not rest:
            if len(groups) == tables and all(sizes_ok(len(g)) for g in groups):
                yield [list(g) for g in groups]
            return
        first, *others = rest
        for g in groups:
            g.append(first)
            yield from rec(others, groups)
            g.pop()
        if len(groups) < tables:
            groups.append([first])
            yield from rec(others, groups)
            groups.pop()
    yield from rec(list(items), [])


TINY_TOPICS = ["financement", "mentorat", "marketing", "juridique"]


def tiny_problem(seed: int, n: int, rounds: int) -> dict:
    rnd = random.Random(seed)
    people = [person(f"p{k}", offers=rnd.sample(TINY_TOPICS, 1), needs=rnd.sample(TINY_TOPICS, 1),
                     interests=rnd.sample(["vélo", "ski", "lecture"], 1),
                     sector=rnd.choice(["santé", "arts", "finance"]),
                     languages=rnd.choice([["fr"], ["fr", "en"]]))
              for k in range(n)]
    ids = [p["id"] for p in people]
    return {
        "people": people,
        "rounds": rounds,
        "table_size": {"min": 2, "target": 3, "max": 4},
        "history": [[ids[: n // 2], ids[n // 2:]]],
        "meet": [[ids[0], ids[3]]],
        "avoid": [[ids[1], ids[2]]],
    }


@pytest.mark.parametrize(("seed", "n", "rounds"), [(1, 7, 1), (2, 8, 1), (3, 6, 2), (4, 7, 2)])
def test_the_solver_finds_the_brute_force_optimum_on_tiny_instances(seed, n, rounds):
    problem = tiny_problem(seed, n, rounds)
    parsed = parse_problem(problem)
    scores = score_matrices(parsed)
    t = parsed.tables[0]
    seatings = list(all_partitions(range(n), lambda s: 2 <= s <= 4, t))
    best = max(evaluate(parsed, scores, list(combo))["objective"]
               for combo in itertools.product(seatings, repeat=rounds))

    result = solve_season(parsed, scores, time_limit=20, seed=seed, max_iterations=3000)

    assert evaluate(parsed, scores, result.rounds)["objective"] == pytest.approx(best)
    assert result.objective == pytest.approx(best)


def test_the_same_seed_and_iterations_give_the_same_plan():
    problem = season_problem(people=60, rounds=4, meet_wishes=15, avoid_pairs=5, seed=7)

    first = plan(problem, time_limit=60, seed=11, max_iterations=800)
    second = plan(problem, time_limit=60, seed=11, max_iterations=800)

    assert first["rounds"] == second["rounds"]
    assert first["stats"]["objective"] == second["stats"]["objective"]


@pytest.mark.parametrize("params", [
    SearchParams(stall_visits=10),  # the defaults: meeting transfers, perturbations with no repeat
    # Plain tabu, any perturbation, from the best plan: the rebuild after a perturbation.
    SearchParams(stall_visits=10, transfer=0, perturb_cost=None, restore_best=True),
    SearchParams(stall_visits=10, transfer=1),  # a transfer pass after every iteration
])
def test_the_incremental_objective_matches_a_recount_from_scratch(params):
    problem = season_problem(people=80, rounds=5, meet_wishes=20, avoid_pairs=6, seed=3)
    parsed = parse_problem(problem)
    scores = score_matrices(parsed)

    result = solve_season(parsed, scores, time_limit=60, seed=5, max_iterations=3000, params=params)

    assert result.perturbations > 0
    if params.transfer:
        assert result.transfers > 0  # and the two-round steps of the transfers
    assert result.objective == pytest.approx(evaluate(parsed, scores, result.rounds)["objective"])


def random_seating_stats(problem_dict: dict, *, samples: int, seed: int) -> list[dict]:
    """The same attendance seated at random: same number of tables per round, sizes within one."""
    parsed = parse_problem(problem_dict)
    scores = score_matrices(parsed)
    rnd = random.Random(seed)
    out = []
    for _ in range(samples):
        rounds = []
        for r, present in enumerate(parsed.attendance):
            order = present[:]
            rnd.shuffle(order)
            rounds.append([order[t::parsed.tables[r]] for t in range(parsed.tables[r])])
        out.append(evaluate(parsed, scores, rounds))
    return out


def test_a_season_has_no_repeats_grants_wishes_and_beats_random_seating():
    problem = season_problem(people=72, rounds=4, meet_wishes=18, avoid_pairs=6, seed=2)

    # A fixed number of iterations, not a clock: the same plan on a loaded machine (time is for bench/).
    result = plan(problem, time_limit=120, seed=1, max_iterations=3000)
    randoms = random_seating_stats(problem, samples=50, seed=2)

    stats = result["stats"]
    check_hard_rules(problem, result)
    assert stats["repeat_pairs"] == 0
    assert stats["meet_satisfied"] >= 0.9 * stats["meet_total"]  # seen: 17 of 18
    assert stats["continue_satisfied"] == stats["continue_total"]
    # Random seating, same attendance and tables, 50 draws: 110.1 need <-> offer matches on average,
    # standard deviation 9.9, best draw 141; the planner makes 149 (1.35x: 72 people and 24 topics
    # leave less to gain than the 240-person bench). The bar is the random mean + 3 standard
    # deviations (about 140): a planner blind to needs and offers (complementarity weight 0) makes
    # 97 and fails it.
    matches = [s["need_offer_matches"] for s in randoms]
    mean = sum(matches) / len(matches)
    sd = (sum((m - mean) ** 2 for m in matches) / len(matches)) ** 0.5
    assert stats["need_offer_matches"] >= mean + 3 * sd
    # The best random draw repeats 119 pairs and grants at most 7 of the 18 meet wishes.
    assert stats["repeat_pairs"] < min(s["repeat_pairs"] for s in randoms)
    assert stats["meet_satisfied"] > max(s["meet_satisfied"] for s in randoms)


def test_continue_pairs_sit_together_again_despite_history():
    people = [person(k) for k in range(12)]
    problem = {"people": people, "rounds": 1, "table_size": {"min": 4, "target": 4, "max": 4},
               "history": [[[k, k + 1] for k in range(0, 12, 2)]], "continue": [[0, 1]]}

    result = plan(problem, time_limit=5, seed=0)

    tables = [set(t["people"]) for t in result["rounds"][0]]
    assert any({0, 1} <= t for t in tables)
    assert result["stats"]["repeat_pairs"] == 0  # a continue pair is not a repeat
    assert result["stats"]["continue_satisfied"] == 1


def test_recent_history_weighs_more_than_old_history():
    # 0 met 1 long ago and 2 last time; tables of 2 force 0 to sit with 1 or 2 (3 is pinned away).
    people = [person(k) for k in range(4)]
    problem = {"people": people, "rounds": 1, "table_size": {"min": 2, "target": 2, "max": 2},
               "history": [[[0, 1], [2, 3]], [[0, 2], [1, 3]]],
               "avoid": [[0, 3]]}

    result = plan(problem, time_limit=5, seed=0)

    assert {0, 1} in [set(t["people"]) for t in result["rounds"][0]]


def test_hosts_and_newcomers_are_spread_across_tables():
    people = [person(f"p{k}", host=k < 4, tags=["nouveau"] if 4 <= k < 8 else []) for k in range(24)]
    problem = {"people": people, "rounds": 2, "table_size": {"min": 6, "target": 6, "max": 6},
               "hosts_per_table": True, "spread_attribute": "nouveau"}

    result = plan(problem, time_limit=5, seed=3)

    for tables in result["rounds"]:
        for t in tables:
            ks = [int(pid[1:]) for pid in t["people"]]
            assert sum(k < 4 for k in ks) == 1
            assert sum(4 <= k < 8 for k in ks) == 1


def test_pinned_people_stay_at_their_table_and_fixed_table_counts_are_kept():
    people = [person(f"p{k}") for k in range(12)]
    problem = {"people": people, "rounds": 2, "table_size": {"min": 2, "target": 6, "max": 6},
               "tables": 3, "pinned": [{"p0": 2, "p1": 2}, None]}

    result = plan(problem, time_limit=5, seed=0)

    assert [len(r) for r in result["rounds"]] == [3, 3]
    assert {"p0", "p1"} <= set(result["rounds"][0][2]["people"])


def test_why_texts_speak_french_and_english_and_never_mention_avoid():
    people = [
        person("a", name="Marie", needs=["financement"], interests=["vélo"], sector="santé"),
        person("b", name="Paul", offers=["financement"], interests=["vélo"], sector="finance"),
        person("c", name="Anne", interests=["vélo"], sector="arts"),
        person("d", name="Luc", sector="arts"),
    ]
    problem = {"people": people, "rounds": 1, "table_size": {"min": 2, "target": 4, "max": 4},
               "tables": 1, "avoid": []}
    problem_avoid = {**problem, "people": people + [person("e", name="Zoé")],
                     "table_size": {"min": 2, "target": 5, "max": 5}, "avoid": [["d", "e"]],
                     "meet": [["a", "c"]]}

    fr = plan(problem, time_limit=5, seed=0)["rounds"][0][0]["why"]
    en = plan(problem, time_limit=5, seed=0, lang="en")["rounds"][0][0]["why"]
    forced = plan(problem_avoid, time_limit=5, seed=0)

    assert "Marie cherche «\u00a0financement\u00a0»\u00a0: Paul peut l'aider." in fr
    assert "Secteurs variés\u00a0: arts, finance, santé." in fr
    assert "Vous ne vous êtes encore jamais rencontrés." in fr  # addressed to the table, like its emails
    assert "Marie is looking for “financement”: Paul can help." in en
    assert "You have never met before." in en
    assert any("vélo" in s for s in fr)
    text = " ".join(s for t in forced["rounds"][0] for s in t["why"]).lower()
    assert "évit" not in text and "avoid" not in text
    assert forced["stats"]["avoid_violations"] == 1  # one table only: the stat counts, never names
    assert "avoid" not in str(forced["rounds"])


@pytest.mark.parametrize(("change", "message"), [
    (lambda p: p["avoid"].append(["a", "zz"]), "avoid[0]: unknown person id 'zz'"),
    (lambda p: p.update(table_size={"min": 5, "target": 4, "max": 6}), "table_size: impossible sizes"),
    (lambda p: p.update(attendance=[["a", "b", "c"]]), "round 1 cannot be seated: 3 attendees"),
    (lambda p: p["people"].append(person("e", languages=["de"])), "nobody else speaks a language of 'e'"),
    (lambda p: p["people"].append(person("a")), "duplicate id 'a'"),
    (lambda p: p.update(pinned={"a": 9}), "table 9 of 'a' is not in 0..0"),
    (lambda p: p.update(weights={"bogus": 1}), "unknown weight 'bogus'"),
    (lambda p: p.update(need_offer_matrix=[[0, 1]]), "need_offer_matrix: expected 4×4 numbers"),
    (lambda p: p.update(need_offer_matrix=[[0, -1, 0, 0]] * 4), "finite and non-negative"),
    (lambda p: p.update(need_offer_matrix="close"), "need_offer_matrix"),
])
def test_invalid_problems_are_clear_errors(change, message):
    problem = {"people": [person(x) for x in "abcd"], "rounds": 1,
               "table_size": {"min": 4, "target": 4, "max": 5}, "avoid": []}
    change(problem)

    with pytest.raises(ProblemError, match=re.escape(message)):
        plan(problem, time_limit=1, seed=0)


def test_the_time_limit_is_honoured_and_progress_is_reported():
    parsed = parse_problem(season_problem(people=240, rounds=3, seed=5))
    scores = score_matrices(parsed)
    solve_season(parsed, scores, time_limit=5, seed=0, max_iterations=3)  # kernels loaded: the run measures search
    reports = []

    # On this process's CPU clock: a loaded machine may starve the process of a second of wall time,
    # which no solver can help; what the solver owes is to look at its clock often (~50 ms of work).
    result = solve_season(parsed, scores, time_limit=2, seed=0, progress=lambda f, m: reports.append((f, m)),
                          timer=time.process_time)

    assert 2 <= result.elapsed_s <= 2.5
    fractions = [f for f, _ in reports]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert all(m.startswith("objectif") for _, m in reports)


def test_a_need_offer_matrix_replaces_the_word_alignment():
    # Words do not match ("trouver du financement" vs "seed funding"); the app's similarity does.
    people = [
        person("a", name="Marie", needs=["trouver du financement"]),
        person("b", name="Paul", offers=["seed funding"]),
        person("c", name="Anne"),
        person("d", name="Luc"),
    ]
    problem = {"people": people, "rounds": 1, "table_size": {"min": 2, "target": 2, "max": 2},
               "tables": 2}
    similar = [[0.0, 0.9, 0.0, 0.0], [0.0] * 4, [0.0] * 4, [0.0] * 4]

    by_words = score_matrices(parse_problem(problem))
    by_matrix = score_matrices(parse_problem({**problem, "need_offer_matrix": similar}))
    result = plan({**problem, "need_offer_matrix": similar}, time_limit=5, seed=0)

    assert by_words.matches[0, 1] == 0
    assert by_matrix.matches[0, 1] == 0.9
    assert by_matrix.base[0, 1] > by_words.base[0, 1]
    assert result["stats"]["need_offer_matches"] == pytest.approx(0.9)
    table = next(t for t in result["rounds"][0] if "a" in t["people"])
    assert sorted(table["people"]) == ["a", "b"]
    assert any("Paul" in s for s in table["why"])


def _bench_season():
    path = Path(__file__).resolve().parents[2] / "bench" / "bench_season.py"
    spec = importlib.util.spec_from_file_location("bench_season", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("seed", "n", "rounds"), [(1, 7, 1), (2, 8, 1), (5, 8, 2), (6, 8, 2)])
def test_the_match_bound_holds_every_plan_that_keeps_the_hard_rules(seed, n, rounds):
    problem = tiny_problem(seed, n, rounds)
    ids = [p["id"] for p in problem["people"]]
    # A lighter history than tiny_problem's, so that plans without repeats exist; a continue pair
    # may meet again.
    problem["history"] = [[ids[0:2], ids[2:4], ids[4:6]]]
    problem["continue"] = [ids[0:2]]
    parsed = parse_problem(problem)
    scores = score_matrices(parsed)
    value = scores.matches + scores.matches.T
    past = {(a, b) for a in range(n) for b in range(n) if scores.history_count[a, b]}
    # Each round's seatings as sets of pairs; a plan keeps the hard rules when its pairs avoid
    # the avoid pairs and do not repeat (within the plan or with the history) but the continue pair.
    rounds_pairs = [{(a, b) for t in seating for a in t for b in t if a < b}
                    for seating in all_partitions(range(n), lambda s: 2 <= s <= 4, parsed.tables[0])]
    allowed_again = set(parsed.continue_)
    best = 0
    for combo in itertools.product(rounds_pairs, repeat=rounds):
        seen: list[tuple[int, int]] = [p for pairs in combo for p in pairs]
        if set(parsed.avoid) & set(seen):
            continue
        if any((seen.count(p) > 1 or p in past) and p not in allowed_again for p in seen):
            continue
        best = max(best, sum(value[p] for p in seen))

    bound = _bench_season().match_upper_bound(problem)

    assert 0 < best <= bound


def test_the_match_bound_is_reached_when_one_table_seats_everyone_and_skips_past_pairs():
    # The bound and the share of matching pairs live in bench/bench_season.py (figures, not engine).
    people = [person("a", needs=["financement"]), person("b", offers=["financement"]),
              person("c", offers=["financement"], needs=["mentorat"]), person("d", offers=["mentorat"])]
    problem = {"people": people, "rounds": 1, "table_size": {"min": 4, "max": 4}}
    bench = _bench_season()

    assert bench.match_upper_bound(problem) == 3  # a-b, a-c, c-d: one table, everyone meets
    assert plan(problem, time_limit=5, seed=0)["stats"]["need_offer_matches"] == 3
    assert bench.match_upper_bound({**problem, "history": [[["a", "b"], ["c", "d"]]]}) == 1  # a-c
    assert bench.match_upper_bound({**problem, "avoid": [["a", "c"]]}) == 2
    assert bench.matching_share(problem) == 3 / 6
    assert bench.matching_share({**problem, "history": [[["a", "b"], ["c", "d"]]]}) == 1 / 4
