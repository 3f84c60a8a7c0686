"""`tablee serve`: gunicorn in front of the WSGI app, static files through whitenoise."""

from __future__ import annotations

import os
import sys


def serve(*, port: int, host: str, workers: int, threads: int) -> int:
    from django.core.management import call_command

    from tablee.cli import CommandError

    if not 0 < port < 65536:
        raise CommandError(f"--port must be between 1 and 65535, not {port}")
    if workers < 1 or threads < 1:
        raise CommandError("--workers and --threads must be at least 1")
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
        "--access-logfile", "-",
        "--backlog", "2048",
    ]
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    os.execv(gunicorn, argv)
    return 0  # not reached
