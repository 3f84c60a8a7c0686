"""Background tasks of the jobs. The work lives in the capability's service; a task only names it."""

from __future__ import annotations

from django_tasks import task

from tablee.jobs.models import Job


@task()
def run_job(job_id: int) -> str:
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status != Job.Status.QUEUED:
        return "skipped"  # deleted, or already taken by a duplicate run
    if job.kind == Job.Kind.CONTACTS_IMPORT:
        from tablee.circle.import_jobs import contacts_import_run

        return contacts_import_run(job=job).status
    return "unknown"
