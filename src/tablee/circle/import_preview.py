"""What importing a contacts file would do, computed without writing anything: the import page's
« Vérifier sans importer » and the API's ``dry_run``.

The rules are ``services.contacts_import``'s, replayed on the owner's contacts held in memory: an
entry whose email (case-insensitive, the oldest contact first), or without email whose name and
organization, match a contact fills that contact's *empty* fields (an import never replaces a
value), adds the addresses it does not know, and adds its note unless the contact already has the
same one; an entry that matches nothing creates a contact, which later entries of the same file
can match. One bad entry and nothing would be imported, every bad line listed.

Counts: ``created``, ``updated`` (an existing contact that gains something) and ``unchanged`` (it
matched and brings nothing new); ``contacts_import`` reports ``updated + unchanged`` as its
``updated``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tablee.circle import services
from tablee.circle.importers import Parsed, parse
from tablee.circle.models import Contact, Note
from tablee.circle.services import ImportResult, _field_errors, _import_fields
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

_NOTE_MAX = 10000
PROGRESS_EVERY = 500


@dataclass(frozen=True)
class ContactChange:
    """One value the import would add to an existing contact: ``before`` what the contact holds
    (empty, or the addresses it has), ``after`` what it would hold."""

    field: str
    before: str | list[str]
    after: str | list[str]

    @property
    def label(self) -> str:
        if self.field == "note":
            return str(_("note"))
        return str(getattr(Contact._meta.get_field(self.field), "verbose_name", self.field))

    @property
    def before_text(self) -> str:
        return _shown(self.before)

    @property
    def after_text(self) -> str:
        return _shown(self.after)


def _shown(value: str | list[str]) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v)
    return value


@dataclass
class ContactPreviewRow:
    line: int
    name: str
    email: str
    action: str  # "create", "update" (an existing contact gains something) or "unchanged"
    changes: list[ContactChange] = field(default_factory=list)


@dataclass
class ContactsPreview:
    kind: str
    rows: list[ContactPreviewRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return 0 if self.errors else self.count("create")

    @property
    def updated(self) -> int:
        return 0 if self.errors else self.count("update")

    @property
    def unchanged(self) -> int:
        return 0 if self.errors else self.count("unchanged")

    @property
    def changed_rows(self) -> list[ContactPreviewRow]:
        return [row for row in self.rows if row.changes]

    @property
    def summary(self) -> str:
        """« 12 contacts seront créés, 3 contacts seront complétés et 5 contacts sont déjà à jour. »"""
        return summary_sentence(created=self.created, updated=self.updated, unchanged=self.unchanged)


def summary_sentence(*, created: int, updated: int, unchanged: int) -> str:
    parts = []
    if created:
        parts.append(ngettext("%(count)d contact sera créé", "%(count)d contacts seront créés", created)
                     % {"count": created})
    if updated:
        parts.append(ngettext("%(count)d contact de votre cercle sera complété",
                              "%(count)d contacts de votre cercle seront complétés", updated) % {"count": updated})
    if unchanged:
        parts.append(ngettext("%(count)d contact est déjà à jour", "%(count)d contacts sont déjà à jour", unchanged)
                     % {"count": unchanged})
    if not parts:
        return str(_("Ce fichier ne contient aucun contact."))
    if len(parts) == 1:
        return f"{parts[0]}."
    return str(_("%(list)s et %(last)s.") % {"list": ", ".join(parts[:-1]), "last": parts[-1]})


# --- a preview kept in a job: the file waits there for its confirmation ----------------------------


def preview_rows_json(preview: ContactsPreview) -> list:
    """The rows as stored in ``Job.preview``: [line, name, email, action, [[field, before, after], …]]."""
    return [[row.line, row.name, row.email, row.action, [[c.field, c.before, c.after] for c in row.changes]]
            for row in preview.rows]


def preview_from_job(job: Job) -> ContactsPreview:
    """The preview a finished job holds, as the page and the API show it."""
    return ContactsPreview(
        kind=job.detail, errors=[(line, reason) for line, reason in job.errors],
        warnings=[(line, reason) for line, reason in job.warnings],
        rows=[ContactPreviewRow(line=line, name=name, email=email, action=action,
                                changes=[ContactChange(*change) for change in changes])
              for line, name, email, action, changes in job.preview])


def contacts_preview_run(*, job: Job) -> Job:
    """Compute a preview job (in the worker for a big file, in the request for a small one). A file
    with errors is dropped at once; otherwise it stays in the job until imported or expired."""
    if not job_claim(job=job):
        return job

    with translation.override(job.params.get("language") or None):
        preview = contacts_import_preview(owner=job.owner, data=bytes(job.data), progress=job_progress(job=job))
    return job_finish(
        job=job, status=Job.Status.FAILED if preview.errors else Job.Status.DONE, keep_data=not preview.errors,
        detail=preview.kind, total=len(preview.rows), done=len(preview.rows), created=preview.created,
        updated=preview.updated, outcome={"unchanged": preview.unchanged},
        errors=[list(e) for e in preview.errors], warnings=[list(w) for w in preview.warnings],
        preview=[] if preview.errors else preview_rows_json(preview))


# Beyond this, a file of namesakes (a second export of the same circle) says so in a few lines, not thousands.
MAX_NAMESAKE_WARNINGS = 20


class _Circle:
    """The owner's contacts in memory, found as ``contacts_import``'s queries would find them."""

    def __init__(self, owner) -> None:
        self.owner = owner
        self.by_email: dict[str, list[tuple[int, Contact]]] = {}
        self.by_name: dict[tuple[str, str], list[tuple[int, Contact]]] = {}
        self.names: dict[str, Contact] = {}  # name alone, lower case: the first contact holding it
        self.order = 0
        for contact in Contact.objects.filter(owner_id=owner.pk).defer("vectors").order_by("pk"):
            self.add(contact, order=contact.pk)

    def add(self, contact: Contact, *, order: int | None = None) -> None:
        if order is None:  # a contact of this file: after every existing one
            order = self.order + 1
        self.order = max(self.order, order)
        if contact.email:
            self.by_email.setdefault(contact.email.lower(), []).append((order, contact))
        self.by_name.setdefault((contact.name.lower(), contact.organization.lower()), []).append((order, contact))
        self.names.setdefault(contact.name.lower(), contact)

    def namesake(self, row) -> Contact | None:
        """A contact of the same name under another address: the file would make a second one."""
        same = self.names.get(row.name.lower())
        return same if same is not None and row.email and same.email.lower() != row.email.lower() else None

    def find(self, row) -> Contact | None:
        if row.email:  # email__iexact, order_by("pk")
            found = [(o, c) for o, c in self.by_email.get(row.email.lower(), []) if c.email.lower() == row.email.lower()]
            return min(found, key=lambda item: item[0])[1] if found else None
        # email="", name__iexact, organization__iexact, the model's ordering (name, pk)
        named = [(c.name, o, c) for o, c in self.by_name.get((row.name.lower(), row.organization.lower()), [])
                 if not c.email]
        return min(named, key=lambda item: item[:2])[2] if named else None


def contacts_import_preview(*, owner, data: bytes,
                            progress: Callable[[int, int], None] | None = None) -> ContactsPreview:
    """Read the file and say what ``contacts_import`` would do with it; writes nothing.
    ``progress(done, total)`` is called every ``PROGRESS_EVERY`` entries (the worker saves it)."""
    parsed = parse(data)
    preview = ContactsPreview(kind=parsed.kind, errors=list(parsed.errors), warnings=list(parsed.warnings))
    if parsed.errors:
        return preview
    circle = _Circle(owner)
    planned: list[tuple[Parsed, ContactPreviewRow, Contact, bool]] = []
    for number, row in enumerate(parsed.rows):
        if progress is not None and number and number % PROGRESS_EVERY == 0:
            progress(number, len(parsed.rows))
        fields = _import_fields(row)
        existing = circle.find(row)
        if existing is None and len(preview.warnings) < MAX_NAMESAKE_WARNINGS and circle.namesake(row):
            preview.warnings.append((row.line, _(
                "%(name)s a le même nom qu'un contact de votre cercle, sous un autre courriel : un second "
                "contact sera créé.") % {"name": row.name}))
        if existing is None:
            contact = Contact(owner=owner, name=row.name, source=Contact.Source.IMPORT, **fields)
            changes: list[ContactChange] = []
        else:
            contact = copy.copy(existing)
            changes = [ContactChange(name, getattr(contact, name), value)
                       for name, value in fields.items() if value and not getattr(contact, name)]
            for change in changes:
                setattr(contact, change.field, change.after)
            more = [e for e in row.extra_emails if e != contact.email and e not in contact.extra_emails]
            if more:
                after = [*contact.extra_emails, *more][:20]
                changes = [c for c in changes if c.field != "extra_emails"]
                changes.append(ContactChange("extra_emails", list(existing.extra_emails), after))
                contact.extra_emails = after
        if existing is None or changes:
            try:
                contact.full_clean(exclude=["vectors"], validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                preview.errors.append((row.line, _field_errors(exc)))
                continue
        if existing is None:
            circle.add(contact)
        else:
            for change in changes:  # later entries of the file see what this one filled
                setattr(existing, change.field, change.after)
            contact = existing
        item = ContactPreviewRow(line=row.line, name=row.name, email=row.email,
                                 action="create" if existing is None else "update", changes=changes)
        planned.append((row, item, contact, existing is None))
    # A note is new unless its contact already holds the same text: one query for the known contacts.
    known = {contact.pk for row, _item, contact, new in planned if row.note and not new}
    seen: set[tuple[int, str]] = set()
    if known:
        ids = sorted(known)
        for start in range(0, len(ids), 500):
            seen.update(Note.objects.filter(owner_id=owner.pk, contact_id__in=ids[start:start + 500])
                        .values_list("contact_id", "text"))
    for row, item, contact, new in planned:
        if row.note and not new:
            text = row.note[:_NOTE_MAX]
            if (contact.pk, text) not in seen:
                seen.add((contact.pk, text))
                item.changes.append(ContactChange("note", "", text))
        if not new and not item.changes:
            item.action = "unchanged"
        preview.rows.append(item)
    preview.errors.sort()
    return preview


def contacts_preview_start(*, owner, data: bytes, file_name: str = "") -> Job:
    """« Vérifier sans importer »: keep the file in a preview job, its owner's alone. A file of a few
    hundred entries is previewed now; a bigger one by the worker, as its import would be."""
    big = estimate_rows(data) > INLINE_MAX_ROWS
    job = job_queue(owner=owner, kind=Job.Kind.CONTACTS_PREVIEW, data=data, enqueue=big,
                    params={"file_name": file_name[:200]})
    return job if big else contacts_preview_run(job=job)


def contacts_preview_import(*, owner, job: Job) -> ImportResult | Job:
    """Import exactly the file the preview showed, once (``PreviewGone`` when it expired, was already
    imported, or had errors). A small file is imported now (all or nothing: on errors the preview
    stays usable); a big one goes to the worker, and its import job is returned."""
    with transaction.atomic():
        data = preview_take(job=job)
        if estimate_rows(data) > INLINE_MAX_ROWS:
            import_job = job_queue(owner=owner, kind=Job.Kind.CONTACTS_IMPORT, data=data)
            preview_done(job=job, outcome={"import_job": import_job.pk})
            return import_job
    try:
        result = services.contacts_import(owner=owner, data=data)
    except BaseException:
        preview_release(job=job)
        raise
    if result.errors:
        preview_release(job=job)
    else:
        preview_done(job=job)
    return result
