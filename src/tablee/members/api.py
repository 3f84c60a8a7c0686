"""JSON API about the signed-in person, and the organizers' members endpoints."""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from tablee.jobs.api import JobOut, in_askers_language, job_out
from tablee.jobs.models import Job
from tablee.jobs.services import INLINE_MAX_ROWS, estimate_rows, job_queue
from tablee.members import selectors
from tablee.members.access import association_organized_by
from tablee.schemas import Error

router = Router(tags=["members"])


class MembershipOut(Schema):
    slug: str
    name: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    preferred_language: str
    associations: list[MembershipOut]


@router.get("/me", response=MeOut)
def me(request):
    user = request.auth
    profile = getattr(user, "profile", None)
    memberships = selectors.my_associations(user=user)
    return MeOut(
        id=user.pk,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        preferred_language=profile.preferred_language if profile else "fr-ca",
        associations=[
            MembershipOut(slug=slug, name=name, role=role) for slug, name, role in memberships
        ],
    )


# Organizers bring their members in -------------------------------------------------------------


class MemberIn(Schema):
    email: str = Field(..., max_length=254)
    first_name: str = Field(..., max_length=150)
    last_name: str = Field(..., max_length=150)
    organization: str = Field("", max_length=200)
    languages: list[str] = []
    offers: list[str] = []
    needs: list[str] = []
    interests: list[str] = []
    invite: bool = True


class MemberCreated(Schema):
    id: int
    email: str
    invited: bool


class MemberRow(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    role: str
    state: str  # never_invited, invited, declined (refused our invitations), active
    invited_at: str | None


class MemberPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MemberRow]


class InvitationsIn(Schema):
    # Empty: everyone who has never signed in.
    emails: list[str] = Field(default_factory=list, max_length=1000)


class Queued(Schema):
    queued: int
    declined: int = Field(0, description="people skipped: they declined the association's invitations")


@router.post("/associations/{slug}/members", response={201: MemberCreated})
def member_add(request, slug: str, payload: MemberIn):
    from tablee.members.roster import member_add as add

    association = association_organized_by(request.auth, slug)
    user, invited = add(association=association, invited_by=request.auth, invite=payload.invite,
                        **payload.dict(exclude={"invite"}))
    return Status(201, MemberCreated(id=user.pk, email=user.email, invited=invited))


class ImportLineOut(Schema):
    line: int
    reason: str


class MembersImportOut(Schema):
    created: int
    updated: int
    joined: int
    invited: int
    # Values existing members had filled in that the file did not replace (see `overwrite`).
    kept: int
    errors: list[ImportLineOut]
    warnings: list[ImportLineOut]


class MemberChangeOut(Schema):
    field: str
    before: str | list[str]
    after: str | list[str]
    # The member's value is empty: the import fills it whatever `overwrite` says; otherwise only
    # `overwrite=true` replaces it.
    filled: bool


class MemberPreviewRowOut(Schema):
    line: int
    email: str
    name: str
    # "create" (a new account), "join" (an existing account, not yet a member: their profile stays
    # theirs and is not shown), "update" (a member of this association).
    action: Literal["create", "join", "update"]
    changes: list[MemberChangeOut]


class MembersPreviewOut(Schema):
    """`dry_run=true`: what the import would do; nothing was written."""

    dry_run: Literal[True]
    # The file is kept with the preview for the association's organizers, an hour: `POST import_url`
    # imports exactly it, once, without sending it again (a file with errors is not kept: 422).
    preview_id: int
    import_url: str
    created: int
    updated: int
    # Values members already hold that differ from the file: replaced only with `overwrite=true`.
    conflicts: int
    errors: list[ImportLineOut]
    rows: list[MemberPreviewRowOut]


@router.post("/associations/{slug}/members/import",
             response={200: MembersImportOut | MembersPreviewOut, 202: JobOut, 413: Error,
                       422: MembersImportOut | MembersPreviewOut | Error})
def member_import(request, slug: str, file: File[UploadedFile], invite: bool = False, overwrite: bool = False,
                  dry_run: bool = False):
    """A members CSV (the columns of `tablee members import`), all or nothing: a file with a bad line
    writes nothing (422, every bad line listed). A few hundred rows: imported now (200). More: 202
    with a job to poll at `GET /api/jobs/{id}`; the worker writes it in short batches.

    Existing people keep what they filled in: the file only fills their empty values (`kept` counts
    the values left as they were). `overwrite=true` replaces them too, for people already members of
    this association only.

    `dry_run=true`: no account, membership or invitation is written; the answer is the preview of
    the members page: `created`, `updated` (joined or updated), `conflicts`, every bad line, and each
    row with what it would do and, for a member of this association, each value before → after. 200,
    or 422 when the file has errors. The file is kept with the preview for the association's
    organizers, an hour: `POST /api/associations/{slug}/members/import/previews/{preview_id}/import`
    (the answer's `import_url`, with `invite` and `overwrite`) imports exactly it, once. A file
    above a few hundred rows is checked by the worker, as its import would be: 202 with a job
    (`kind` "members_preview") to poll at `GET /api/jobs/{id}`; once it is finished,
    `GET /api/associations/{slug}/members/import/previews/{id}` answers the preview."""
    from tablee.members.import_jobs import import_invite
    from tablee.members.invitations import language_of
    from tablee.members.roster_import import MAX_BYTES
    from tablee.members.services import members_import

    association = association_organized_by(request.auth, slug)
    if (file.size or 0) > MAX_BYTES:
        raise HttpError(413, _("Fichier trop volumineux (2 Mo au plus)."))
    data = file.read()
    if dry_run:
        from tablee.members.roster_import import members_preview_start

        return _import_preview(association, members_preview_start(
            organizer=request.auth, association=association, data=data, file_name=file.name or "",
            language=language_of(request.auth)))
    if estimate_rows(data) > INLINE_MAX_ROWS:
        # A bearer token carries no language choice: the errors are written in the profile's.
        job = job_queue(owner=request.auth, kind=Job.Kind.MEMBERS_IMPORT, data=data,
                        params={"association": association.pk, "invite": invite, "overwrite": overwrite,
                                "language": language_of(request.auth)})
        return Status(202, job_out(job))
    result = members_import(association=association, data=data, overwrite=overwrite)
    invited = 0
    if result.ok and invite:
        invited = import_invite(association=association, emails=result.emails, invited_by=request.auth)
    return _import_out(result, invited)


def _import_out(result, invited: int):
    return Status(422 if result.errors else 200, MembersImportOut(
        created=result.created, updated=result.updated, joined=result.joined, invited=invited, kept=result.kept,
        errors=[ImportLineOut(line=line, reason=reason) for line, reason in result.errors],
        warnings=[ImportLineOut(line=line, reason=reason) for line, reason in result.warnings],
    ))


def _import_preview(association, job: Job):
    from tablee.members.roster_import import preview_from_job

    if not job.finished:
        return Status(202, job_out(job))
    with in_askers_language(job):
        preview = preview_from_job(job)
    return Status(422 if preview.errors else 200, MembersPreviewOut(
        dry_run=True, preview_id=job.pk,
        import_url=f"/api/associations/{association.slug}/members/import/previews/{job.pk}/import",
        created=preview.created, updated=preview.updated, conflicts=preview.conflicts,
        errors=[ImportLineOut(line=line, reason=reason) for line, reason in preview.errors],
        rows=[MemberPreviewRowOut(line=row.line, email=row.email, name=row.name, action=row.action, changes=[
            MemberChangeOut(field=c.column, before=c.before, after=c.after, filled=c.filled) for c in row.changes])
            for row in preview.rows],
    ))


@router.get("/associations/{slug}/members/import/previews/{preview_id}",
            response={200: MembersPreviewOut, 202: JobOut, 422: MembersPreviewOut | Error})
def member_import_preview(request, slug: str, preview_id: int):
    """A preview of `POST /api/associations/{slug}/members/import?dry_run=true`: 202 with its job while
    the worker checks a big file, then the preview (200, or 422 when the file has errors). For the
    association's organizers."""
    from tablee.members.access import import_preview_for

    association = association_organized_by(request.auth, slug)
    return _import_preview(association, import_preview_for(association=association, preview_id=preview_id))


@router.post("/associations/{slug}/members/import/previews/{preview_id}/import",
             response={200: MembersImportOut, 202: JobOut, 409: Error, 410: Error, 422: MembersImportOut | Error})
def member_import_previewed(request, slug: str, preview_id: int, invite: bool = False, overwrite: bool = False):
    """Import exactly the file the preview showed, without sending it again: answered as
    `POST /api/associations/{slug}/members/import` (200, or 202 with a job for a big file). Once
    only: 409 when it was imported already, 410 when the preview expired (the file is kept an hour),
    422 when the file has errors or is still being checked. Nothing is written on any refusal."""
    from tablee.jobs.services import PreviewGone
    from tablee.members.access import import_preview_for
    from tablee.members.invitations import language_of
    from tablee.members.roster_import import members_preview_import

    association = association_organized_by(request.auth, slug)
    job = import_preview_for(association=association, preview_id=preview_id)
    try:
        outcome = members_preview_import(organizer=request.auth, association=association, job=job, invite=invite,
                                         overwrite=overwrite, language=language_of(request.auth))
    except PreviewGone as exc:
        raise HttpError({"used": 409, "expired": 410}.get(exc.reason, 422), exc.message) from None
    if isinstance(outcome, Job):
        return Status(202, job_out(outcome))
    result, invited = outcome
    return _import_out(result, invited)


@router.get("/associations/{slug}/members", response=MemberPage)
def member_list(request, slug: str, limit: int = 50, offset: int = 0):
    from tablee.members.roster import roster_page

    association = association_organized_by(request.auth, slug)
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    page = roster_page(association=association, limit=limit, offset=offset)
    return MemberPage(count=page.total, limit=limit, offset=offset, items=[
        MemberRow(id=r.user.pk, email=r.user.email, first_name=r.user.first_name, last_name=r.user.last_name,
                  role=r.role, state=r.state, invited_at=r.invited_at.isoformat() if r.invited_at else None)
        for r in page.items
    ])


@router.post("/associations/{slug}/invitations", response=Queued)
def invitations(request, slug: str, payload: InvitationsIn):
    from tablee.members.invitations import invitations_send

    association = association_organized_by(request.auth, slug)
    sent = invitations_send(association=association, emails=payload.emails or None, invited_by=request.auth)
    if sent.unknown:
        raise DjangoValidationError({"emails": [f"Not an active member: {', '.join(sent.unknown)}"]})
    return Queued(queued=sent.queued, declined=sent.declined)
