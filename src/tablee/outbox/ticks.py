"""The worker's periodic jobs: a registry the rooms above fill, so the worker never imports upward.

The outbox sits at the lowest floor. Its own job (the sweep) always runs first; a higher room
registers its jobs in its ``AppConfig.ready`` (gatherings: the reminders). A job takes no
argument and returns how many things it queued.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger("tablee.worker")

Job = Callable[[], int]

_jobs: dict[str, Job] = {}


def register(name: str, job: Job) -> None:
    """Run ``job`` at every tick under ``name``; registering the same name again replaces it."""
    _jobs[name] = job


def registered() -> dict[str, Job]:
    return dict(_jobs)


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
