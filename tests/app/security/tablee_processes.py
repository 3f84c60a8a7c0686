"""Real processes for end-to-end tests: `tablee` commands and `tablee serve` on a throwaway database."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

TABLEE = Path(sys.executable).with_name("tablee")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tablee_env(data: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TABLEE_", "DATABASE_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE", "SENTRY_DSN"))}
    env.update(TABLEE_DEBUG="1", TABLEE_DATA_DIR=str(data), DATABASE_URL=f"sqlite:///{data / 'db.sqlite3'}",
               EMAIL_URL=f"file://{data / 'mail'}", TABLEE_API_RATE_PER_MINUTE="100000")
    env.update(extra)
    return env


def tablee(env: dict, *args: str, check: bool = True, timeout: int = 300) -> subprocess.CompletedProcess:
    result = subprocess.run([str(TABLEE), *args], env=env, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"tablee {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@contextlib.contextmanager
def serving(env: dict, *, port: int, host: str = "127.0.0.1"):
    """`tablee serve` in the background until the block ends; waits for /api/health to answer."""
    data = Path(env["TABLEE_DATA_DIR"])
    log = open(data / f"serve-{port}.log", "wb")  # noqa: SIM115 — closed below
    process = subprocess.Popen([str(TABLEE), "serve", "--host", host, "--port", str(port), "--workers", "2",
                                "--threads", "4"], env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://{host}:{port}/api/health", timeout=2):
                    break
            except urllib.error.HTTPError:
                break  # it answers (a 503 only says the worker is silent)
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"tablee serve did not start:\n{(data / f'serve-{port}.log').read_text()[-3000:]}")
            time.sleep(0.2)
        yield f"http://{host}:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
