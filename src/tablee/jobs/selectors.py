"""Reads for jobs: a job is visible to the person who asked for it, and to nobody else."""

from __future__ import annotations

from django.http import Http404

from tablee.jobs.models import Job


def job_for_owner(*, owner, job_id: int) -> Job:
    if not getattr(owner, "is_authenticated", False):
        raise Http404
    job = Job.objects.filter(pk=job_id, owner_id=owner.pk).defer("data", "preview").first()
    if job is None:
        raise Http404
    return job
