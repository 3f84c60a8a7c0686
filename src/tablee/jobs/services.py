"""Writes for jobs: queue one (the task leaves after the commit), claim it once, record progress,
and the loop every batch job shares: short write transactions, progress saved after each."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from django.db import connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tablee.jobs.models import PREVIEW_KINDS, Job

T = TypeVar("T")

# Above this many entries an import leaves the request for the worker (contacts and members alike).
INLINE_MAX_ROWS = 300


def estimate_rows(data: bytes) -> int:
    """About how many entries a file holds, without parsing it (a vCard per BEGIN, else a row per line)."""
    cards = data.upper().count(b"BEGIN:VCARD")
    return cards if cards else data.count(b"\n")


# How long a preview keeps its file for the confirmation that imports it.
PREVIEW_KEEP = timedelta(hours=1)


def job_queue(*, owner, kind: str, data: bytes, params: dict[str, Any] | None = None,
              enqueue: bool = True) -> Job:
    """Store the job and, after the commit, hand it to the worker. ``enqueue=False``: the caller
    runs it at once (a small preview, in the request). A preview's file is kept ``PREVIEW_KEEP``."""
    from tablee.jobs.tasks import run_job

    # The worker writes the job's messages in the language of the person who asked.
    params = {"language": translation.get_language() or "", **(params or {})}
    expires_at = timezone.now() + PREVIEW_KEEP if kind in PREVIEW_KINDS else None
    if expires_at is not None:
        previews_purge()
    with transaction.atomic():
        job = Job.objects.create(owner=owner, kind=kind, data=data, params=params, expires_at=expires_at)
        if enqueue:
            transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


class PreviewGone(Exception):
    """The preview's file cannot be imported: ``reason`` is "used" (imported already), "expired",
    "pending" (the worker is still checking it) or "refused" (the file had errors)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        """What the person reads, in their language, with the way out: start again."""
        if self.reason == "used":
            return str(_("Ce fichier a déjà été importé à partir de cet aperçu. Pour importer un autre "
                         "fichier, recommencez."))
        if self.reason == "expired":
            return str(_("Cet aperçu a expiré : le fichier n'est gardé qu'une heure. Choisissez-le de "
                         "nouveau pour recommencer."))
        if self.reason == "pending":
            return str(_("La vérification de ce fichier n'est pas terminée : attendez qu'elle le soit pour importer."))
        return str(_("Ce fichier ne peut pas être importé tel quel : corrigez les lignes signalées, puis "
                     "recommencez."))


def preview_take(*, job: Job) -> bytes:
    """The file a preview showed, once: the preview is marked used in the same transaction, so a
    second confirmation (a double click, another tab) finds it taken. ``preview_release`` gives it
    back when the import refused it; ``preview_done`` drops the file once imported."""
    now = timezone.now()
    with transaction.atomic():
        taken = Job.objects.filter(pk=job.pk, kind__in=PREVIEW_KINDS, status=Job.Status.DONE, used_at__isnull=True,
                                   expires_at__gt=now).update(used_at=now)
        if taken:
            data = bytes(Job.objects.filter(pk=job.pk).values_list("data", flat=True).get())
            if data:
                job.used_at = now
                return data
            transaction.set_rollback(True)  # emptied by the purge: nothing to import
            raise PreviewGone("expired")
    fresh = Job.objects.filter(pk=job.pk).values("status", "used_at", "expires_at").first()
    if fresh is not None and fresh["status"] in (Job.Status.QUEUED, Job.Status.RUNNING):
        raise PreviewGone("pending")
    if fresh is None or fresh["status"] != Job.Status.DONE:
        raise PreviewGone("refused")
    raise PreviewGone("used" if fresh["used_at"] else "expired")


def preview_release(*, job: Job) -> None:
    """The import refused what was taken (nothing written): the preview may be confirmed again."""
    Job.objects.filter(pk=job.pk).update(used_at=None)
    job.used_at = None


def preview_done(*, job: Job, outcome: dict[str, int] | None = None) -> None:
    """Imported (or handed to an import job): the kept file is dropped."""
    job.outcome = {**job.outcome, **(outcome or {})}
    Job.objects.filter(pk=job.pk).update(data=b"", outcome=job.outcome)


def previews_purge() -> int:
    """Empty the files of expired previews (the worker's tick, and each new preview). Returns how many."""
    return Job.objects.filter(kind__in=PREVIEW_KINDS, expires_at__lt=timezone.now()).exclude(data=b"").update(data=b"")


def job_progress(*, job: Job) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` that records how far ``job`` got, for a page polling it."""

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job.pk).update(done=done, total=total)

    return progress


def job_claim(*, job: Job) -> bool:
    """Queued → running, once: a duplicate task run finds it taken and does nothing."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(status=Job.Status.RUNNING, started_at=now)
    if claimed:
        job.status, job.started_at = Job.Status.RUNNING, now
    return bool(claimed)


def job_finish(*, job: Job, status: str, keep_data: bool = False, **fields) -> Job:
    """Done or failed; the uploaded file is dropped (it held someone's contacts), unless
    ``keep_data``: a preview without errors keeps it for its confirmation, until it expires."""
    job.status, job.finished_at = status, timezone.now()
    if not keep_data:
        job.data = b""
    for name, value in fields.items():
        setattr(job, name, value)
    if keep_data:  # the kept file is not written again (up to 20 MB inside a write transaction)
        job.save(update_fields=[f.name for f in Job._meta.concrete_fields if f.name not in ("id", "data")])
    else:
        job.save()
    return job


class WriteTimer:
    """The write transactions' durations, in seconds; the longest is what other writers waited at most."""

    def __init__(self) -> None:
        self.longest = 0.0
        self.durations: list[float] = []

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """``transaction.atomic()``, timed from its first statement to the commit.

        On SQLite (``BEGIN IMMEDIATE``) the write lock is held for exactly this long. Python's garbage
        collector is paused meanwhile: a full collection over a big import's objects takes hundreds
        of milliseconds, and would otherwise happen while the lock is held."""
        paused = gc.isenabled()
        gc.disable()
        try:
            with transaction.atomic():
                started = time.perf_counter()
                yield
            held = time.perf_counter() - started
        finally:
            if paused:
                gc.enable()
        self.durations.append(held)
        self.longest = max(self.longest, held)

    @property
    def longest_ms(self) -> float:
        return round(self.longest * 1000, 1)

    def percentile_ms(self, share: float) -> int:
        if not self.durations:
            return 0
        ordered = sorted(self.durations)
        return round(ordered[int(share * (len(ordered) - 1))] * 1000)


@contextmanager
def _checkpoints_between_batches() -> Iterator[None]:
    """On SQLite in WAL mode, the commit that fills the log past its limit also copies it into the
    database file (an automatic checkpoint, fsync included) before returning, after the write lock
    is released. During a batch job the checkpoint is run between batches instead, outside the
    timed transactions, so that the timer measures the write lock and nothing else."""
    connection = connections["default"]
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        limit = cursor.fetchone()[0]
        cursor.execute("PRAGMA wal_autocheckpoint=0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint={int(limit)}")
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _checkpoint() -> None:
    connection = connections["default"]
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")  # never waits for, nor blocks, a writer


@dataclass
class BatchTotals:
    created: int = 0
    updated: int = 0
    longest_write_ms: float = 0.0
    # The median and 99th percentile of the write transactions, in milliseconds.
    write_ms_p50: int = 0
    write_ms_p99: int = 0


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
    with _checkpoints_between_batches():
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            created, updated = write(batch, timer)
            totals.created, totals.updated = totals.created + created, totals.updated + updated
            totals.longest_write_ms = timer.longest_ms
            done = start + len(batch)
            if job is not None:
                Job.objects.filter(pk=job.pk).update(done=done, created=totals.created, updated=totals.updated,
                                                     longest_write_ms=totals.longest_write_ms)
            _checkpoint()
            if progress is not None:
                progress(done, len(rows))
    totals.write_ms_p50, totals.write_ms_p99 = timer.percentile_ms(0.5), timer.percentile_ms(0.99)
    return totals
