"""Other members' latency while one member imports 20,000 LinkedIn contacts.

    .venv/bin/python bench/bench_import.py                    # SQLite, 20,000 rows
    .venv/bin/python bench/bench_import.py --rows 50000 --database-url postgres://…

Starts ``tablee serve`` (production settings) and one ``tablee worker`` on a fresh database,
uploads a generated Connections.csv through ``POST /api/contacts/import`` (202 and a job), then,
until the job is done, other members keep signing up for a breakfast and cancelling (writes) and
reading ``/api/me``, each request timed. Prints: the upload's answer time, the import's duration,
the longest write transaction of the import (``longest_write_ms``, measured by the worker around
each batch), and the others' requests: count, failures, p50/p99/worst latency.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_rsvp_race import SETUP_SCRIPT, _free_port, _wait_until_up, fresh_database  # noqa: E402

BIN = Path(sys.executable).parent


def linkedin(rows: int) -> bytes:
    lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    for i in range(rows):
        lines.append(f"Prénom{i},Nom{i},https://www.linkedin.com/in/p{i},personne{i}@example.org,"
                     f"Entreprise {i % 500},Conseillère,12 Mar 2024")
    return ("\n".join(lines) + "\n").encode()


def _request(method: str, url: str, token: str, body: bytes | None = None,
             content_type: str | None = None) -> tuple[int, bytes, float]:
    headers = {"Authorization": f"Bearer {token}"}
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, method=method, data=body, headers=headers)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    except OSError as exc:
        status, raw = 0, repr(exc).encode()
    return status, raw, time.perf_counter() - started


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def run(*, database_url: str | None, rows: int, others: int) -> dict:
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    folder = Path(tempfile.mkdtemp(prefix="tablee-bench-import-"))
    try:
        with fresh_database(database_url, folder) as url:
            env = {**os.environ, "TABLEE_DEBUG": "0", "TABLEE_SECRET_KEY": secrets.token_urlsafe(50),
                   "TABLEE_DATA_DIR": str(folder), "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tablee.settings",
                   "TABLEE_LOG_LEVEL": "WARNING", "EMAIL_URL": "console://",
                   "TABLEE_API_RATE_PER_MINUTE": "100000000"}
            subprocess.run([str(BIN / "tablee"), "-v", "0", "migrate"], env=env, check=True, capture_output=True)
            setup = subprocess.run([sys.executable, "-c", SETUP_SCRIPT, str(others + 1), "20", "6"], env=env,
                                   check=True, capture_output=True, text=True)
            data = json.loads(setup.stdout.strip().splitlines()[-1])
            importer, tokens = data["tokens"][0], data["tokens"][1:]
            port = _free_port()
            log = (folder / "serve.log").open("wb")
            server = subprocess.Popen([str(BIN / "tablee"), "serve", "--port", str(port)], env=env, stdout=log,
                                      stderr=subprocess.STDOUT)
            worker = subprocess.Popen([str(BIN / "tablee"), "-v", "0", "worker"], env=env,
                                      stdout=(folder / "worker.log").open("wb"), stderr=subprocess.STDOUT)
            base = f"http://127.0.0.1:{port}"
            try:
                _wait_until_up(base, server, folder / "serve.log")
                stop, importing = threading.Event(), threading.Event()
                shots: list[tuple[str, int, float]] = []
                begun = time.perf_counter()
                worst_at: dict[str, tuple[float, float]] = {}  # phase: (seconds, when since the clients began)
                lock = threading.Lock()

                def other(token: str) -> None:
                    rsvp = f"{base}/api/gatherings/{data['gathering']}/rsvp"
                    while not stop.is_set():
                        for method, target in (("POST", rsvp), ("GET", f"{base}/api/me"), ("DELETE", rsvp)):
                            status, _raw, seconds = _request(method, target, token, b"" if method == "POST" else None)
                            with lock:
                                shots.append((method, status, seconds))
                                phase = "import" if importing.is_set() else "alone"
                                if seconds > worst_at.get(phase, (0.0, 0.0))[0]:
                                    worst_at[phase] = (seconds, time.perf_counter() - begun - seconds)

                body, content_type = _multipart("Connections.csv", linkedin(rows))
                threads = [threading.Thread(target=other, args=(t,), daemon=True) for t in tokens]
                for thread in threads:
                    thread.start()
                time.sleep(10)  # the others alone first: their baseline, on the same loaded machine
                with lock:
                    baseline = list(shots)
                    shots.clear()
                    importing.set()
                started = time.perf_counter()
                status, raw, upload_s = _request("POST", f"{base}/api/contacts/import", importer, body, content_type)
                if status != 202:
                    raise RuntimeError(f"upload answered {status}: {raw[:300]!r}")
                job = json.loads(raw)
                while True:
                    _s, raw, _t = _request("GET", f"{base}{job['url']}", importer)
                    job = json.loads(raw)
                    if job["status"] in ("done", "failed"):
                        break
                    time.sleep(0.5)  # polling, as a client would
                import_s = time.perf_counter() - started
                stop.set()
                for thread in threads:
                    thread.join()
            finally:
                for process in (server, worker):
                    process.terminate()
                    try:
                        process.wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        process.kill()
            longest = subprocess.run(
                [sys.executable, "-c", "import django, json; django.setup(); from tablee.jobs.models import Job; "
                 "print(json.dumps(list(Job.objects.values_list('longest_write_ms', 'created', 'status', 'outcome'))))"],
                env=env, check=True, capture_output=True, text=True).stdout
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    alone = sorted(s for _m, _st, s in baseline)
    latencies = sorted(s for _m, _st, s in shots)
    failures = [(m, st) for m, st, _s in shots if st not in (200, 409)]
    longest_ms, created, final, outcome = json.loads(longest)[0]
    return {
        "database": "postgresql" if database_url and database_url.startswith("postgres") else "sqlite",
        "rows": rows, "job": final, "created": created, "upload_answer_s": round(upload_s, 2),
        "import_s": round(import_s, 1), "longest_write_ms": longest_ms, "write_ms": outcome,
        "others": {"requests": len(shots), "failures": len(failures),
                   "p50_ms": round(statistics.median(latencies) * 1000, 1),
                   "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))] * 1000, 1),
                   "worst_ms": round(latencies[-1] * 1000, 1)},
        "others_without_import": {"requests": len(alone), "p50_ms": round(statistics.median(alone) * 1000, 1),
                                  "p99_ms": round(alone[int(0.99 * (len(alone) - 1))] * 1000, 1),
                                  "worst_ms": round(alone[-1] * 1000, 1)},
        "worst_started_at_s": {phase: round(at, 1) for phase, (_s, at) in worst_at.items()},
        "load_before": load_before,
        "load": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--others", type=int, default=8, help="other members, one client each")
    args = parser.parse_args(argv)
    print(json.dumps(run(database_url=args.database_url, rows=args.rows, others=args.others), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
