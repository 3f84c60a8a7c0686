"""Who may see and change what is in a circle: its owner, and no one else.

Contacts, notes, promises, cards, follow-ups and interactions are private to the member who wrote
them. Reading someone else's row is ``Http404`` (its existence does not leak); a service handed
someone else's row refuses with a ``ValidationError``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from tablee.circle.models import Contact, FollowUp, Note, Promise, Suggestion
from tablee.jobs.models import Job
from tablee.members.access import Viewer, authenticated


def owns(user: Viewer, row: Contact | FollowUp | Note | Promise | None) -> bool:
    """True when ``row`` belongs to ``user`` (a row without an owner belongs to no one)."""
    return row is not None and authenticated(user) and row.owner_id == user.pk


def contact_for_owner(*, owner: Viewer, contact_id: int) -> Contact:
    """The owner's contact, or 404: someone else's contact does not exist for you."""
    if not authenticated(owner):
        raise Http404
    contact = Contact.objects.filter(owner_id=owner.pk, pk=contact_id).select_related("user__profile").first()
    if contact is None:
        raise Http404
    return contact


def import_preview_for_owner(*, owner: Viewer, preview_id: int) -> Job:
    """A contacts import preview (and the file it keeps) is its owner's alone: anyone else's is 404."""
    if not authenticated(owner):
        raise Http404
    job = Job.objects.filter(owner_id=owner.pk, pk=preview_id, kind=Job.Kind.CONTACTS_PREVIEW).defer("data").first()
    if job is None:
        raise Http404
    return job


def followup_for_owner(*, owner: Viewer, followup_id: int) -> FollowUp:
    if not authenticated(owner):
        raise Http404
    followup = (
        FollowUp.objects.filter(owner_id=owner.pk, pk=followup_id)
        .select_related("contact__user__profile", "card", "email")
        .first()
    )
    if followup is None:
        raise Http404
    return followup


def suggestion_for_owner(*, owner: Viewer, suggestion_id: int) -> Suggestion:
    if not authenticated(owner):
        raise Http404
    suggestion = Suggestion.objects.filter(owner_id=owner.pk, pk=suggestion_id).first()
    if suggestion is None:
        raise Http404
    return suggestion


def check_contact(*, owner: Viewer, contact: Contact) -> None:
    """For a service handed a contact: refuse one that is not the owner's."""
    if not owns(owner, contact):
        raise ValidationError(_("Ce contact n'est pas le vôtre."))


def check_note(*, owner: Viewer, note: Note) -> None:
    if not owns(owner, note):
        raise ValidationError(_("Cette note n'est pas la vôtre."))


def note_for_owner(*, owner: Viewer, contact: Contact, note_id: object) -> Note:
    """The owner's note about ``contact``, or 404."""
    text = str(note_id or "")
    if not authenticated(owner) or not (text.isascii() and text.isdigit()):
        raise Http404
    note = Note.objects.filter(owner_id=owner.pk, contact_id=contact.pk, pk=int(text)).first()
    if note is None:
        raise Http404
    return note


def check_promise(*, owner: Viewer, promise: Promise) -> None:
    if not owns(owner, promise):
        raise ValidationError(_("Cette promesse n'est pas la vôtre."))


def check_followup(*, owner: Viewer, followup: FollowUp) -> None:
    if not owns(owner, followup):
        raise ValidationError(_("Ce suivi n'est pas le vôtre."))
