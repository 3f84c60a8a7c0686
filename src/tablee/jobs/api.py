"""JSON API for jobs: poll a big import the API answered with 202. A job answers for its owner only."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from django.utils import translation
from ninja import Router, Schema

from tablee.jobs import selectors
from tablee.jobs.models import Job

router = Router(tags=["jobs"])


class JobLineOut(Schema):
    line: int
    reason: str


class JobOut(Schema):
    id: int
    kind: str
    status: str
    detail: str
    total: int
    done: int
    percent: int
    created: int
    updated: int
    errors: list[JobLineOut]
    warnings: list[JobLineOut]
    # Counts a kind reports beside created/updated (a member import: joined, invited).
    outcome: dict[str, int]
    url: str


def in_askers_language(job: Job) -> AbstractContextManager:
    """The API writes a job's lines in the language its asker's token speaks, kept with the job
    (``params["language"]``); a job without one, in the request's."""
    language = job.params.get("language")
    return translation.override(language) if language else nullcontext()


def job_out(job: Job) -> JobOut:
    with in_askers_language(job):
        errors, warnings = job.error_lines, job.warning_lines
    return JobOut(
        id=job.pk, kind=job.kind, status=job.status, detail=job.detail, total=job.total, done=job.done,
        percent=job.percent, created=job.created, updated=job.updated,
        errors=[JobLineOut(line=line, reason=reason) for line, reason in errors],
        warnings=[JobLineOut(line=line, reason=reason) for line, reason in warnings],
        outcome=job.outcome, url=f"/api/jobs/{job.pk}",
    )


@router.get("/jobs/{job_id}", response=JobOut)
def job_detail(request, job_id: int):
    return job_out(selectors.job_for_owner(owner=request.auth, job_id=job_id))
