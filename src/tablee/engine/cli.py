"""`tablee engine …`: the table engine on the command line, without Django.

Progress goes to stderr, the result as JSON to stdout or `--out FILE`. Exit codes: 0 done, 1 invalid
input (one line on stderr naming what is wrong), 2 usage error.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

PROG = "tablee engine"


class InputError(Exception):
    """An input file or value is invalid: one line on stderr, exit code 1."""


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--time-limit", type=float, default=10.0, metavar="S", help="seconds (default 10)")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (default 0)")
    p.add_argument("--out", metavar="FILE", help="write the JSON result here instead of stdout")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="The Tablée table engine (no Django).")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("mdgp", help="maximally diverse grouping problem (MDGPLIB instance file)",
                       description="Solve an MDGP instance; prints {objective, groups, elapsed_s}.")
    p.add_argument("instance", metavar="INSTANCE.txt")
    _common(p)
    p.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                   help="measure --time-limit in elapsed (wall, default) or CPU time of this "
                   "process (cpu: fair on a shared machine, as the C++ IMS measures it)")
    p.set_defaults(handler=_mdgp)

    p = sub.add_parser("golfers", help="social golfer problem: G groups of S players for W rounds",
                       description="Prints {rounds, repeats, elapsed_s}.")
    p.add_argument("--groups", type=int, required=True, metavar="G")
    p.add_argument("--size", type=int, required=True, metavar="S")
    p.add_argument("--rounds", type=int, required=True, metavar="W")
    _common(p)
    p.set_defaults(handler=_golfers)

    p = sub.add_parser("plan", help="seat a season (PROBLEM.json, see docs/engine.md)",
                       description="Seat every round of PROBLEM.json; prints the plan: "
                       "{rounds: [[{people, why, score}]], stats}.")
    p.add_argument("problem", metavar="PROBLEM.json")
    p.add_argument("--lang", choices=["fr", "en"], help="language of the why texts "
                   "(default: the problem's \"lang\", else fr)")
    p.add_argument("--max-iterations", type=int, metavar="N",
                   help="stop after N iterations (same seed and N: same plan, whatever the machine)")
    _common(p)
    p.set_defaults(handler=_plan)

    p = sub.add_parser("repair", help="repair one published round after no-shows and walk-ins",
                       description="Prints {tables, moved, seated_walk_ins, removed, stats}.")
    p.add_argument("problem", metavar="PROBLEM.json")
    p.add_argument("plan", metavar="PLAN.json", help="a plan from `tablee engine plan`, or a list of tables")
    p.add_argument("--round", type=int, default=1, metavar="R", help="round of the plan, from 1 (default 1)")
    p.add_argument("--absent", nargs="*", default=[], metavar="ID", help="no-shows and cancellations")
    p.add_argument("--walk-in", nargs="*", default=[], metavar="ID", dest="walk_ins", help="walk-ins")
    p.add_argument("--lang", choices=["fr", "en"])
    p.add_argument("--out", metavar="FILE")
    p.set_defaults(handler=_repair, quiet=True)
    return parser


def _read_json(path: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None


def _plain(value: Any) -> Any:
    """Dataclasses and numpy values to JSON-ready Python."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):
        return _plain(value.tolist())
    return value


def _progress(args: argparse.Namespace, label: str):
    from contextlib import nullcontext

    from tablee.engine.progress import reporter

    return nullcontext(None) if args.quiet else reporter(label)


def _mdgp(args: argparse.Namespace) -> Any:
    from tablee.engine.mdgp import read_instance, solve_mdgp

    instance = read_instance(args.instance)
    with _progress(args, "mdgp") as progress:
        result = solve_mdgp(instance, time_limit=args.time_limit, seed=args.seed, progress=progress,
                            clock=args.clock)
    out = {"objective": result.objective, "groups": result.groups, "elapsed_s": result.elapsed_s}
    if args.clock == "cpu":  # the default output stays {objective, groups, elapsed_s}
        out |= {"cpu_s": result.cpu_s, "clock": "cpu"}
    return out


def _golfers(args: argparse.Namespace) -> Any:
    from tablee.engine.golfers import solve_golfers

    with _progress(args, "golfers") as progress:
        result = solve_golfers(groups=args.groups, size=args.size, rounds=args.rounds,
                               time_limit=args.time_limit, seed=args.seed, progress=progress)
    return {"rounds": result.rounds, "repeats": result.repeats, "elapsed_s": result.elapsed_s}


def _plan(args: argparse.Namespace) -> Any:
    from tablee.engine import plan

    problem = _read_json(args.problem)
    with _progress(args, "plan") as progress:
        return plan(problem, time_limit=args.time_limit, seed=args.seed, progress=progress,
                    lang=args.lang, max_iterations=args.max_iterations)


def _as_ids(raw: list[str], problem: Any) -> list[Any]:
    """Command-line ids are text: map "7" to the integer id 7 when the problem uses integers."""
    known = {str(p.get("id")): p.get("id") for p in problem.get("people", []) if isinstance(p, dict)}
    return [known.get(pid, pid) for pid in raw]


def _repair(args: argparse.Namespace) -> Any:
    from tablee.engine import repair

    problem = _read_json(args.problem)
    plan_data = _read_json(args.plan)
    if isinstance(plan_data, dict):
        rounds = plan_data.get("rounds")
        if not isinstance(rounds, list) or not 1 <= args.round <= len(rounds):
            raise InputError(f"{args.plan}: no round {args.round} in this plan")
        tables = [t.get("people") if isinstance(t, dict) else t for t in rounds[args.round - 1]]
    else:
        tables = plan_data
    if not isinstance(problem, dict):
        raise InputError(f"{args.problem}: expected a JSON object")
    return repair(problem, tables, absent=_as_ids(args.absent, problem),
                  walk_ins=_as_ids(args.walk_ins, problem), lang=args.lang)


def main(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2, already printed by argparse)
        return int(exc.code or 0)
    try:
        result = args.handler(args)
        text = json.dumps(_plain(result), ensure_ascii=False)
        if args.out:
            try:
                Path(args.out).write_text(text + "\n", encoding="utf-8")
            except OSError as exc:
                raise InputError(f"{args.out}: cannot write the file ({exc.strerror or exc})") from None
        else:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
    except (InputError, ValueError) as exc:  # ProblemError and the solvers' input errors
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
