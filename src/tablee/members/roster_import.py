"""The organizer's CSV import: a preview first (what will be created, updated, and every bad line,
and for each existing member every value the file would change, before → after), then all or
nothing through ``services.members_import``, filling only empty values unless the organizer chose
to replace them.

The preview keeps the file in a job (``Job.Kind.MEMBERS_PREVIEW``) for an hour: any organizer of
the association may see it and import it, once, without choosing the file again. A file of more
than a few hundred rows is checked by the worker, as its import would be."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tablee.jobs.models import Job
from tablee.jobs.services import (
    INLINE_MAX_ROWS,
    estimate_rows,
    job_claim,
    job_finish,
    job_progress,
    job_queue,
    preview_done,
    preview_release,
    preview_take,
)
from tablee.members.csv_import import (
    FieldChange,
    ParsedCsv,
    lines_json,
    parse_members_csv,
    row_changes,
    stored_values,
)
from tablee.members.models import Association, Membership, User

MAX_BYTES = 2 * 1024 * 1024


@dataclass
class PreviewRow:
    line: int
    email: str
    name: str
    action: Literal["create", "join", "update"]  # a new account; an account, not yet a member; a member
    # For a member ("update") only: what the file would change. A person from elsewhere who joins
    # keeps their profile (only empty values are filled) and the organizer is not shown it.
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def filled(self) -> list[FieldChange]:
        return [c for c in self.changes if c.filled]

    @property
    def conflicts(self) -> list[FieldChange]:
        """Values the member holds that the file would replace only if the organizer asks for it."""
        return [c for c in self.changes if not c.filled]


@dataclass
class ImportPreview:
    rows: list[PreviewRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    # What does not stop the import (a column Tablée does not keep, a Mac file): shown with the preview.
    warnings: list[tuple[int, str]] = field(default_factory=list)
    # The file as read, its problems as codes (what a job keeps); None for a preview read from a job.
    parsed: ParsedCsv | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("join") + self.count("update")

    @property
    def conflicts(self) -> int:
        return sum(len(row.conflicts) for row in self.rows)

    @property
    def changed_rows(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.changes]

    @property
    def summary(self) -> str:
        """« 12 membres seront créés, 3 comptes existants seront ajoutés à l'association et … »"""
        current = [row for row in self.rows if row.action == "update"]
        changed = sum(1 for row in current if row.changes)
        joined = self.count("join")
        parts = []
        if self.created:
            parts.append(ngettext("%(count)d membre sera créé", "%(count)d membres seront créés", self.created)
                         % {"count": self.created})
        if joined:
            parts.append(ngettext("%(count)d compte existant sera ajouté à l'association",
                                  "%(count)d comptes existants seront ajoutés à l'association", joined)
                         % {"count": joined})
        if changed:
            parts.append(ngettext("%(count)d membre sera mis à jour", "%(count)d membres seront mis à jour", changed)
                         % {"count": changed})
        if len(current) > changed:
            same = len(current) - changed
            parts.append(ngettext("%(count)d membre est déjà à jour", "%(count)d membres sont déjà à jour", same)
                         % {"count": same})
        if not parts:
            return str(_("Ce fichier ne contient aucun membre."))
        if len(parts) == 1:
            return f"{parts[0]}."
        return str(_("%(list)s et %(last)s.") % {"list": ", ".join(parts[:-1]), "last": parts[-1]})


def import_preview(*, association: Association, data: bytes,
                   progress: Callable[[int, int], None] | None = None) -> ImportPreview:
    """Read the file and say what importing it would do; writes nothing. ``progress(done, total)``
    is called after each 500 addresses looked up (the worker saves it)."""
    parsed = parse_members_csv(data)
    preview = ImportPreview(errors=list(parsed.errors), warnings=list(parsed.warnings), parsed=parsed)
    emails = [row.email for row in parsed.rows]
    accounts: dict[str, User] = {}
    for start in range(0, len(emails), 500):
        for found in (User.objects.annotate(email_lower=Lower("email"))
                      .filter(email_lower__in=emails[start : start + 500]).select_related("profile")):
            accounts[found.email.lower()] = found
    members = set(Membership.all_objects.filter(association=association,
                                                user_id__in=[u.pk for u in accounts.values()])
                  .values_list("user_id", flat=True))
    for row in parsed.rows:
        user = accounts.get(row.email)
        action: Literal["create", "join", "update"] = (
            "create" if user is None else ("update" if user.pk in members else "join"))
        changes = []
        if action == "update":
            changes = row_changes(current=stored_values(user, getattr(user, "profile", None)), row=row)
        preview.rows.append(PreviewRow(line=row.line, email=row.email, changes=changes,
                                       name=f"{row.first_name} {row.last_name}".strip(), action=action))
    return preview


# --- a preview kept in a job: the file waits there for its confirmation ----------------------------


def preview_rows_json(preview: ImportPreview) -> list:
    """The rows as stored in ``Job.preview``: [line, email, name, action, [[column, before, after], …]]."""
    return [[row.line, row.email, row.name, row.action, [[c.column, c.before, c.after] for c in row.changes]]
            for row in preview.rows]


def preview_from_job(job: Job) -> ImportPreview:
    return ImportPreview(
        errors=job.error_lines, warnings=job.warning_lines,
        rows=[PreviewRow(line=line, email=email, name=name, action=action,
                         changes=[FieldChange(*change) for change in changes])
              for line, email, name, action, changes in job.preview])


def members_preview_run(*, job: Job) -> Job:
    """Compute a preview job (in the worker for a big file, in the request for a small one). A file
    with errors is dropped at once; otherwise it stays in the job until imported or expired."""
    if not job_claim(job=job):
        return job
    association = Association.objects.filter(pk=job.params.get("association")).first()
    if association is None:  # deleted since
        return job_finish(job=job, status=Job.Status.FAILED)

    with translation.override(job.params.get("language") or None):
        preview = import_preview(association=association, data=bytes(job.data), progress=job_progress(job=job))
    failed = bool(preview.errors) or not preview.rows
    return job_finish(
        job=job, status=Job.Status.FAILED if failed else Job.Status.DONE, keep_data=not failed,
        total=len(preview.rows), done=len(preview.rows), created=preview.created, updated=preview.updated,
        outcome={"conflicts": preview.conflicts}, preview=preview_rows_json(preview),
        # As codes: the page and the API write them in the language of whoever opens the preview.
        errors=lines_json(preview.parsed.problems) if preview.parsed else [],
        warnings=lines_json(preview.parsed.notices) if preview.parsed else [])


def members_preview_start(*, organizer: User, association: Association, data: bytes, file_name: str = "",
                          language: str | None = None) -> Job:
    """Keep the file in a preview job for the association's organizers. A file of a few hundred rows
    is previewed now; a bigger one by the worker."""
    big = estimate_rows(data) > INLINE_MAX_ROWS
    params: dict[str, object] = {"association": association.pk, "file_name": file_name[:200]}
    if language:
        params["language"] = language
    job = job_queue(owner=organizer, kind=Job.Kind.MEMBERS_PREVIEW, data=data, enqueue=big, params=params)
    return job if big else members_preview_run(job=job)


def members_preview_import(*, organizer: User, association: Association, job: Job, invite: bool,
                           overwrite: bool, language: str | None = None):
    """Import exactly the file the preview showed, once (``PreviewGone`` when it expired, was already
    imported, or had errors). Returns ``(result, invited)`` for a small file imported now (all or
    nothing: on errors the preview stays usable), or the import job of a big one."""
    from tablee.members.import_jobs import import_invite
    from tablee.members.services import members_import

    with transaction.atomic():
        data = preview_take(job=job)
        if estimate_rows(data) > INLINE_MAX_ROWS:
            params: dict[str, object] = {"association": association.pk, "invite": invite, "overwrite": overwrite}
            if language:
                params["language"] = language
            import_job = job_queue(owner=organizer, kind=Job.Kind.MEMBERS_IMPORT, data=data, params=params)
            preview_done(job=job, outcome={"import_job": import_job.pk})
            return import_job
    try:
        result = members_import(association=association, data=data, overwrite=overwrite)
    except BaseException:
        preview_release(job=job)
        raise
    if not result.ok:
        preview_release(job=job)
        return result, 0
    preview_done(job=job)
    invited = import_invite(association=association, emails=result.emails, invited_by=organizer) if invite else 0
    return result, invited
