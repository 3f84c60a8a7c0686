"""The Tablée worker: django-tasks' database worker plus a periodic tick.

The tick (every minute, once in --batch mode) sweeps the outbox for rows whose task was lost, whose
back-off is over, or whose send lease expired, then runs the jobs the rooms registered in
``tablee.outbox.ticks`` (the gatherings' reminders). It runs in
a daemon thread next to the worker loop; each thread has its own database connection.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from argparse import ArgumentParser, BooleanOptionalAction

from django.core.management.base import BaseCommand
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    connections,
)
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import (
    Command as DbWorkerCommand,
)
from django_tasks_db.management.commands.db_worker import (
    Worker,
    valid_interval,
    valid_max_tasks,
)

from tablee.outbox import ticks

logger = logging.getLogger("tablee.worker")


def tick(*, prune_now: bool = False) -> dict[str, int]:
    """One round of periodic work (see ``tablee.outbox.ticks``): the heartbeat, pruning when asked,
    then the sweep and the rooms' jobs. Never raises."""
    from tablee.outbox.services import heartbeat_record, prune

    close_old_connections()
    try:
        heartbeat_record()
    except Exception:
        logger.exception("recording the heartbeat failed")
    if prune_now:
        try:
            pruned = prune()
            if any(pruned.values()):
                logger.info("pruned %(tasks)s finished tasks and %(email_bodies)s email bodies", pruned)
        except Exception:
            logger.exception("pruning failed")
    done = ticks.run_all()
    if any(done.values()):
        logger.info("tick: %s", ", ".join(f"{name} {count}" for name, count in done.items()))
    return done


class Ticker(threading.Thread):
    def __init__(self, every: float):
        super().__init__(name="tablee-tick", daemon=True)
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        last_prune = 0.0
        try:
            while not self.stopped.is_set():
                prune_now = time.monotonic() - last_prune > PRUNE_EVERY_SECONDS
                tick(prune_now=prune_now)
                if prune_now:
                    last_prune = time.monotonic()
                self.stopped.wait(self.every)
        finally:
            connection.close()


class WarmUp(threading.Thread):
    """What the rooms load once (``ticks.register_warm_up``: the engine's kernels, the sentence
    encoder), loaded as the worker starts, beside the first tasks: emails leave at once, and a plan
    or a door repair that comes early waits only for what is left to load. Not in --batch runs."""

    def __init__(self) -> None:
        super().__init__(name="tablee-warm-up", daemon=True)

    def run(self) -> None:
        took = ticks.warm_up_all()
        if took:
            logger.info("warmed up: %s", ", ".join(f"{name} {seconds:.1f} s" for name, seconds in took.items()))


PRUNE_EVERY_SECONDS = 3600
# Database errors that pass: SQLite busy past its timeout, a PostgreSQL restart or failover.
RETRY_FIRST, RETRY_CAP = 1.0, 30.0


def run_resilient(make_worker, *, sleep=time.sleep) -> int:
    """Run workers until one ends normally; a lost connection or a locked database closes the
    connections, waits (1 s, 2 s, … 30 s) and starts a fresh worker. Returns the restarts made."""
    restarts, delay = 0, RETRY_FIRST
    while True:
        try:
            make_worker().run()
            return restarts
        except (OperationalError, InterfaceError) as exc:
            restarts += 1
            logger.warning("database trouble in the worker (%s: %s); retrying in %.0f s",
                           type(exc).__name__, exc, delay)
            connections.close_all()
            sleep(delay)
            delay = min(delay * 2, RETRY_CAP)


class Command(BaseCommand):
    help = "Run background tasks (emails, table plans), queue reminders and sweep the outbox"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--queue-name", default="*", help="queues to process, comma-separated; * for all")
        parser.add_argument("--interval", type=valid_interval, default=1, help="seconds between polls when idle")
        parser.add_argument("--tick", dest="tick_seconds", type=valid_interval, default=60, help="seconds between reminder/sweep rounds")
        parser.add_argument("--batch", action="store_true", help="run what is due once, then exit")
        parser.add_argument("--max-tasks", type=valid_max_tasks, default=None, help="exit after this many tasks")
        parser.add_argument("--reload", action=BooleanOptionalAction, default=False, help="restart on code changes")
        parser.add_argument("--backend", dest="backend_name", default="default")
        parser.add_argument("--worker-id", default=None)

    def handle(self, *, verbosity: int, queue_name: str, interval: float, tick_seconds: float, batch: bool,
               max_tasks: int | None, reload: bool, backend_name: str, worker_id: str | None,
               **options) -> None:
        DbWorkerCommand(stdout=self.stdout, stderr=self.stderr).configure_logging(verbosity)
        logger.setLevel(logging.WARNING if verbosity == 0 else logging.INFO)

        def make_worker() -> Worker:
            return Worker(
                queue_names=queue_name.split(","),
                interval=interval,
                batch=batch,
                backend_name=backend_name,
                startup_delay=not batch,
                max_tasks=max_tasks,
                worker_id=worker_id or get_random_string(32),
                excluded_queue_names=[],
            )

        if batch:
            # Tasks first, then the tick (its sweep then only finds real leftovers), then the
            # tasks the tick queued (reminders), so one batch run leaves nothing due behind.
            run_resilient(make_worker)
            done = tick(prune_now=True)
            if any(count for name, count in done.items() if name != "swept"):
                run_resilient(make_worker)
            return

        def run() -> None:
            def fresh() -> Worker:
                worker = make_worker()
                if not reload or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                    worker.configure_signals()
                return worker

            Ticker(every=tick_seconds).start()
            WarmUp().start()
            run_resilient(fresh)

        if reload:
            run_with_reloader(run)
        else:
            run()
