"""The engine never imports Django (the import-linter contract checks the code; this the runtime)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import tablee.engine
from tablee.engine import plan, repair
from tablee.engine import cli, progress, why, model, season, synthetic  # noqa: F401
problem = synthetic.season_problem(people=20, rounds=2, meet_wishes=3, avoid_pairs=2,
                                   continue_pairs=2, seed=1)
result = plan(problem, time_limit=5, seed=0, max_iterations=50)
tables = [t["people"] for t in result["rounds"][0]]
repair(problem, tables, absent=[tables[0][0]])
print(sorted(m for m in sys.modules if m == "django" or m.startswith("django.")))
"""


def test_planning_and_repairing_never_import_django():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin"})

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_importing_the_engine_loads_no_solver_and_no_django():
    # What makes the import cheap is that numba waits for the first solve: checked, not timed.
    script = "import sys; import tablee.engine; print('numba' in sys.modules, 'django' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)

    numba_loaded, django_loaded = done.stdout.split()
    assert (numba_loaded, django_loaded) == ("False", "False")
