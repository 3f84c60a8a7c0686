"""The RSVP race through the real server: N members ask for the same 36 seats at the same instant.

    .venv/bin/python bench/bench_rsvp_race.py                       # SQLite
    .venv/bin/python bench/bench_rsvp_race.py --database-url postgres://postgres@127.0.0.1:54411/postgres

Starts ``tablee serve`` (gunicorn) on a fresh database (a SQLite file in a temporary folder, or a
new ``tablee_race_<random>`` database on the given PostgreSQL cluster, dropped afterwards), creates
an association, a gathering of 6 tables × 6 seats and N members with API tokens, then fires N
simultaneous ``POST /api/gatherings/{id}/rsvp`` and prints the outcome and the latencies.

tests/concurrency/test_rsvp_race.py drives the same harness and asserts on it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BIN = Path(sys.executable).parent
UNGUARDED_DIR = Path(__file__).resolve().parent.parent / "tests" / "concurrency"

# Run in a subprocess with the server's environment: creates the people and the gathering fast.
SETUP_SCRIPT = """
import json, sys
import django
django.setup()
from datetime import timedelta
from django.utils import timezone
from tablee.gatherings.services import gathering_create
from tablee.members.models import ApiToken, Association, Membership, Profile, User

members, tables, seats = (int(a) for a in sys.argv[1:4])
association = Association.objects.create(slug="course-aux-places", name="Course aux places")
users = User.objects.bulk_create(
    [User(email=f"racer{i:04d}@example.org", first_name="Racer", last_name=str(i), password="!")
     for i in range(members + 1)]
)
Profile.objects.bulk_create([Profile(user=u) for u in users])
Membership.objects.bulk_create(
    [Membership(association=association, user=u, role="organizer" if i == members else "member")
     for i, u in enumerate(users)]
)
raws = [ApiToken.new_raw() for _ in users]
ApiToken.objects.bulk_create([ApiToken(user=u, key_hash=ApiToken.hash(r)) for u, r in zip(users, raws)])
gathering = gathering_create(association=association, title="Déjeuner très couru",
                             starts_at=timezone.now() + timedelta(days=7), tables=tables, seats_per_table=seats)
print(json.dumps({"gathering": gathering.pk, "slug": association.slug, "tokens": raws[:members],
                  "organizer": raws[members]}))
"""


@dataclass
class Shot:
    status: int
    seconds: float
    body: dict = field(default_factory=dict)


@dataclass
class Race:
    base_url: str
    gathering: int
    tokens: list[str]
    organizer: str
    log: Path

    def fire(self, calls: list[tuple[str, str]]) -> list[Shot]:
        """Send (method, token) calls on the gathering's /rsvp all at once (a barrier releases them)."""
        barrier = threading.Barrier(len(calls))
        shots: list[Shot | None] = [None] * len(calls)
        url = f"{self.base_url}/api/gatherings/{self.gathering}/rsvp"

        def one(index: int, method: str, token: str) -> None:
            request = urllib.request.Request(
                url, method=method, data=b"" if method == "POST" else None,
                headers={"Authorization": f"Bearer {token}"},
            )
            barrier.wait()
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    status, raw = response.status, response.read()
            except urllib.error.HTTPError as exc:
                status, raw = exc.code, exc.read()
            except OSError as exc:
                status, raw = 0, json.dumps({"detail": repr(exc)}).encode()
            elapsed = time.perf_counter() - started
            try:
                body = json.loads(raw)
            except ValueError:
                body = {"raw": raw[:500].decode(errors="replace")}
            shots[index] = Shot(status, elapsed, body)

        threads = [threading.Thread(target=one, args=(i, m, t)) for i, (m, t) in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return [s for s in shots if s is not None]

    def attendees(self) -> list[dict]:
        """The organizer's view, read from the database after a wave."""
        request = urllib.request.Request(
            f"{self.base_url}/api/gatherings/{self.gathering}/attendees",
            headers={"Authorization": f"Bearer {self.organizer}"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def fresh_database(base_url: str | None, folder: Path) -> Iterator[str]:
    """A database URL nobody else uses: a SQLite file in ``folder``, or a new database on the PostgreSQL cluster."""
    if not base_url or not base_url.startswith("postgres"):
        query = urlsplit(base_url or "").query  # sqlite:///?write_gate=false keeps its options
        yield f"sqlite:///{folder / 'race.sqlite3'}" + (f"?{query}" if query else "")
        return
    import psycopg

    parts = urlsplit(base_url)
    name = f"tablee_race_{secrets.token_hex(4)}"
    admin_dsn = urlunsplit(parts._replace(path="/postgres", query=""))  # Tablée's own options stay out
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def race(
    *, database_url: str | None = None, members: int = 300, tables: int = 6, seats: int = 6,
    guard: bool = True, workers: int = 2, threads: int = 8,
) -> Iterator[Race]:
    """A running server on a fresh database with one gathering and ``members`` members holding tokens."""
    folder = Path(tempfile.mkdtemp(prefix="tablee-race-"))
    try:
        with fresh_database(database_url, folder) as url:
            env = {
                **os.environ,
                "TABLEE_DEBUG": "1",
                "TABLEE_DATA_DIR": str(folder),
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "tablee.settings",
                "TABLEE_LOG_LEVEL": "WARNING",
            }
            env.pop("EMAIL_URL", None)
            subprocess.run([str(BIN / "tablee"), "-v", "0", "migrate"], env=env, check=True, capture_output=True)
            setup = subprocess.run(
                [sys.executable, "-c", SETUP_SCRIPT, str(members), str(tables), str(seats)],
                env=env, check=True, capture_output=True, text=True,
            )
            data = json.loads(setup.stdout.strip().splitlines()[-1])
            port = _free_port()
            if guard:
                command = [str(BIN / "tablee"), "serve", "--port", str(port), "--workers", str(workers),
                           "--threads", str(threads)]
            else:
                # The control: the same app with services.RSVP_GUARD switched off (tests/concurrency).
                command = [str(BIN / "gunicorn"), "rsvp_unguarded_wsgi:application", "--pythonpath",
                           str(UNGUARDED_DIR), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                           "--threads", str(threads), "--worker-class", "gthread", "--backlog", "2048",
                           "--timeout", "60"]
            log = folder / "server.log"
            with log.open("wb") as out:
                server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
            try:
                base_url = f"http://127.0.0.1:{port}"
                _wait_until_up(base_url, server, log)
                yield Race(base_url, data["gathering"], data["tokens"], data["organizer"], log)
            finally:
                server.terminate()
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _wait_until_up(base_url: str, server: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{base_url}/api/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server not up after {timeout}s:\n{log.read_text(errors='replace')}")


def summarize(shots: list[Shot]) -> dict:
    latencies = sorted(s.seconds for s in shots)
    return {
        "requests": len(shots),
        "status_codes": dict(sorted(Counter(s.status for s in shots).items())),
        "outcomes": dict(Counter(s.body.get("status", "error") for s in shots)),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
    }


def run(*, database_url: str | None, members: int, guard: bool, workers: int, threads: int) -> dict:
    with race(database_url=database_url, members=members, guard=guard, workers=workers, threads=threads) as r:
        started = time.perf_counter()
        shots = r.fire([("POST", token) for token in r.tokens])
        total = time.perf_counter() - started
        rows = r.attendees()
    return {
        "database": "postgresql" if database_url and database_url.startswith("postgres") else "sqlite",
        "guard": guard,
        **summarize(shots),
        "total_s": round(total, 2),
        "confirmed_in_db": sum(row["status"] == "confirmed" for row in rows),
        "waitlisted_in_db": sum(row["status"] == "waitlisted" for row in rows),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="also run on this PostgreSQL cluster (a fresh database is created)")
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--control", action="store_true", help="also run with the guard off (shows the race)")
    args = parser.parse_args(argv)
    targets = [None] + ([args.database_url] if args.database_url else [])
    for url in targets:
        for guard in [True, False] if args.control else [True]:
            result = run(database_url=url, members=args.members, guard=guard, workers=args.workers,
                         threads=args.threads)
            print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
