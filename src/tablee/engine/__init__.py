"""The table engine: plain Python + numpy (numba in the solvers), no Django.

Public API (plain data in, plain data out; see docs/engine.md):

- `plan(problem, *, time_limit, seed, progress=None, lang=None) -> dict`: seat a whole season.
- `repair(problem, tables, *, absent=(), walk_ins=(), lang=None) -> dict`: fix a published round
  after late changes, moving as few people as possible.
- `ProblemError`: invalid input; its message names what is wrong.
- `warm_up()`: compile (or load from the cache) the numba kernels, e.g. when a worker starts, so
  that the first plan spends its time limit searching.

Imports are lazy so that `import tablee.engine` stays fast (the app imports it in web processes).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["ProblemError", "plan", "repair", "warm_up"]


def __getattr__(name: str) -> Any:
    if name == "ProblemError":
        from tablee.engine.model import ProblemError

        return ProblemError
    raise AttributeError(name)


def plan(
    problem: dict[str, Any],
    *,
    time_limit: float,
    seed: int,
    progress: Callable[[float, str], None] | None = None,
    lang: str | None = None,
    max_iterations: int | None = None,
) -> dict[str, Any]:
    """Seat every round of `problem` (a PROBLEM.json dict). Raises ProblemError on invalid input."""
    started = time.perf_counter()
    import numpy as np

    from tablee.engine.model import ProblemError, evaluate, parse_problem, score_matrices
    from tablee.engine.season import solve_season
    from tablee.engine.why import table_score, table_why

    parsed = parse_problem(problem)
    lang = lang or parsed.lang
    if lang not in ("fr", "en"):
        raise ProblemError(f"lang: expected \"fr\" or \"en\", got {lang!r}")
    scores = score_matrices(parsed)
    # Keep a little of the budget for the why texts and the statistics.
    reserve = min(1.0, max(0.2, 0.05 * time_limit))
    budget = max(0.05, time_limit - (time.perf_counter() - started) - reserve)
    result = solve_season(parsed, scores, time_limit=budget, seed=seed, progress=progress,
                          max_iterations=max_iterations)
    met = scores.history_count.copy()
    plan_met = np.zeros_like(met)
    rounds_out = []
    for tables in result.rounds:
        out = []
        for table in tables:
            table = sorted(table, key=lambda i: str(parsed.people[i].id))
            out.append({
                "people": parsed.ids(table),
                "why": table_why(parsed, scores, table, met, lang),
                "score": table_score(scores, table, plan_met),
            })
        for table in tables:
            for a in table:
                for b in table:
                    if a != b:
                        met[a, b] += 1
                        plan_met[a, b] += 1
        rounds_out.append(out)
    stats = evaluate(parsed, scores, result.rounds)
    stats.update(iterations=result.iterations, perturbations=result.perturbations,
                 tables=[len(t) for t in result.rounds],
                 elapsed_s=round(time.perf_counter() - started, 3))
    return {"rounds": rounds_out, "stats": stats}


# The submodule must be imported before `repair` is defined: importing `tablee.engine.repair`
# later would otherwise replace the function below with the module of the same name.
from tablee.engine import repair as _repair_module  # noqa: E402


def repair(
    problem: dict[str, Any],
    tables: list[list[Any]],
    *,
    absent: Iterable[Any] = (),
    walk_ins: Iterable[Any] = (),
    lang: str | None = None,
) -> dict[str, Any]:
    """Fix one published round: see `tablee.engine.repair.repair_round`."""
    return _repair_module.repair_round(problem, tables, absent=list(absent), walk_ins=list(walk_ins),
                                       lang=lang)


def warm_up() -> float:
    """Compile or load the season kernels with a tiny plan; returns the seconds it took."""
    started = time.perf_counter()
    people = [{"id": k, "languages": ["fr"], "tags": ["x"] if k % 2 else []} for k in range(6)]
    plan({"people": people, "rounds": 2, "table_size": {"min": 3, "max": 3},
          "spread_attribute": "x"}, time_limit=60, seed=0, max_iterations=4)
    return time.perf_counter() - started
