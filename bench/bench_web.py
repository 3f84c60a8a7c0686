"""Requests per second of Tablée's pages as a share of a bare Django view, with wrk at 50 clients.

    .venv/bin/python bench/bench_web.py                 # SQLite
    .venv/bin/python bench/bench_web.py --pg            # also PostgreSQL (a throwaway cluster, scripts/pg.sh)
    .venv/bin/python bench/bench_web.py --database-url postgres://postgres@127.0.0.1:54411/postgres
    .venv/bin/python bench/bench_web.py --size large    # on `tablee demo --size large`

Starts ``tablee serve`` with production settings (TABLEE_DEBUG off) on a fresh database loaded with
``tablee demo``, and bench/bare_wsgi.py (one view, no middleware) under the same gunicorn settings
(``tablee serve``'s defaults unless told: two workers per core, 2 gthreads each). Each URL is checked
once (status 200, no redirect to the sign-in page), then wrk runs 50 connections against it. Both
servers stay up; the bare view is measured before the first page and after each one, and a page's
ratio uses the bare runs just before and just after it, so the machine's load counts on both sides.
It also reads from /proc the CPU time the server's processes spent during each run: CPU per request
gives a second ratio (bare view's CPU per request ÷ the page's), which a machine shared with other
work moves much less than requests per second do.
Needs Debian's ``wrk`` (``apt-get install wrk``). A benchmark prints figures; no test is timed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_rsvp_race import _free_port, _wait_until_up, fresh_database  # noqa: E402

from tablee.server import default_threads, default_workers  # noqa: E402

BIN = Path(sys.executable).parent
ROOT = HERE.parent

# Run with the server's environment: one API token and one signed-in session for the demo member.
SETUP_SCRIPT = """
import json, sys
import django
django.setup()
from django.test import Client
from tablee.members.models import ApiToken
from tablee.members.selectors import user_by_email

user = user_by_email(email=sys.argv[1])
tokens = [ApiToken.new_raw() for _ in range(int(sys.argv[2]))]
ApiToken.objects.bulk_create([ApiToken(user=user, key_hash=ApiToken.hash(raw)) for raw in tokens])
client = Client()
client.force_login(user)
from django.conf import settings
print(json.dumps({"tokens": tokens, "cookie": settings.SESSION_COOKIE_NAME,
                  "session": client.cookies[settings.SESSION_COOKIE_NAME].value}))
"""

PAGES = [
    ("/api/health", "none"),
    ("/", "none"),
    ("/api/me", "bearer"),
    ("/gatherings/", "session"),
    ("/circle/", "session"),
]
RATIO_PAGES = ("/api/me", "/gatherings/", "/circle/")
TARGETS = {"/api/me": 0.25, "/gatherings/": 0.12}


@dataclass
class WrkResult:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int = 0
    cpu_ms: float = 0.0  # CPU the server's processes spent per request (0 when not measured)
    db_cpu_ms: float = 0.0  # CPU the PostgreSQL server's processes spent per request (0 when not measured)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


# Each request comes from one of many clients, as in production: its own X-Forwarded-For address
# (the server runs as behind a proxy) and, for the API, one of many members' tokens. The per-token
# and per-address rate (issue 12, at its default of 120 a minute) is then counted on every call as
# in production, and never binds (a few dozen calls per token and per address in a run).
WRK_SCRIPT = """
local tokens = {%s}
local n = 0
request = function()
  n = n + 1
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["X-Forwarded-For"] = "10.1." .. math.random(0, 199) .. "." .. math.random(1, 250)
  if headers["Authorization"] ~= nil then
    headers["Authorization"] = "Bearer " .. tokens[(n %% #tokens) + 1]
  end
  return wrk.format(nil, nil, headers)
end
"""
SCRIPT: Path | None = None


def _tree_cpu_s(root: int) -> float:
    """CPU seconds (user + system) of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        ticks[int(entry.name)] = int(fields[11]) + int(fields[12])
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(ticks.get(pid, 0) for pid in tree) / os.sysconf("SC_CLK_TCK")


def wrk(url: str, headers: dict[str, str], *, seconds: int, connections: int, server: int = 0,
        database: int = 0) -> WrkResult:
    """wrk's figures; with ``server`` (a pid), also the CPU that process tree spent per request, and
    with ``database`` (the PostgreSQL postmaster's pid) the CPU of its backends."""
    cpu_before = _tree_cpu_s(server) if server else 0.0
    db_before = _tree_cpu_s(database) if database else 0.0
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if SCRIPT is not None:
        command += ["-s", str(SCRIPT)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    cpu = _tree_cpu_s(server) - cpu_before if server else 0.0
    db_cpu = _tree_cpu_s(database) - db_before if database else 0.0
    count = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s|m)\b", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s|m)\b", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    return WrkResult(rps, _ms(*p50.groups()), _ms(*p99.groups()), errors, count,
                     cpu / count * 1000 if server and count else 0.0,
                     db_cpu / count * 1000 if database and count else 0.0)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _check(url: str, headers: dict[str, str]) -> None:
    """One request first: a page that redirects to sign-in would otherwise be benchmarked as a 302.

    A signed-in browser keeps the cookies that first page sets (the CSRF cookie) and sends them back
    with the next requests: so do the benchmark's clients."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=60) as response:
            status = response.status
            kept = [c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []]
    except urllib.error.HTTPError as exc:
        status = exc.code
    if status != 200:
        raise RuntimeError(f"{url} answered {status}, not 200")
    if "Cookie" in headers and kept:
        headers["Cookie"] = "; ".join([headers["Cookie"], *kept])


def _use_every_token(url: str, tokens: list[str]) -> None:
    """One request per token before the warm-up: each token writes its "last used" (at most once a
    minute) here, as in a steady minute of traffic, whatever the warm-up's speed."""
    def one(token: str) -> None:
        _check(url, {"Authorization": f"Bearer {token}"})

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, tokens))


@contextlib.contextmanager
def _server(command: list[str], env: dict[str, str], port: int, log: Path, health: str) -> Iterator[tuple[str, int]]:
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        if health:
            _wait_until_up(base, process, log)
        else:
            _wait_for_bare(base, process, log)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_bare(base: str, process: subprocess.Popen, log: Path) -> None:
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(log.read_text(errors="replace"))
        try:
            with urllib.request.urlopen(base + "/", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("bare view not up")


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run(*, database_url: str | None, size: str, seconds: int, connections: int, workers: int,
        threads: int, pages: list[tuple[str, str]] = PAGES) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="tablee-bench-web-"))
    gunicorn_settings = ["--workers", str(workers), "--threads", str(threads)]
    try:
        with fresh_database(database_url, folder) as url:
            env = {
                **os.environ,
                "TABLEE_DEBUG": "0",
                "TABLEE_SECRET_KEY": secrets.token_urlsafe(50),
                "TABLEE_DATA_DIR": str(folder),
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "tablee.settings",
                "TABLEE_LOG_LEVEL": "WARNING",
                "EMAIL_URL": "console://",
                # X-Forwarded-For names the client (see WRK_SCRIPT); the rate stays at its default.
                "TABLEE_BEHIND_PROXY": "1",
            }
            tablee = str(BIN / "tablee")
            subprocess.run([tablee, "-v", "0", "migrate"], env=env, check=True, capture_output=True)
            demo = [tablee, "demo"] + (["--size", size] if size != "small" else [])
            # The demo refuses to run outside debug (its password is public); the server runs without it.
            subprocess.run(demo, env={**env, "TABLEE_DEBUG": "1"}, check=True, capture_output=True)
            member = "marie.tremblay@demo.tablee.ca"
            # Enough tokens, taken in turn, that none reaches the per-token rate (120 a minute) at a
            # few thousand requests a second: a 429 would count as an error, not as an answer. Each
            # is used once before the warm-up (_use_every_token).
            setup = subprocess.run([sys.executable, "-c", SETUP_SCRIPT, member, "1000"], env=env, check=True,
                                   capture_output=True, text=True)
            auth = json.loads(setup.stdout.strip().splitlines()[-1])
            global SCRIPT
            SCRIPT = folder / "clients.lua"
            SCRIPT.write_text(WRK_SCRIPT % ", ".join(f'"{t}"' for t in auth["tokens"]))
            header_for = {
                "none": {},
                "bearer": {"Authorization": f"Bearer {auth['tokens'][0]}"},
                "session": {"Cookie": f"{auth['cookie']}={auth['session']}"},
            }
            results: dict[str, WrkResult] = {}
            bares: list[WrkResult] = []
            load_start = _load()
            bare_port = _free_port()
            bare_cmd = [str(BIN / "gunicorn"), "bare_wsgi:application", "--pythonpath", str(HERE),
                        "--bind", f"127.0.0.1:{bare_port}", "--worker-class", "gthread", *gunicorn_settings,
                        "--backlog", "2048", "--timeout", "60"]
            port = _free_port()
            serve_cmd = [tablee, "serve", "--port", str(port), *gunicorn_settings]
            # Both servers stay up (the idle one costs nothing) and the bare view is measured right
            # before and right after each page: a page's ratio uses those two runs, so a change in the
            # machine's load during the run reaches both sides of every ratio.
            with _server(bare_cmd, env, bare_port, folder / "bare.log", health="") as (bare_base, bare_pid), \
                    _server(serve_cmd, {**env, "TABLEE_LOG_LEVEL": "ERROR"}, port, folder / "serve.log",
                            health="/api/health") as (base, pid):
                wrk(bare_base + "/", {}, seconds=2, connections=connections)  # warm-up
                bares.append(wrk(bare_base + "/", {}, seconds=seconds, connections=connections, server=bare_pid))
                for page, kind in pages:
                    _check(base + page, header_for[kind])
                    if kind == "bearer":
                        _use_every_token(base + page, auth["tokens"])
                    wrk(base + page, header_for[kind], seconds=2, connections=connections)  # warm-up
                    results[page] = wrk(base + page, header_for[kind], seconds=seconds, connections=connections,
                                        server=pid, database=_postmaster(url))
                    bares.append(wrk(bare_base + "/", {}, seconds=seconds, connections=connections,
                                     server=bare_pid))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    beside = {page: (bares[i], bares[i + 1]) for i, page in enumerate(results)}

    def bare_rps(page: str) -> float:
        return sum(b.requests_per_s for b in beside[page]) / 2

    def bare_cpu(page: str) -> float:
        return sum(b.cpu_ms for b in beside[page]) / 2

    return {
        "database": "postgresql" if database_url and database_url.startswith("postgres") else "sqlite",
        "size": size,
        "load_start": load_start,
        "load_end": _load(),
        "bare": {"runs": [b.requests_per_s for b in bares],
                 "mean": round(sum(b.requests_per_s for b in bares) / len(bares), 1),
                 "p99_ms": bares[-1].p99_ms,
                 "cpu_ms": round(sum(b.cpu_ms for b in bares) / len(bares), 3)},
        "pages": {
            page: {"rps": r.requests_per_s, "bare_rps": round(bare_rps(page), 1),
                   "ratio": round(r.requests_per_s / bare_rps(page), 4), "p50_ms": r.p50_ms,
                   "p99_ms": r.p99_ms, "errors": r.errors, "cpu_ms": round(r.cpu_ms, 3),
                   "db_cpu_ms": round(r.db_cpu_ms, 3),
                   "cpu_ratio": round(bare_cpu(page) / r.cpu_ms, 4) if r.cpu_ms else 0.0}
            for page, r in results.items()
        },
    }


def _postmaster(database_url: str) -> int:
    """The pid of a throwaway cluster's postmaster (whose children are the backends), or 0."""
    folder = _THROWAWAY.get(database_url.rsplit("/", 1)[0])
    if folder is None:
        return 0
    try:
        return int((folder / "data" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


_THROWAWAY: dict[str, Path] = {}


def print_table(result: dict) -> None:
    print(f"\n{result['database']} ({result['size']} demo) — load average {result['load_start']} → {result['load_end']}")
    bare = result["bare"]
    runs = ", ".join(f"{rps:.0f}" for rps in bare["runs"])
    print(f"  bare Django view: {bare['mean']:.0f} requests/s (runs between the pages: {runs}),"
          f" {bare['cpu_ms']:.2f} ms of server CPU per request")
    print(f"  {'page':<14} {'req/s':>8} {'bare':>7} {'share':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
          f" {'CPU ms':>7} {'by CPU':>7}  target (on the share)")
    for page, r in result["pages"].items():
        target = TARGETS.get(page)
        verdict = "" if target is None else f"≥ {target:.0%} {'held' if r['ratio'] >= target else 'NOT held'}"
        print(f"  {page:<14} {r['rps']:>8.0f} {r['bare_rps']:>7.0f} {r['ratio']:>7.1%} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} "
              f"{r['errors']:>7} {r['cpu_ms']:>7.2f} {r['cpu_ratio']:>7.1%}  {verdict}")
    if any(r["db_cpu_ms"] for r in result["pages"].values()):
        print("  PostgreSQL's own CPU per request (its backends, on the same cores): "
              + ", ".join(f"{p} {r['db_cpu_ms']:.2f} ms" for p, r in result["pages"].items()))
    measured = [p for p in RATIO_PAGES if p in result["pages"]]
    print("  ratios: " + ", ".join(f"{p} {result['pages'][p]['ratio']:.1%}" for p in measured))
    print("  by server CPU per request (the machine's other load matters less): "
          + ", ".join(f"{p} {result['pages'][p]['cpu_ratio']:.1%}" for p in measured))


@contextlib.contextmanager
def _throwaway_postgres() -> Iterator[str]:
    folder = tempfile.mkdtemp(prefix="tablee-bench-pg-")
    port = str(55000 + secrets.randbelow(900))
    url = subprocess.run(["bash", str(ROOT / "scripts" / "pg.sh"), "start", folder, port], check=True,
                         capture_output=True, text=True).stdout.strip()
    _THROWAWAY[url.rsplit("/", 1)[0]] = Path(folder)
    try:
        yield url
    finally:
        subprocess.run(["bash", str(ROOT / "scripts" / "pg.sh"), "stop", folder], check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="also run on this PostgreSQL cluster (a fresh database is created)")
    parser.add_argument("--pg", action="store_true", help="also run on a throwaway PostgreSQL (scripts/pg.sh)")
    parser.add_argument("--only-pg", action="store_true", help="skip SQLite")
    parser.add_argument("--size", choices=["small", "large"], default="small")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=default_workers(), help="default: tablee serve's")
    parser.add_argument("--threads", type=int, default=default_threads(), help="default: tablee serve's")
    parser.add_argument("--json", action="store_true", help="print one JSON line per database as well")
    parser.add_argument("--page", action="append", choices=[page for page, _kind in PAGES],
                        help="measure only this page (repeatable); default: all")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("bench_web: wrk not found (apt-get install wrk)", file=sys.stderr)
        return 2
    options = dict(size=args.size, seconds=args.seconds, connections=args.connections, workers=args.workers,
                   threads=args.threads,
                   pages=[(page, kind) for page, kind in PAGES if not args.page or page in args.page])
    with contextlib.ExitStack() as stack:
        urls: list[str | None] = [] if args.only_pg else [None]
        if args.database_url:
            urls.append(args.database_url)
        elif args.pg or args.only_pg:
            urls.append(stack.enter_context(_throwaway_postgres()))
        for url in urls:
            result = run(database_url=url, **options)
            print_table(result)
            if args.json:
                print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
