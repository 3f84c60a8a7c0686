"""Writes for jobs: queue one (the task leaves after the commit), claim it once, record progress."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tablee.jobs.models import Job


def job_queue(*, owner, kind: str, data: bytes) -> Job:
    from tablee.jobs.tasks import run_job

    with transaction.atomic():
        job = Job.objects.create(owner=owner, kind=kind, data=data)
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
