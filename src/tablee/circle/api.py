"""JSON API for cards, follow-ups, continue wishes and my circle. Everything answers for its owner only."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from tablee.circle import access, selectors, services
from tablee.circle.drafts import followup_draft, mailto_link
from tablee.circle.exports import me_export_stream, vcard_export_stream
from tablee.circle.import_preview import (
    contacts_preview_import,
    contacts_preview_start,
    preview_from_job,
)
from tablee.circle.models import Contact, FollowUp
from tablee.circle.rendering import render
from tablee.gatherings import access as gatherings_access
from tablee.jobs.api import JobOut, job_out
from tablee.jobs.models import Job
from tablee.jobs.services import INLINE_MAX_ROWS, PreviewGone, estimate_rows, job_queue
from tablee.pagination import PageIn, api_page
from tablee.schemas import Error

router = Router(tags=["circle"])

# Photos count here but not in the 5 MB of text the importer reads (importers.MAX_TEXT_CHARS).
MAX_IMPORT_BYTES = 20 * 1024 * 1024


class CardsIn(Schema):
    emails: list[str]
    # By email: the note is for me alone; the topic is what a follow-up draft may cite.
    notes: dict[str, str] = {}
    topics: dict[str, str] = {}


class CardOut(Schema):
    id: int
    contact_id: int
    name: str
    email: str
    note: str
    topic: str
    followup_id: int | None
    due_on: date | None


class CardsOut(Schema):
    budget: int
    kept: int
    cards: list[CardOut]


class FollowUpOut(Schema):
    id: int
    contact_id: int
    contact_name: str
    to: str
    due_on: date
    overdue: bool
    status: str
    subject: str
    body: str
    mailto: str


class SendIn(Schema):
    subject: str
    body: str


class SendOut(Schema):
    id: int
    status: str
    key: str


class ContinueIn(Schema):
    # The other attendee, by account id (as the cards page names people) or, for older clients, by
    # address; anyone who did not attend, an unknown address included, gets the same 422.
    user_id: int | None = None
    email: str = ""


class ContinueOut(Schema):
    mutual: bool


class ContactIn(Schema):
    name: str
    email: str = ""
    phone: str = ""
    organization: str = ""
    position: str = ""
    pronunciation: str = ""
    language: str = ""
    tier: str = ""
    trusted: bool = False
    rhythm_ideal_days: int | None = None
    rhythm_max_days: int | None = None
    moves_out: int | None = None


class ContactPatch(Schema):
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    organization: str | None = None
    position: str | None = None
    pronunciation: str | None = None
    language: str | None = None
    tier: str | None = None
    trusted: bool | None = None
    rhythm_ideal_days: int | None = None
    rhythm_max_days: int | None = None
    moves_out: int | None = None


class ContactOut(Schema):
    id: int
    name: str
    email: str
    phone: str
    organization: str
    position: str
    pronunciation: str
    language: str
    extra_emails: list[str]
    extra_phones: list[str]
    tier: str
    trusted: bool
    rhythm_ideal_days: int | None
    rhythm_max_days: int | None
    rhythm: str
    last_interaction_at: str | None
    is_member: bool


class NoteIn(Schema):
    text: str


class NoteOut(Schema):
    id: int
    text: str
    html: str
    created_at: str


class ImportErrorOut(Schema):
    line: int
    reason: str


class ImportOut(Schema):
    kind: str
    created: int
    updated: int
    errors: list[ImportErrorOut]
    warnings: list[ImportErrorOut]


class ImportChangeOut(Schema):
    field: str
    before: str | list[str]
    after: str | list[str]


class ImportPreviewRowOut(Schema):
    line: int
    name: str
    email: str
    action: Literal["update"]
    changes: list[ImportChangeOut]


class ImportPreviewOut(Schema):
    """`dry_run=true`: what the import would do; nothing was written."""

    dry_run: Literal[True]
    # The file is kept with the preview (yours alone) for an hour: `POST import_url` imports exactly
    # it, once, without sending it again (a file with errors is not kept: that import answers 422).
    preview_id: int
    import_url: str
    kind: str
    created: int
    updated: int
    unchanged: int
    errors: list[ImportErrorOut]
    warnings: list[ImportErrorOut]
    rows: list[ImportPreviewRowOut]


def _contact_out(contact: Contact) -> ContactOut:
    return ContactOut(
        id=contact.pk, name=contact.name, email=contact.email, phone=contact.phone,
        organization=contact.organization, position=contact.position, pronunciation=contact.pronunciation,
        language=contact.language, extra_emails=list(contact.extra_emails or []),
        extra_phones=list(contact.extra_phones or []), tier=contact.tier, trusted=contact.trusted,
        rhythm_ideal_days=contact.rhythm_ideal_days, rhythm_max_days=contact.rhythm_max_days,
        rhythm=selectors.rhythm_of(contact).color,
        last_interaction_at=contact.last_interaction_at.isoformat() if contact.last_interaction_at else None,
        is_member=contact.user_id is not None,
    )


def _followup_out(followup: FollowUp) -> FollowUpOut:
    subject, body = followup.subject, followup.body
    if followup.status == FollowUp.Status.PENDING and not body:
        subject, body = followup_draft(followup)
    return FollowUpOut(
        id=followup.pk, contact_id=followup.contact_id, contact_name=followup.contact.name,
        to=followup.contact.email, due_on=followup.due_on,
        overdue=followup.status == FollowUp.Status.PENDING and followup.due_on < selectors.today(),
        status=selectors.followup_delivery(followup), subject=subject, body=body,
        mailto=mailto_link(to=followup.contact.email, subject=subject, body=body),
    )


def _moves_out(owner, contact_id: int | None) -> Contact | None:
    return access.contact_for_owner(owner=owner, contact_id=contact_id) if contact_id else None


def _tier_full(exc: services.TierFull) -> HttpError:
    return HttpError(409, f"{exc} ({', '.join(f'{c.pk}: {c.name}' for c in exc.members)})")


# --- cards and continue wishes --------------------------------------------------------------------


@router.post("/gatherings/{gathering_id}/cards", response={201: CardsOut, 422: Error})
def cards_keep(request, gathering_id: int, payload: CardsIn):
    gathering = gatherings_access.gathering_for_member(request.auth, gathering_id)
    if not selectors.attended(user=request.auth, gathering=gathering):
        raise HttpError(422, _("Vous n'étiez pas à cette rencontre."))
    notes = {k.strip().lower(): v for k, v in payload.notes.items()}
    topics = {k.strip().lower(): v for k, v in payload.topics.items()}
    entries = [services.CardEntry(email=e, note=notes.get(e.strip().lower(), ""),
                                  topic=topics.get(e.strip().lower(), "")) for e in payload.emails]
    try:
        services.cards_keep(owner=request.auth, gathering=gathering, entries=entries)
    except services.CircleError as exc:
        raise HttpError(422, str(exc)) from None
    cards = selectors.cards_for_event(owner=request.auth, gathering=gathering).select_related("followup")
    out = [
        CardOut(id=c.pk, contact_id=c.contact_id, name=c.contact.name, email=c.contact.email, note=c.note,
                topic=c.topic, followup_id=getattr(getattr(c, "followup", None), "pk", None),
                due_on=getattr(getattr(c, "followup", None), "due_on", None))
        for c in cards
    ]
    return Status(201, CardsOut(budget=selectors.card_budget_for(request.auth, gathering), kept=len(out), cards=out))


@router.post("/gatherings/{gathering_id}/continue", response={200: ContinueOut, 422: Error})
def continue_wish(request, gathering_id: int, payload: ContinueIn):
    gathering = gatherings_access.gathering_for_member(request.auth, gathering_id)
    try:
        mutual = services.continue_wish_create(author=request.auth, gathering=gathering, target_email=payload.email,
                                               target_id=payload.user_id)
    except services.CircleError as exc:
        raise HttpError(422, str(exc)) from None
    return ContinueOut(mutual=mutual)


# --- follow-ups -------------------------------------------------------------------------------------


@router.get("/followups", response=list[FollowUpOut])
def followup_list(request, response: HttpResponse, page: Query[PageIn]):
    """To do first (oldest due first), then those already handled (latest first); paginated."""
    followups = api_page(request, response, selectors.followups_all(owner=request.auth), page)
    return [_followup_out(f) for f in followups]


class DraftOut(Schema):
    tone: Literal["warm", "brief", "formal"]
    subject: str
    body: str
    mailto: str


@router.get("/followups/{followup_id}/draft", response=DraftOut)
def followup_draft_tone(request, followup_id: int, tone: Literal["warm", "brief", "formal"] = "warm"):
    """A fresh draft in one of three tones (brief, warm, formal); nothing is stored."""
    followup = access.followup_for_owner(owner=request.auth, followup_id=followup_id)
    subject, body = followup_draft(followup, tone)
    return {"tone": tone, "subject": subject, "body": body,
            "mailto": mailto_link(to=followup.contact.email, subject=subject, body=body)}


@router.post("/followups/{followup_id}/send", response={202: SendOut, 422: Error})
def followup_send(request, followup_id: int, payload: SendIn):
    followup = access.followup_for_owner(owner=request.auth, followup_id=followup_id)
    try:
        email = services.followup_send(owner=request.auth, followup=followup, subject=payload.subject, body=payload.body)
    except services.CircleError as exc:
        raise HttpError(422, str(exc)) from None
    return Status(202, SendOut(id=followup.pk, status=email.status, key=email.key))


# --- contacts ---------------------------------------------------------------------------------------


@router.get("/contacts", response=list[ContactOut])
def contact_list(request, response: HttpResponse, page: Query[PageIn]):
    contacts = selectors.contacts_for_owner(owner=request.auth)
    return [_contact_out(c) for c in api_page(request, response, contacts, page)]


@router.post("/contacts", response={201: ContactOut, 409: Error, 422: Error})
def contact_create(request, payload: ContactIn):
    data = payload.dict()
    moves_out = _moves_out(request.auth, data.pop("moves_out"))
    try:
        contact = services.contact_create(owner=request.auth, moves_out=moves_out, **data)
    except services.TierFull as exc:
        raise _tier_full(exc) from None
    return Status(201, _contact_out(contact))


@router.get("/contacts/export.vcf")
def contact_export(request, notes: bool = True):
    """vCard 3.0 of my contacts, my private notes included as NOTE lines; `?notes=false` leaves them out."""
    response = StreamingHttpResponse(vcard_export_stream(owner=request.auth, with_notes=notes),
                                     content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tablee-contacts.vcf"'
    return response


@router.post("/contacts/import", response={200: ImportOut | ImportPreviewOut, 202: JobOut, 413: Error,
                                         422: ImportOut | ImportPreviewOut | Error})
def contact_import(request, file: File[UploadedFile], dry_run: bool = False):
    """A few hundred entries: imported now (200). More: 202 with a job to poll at `GET /api/jobs/{id}`.

    All or nothing: a file with a bad entry writes nothing (422, every bad line listed). An entry
    matching a contact (same email, or without email same name and organization) fills that
    contact's empty fields; it never replaces a value.

    `dry_run=true`: no contact and no note is written; the answer is the preview the import page
    shows: `created`, `updated` (an existing contact gains a value, an address or a note),
    `unchanged` (it matches and brings nothing new), `errors` and `warnings` with their lines, and in
    `rows` each update with its changes, before → after. 200, or 422 when the file has errors. The
    real import's `updated` counts `updated + unchanged`. The file is kept with the preview, yours
    alone, for an hour: `POST /api/contacts/import/previews/{preview_id}/import` (the answer's
    `import_url`) imports exactly it, once. A file above a few hundred entries is checked by the
    worker, as its import would be: 202 with a job (`kind` "contacts_preview") to poll at
    `GET /api/jobs/{id}`; once it is finished, `GET /api/contacts/import/previews/{id}` answers the
    preview."""
    if file.size > MAX_IMPORT_BYTES:
        raise HttpError(413, _("Fichier trop volumineux (20 Mo au plus)."))
    data = file.read()
    if dry_run:
        job = contacts_preview_start(owner=request.auth, data=data, file_name=file.name or "")
        return _import_preview(job)
    if estimate_rows(data) > INLINE_MAX_ROWS:
        return Status(202, job_out(job_queue(owner=request.auth, kind=Job.Kind.CONTACTS_IMPORT, data=data)))
    return _import_out(services.contacts_import(owner=request.auth, data=data))


def _import_out(result: services.ImportResult):
    out = ImportOut(kind=result.kind, created=result.created, updated=result.updated,
                    errors=[ImportErrorOut(line=line, reason=reason) for line, reason in result.errors],
                    warnings=[ImportErrorOut(line=line, reason=reason) for line, reason in result.warnings])
    return Status(422 if result.errors else 200, out)


def _import_preview(job: Job):
    if not job.finished:
        return Status(202, job_out(job))
    preview = preview_from_job(job)
    out = ImportPreviewOut(
        dry_run=True, preview_id=job.pk, import_url=f"/api/contacts/import/previews/{job.pk}/import",
        kind=preview.kind, created=preview.created, updated=preview.updated, unchanged=preview.unchanged,
        errors=[ImportErrorOut(line=line, reason=reason) for line, reason in preview.errors],
        warnings=[ImportErrorOut(line=line, reason=reason) for line, reason in preview.warnings],
        rows=[] if preview.errors else [
            ImportPreviewRowOut(line=row.line, name=row.name, email=row.email, action="update", changes=[
                ImportChangeOut(field=c.field, before=c.before, after=c.after) for c in row.changes])
            for row in preview.rows if row.action == "update"],
    )
    return Status(422 if preview.errors else 200, out)


@router.get("/contacts/import/previews/{preview_id}", response={200: ImportPreviewOut, 202: JobOut,
                                                              422: ImportPreviewOut | Error})
def contact_import_preview(request, preview_id: int):
    """A preview of `POST /api/contacts/import?dry_run=true`: 202 with its job while the worker
    checks a big file, then the preview (200, or 422 when the file has errors). Yours alone."""
    return _import_preview(access.import_preview_for_owner(owner=request.auth, preview_id=preview_id))


@router.post("/contacts/import/previews/{preview_id}/import",
             response={200: ImportOut, 202: JobOut, 409: Error, 410: Error, 422: ImportOut | Error})
def contact_import_previewed(request, preview_id: int):
    """Import exactly the file the preview showed, without sending it again: answered as
    `POST /api/contacts/import` (200, or 202 with a job for a big file). Once only: 409 when it was
    imported already, 410 when the preview expired (the file is kept an hour), 422 when the file
    has errors or is still being checked. Nothing is written on any refusal."""
    job = access.import_preview_for_owner(owner=request.auth, preview_id=preview_id)
    try:
        outcome = contacts_preview_import(owner=request.auth, job=job)
    except PreviewGone as exc:
        raise HttpError({"used": 409, "expired": 410}.get(exc.reason, 422), exc.message) from None
    if isinstance(outcome, Job):
        return Status(202, job_out(outcome))
    return _import_out(outcome)


@router.get("/contacts/{contact_id}", response=ContactOut)
def contact_detail(request, contact_id: int):
    return _contact_out(access.contact_for_owner(owner=request.auth, contact_id=contact_id))


_NULLABLE_CONTACT_FIELDS = {"rhythm_ideal_days", "rhythm_max_days", "moves_out"}


@router.patch("/contacts/{contact_id}", response={200: ContactOut, 409: Error, 422: Error})
def contact_update(request, contact_id: int, payload: ContactPatch):
    contact = access.contact_for_owner(owner=request.auth, contact_id=contact_id)
    data = payload.dict(exclude_unset=True)
    nulls = sorted(k for k, v in data.items() if v is None and k not in _NULLABLE_CONTACT_FIELDS)
    if nulls:
        raise HttpError(422, _("Ces champs ne peuvent pas être vides (null) : %(fields)s.") % {"fields": ", ".join(nulls)})
    moves_out = _moves_out(request.auth, data.pop("moves_out", None))
    try:
        contact = services.contact_update(owner=request.auth, contact=contact, moves_out=moves_out, **data)
    except services.TierFull as exc:
        raise _tier_full(exc) from None
    return _contact_out(contact)


@router.delete("/contacts/{contact_id}", response={204: None})
def contact_delete(request, contact_id: int):
    contact = access.contact_for_owner(owner=request.auth, contact_id=contact_id)
    services.contact_delete(owner=request.auth, contact=contact)
    return Status(204, None)


@router.post("/contacts/{contact_id}/notes", response={201: NoteOut, 422: Error})
def note_add(request, contact_id: int, payload: NoteIn):
    contact = access.contact_for_owner(owner=request.auth, contact_id=contact_id)
    note = services.note_add(owner=request.auth, contact=contact, text=payload.text)
    return Status(201, NoteOut(id=note.pk, text=note.text, html=render(note.text), created_at=note.created_at.isoformat()))


@router.patch("/contacts/{contact_id}/notes/{note_id}", response={200: NoteOut, 422: Error})
def note_update(request, contact_id: int, note_id: int, payload: NoteIn):
    """Rewrite one of my notes."""
    contact = access.contact_for_owner(owner=request.auth, contact_id=contact_id)
    note = access.note_for_owner(owner=request.auth, contact=contact, note_id=note_id)
    note = services.note_update(owner=request.auth, note=note, text=payload.text)
    return NoteOut(id=note.pk, text=note.text, html=render(note.text), created_at=note.created_at.isoformat())


@router.delete("/contacts/{contact_id}/notes/{note_id}", response={204: None})
def note_delete(request, contact_id: int, note_id: int):
    """Delete one of my notes; the contact's page offers « Annuler » for a few minutes, as for a contact."""
    contact = access.contact_for_owner(owner=request.auth, contact_id=contact_id)
    services.note_delete(owner=request.auth, note=access.note_for_owner(owner=request.auth, contact=contact,
                                                                          note_id=note_id))
    return Status(204, None)


# --- my data ----------------------------------------------------------------------------------------


@router.get("/me/export.json")
def my_export(request):
    return StreamingHttpResponse(me_export_stream(owner=request.auth), content_type="application/json; charset=utf-8")
