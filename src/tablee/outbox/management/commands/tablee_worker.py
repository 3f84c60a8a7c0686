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
from argparse import ArgumentParser, BooleanOptionalAction

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
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


def tick() -> dict[str, int]:
    """One round of periodic work (see ``tablee.outbox.ticks``). Never raises."""
    close_old_connections()
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
        try:
            while not self.stopped.is_set():
                tick()
                self.stopped.wait(self.every)
        finally:
            connection.close()


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
            make_worker().run()
            done = tick()
            if any(count for name, count in done.items() if name != "swept"):
                make_worker().run()
            return

        def run() -> None:
            worker = make_worker()
            if not reload or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            Ticker(every=tick_seconds).start()
            worker.run()

        if reload:
            run_with_reloader(run)
        else:
            run()
