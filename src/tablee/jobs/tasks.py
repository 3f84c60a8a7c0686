"""Background tasks of the jobs. The work lives in the capability's service; a task only names it."""

from __future__ import annotations

from django_tasks import task

from tablee.jobs.models import Job
from tablee.jobs.registry import runners


@task()
def run_job(job_id: int) -> str:
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status != Job.Status.QUEUED:
        return "skipped"  # deleted, or already taken by a duplicate run
    runner = runners.get(job.kind)
    if runner is None:
        return "unknown"
    return runner(job=job).status
