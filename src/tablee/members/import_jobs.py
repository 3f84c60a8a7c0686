"""Big member imports, in the worker (``Job.Kind.MEMBERS_IMPORT``).

Above ``jobs.services.INLINE_MAX_ROWS`` rows, the organizer's import (the members page after its
preview, or ``POST /api/associations/{slug}/members/import``) answers with a job and the worker runs
``members_import_run``: ``services.members_import`` checks the whole file first (one bad line and
nothing is written, every bad line kept as codes, written in the language of whoever reads the job),
then writes it in batches of short transactions, saving progress after each. Invitations, if
asked, go through the outbox afterwards, a few per transaction, with the usual per-address limit.
"""

from __future__ import annotations

from tablee.jobs.models import Job
from tablee.jobs.services import job_claim, job_finish
from tablee.members.csv_import import lines_json
from tablee.members.models import Association, User


def import_invite(*, association: Association, emails: list[str], invited_by: User | None) -> int:
    """Invite, among the imported addresses, those who have never signed in. Returns how many were queued."""
    from tablee.members.invitations import invitations_send, never_signed_in

    pending = set(never_signed_in(association=association).values_list("email", flat=True))
    return invitations_send(association=association, invited_by=invited_by,
                            emails=[e for e in emails if e in pending]).queued


def members_import_run(*, job: Job) -> Job:
    """The worker's side of a big member import (see the module's docstring)."""
    from tablee.members.services import members_import

    if not job_claim(job=job):
        return job
    association = Association.objects.filter(pk=job.params.get("association")).first()
    if association is None:  # deleted since
        return job_finish(job=job, status=Job.Status.FAILED)
    result = members_import(association=association, data=bytes(job.data), job=job,
                            overwrite=bool(job.params.get("overwrite")))
    # As codes: the job's page and the API write them in their reader's language (``lines_from_json``).
    warnings = lines_json(result.notices)
    if result.problems:
        return job_finish(job=job, status=Job.Status.FAILED, errors=lines_json(result.problems),
                          warnings=warnings)
    invited = 0
    if job.params.get("invite"):
        invited = import_invite(association=association, emails=result.emails, invited_by=job.owner)
    total = len(result.emails)
    return job_finish(job=job, status=Job.Status.DONE, total=total, done=total, created=result.created,
                      updated=result.updated, warnings=warnings, longest_write_ms=result.longest_write_ms,
                      outcome={"joined": result.joined, "invited": invited, "kept": result.kept})
