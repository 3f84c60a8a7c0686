"""The worker's periodic jobs: a registry the rooms above fill, so the worker never imports upward.

The outbox sits at the lowest floor. Its own job (the sweep) always runs first; a higher room
registers its jobs in its ``AppConfig.ready`` (gatherings: the reminders). A job takes no
argument and returns how many things it queued.

Warm-ups are the other registry: what a room loads once when the worker starts (``tablee worker``),
so that its first task does not wait for it (tables: the engine's kernels and the sentence
encoder). Each web process runs them too, in a background thread (``tablee.server.post_worker_init``);
``manage.py`` commands never do.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

logger = logging.getLogger("tablee.worker")

Job = Callable[[], int]

_jobs: dict[str, Job] = {}


def register(name: str, job: Job) -> None:
    """Run ``job`` at every tick under ``name``; registering the same name again replaces it."""
    _jobs[name] = job


def registered() -> dict[str, Job]:
    return dict(_jobs)


WarmUp = Callable[[], object]

_warm_ups: dict[str, WarmUp] = {}


def register_warm_up(name: str, warm_up: WarmUp) -> None:
    """Run ``warm_up`` once when the worker or a web process starts; registering the same name again replaces it."""
    _warm_ups[name] = warm_up


def registered_warm_ups() -> dict[str, WarmUp]:
    return dict(_warm_ups)


def warm_up_all() -> dict[str, float]:
    """Run every registered warm-up once; the seconds each took. Never raises: a task that needs
    what failed to load loads it itself later (or reports why)."""
    took = {}
    for name, warm_up in _warm_ups.items():
        started = time.perf_counter()
        try:
            warm_up()
        except Exception:
            logger.exception("warm-up %s failed", name)
        took[name] = time.perf_counter() - started
    return took


def run_all() -> dict[str, int]:
    """One round: the sweep, then every registered job. Never raises: a bad job must not stop the worker."""
    from tablee.outbox.services import email_sweep

    done = {"swept": 0}
    # Sweep first: what the jobs queue just after goes out through its own tasks, not the sweep.
    try:
        done["swept"] = email_sweep()
    except Exception:
        logger.exception("sweeping the outbox failed")
    for name, job in _jobs.items():
        done[name] = 0
        try:
            done[name] = job()
        except Exception:
            logger.exception("periodic job %s failed", name)
    return done
