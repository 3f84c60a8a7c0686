"""CPU per request of the benchmark's URLs, in process (Django test client, production settings).

    .venv/bin/python bench/profile_requests.py               # CPU ms per request, per URL
    .venv/bin/python bench/profile_requests.py --profile /api/me   # plus a cProfile of that URL
    .venv/bin/python bench/profile_requests.py --instructions --url /api/me --url /gatherings/

Builds a fresh SQLite database with ``tablee demo`` in a temporary folder, then times each URL with
``time.process_time`` through Django's WSGI handler (CPU, so the machine's load matters less than for wall time). Prints figures;
no test is timed.

``--instructions`` counts instead of timing: it runs this script under valgrind's cachegrind twice
per URL (N requests, then none) and prints the machine instructions one request costs. The count
does not depend on the machine's load, so two versions of the code compare on a busy machine too
(Debian's ``valgrind``; about a minute per URL).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
URLS = [("/api/health", "none"), ("/", "none"), ("/api/me", "bearer"), ("/gatherings/", "session"),
        ("/circle/", "session")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=200, help="requests per batch")
    parser.add_argument("--batches", type=int, default=5, help="batches per URL (the least is printed)")
    parser.add_argument("--profile", default="", help="a URL to profile with cProfile")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--filter", default="", help="only functions whose path matches this regex")
    parser.add_argument("--folder", default="", help="reuse this data folder (built on first use)")
    parser.add_argument("--url", action="append", default=[], help="only this URL (repeat for more)")
    parser.add_argument("--database-url", default="",
                        help="an empty PostgreSQL database to use instead of SQLite (built on first use)")
    parser.add_argument("--instructions", action="store_true",
                        help="count instructions per request under valgrind instead of timing")
    args = parser.parse_args()
    folder = args.folder or tempfile.mkdtemp(prefix="tablee-profile-")
    if args.instructions:
        count_instructions(folder, args.url or [url for url, _auth in URLS], args.n)
        return
    built = Path(folder, "db.sqlite3").exists() or Path(folder, "built").exists()
    os.environ.update({
        "TABLEE_DATA_DIR": folder, "DATABASE_URL": args.database_url or f"sqlite:///{folder}/db.sqlite3",
        "DJANGO_SETTINGS_MODULE": "tablee.settings", "TABLEE_LOG_LEVEL": "WARNING",
        "TABLEE_SECRET_KEY": secrets.token_urlsafe(50), "TABLEE_SITE_URL": "https://tablee.example",
        "TABLEE_ALLOWED_HOSTS": "testserver",
    })
    os.environ.pop("EMAIL_URL", None)
    dev = {**os.environ, "TABLEE_DEBUG": "1"}
    if not built:
        subprocess.run([str(BIN / "tablee"), "-v", "0", "migrate"], env=dev, check=True, capture_output=True)
        subprocess.run([str(BIN / "tablee"), "demo"], env=dev, check=True, capture_output=True)
        subprocess.run([str(BIN / "tablee"), "manage", "collectstatic", "--noinput", "-v", "0"],
                       env={**os.environ, "TABLEE_DEBUG": "0"}, check=True, capture_output=True)
        Path(folder, "built").touch()
    os.environ["TABLEE_DEBUG"] = "0"
    import django

    django.setup()
    from django.test import Client

    from tablee.members.models import ApiToken
    from tablee.members.selectors import user_by_email

    user = user_by_email(email="marie.tremblay@demo.tablee.ca")
    raw = ApiToken.new_raw()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash(raw))
    session = Client()
    session.force_login(user)
    # A signed-in browser also holds the CSRF cookie its first page set: it sends both back.
    assert session.get("/gatherings/", secure=True).status_code == 200 and "csrftoken" in session.cookies
    clients = {"none": (Client(), {}), "session": (session, {}),
               "bearer": (Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"})}
    from tablee import api

    # The rate is still counted on every request (as in production), over a window too short to bind.
    for throttle in api.api.throttle:
        throttle.duration = 0.001
    # Timed through the WSGI handler, as gunicorn calls it: the test client's own work (signals,
    # copies of the context) would otherwise be a third of what is measured.
    from tablee.wsgi import application as app

    def call(url: str, auth: str) -> str:
        client, headers = clients[auth]
        cookies = "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items())
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": url, "QUERY_STRING": "", "SERVER_NAME": "testserver",
            "SERVER_PORT": "443", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "testserver",
            "wsgi.url_scheme": "https", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0), "wsgi.multithread": True, "wsgi.multiprocess": True,
            "wsgi.run_once": False, **({"HTTP_COOKIE": cookies} if cookies else {}), **headers,
        }
        status: list[str] = []
        body = app(environ, lambda code, response_headers, exc_info=None: status.append(code))
        for _ in body:
            pass
        body.close()
        return status[0]

    for url, auth in URLS:
        if args.url and url not in args.url:
            continue
        for _ in range(5):
            status = call(url, auth)
            assert status.startswith("200"), (url, status)
        batches = []
        for _ in range(args.batches):
            started = time.process_time()
            for _ in range(args.n):
                call(url, auth)
            batches.append((time.process_time() - started) / max(args.n, 1) * 1000)
        # The least of the batches: the machine's load only ever adds to it.
        print(f"{url:14} {min(batches):6.2f} ms CPU per request (median of {args.batches} batches: "
              f"{statistics.median(batches):.2f})")
    if args.profile:
        auth = dict(URLS)[args.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.n):
            call(args.profile, auth)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(*([args.filter] if args.filter else []), 45)


def count_instructions(folder: str, urls: list[str], n: int) -> None:
    if shutil.which("valgrind") is None:
        sys.exit("profile_requests: valgrind not found (apt-get install valgrind)")
    if not Path(folder, "db.sqlite3").exists():  # build the database outside valgrind
        subprocess.run([sys.executable, __file__, "--folder", folder, "--url", "/", "-n", "1", "--batches", "1"],
                       check=True, capture_output=True)

    def count(url: str, requests: int) -> int:
        command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                   sys.executable, __file__, "--folder", folder, "--url", url, "-n", str(requests), "--batches", "1"]
        out = subprocess.run(command, env={**os.environ, "PYTHONMALLOC": "malloc"}, check=True,
                             capture_output=True, text=True).stderr
        return int(re.search(r"I\s+refs:\s+([\d,]+)", out).group(1).replace(",", ""))

    for url in urls:
        per_request = (count(url, n) - count(url, 0)) / n
        print(f"{url:14} {per_request / 1e6:6.2f} M instructions per request (cachegrind, {n} requests)", flush=True)


if __name__ == "__main__":
    main()
