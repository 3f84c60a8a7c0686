"""Big contact imports, in the worker: parsed once, checked whole, then written in short batches.

A file of a few hundred entries is imported in the request (``services.contacts_import``). Above
``jobs.services.INLINE_MAX_ROWS`` the request answers 202 with a job (``jobs``) and the worker runs
``contacts_import_run``:

1. ``importers.parse`` reads the file (no database). Any bad entry: nothing is written, every
   bad line is reported — the same all-or-nothing rule as the small import.
2. Every new or completed contact is validated (``full_clean``) before the first write.
3. The rows are written in batches (``BATCH_ROWS``, 50): lookups and validation happen outside the
   transaction; each transaction only inserts and updates, so it holds SQLite's write lock for
   milliseconds, and other members' requests slip in between. Progress is saved with each batch.

Matching is the small import's: an entry whose email (case-insensitive), or without email whose
name and organization, match a contact fills that contact's blank fields instead of creating a
duplicate. If the worker stops midway, importing the same file again completes it, no duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import translation

from tablee.circle.models import Contact, Note
from tablee.circle.services import _field_errors, _import_fields
from tablee.jobs.inserts import PreparedInsert
from tablee.jobs.models import Job
from tablee.jobs.services import WriteTimer, job_claim, job_finish, job_write_in_batches

# Rows per write transaction: a few milliseconds of SQLite's write lock each (median 5 ms at 100 rows
# on a loaded 2-core machine; 50 halves what a descheduled worker holds, see bench/RESULTS.md).
BATCH_ROWS = 50
UPDATABLE = ("email", "phone", "organization", "position", "pronunciation", "language", "name_parts",
             "extra_emails", "extra_phones")


def _key(contact_or_row) -> tuple[str, str]:
    return (contact_or_row.name.casefold(), contact_or_row.organization.casefold())


@dataclass
class _Index:
    """The owner's contacts, found by email or by (name, organization): one query per job."""

    by_email: dict[str, int] = field(default_factory=dict)
    by_name: dict[tuple[str, str], int] = field(default_factory=dict)

    @classmethod
    def load(cls, owner_id: int) -> _Index:
        index = cls()
        rows = Contact.objects.filter(owner_id=owner_id).order_by("-pk").values_list("pk", "email", "name",
                                                                                    "organization")
        for pk, email, name, organization in rows:  # newest first, so the oldest match wins
            if email:
                index.by_email[email.casefold()] = pk
            else:
                index.by_name[(name.casefold(), organization.casefold())] = pk
        return index

    def find(self, row) -> int | None:
        return self.by_email.get(row.email.casefold()) if row.email else self.by_name.get(_key(row))

    def add(self, contact: Contact) -> None:
        if contact.email:
            self.by_email.setdefault(contact.email.casefold(), contact.pk)
        else:
            self.by_name.setdefault(_key(contact), contact.pk)


def _validate(owner, rows) -> list[tuple[int, str]]:
    errors = []
    for row in rows:
        contact = Contact(owner=owner, name=row.name, source=Contact.Source.IMPORT, **_import_fields(row))
        try:
            contact.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors.append((row.line, _field_errors(exc)))
    return errors


def _write_batch(*, owner, rows, index: _Index, timer: WriteTimer) -> tuple[int, int]:
    """One batch: every lookup and decision outside the transaction, then one short transaction
    that only inserts and updates. Returns created, updated."""
    existing = Contact.objects.in_bulk([pk for pk in (index.find(r) for r in rows) if pk])
    new: list[Contact] = []
    new_for: dict[tuple[str, str], Contact] = {}  # same person twice in one batch: one contact
    changed: dict[int, Contact] = {}
    notes: list[tuple[Contact, str]] = []
    created = updated = 0
    for row in rows:
        fields = _import_fields(row)
        pk = index.find(row)
        contact = existing.get(pk) if pk else None
        if contact is None:
            key = ("@", row.email.casefold()) if row.email else _key(row)
            contact = new_for.get(key)
        if contact is None:
            contact = Contact(owner=owner, name=row.name, source=Contact.Source.IMPORT, **fields)
            new.append(contact)
            new_for[("@", row.email.casefold()) if row.email else _key(row)] = contact
            created += 1
        else:
            blanks = [k for k, v in fields.items() if v and not getattr(contact, k)]
            for name in blanks:
                setattr(contact, name, fields[name])
            more = [e for e in row.extra_emails if e != contact.email and e not in contact.extra_emails]
            if more:
                contact.extra_emails = [*contact.extra_emails, *more][:20]
            if (blanks or more) and contact.pk:
                changed[contact.pk] = contact
            updated += 1
        if row.note:
            notes.append((contact, row.note[:10000]))
    known = {c.pk for c in existing.values()}
    seen = set(
        Note.objects.filter(owner_id=owner.pk, contact_id__in=known).values_list("contact_id", "text")
    ) if notes and known else set()
    # Notes of contacts that exist already are decided before the transaction; those of new
    # contacts need the new primary keys, known only once the contacts are inserted.
    old_notes: list[Note] = []
    new_notes: list[tuple[Contact, str]] = []
    for contact, text in notes:
        if contact.pk is None:
            new_notes.append((contact, text))
        elif (contact.pk, text) not in seen:
            seen.add((contact.pk, text))
            old_notes.append(Note(owner=owner, contact=contact, text=text))
    insert = PreparedInsert(Contact, new)  # the SQL is built here, before the lock
    with timer.atomic():  # the write lock is held from here (BEGIN IMMEDIATE) to the commit
        insert.execute()
        if changed:
            Contact.objects.bulk_update(list(changed.values()), UPDATABLE)
        fresh = {(contact.pk, text): Note(owner=owner, contact=contact, text=text) for contact, text in new_notes}
        Note.objects.bulk_create([*old_notes, *fresh.values()])
    for contact in new:
        index.add(contact)
    return created, updated


def contacts_import_run(*, job: Job) -> Job:
    """The worker's side of a big import (see the module's docstring)."""
    from tablee.circle.importers import parse

    if not job_claim(job=job):
        return job
    owner = job.owner
    with translation.override(job.params.get("language") or None):
        parsed = parse(bytes(job.data))
        job.detail = parsed.kind
        warnings = [list(w) for w in parsed.warnings]
        if parsed.errors:
            return job_finish(job=job, status=Job.Status.FAILED, errors=[list(e) for e in parsed.errors],
                              warnings=warnings)
        errors = _validate(owner, parsed.rows)
    if errors:
        return job_finish(job=job, status=Job.Status.FAILED, errors=[list(e) for e in errors], warnings=warnings)
    Job.objects.filter(pk=job.pk).update(detail=parsed.kind)
    index = _Index.load(owner.pk)
    totals = job_write_in_batches(
        job=job, rows=parsed.rows, size=BATCH_ROWS,
        write=lambda batch, timer: _write_batch(owner=owner, rows=batch, index=index, timer=timer),
    )
    return job_finish(job=job, status=Job.Status.DONE, total=len(parsed.rows), done=len(parsed.rows),
                      created=totals.created, updated=totals.updated, warnings=warnings,
                      longest_write_ms=totals.longest_write_ms,
                      outcome={"write_ms_p50": totals.write_ms_p50, "write_ms_p99": totals.write_ms_p99})
