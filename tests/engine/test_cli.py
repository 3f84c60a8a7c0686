"""`tablee engine …`: JSON on stdout or --out, progress on stderr, clear errors with exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tablee.engine.cli import main

DATA = Path(__file__).parent / "data"


def person(pid, **fields):
    return {"id": pid, "offers": [], "needs": [], "interests": [], "sector": "",
            "languages": ["fr"], **fields}


@pytest.fixture
def problem_file(tmp_path):
    people = [person(k, name=f"Membre {k}", needs=["financement"] if k % 3 == 0 else [],
                     offers=["financement"] if k % 3 == 1 else []) for k in range(12)]
    problem = {"people": people, "rounds": 2, "table_size": {"min": 3, "target": 4, "max": 5},
               "avoid": [[0, 1]], "meet": [[2, 3]], "lang": "en"}
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(problem), encoding="utf-8")
    return path


def test_plan_prints_the_plan_as_json_on_stdout(problem_file, capsys):
    code = main(["plan", str(problem_file), "--time-limit", "3", "--seed", "1"])

    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert len(out["rounds"]) == 2
    assert sorted(p for t in out["rounds"][0] for p in t["people"]) == list(range(12))
    assert out["stats"]["avoid_violations"] == 0
    assert all(isinstance(s, str) for t in out["rounds"][0] for s in t["why"])
    assert any("can help" in s for r in out["rounds"] for t in r for s in t["why"])  # "lang": "en"


def test_plan_writes_to_out_and_shows_plain_progress_when_not_on_a_terminal(problem_file, tmp_path, capsys):
    out_file = tmp_path / "plan.json"

    code = main(["plan", str(problem_file), "--time-limit", "2", "--out", str(out_file), "--lang", "fr"])

    captured = capsys.readouterr()
    assert code == 0
    assert captured.out == ""
    assert "plan: 100%" in captured.err
    plan = json.loads(out_file.read_text(encoding="utf-8"))
    assert any("peut l'aider" in s for r in plan["rounds"] for t in r for s in t["why"])


def test_repair_reads_a_plan_and_moves_nobody_when_a_no_show_leaves_room(problem_file, tmp_path, capsys):
    plan_file = tmp_path / "plan.json"
    assert main(["plan", str(problem_file), "--time-limit", "30", "--max-iterations", "300",
                 "--out", str(plan_file), "--quiet"]) == 0
    first = json.loads(plan_file.read_text())["rounds"][0]
    someone = next(t["people"][0] for t in first if len(t["people"]) > 3)

    code = main(["repair", str(problem_file), str(plan_file), "--round", "1", "--absent", str(someone)])

    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["removed"] == [someone]
    assert out["moved"] == [], out


def test_an_invalid_problem_is_one_line_on_stderr_and_exit_code_1(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"people": [person("a"), person("b")], "rounds": 1,
                                "table_size": {"min": 2, "max": 3}, "avoid": [["a", "x"]]}))

    code = main(["plan", str(path), "--time-limit", "1"])

    err = capsys.readouterr().err
    assert code == 1
    assert err == "tablee engine: error: avoid[0]: unknown person id 'x'\n"


@pytest.mark.parametrize(("content", "message"), [
    (None, "cannot read the file"),
    ("{not json", "invalid JSON at line 1"),
])
def test_unreadable_files_are_clear_errors(tmp_path, capsys, content, message):
    path = tmp_path / "problem.json"
    if content is not None:
        path.write_text(content)

    code = main(["plan", str(path)])

    assert code == 1
    assert message in capsys.readouterr().err


def test_usage_errors_exit_with_code_2_and_help_with_0(capsys):
    assert main(["plan"]) == 2
    assert main(["golfers", "--groups", "x"]) == 2
    assert main(["frobnicate"]) == 2
    assert main(["plan", "--help"]) == 0
    assert "--time-limit" in capsys.readouterr().out


def test_golfers_and_mdgp_print_their_json(tmp_path, capsys):
    assert main(["golfers", "--groups", "2", "--size", "2", "--rounds", "3", "--time-limit", "2",
                 "--seed", "1", "--quiet"]) == 0
    golfers = json.loads(capsys.readouterr().out)
    instance = sorted(DATA.glob("*.txt"))[0]
    assert main(["mdgp", str(instance), "--time-limit", "1", "--quiet"]) == 0
    mdgp = json.loads(capsys.readouterr().out)

    assert golfers["repeats"] == 0 and len(golfers["rounds"]) == 3
    assert set(mdgp) == {"objective", "groups", "elapsed_s"}


def test_the_tablee_command_runs_the_engine_without_a_traceback(problem_file, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"people": [], "rounds": 1}))

    ok = subprocess.run([sys.executable, "-m", "tablee", "engine", "plan", str(problem_file),
                         "--time-limit", "2", "--seed", "3"], capture_output=True, text=True, timeout=120)
    ko = subprocess.run([sys.executable, "-m", "tablee", "engine", "plan", str(bad)],
                        capture_output=True, text=True, timeout=120)

    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["stats"]["size_violations"] == 0
    assert ko.returncode == 1
    assert ko.stderr == "tablee engine: error: people: expected a non-empty list\n"


def test_progress_is_a_rich_bar_on_a_terminal_and_plain_lines_otherwise():
    import io

    from tablee.engine.progress import reporter

    bar, lines = io.StringIO(), io.StringIO()
    with reporter("plan", stream=bar, rich=True) as update:
        update(0.5, "objectif 12")
    with reporter("plan", stream=lines, every_s=0) as update:
        update(0.5, "objectif 12")
        update(1.0, "objectif 15")

    assert "plan" in bar.getvalue() and "objectif 12" in bar.getvalue()
    assert lines.getvalue() == "plan:  50% objectif 12\nplan: 100% objectif 15\n"


def test_the_rich_bar_runs_no_thread_of_its_own_that_a_cpu_clock_would_count():
    import io
    import threading

    from tablee.engine.progress import reporter

    before = threading.active_count()
    with reporter("mdgp", stream=io.StringIO(), rich=True) as update:
        during = threading.active_count()
        update(0.5, "47351.97")

    assert during == before


def test_mdgp_can_measure_its_limit_in_cpu_time(capsys):
    instance = sorted(DATA.glob("*.txt"))[0]

    assert main(["mdgp", str(instance), "--time-limit", "0.5", "--clock", "cpu", "--quiet"]) == 0
    out = json.loads(capsys.readouterr().out)

    assert out["clock"] == "cpu"
    assert 0.4 <= out["cpu_s"] <= out["elapsed_s"] + 0.05
