"""`make mutate [SCOPE=…]`: mutation testing (mutmut 3) of what must never break (issue 15).

Each scope mutates a few modules and runs only the tests that cover them, so that one scope takes
minutes on the shared 2-core machine, not hours. A scope runs in its own scratch folder
(`.mutate/<scope>/`, with `src` and `tests` linked to the checkout) holding its own mutmut
configuration; mutmut then copies the code to `.mutate/<scope>/mutants/` and mutates the copy,
never the checkout. Survivors are listed at the end and kept in `.mutate/<scope>/survivors.txt`
(`cd .mutate/<scope> && ../../.venv/bin/mutmut show NAME` prints one as a diff).

    .venv/bin/python scripts/mutate.py [SCOPE ...] [--max-children N] [--names GLOB ...]
                                       [--database-url URL] [--list]

Record the survivors per module in docs/testing.md after a run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# files: mutated (globs from the checkout's root); names: which of their mutants run (mutmut's
# "module.x_function__mutmut_N" names, globs); tests: the tests that cover them.
SCOPES: dict[str, dict[str, list[str]]] = {
    "rsvp": {
        "files": ["src/tablee/gatherings/services.py"],
        "names": [f"tablee.gatherings.services.x{name}__mutmut_*" for name in (
            "__lock", "__confirmed_count", "__promote_waiting", "__check_can_rsvp", "_rsvp_create",
            "__rsvp_write", "_rsvp_cancel")],
        "tests": ["tests/app/gatherings/test_rsvp_services.py", "tests/app/gatherings/test_gathering_services.py"],
    },
    "outbox": {
        "files": ["src/tablee/outbox/services.py"],
        # The send and its idempotency: the row lock, the status checks, failures and their backoff.
        "names": [f"tablee.outbox.services.x{name}__mutmut_*" for name in (
            "_email_send", "__record_failure", "_backoff", "__is_permanent")],
        "tests": ["tests/app/outbox"],
    },
    "access": {
        "files": ["src/tablee/*/access.py"],
        "names": ["tablee.*.access.*"],
        # The rules asked directly (fast), then the access matrix: every route for five personas.
        "tests": ["tests/app/test_access_rules.py", "tests/app/test_access_matrix.py",
                  "tests/app/web/test_web_access.py", "tests/app/gatherings/test_gathering_permissions.py",
                  "tests/app/circle/test_circle_api.py", "tests/app/circle/test_circle_pages.py",
                  "tests/app/tables/test_tables_api.py", "tests/app/tables/test_tables_confidential.py",
                  "tests/app/journey/test_journey_intentions.py", "tests/app/journey/test_journey_depth.py",
                  "tests/app/api/test_api_gatherings.py", "tests/app/api/test_api_me.py"],
    },
    "imports": {
        "files": ["src/tablee/members/csv_import.py", "src/tablee/members/services.py",
                  "src/tablee/circle/importers.py"],
        "names": ["tablee.members.csv_import.*", "tablee.members.services.x_members_import__mutmut_*",
                  "tablee.members.services.x__new_profile_values__mutmut_*", "tablee.circle.importers.*"],
        "tests": ["tests/app/members/test_members_import.py", "tests/app/members/test_members_csv_fuzz.py",
                  "tests/app/circle/test_circle_import_export.py", "tests/app/circle/test_circle_import_hostile.py"],
    },
    "tables": {
        "files": ["src/tablee/tables/rules.py"],
        "names": ["tablee.tables.rules.*"],
        "tests": ["tests/app/tables/test_tables_rules.py", "tests/app/tables/test_tables_repair.py"],
    },
}


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def _pytest_section() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r"^\[tool\.pytest\.ini_options\]\n(?:(?!^\[).*\n)*", text, re.MULTILINE)
    if match is None:
        raise SystemExit("pyproject.toml has no [tool.pytest.ini_options]")
    return match.group(0)


# A conftest.py above the tests of every mutation run: the tests create many accounts
# with passwords, and Django's real hasher costs about a second of CPU each; here a password is never
# what is tested, so a fast hasher keeps a mutant's run to seconds.
PLUGIN = """import pytest


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
"""


def prepare(scope: str) -> Path:
    spec = SCOPES[scope]
    files = sorted({str(p.relative_to(ROOT)) for pattern in spec["files"] for p in ROOT.glob(pattern)})
    tests = [t for t in spec["tests"] if (ROOT / t).exists()]
    work = ROOT / ".mutate" / scope
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for name in ("src", "tests"):
        (work / name).symlink_to(ROOT / name)
    (work / "conftest.py").write_text(PLUGIN, encoding="utf-8")
    (work / "pyproject.toml").write_text(
        _pytest_section()
        + "\n[tool.mutmut]\n"
        + 'source_paths = ["src/tablee"]\n'
        + f"only_mutate = {_toml_list(files)}\n"
        # Each mutant runs in a fresh process that builds its test database: no migrations (faster),
        # and a generous constant in the timeout so that the build does not count as a hang.
        + 'also_copy = ["conftest.py"]\n'
        + 'pytest_add_cli_args = ["-p", "no:cacheprovider", "-m", "not browser and not slow", "-q", "-x", '
          '"--nomigrations"]\n'
        + "timeout_constant = 90.0\n"
        + f"pytest_add_cli_args_test_selection = {_toml_list(tests)}\n",
        encoding="utf-8",
    )
    return work


def run(scope: str, max_children: int, names: list[str] | None = None,
        database_url: str | None = None) -> dict[str, Counter]:
    work = prepare(scope)
    env = {**os.environ, "TABLEE_DEBUG": "1", "TABLEE_DATA_DIR": tempfile.mkdtemp(prefix="tablee-mutate-")}
    # SQLite unless asked: some mutants only show on PostgreSQL (docs/testing.md, survivors).
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    mutmut = str(ROOT / ".venv" / "bin" / "mutmut")
    log = work / "run.log"
    print(f"== {scope}: mutating {', '.join(SCOPES[scope]['files'])} (log: {log.relative_to(ROOT)})", flush=True)
    with log.open("w") as out:
        subprocess.run([mutmut, "run", "--max-children", str(max_children), *(names or SCOPES[scope]["names"])],
                       cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    results = subprocess.run([mutmut, "results", "--all", "true"], cwd=work, env=env, capture_output=True,
                             text=True, check=False).stdout
    by_module: dict[str, Counter] = {}
    survivors = []
    patterns = [re.compile(p.replace(".", r"\.").replace("*", ".*") + "$") for p in names or SCOPES[scope]["names"]]
    for line in results.splitlines():
        name, _, status = line.strip().partition(": ")
        if not status or not any(p.match(name) for p in patterns):
            continue
        module = name.split(".x_")[0]
        by_module.setdefault(module, Counter())[status] += 1
        if status != "killed":
            survivors.append(f"{name}: {status}")
    (work / "survivors.txt").write_text("\n".join(survivors) + "\n", encoding="utf-8")
    for module, counts in sorted(by_module.items()):
        total = sum(counts.values())
        left = total - counts["killed"]
        print(f"   {module}: {total} mutants, {counts['killed']} killed, {left} not killed "
              f"({100 * left / total:.0f} %) {dict(counts)}")
    for line in survivors:
        print(f"   {line}")
    return by_module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scopes", nargs="*", metavar="SCOPE", help=f"default: all ({', '.join(SCOPES)})")
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--list", action="store_true", help="print the scopes and their tests, run nothing")
    parser.add_argument("--names", nargs="+", metavar="GLOB",
                        help="run only these mutants of one scope (mutmut names, e.g. 'tablee.x.y.x_f__mutmut_*')")
    parser.add_argument("--database-url", metavar="URL",
                        help="run the tests on this PostgreSQL (scripts/pg.sh start), not SQLite")
    args = parser.parse_args()
    unknown = [s for s in args.scopes if s not in SCOPES]
    if unknown:
        parser.error(f"unknown scope {unknown[0]!r} (known: {', '.join(SCOPES)})")
    if args.list:
        for name, spec in SCOPES.items():
            print(f"{name}: {' '.join(spec['files'])}\n   tests: {' '.join(spec['tests'])}")
        return 0
    if args.names and len(args.scopes) != 1:
        parser.error("--names needs exactly one scope")
    for scope in args.scopes or list(SCOPES):
        run(scope, args.max_children, args.names, args.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
