"""Writes for jobs: queue one (the task leaves after the commit), claim it once, record progress,
and the loop every batch job shares: short write transactions, progress saved after each."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone, translation

from tablee.jobs.models import Job

T = TypeVar("T")

# Above this many entries an import leaves the request for the worker (contacts and members alike).
INLINE_MAX_ROWS = 300


def estimate_rows(data: bytes) -> int:
    """About how many entries a file holds, without parsing it (a vCard per BEGIN, else a row per line)."""
    cards = data.upper().count(b"BEGIN:VCARD")
    return cards if cards else data.count(b"\n")


def job_queue(*, owner, kind: str, data: bytes, params: dict[str, Any] | None = None) -> Job:
    from tablee.jobs.tasks import run_job

    # The worker writes the job's messages in the language of the person who asked.
    params = {"language": translation.get_language() or "", **(params or {})}
    with transaction.atomic():
        job = Job.objects.create(owner=owner, kind=kind, data=data, params=params)
        transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


def job_claim(*, job: Job) -> bool:
    """Queued → running, once: a duplicate task run finds it taken and does nothing."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(status=Job.Status.RUNNING, started_at=now)
    if claimed:
        job.status, job.started_at = Job.Status.RUNNING, now
    return bool(claimed)


def job_finish(*, job: Job, status: str, **fields) -> Job:
    """Done or failed; the uploaded file is dropped (it held someone's contacts)."""
    job.status, job.finished_at, job.data = status, timezone.now(), b""
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()
    return job


class WriteTimer:
    """The longest write transaction seen, in seconds (what other writers waited at most)."""

    def __init__(self) -> None:
        self.longest = 0.0

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """``transaction.atomic()``, timed from its first statement to the commit.

        On SQLite (``BEGIN IMMEDIATE``) the write lock is held for exactly this long."""
        with transaction.atomic():
            started = time.perf_counter()
            yield
        self.longest = max(self.longest, time.perf_counter() - started)

    @property
    def longest_ms(self) -> float:
        return round(self.longest * 1000, 1)


@dataclass
class BatchTotals:
    created: int = 0
    updated: int = 0
    longest_write_ms: float = 0.0


def job_write_in_batches(*, job: Job | None, rows: Sequence[T], size: int,
                         write: Callable[[Sequence[T], WriteTimer], tuple[int, int]],
                         progress: Callable[[int, int], None] | None = None) -> BatchTotals:
    """Write ``rows`` ``size`` at a time: ``write(batch, timer)`` plans outside any transaction,
    writes inside ``timer.atomic()`` and returns (created, updated). After each batch the job (when
    there is one) records its progress, so a page polling it shows how far it got."""
    timer = WriteTimer()
    totals = BatchTotals()
    if job is not None:
        Job.objects.filter(pk=job.pk).update(total=len(rows), data=b"")
        job.total = len(rows)
    for start in range(0, len(rows), size):
        batch = rows[start : start + size]
        created, updated = write(batch, timer)
        totals.created, totals.updated = totals.created + created, totals.updated + updated
        totals.longest_write_ms = timer.longest_ms
        done = start + len(batch)
        if job is not None:
            Job.objects.filter(pk=job.pk).update(done=done, created=totals.created, updated=totals.updated,
                                                 longest_write_ms=totals.longest_write_ms)
        if progress is not None:
            progress(done, len(rows))
    return totals
