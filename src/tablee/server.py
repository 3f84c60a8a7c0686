"""`tablee serve`: gunicorn in front of the WSGI app, static files through whitenoise."""

from __future__ import annotations

import os
import sys
import threading
from urllib.parse import urlsplit


def site_url_warning(*, site_url: str, port: int) -> str:
    """A warning when emailed links (under TABLEE_SITE_URL) point at another port than this server's.
    Behind a reverse proxy that can be right (https on 443 in front of 8000): the text says so."""
    parts = urlsplit(site_url)
    site_port = parts.port or (443 if parts.scheme == "https" else 80)
    if site_port == port:
        return ""
    return (
        f"tablee: warning: TABLEE_SITE_URL is {site_url} (port {site_port}) but the server listens on port "
        f"{port}: links in emails will not reach it unless a proxy forwards that port. "
        f"Locally, set TABLEE_SITE_URL=http://127.0.0.1:{port}"
    )


def default_workers() -> int:
    """Two processes per core (TABLEE_WORKERS overrides).

    Processes, not threads, carry the load: on 2 cores, 2 workers × 8 threads served /api/me at
    365 requests/s and 2 × 1 at 805 (bench/bench_web.py, bench/RESULTS.md), the threads of one
    process waiting on its interpreter lock. Two per core keep a core busy while the other
    process waits on the database or on a slow request."""
    from tablee import config

    return config.env_int("TABLEE_WORKERS", 2 * max(os.cpu_count() or 1, 1), minimum=1)


def default_threads() -> int:
    """One thread per worker (TABLEE_THREADS overrides). Under a full load two threads of one
    process take turns at its interpreter lock: on 2 cores, 4 workers × 2 threads spent 1.77–2.04 ms
    of server CPU per /api/me and 4.0–4.6 ms per /gatherings/, 4 × 1 spent 1.34–1.38 and 3.4–3.9 ms
    (four runs each, bench/RESULTS.md, session 7). A worker still keeps its idle keep-alive
    connections while it serves one request; a deployment with slow requests can raise it."""
    from tablee import config

    return config.env_int("TABLEE_THREADS", 1, minimum=1)


def serve(*, port: int, host: str, workers: int, threads: int) -> int:
    from django.conf import settings
    from django.core.management import call_command

    from tablee.errors import CommandError

    if not 0 < port < 65536:
        raise CommandError(f"--port must be between 1 and 65535, not {port}")
    if workers < 1 or threads < 1:
        raise CommandError("--workers and --threads must be at least 1")
    warning = site_url_warning(site_url=settings.SITE_URL, port=port)
    if warning:
        print(warning, file=sys.stderr)
    call_command("collectstatic", interactive=False, verbosity=0)
    argv = [
        "gunicorn",
        "tablee.wsgi:application",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--worker-class", "gthread",
        "--timeout", "60",
        "--graceful-timeout", "20",
        # No gunicorn access log: tablee.middleware.RequestLogMiddleware writes one line per request.
        "--backlog", "2048",
        # This module's `post_worker_init`: each web process warms the engine up in the background.
        "--config", "python:tablee.server",
    ]
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    os.execv(gunicorn, argv)
    return 0  # not reached


def post_worker_init(worker=None) -> threading.Thread:
    """gunicorn's hook, once per web process: load the engine's kernels and the sentence encoder
    (``tablee.outbox.ticks`` warm-ups) in a background thread. A walk-in seated at the door or a
    first share suggestion otherwise paid 2–4 s for it; requests are served meanwhile, and one that
    needs the engine first waits for the warm-up's lock instead of loading it twice."""
    from tablee.outbox.ticks import warm_up_all

    thread = threading.Thread(target=warm_up_all, name="tablee-warm-up", daemon=True)
    thread.start()
    return thread
