"""Writes for the circle: cards, follow-ups, contacts, notes, promises, interactions, continue wishes.

Each function is one use case, keyword-only, and takes the acting user as ``owner``: a row is only
ever written for its owner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models import Q
from django.db.models.deletion import Collector
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tablee.circle import access, selectors
from tablee.circle.drafts import contact_language, followup_draft
from tablee.circle.models import (
    CARD_BUDGET_MAX,
    CARD_BUDGET_MIN,
    Card,
    CircleSettings,
    Contact,
    ContinueWish,
    DeletedContact,
    FollowUp,
    Interaction,
    Note,
    Promise,
    Suggestion,
)
from tablee.gatherings.models import Gathering
from tablee.members.models import Association, User
from tablee.members.selectors import organization_shown
from tablee.outbox.models import Email, Topic
from tablee.outbox.services import email_queue, opted_out
from tablee.text import french
from tablee.throttle import Throttled


class CircleError(Exception):
    """A refusal worth explaining to the member (shown as is)."""


class CardBudgetExceeded(CircleError):
    pass


class TierFull(CircleError):
    def __init__(self, message: str, *, tier: str, members: list[Contact]):
        super().__init__(message)
        self.tier = tier
        self.members = members


@dataclass(frozen=True)
class CardEntry:
    """One person to keep: an email of an attendee, or a new contact captured on the spot."""

    email: str = ""
    name: str = ""
    organization: str = ""
    note: str = ""
    topic: str = ""
    pronunciation: str = ""
    contact_id: int | None = None
    # A fellow attendee chosen on the cards page: known by id, their address never shown (see below).
    user_id: int | None = None


# Sentence vectors -----------------------------------------------------------------------------


def _vectors_later(owner: User) -> None:
    """Once the write commits, the worker stores the vectors of what changed (see circle/vectors.py)."""
    from tablee.circle.tasks import circle_vectors_refresh

    owner_id = owner.pk
    transaction.on_commit(lambda: circle_vectors_refresh.enqueue(owner_id))


def circle_vectors_store(*, owner_id: int) -> int:
    """Store the vectors of one member's contacts, cards and notes whose text changed; returns the
    number of rows written. Encodes in batches: one call to the encoder per kind of row."""
    from tablee.circle import vectors

    contacts = [c for c in Contact.objects.filter(owner_id=owner_id).select_related("user__profile")
                if not vectors.contact_is_current(c)]
    for start in range(0, len(contacts), 500):  # one encoding per batch of stale contacts
        vectors.contacts_rows(contacts[start : start + 500])
    written = len(contacts)
    for model in (Note, Card):
        stale = [row for row in model.objects.filter(owner_id=owner_id) if not vectors.text_is_current(row)]
        for start in range(0, len(stale), 500):
            vectors.text_rows(stale[start : start + 500])
        written += len(stale)
    return written


# Settings -------------------------------------------------------------------------------------


def circle_settings_update(*, user: User, card_budget: int) -> CircleSettings:
    if not CARD_BUDGET_MIN <= card_budget <= CARD_BUDGET_MAX:
        raise ValidationError({"card_budget": _("Entre %(min)s et %(max)s cartes.") % {"min": CARD_BUDGET_MIN, "max": CARD_BUDGET_MAX}})
    row, _created = CircleSettings.objects.update_or_create(user=user, defaults={"card_budget": card_budget})
    return row


# Contacts -------------------------------------------------------------------------------------

CONTACT_FIELDS = ("name", "email", "phone", "organization", "position", "pronunciation", "language", "tier",
                  "trusted", "rhythm_ideal_days", "rhythm_max_days")
_TIER_BELOW = {Contact.Tier.CLOSE: Contact.Tier.CIRCLE, Contact.Tier.CIRCLE: Contact.Tier.NETWORK,
               Contact.Tier.NETWORK: Contact.Tier.NONE}


def _check_tier(*, owner: User, contact: Contact, moves_out: Contact | None) -> None:
    """Soft sizes: joining a full tier names who steps down a tier (the member chooses)."""
    tier = contact.tier
    size = selectors.TIER_SIZES.get(tier)
    if size is None:
        return
    others = selectors.contacts_for_owner(owner=owner).filter(tier=tier).exclude(pk=contact.pk)
    if others.count() < size:
        return
    if moves_out is None or not access.owns(owner, moves_out) or moves_out.tier != tier or moves_out.pk == contact.pk:
        raise TierFull(
            _("Ce cercle compte déjà %(size)s personnes : qui en sort pour faire de la place?") % {"size": size},
            tier=tier,
            members=list(others),
        )
    moves_out.tier = _TIER_BELOW[tier]
    moves_out.save(update_fields=["tier", "updated_at"])


def contact_create(*, owner: User, name: str, moves_out: Contact | None = None, user: User | None = None,
                   source: str = Contact.Source.MANUAL, **fields) -> Contact:
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError({"__all__": _("Champs inconnus : %(fields)s") % {"fields": ", ".join(sorted(unknown))}})
    contact = Contact(owner=owner, name=name.strip(), user=user, source=source, **fields)
    if contact.email:
        contact.email = contact.email.strip().lower()
    contact.full_clean()
    with transaction.atomic():
        _check_tier(owner=owner, contact=contact, moves_out=moves_out)
        contact.save()
        _vectors_later(owner)
    return contact


def contact_update(*, owner: User, contact: Contact, moves_out: Contact | None = None, **fields) -> Contact:
    access.check_contact(owner=owner, contact=contact)
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError({"__all__": _("Champs inconnus : %(fields)s") % {"fields": ", ".join(sorted(unknown))}})
    renamed = "name" in fields and fields["name"] != contact.name
    for name, value in fields.items():
        setattr(contact, name, value)
    if renamed:
        # The structured name came with the old name: an export would pair the new FN with the old N.
        contact.name_parts = []
    if contact.email:
        contact.email = contact.email.strip().lower()
    contact.full_clean()
    with transaction.atomic():
        if "tier" in fields:
            _check_tier(owner=owner, contact=contact, moves_out=moves_out)
        contact.save()
        _vectors_later(owner)
    return contact


def _rows_deleted_with(contact: Contact) -> list:
    """The contact, then every row its deletion cascades to, parents before children (restorable in
    that order). Today's suggestion is left out: it is made again, and one a day is the rule."""
    collector = Collector(using=router.db_for_write(Contact), origin=contact)
    collector.collect([contact])
    collector.sort()  # children before parents: the order of deletion
    rows = [obj for model in reversed(list(collector.data)) for obj in collector.data[model]]
    rows += [obj for queryset in collector.fast_deletes for obj in queryset]
    return [row for row in rows if not isinstance(row, Suggestion)]


def contact_delete(*, owner: User, contact: Contact) -> DeletedContact | None:
    """Deletes the contact with its notes, cards, follow-ups, promises and timeline, keeping them
    ``DeletedContact.UNDO_MINUTES`` for ``contact_restore``. None when it was not the owner's."""
    with transaction.atomic():
        contact = Contact.objects.select_for_update().filter(pk=contact.pk, owner_id=owner.pk).first()
        if contact is None:
            return None
        trash = DeletedContact.objects.create(owner=owner, name=contact.name,
                                              payload=serializers.serialize("json", _rows_deleted_with(contact)))
        contact.delete()
    return trash


def deleted_contact_recent(*, owner: User) -> DeletedContact | None:
    """The owner's last deletion that can still be undone."""
    since = timezone.now() - timedelta(minutes=DeletedContact.UNDO_MINUTES)
    return DeletedContact.objects.filter(owner_id=owner.pk, kind=DeletedContact.Kind.CONTACT,
                                         deleted_at__gte=since).first()


def contact_restore(*, owner: User, trash_id: int) -> Contact:
    """Brings a deleted contact back whole, with the same ids; refused once the undo window is over."""
    since = timezone.now() - timedelta(minutes=DeletedContact.UNDO_MINUTES)
    with transaction.atomic():
        trash = (DeletedContact.objects.select_for_update()
                 .filter(pk=trash_id, owner_id=owner.pk, kind=DeletedContact.Kind.CONTACT, deleted_at__gte=since)
                 .first())
        if trash is None:
            raise CircleError(_("Trop tard pour annuler : la suppression est définitive après %(minutes)s minutes.")
                              % {"minutes": DeletedContact.UNDO_MINUTES})
        restored = [row.object for row in serializers.deserialize("json", trash.payload)]
        try:
            with transaction.atomic():
                for row in restored:
                    row.save(force_insert=True)
        except IntegrityError:
            raise CircleError(_("Ce contact ne peut pas être rétabli : une fiche l'a remplacé entre-temps.")) from None
        trash.delete()
    contact = restored[0]
    assert isinstance(contact, Contact)
    return contact


def deleted_contacts_purge() -> int:
    """The worker's tick: deletions past the undo window become final."""
    since = timezone.now() - timedelta(minutes=DeletedContact.UNDO_MINUTES)
    return DeletedContact.objects.filter(deleted_at__lt=since).delete()[0]


def contact_merge(*, owner: User, keep: Contact, others: list[Contact]) -> Contact:
    """Fold duplicates into ``keep``: their cards, notes, promises, follow-ups and timeline move over."""
    others = [c for c in others if c.pk != keep.pk and access.owns(owner, c)]
    access.check_contact(owner=owner, contact=keep)
    ids = [c.pk for c in others]
    with transaction.atomic():
        for name in ("email", "phone", "organization", "position", "pronunciation", "language", "tier"):
            if not getattr(keep, name):
                for other in others:
                    if getattr(other, name):
                        setattr(keep, name, getattr(other, name))
                        break
        if not keep.name_parts:
            keep.name_parts = next((c.name_parts for c in others if c.name_parts), [])
        # Nothing a duplicate knew is lost: its addresses and numbers become the kept contact's others.
        emails = [e for c in [keep, *others] for e in [c.email, *c.extra_emails] if e]
        keep.extra_emails = [e for e in dict.fromkeys(emails) if e != keep.email][:20]
        phones = [p for c in [keep, *others] for p in [c.phone, *c.extra_phones] if p]
        keep.extra_phones = [p for p in dict.fromkeys(phones) if p != keep.phone][:20]
        keep.trusted = keep.trusted or any(c.trusted for c in others)
        if keep.user_id is None:
            keep.user_id = next((c.user_id for c in others if c.user_id), None)
        dates = [d for d in [keep.last_interaction_at, *(c.last_interaction_at for c in others)] if d]
        keep.last_interaction_at = max(dates) if dates else None
        for model in (Note, Promise, FollowUp, Interaction):
            model.objects.filter(owner_id=owner.pk, contact_id__in=ids).update(contact=keep)
        for card in Card.objects.filter(owner_id=owner.pk, contact_id__in=ids):
            clash = Card.objects.filter(owner_id=owner.pk, contact=keep, gathering_id=card.gathering_id,
                                        event_label=card.event_label).exists()
            if clash:
                card.delete()
            else:
                Card.objects.filter(pk=card.pk).update(contact=keep)
        Contact.objects.filter(owner_id=owner.pk, pk__in=ids).delete()
        keep.save()
    return keep


def note_add(*, owner: User, contact: Contact, text: str) -> Note:
    access.check_contact(owner=owner, contact=contact)
    note = Note(owner=owner, contact=contact, text=text.strip())
    note.full_clean()
    with transaction.atomic():
        note.save()
        _vectors_later(owner)
    return note


def note_update(*, owner: User, note: Note, text: str) -> Note:
    """The owner rewrites a note; its stored vector is refreshed by the worker (the text changed)."""
    access.check_note(owner=owner, note=note)
    note.text = text.strip()
    note.edited_at = timezone.now()
    note.full_clean()
    with transaction.atomic():
        note.save(update_fields=["text", "edited_at"])
        _vectors_later(owner)
    return note


def note_delete(*, owner: User, note: Note) -> DeletedContact | None:
    """Deletes a note, keeping it ``DeletedContact.UNDO_MINUTES`` for ``note_restore`` (as a contact
    is). None when it was not the owner's (or is already gone)."""
    with transaction.atomic():
        note = Note.objects.select_for_update().filter(pk=note.pk, owner_id=owner.pk).select_related("contact").first()
        if note is None:
            return None
        trash = DeletedContact.objects.create(owner=owner, kind=DeletedContact.Kind.NOTE, contact_id=note.contact_id,
                                              name=note.contact.name, payload=serializers.serialize("json", [note]))
        note.delete()
    return trash


def deleted_note_recent(*, owner: User, contact: Contact) -> DeletedContact | None:
    """The owner's last deleted note about ``contact`` that can still be undone."""
    since = timezone.now() - timedelta(minutes=DeletedContact.UNDO_MINUTES)
    return DeletedContact.objects.filter(owner_id=owner.pk, kind=DeletedContact.Kind.NOTE, contact_id=contact.pk,
                                         deleted_at__gte=since).first()


def note_restore(*, owner: User, trash_id: int) -> Note:
    """Brings a deleted note back (same id) while its contact is there; refused once the undo window is over."""
    since = timezone.now() - timedelta(minutes=DeletedContact.UNDO_MINUTES)
    with transaction.atomic():
        trash = (DeletedContact.objects.select_for_update()
                 .filter(pk=trash_id, owner_id=owner.pk, kind=DeletedContact.Kind.NOTE, deleted_at__gte=since).first())
        if trash is None:
            raise CircleError(_("Trop tard pour annuler : la suppression est définitive après %(minutes)s minutes.")
                              % {"minutes": DeletedContact.UNDO_MINUTES})
        [note] = [row.object for row in serializers.deserialize("json", trash.payload)]
        assert isinstance(note, Note)
        if not Contact.objects.filter(pk=note.contact_id, owner_id=owner.pk).exists():
            raise CircleError(_("Cette note ne peut pas être rétablie : son contact a été supprimé."))
        try:
            with transaction.atomic():
                note.save(force_insert=True)
        except IntegrityError:
            raise CircleError(_("Cette note ne peut pas être rétablie.")) from None
        trash.delete()
        _vectors_later(owner)
    return note


def promise_create(*, owner: User, contact: Contact, text: str, due_on: date | None = None) -> Promise:
    access.check_contact(owner=owner, contact=contact)
    promise = Promise(owner=owner, contact=contact, text=text.strip(), due_on=due_on)
    promise.full_clean()
    promise.save()
    return promise


def promise_close(*, owner: User, promise: Promise, kept: bool) -> Promise:
    """« Marquer comme tenue » or « Abandonner » (asked first on the page); ``promise_reopen`` undoes
    either for ``DeletedContact.UNDO_MINUTES``."""
    access.check_promise(owner=owner, promise=promise)
    promise.status = Promise.Status.KEPT if kept else Promise.Status.DROPPED
    promise.closed_at = timezone.now()
    promise.save(update_fields=["status", "closed_at"])
    return promise


def promise_undo_since() -> datetime:
    """A promise closed after this moment can still be reopened."""
    return timezone.now() - timedelta(minutes=DeletedContact.UNDO_MINUTES)


def promise_reopen(*, owner: User, promise: Promise) -> Promise:
    """« Annuler » after a promise was marked kept or given up: to keep again, as it was; refused
    once the undo window is over."""
    access.check_promise(owner=owner, promise=promise)
    reopened = Promise.objects.filter(
        pk=promise.pk, owner_id=owner.pk, status__in=[Promise.Status.KEPT, Promise.Status.DROPPED],
        closed_at__gte=promise_undo_since(),
    ).update(status=Promise.Status.OPEN, closed_at=None)
    if not reopened:
        raise CircleError(_("Il est trop tard pour annuler : cette promesse reste fermée."))
    promise.refresh_from_db(fields=["status", "closed_at"])
    return promise


def interaction_record(*, owner: User, contact: Contact, kind: str, happened_at: datetime | None = None,
                       summary: str = "", gathering: Gathering | None = None,
                       followup: FollowUp | None = None) -> Interaction:
    """Log an interaction; any interaction resets the keep-in-touch rhythm."""
    access.check_contact(owner=owner, contact=contact)
    interaction = Interaction(owner=owner, contact=contact, kind=kind, happened_at=happened_at or timezone.now(),
                              summary=summary[:500], gathering=gathering, followup=followup)
    interaction.full_clean()
    with transaction.atomic():
        interaction.save()
        Contact.objects.filter(pk=contact.pk).filter(
            Q(last_interaction_at__isnull=True) | Q(last_interaction_at__lt=interaction.happened_at)
        ).update(last_interaction_at=interaction.happened_at)
    contact.refresh_from_db(fields=["last_interaction_at"])
    return interaction


# Cards ----------------------------------------------------------------------------------------


def attendee_contact(*, owner: User, member: User, gathering: Gathering | None, name: str = "", email: str = "",
                     organization: str = "", pronunciation: str = "") -> Contact:
    """The owner's contact for a fellow member (a kept card, a mutual « poursuivre », the demo): the
    one already in the circle, else a new one linked to the member.

    Consent decides what I learn of them: the name, and the organization as their consent says
    (``organization_shown``: the directory, or the table-mates consent when I sat at their table at
    ``gathering``). Their address stays theirs (none of their consents covers it): my follow-ups go
    through Tablée. An address or an organization I typed (the API, a business card) is one I
    already knew."""
    existing = selectors.contacts_for_owner(owner=owner).filter(user=member).first()
    if existing is not None:
        return existing
    mate = gathering is not None and member.pk in selectors.table_mates_of(gathering=gathering, user=owner)
    return contact_create(
        owner=owner, user=member, name=name or member.get_full_name() or member.email, email=email,
        organization=(organization or organization_shown(member, table_mate=mate))[:200],
        pronunciation=pronunciation, source=Contact.Source.CARD,
    )


def _contact_for_entry(*, owner: User, entry: CardEntry, gathering: Gathering | None) -> Contact:
    from tablee.circle.selectors import attended

    if entry.contact_id is not None:
        return access.contact_for_owner(owner=owner, contact_id=entry.contact_id)
    email = entry.email.strip().lower()
    member = None
    if entry.user_id is not None:
        member = User.objects.filter(pk=entry.user_id).select_related("profile").first()
        if (member is None or gathering is None or member.pk == owner.pk
                or not attended(user=member, gathering=gathering)):
            raise CircleError(_("Cette personne n'était pas à cette rencontre."))
    elif email and gathering is not None:
        member = User.objects.filter(email__iexact=email).select_related("profile").first()
        if member is not None and (member.pk == owner.pk or not attended(user=member, gathering=gathering)):
            member = None
    if member is not None:
        return attendee_contact(owner=owner, member=member, gathering=gathering, name=entry.name,
                                email=email if entry.user_id is None else "", organization=entry.organization,
                                pronunciation=entry.pronunciation)
    if email:
        existing = selectors.contacts_for_owner(owner=owner).filter(email__iexact=email).order_by("pk").first()
        if existing is not None:
            return existing
    if not (entry.name.strip() or email):
        raise ValidationError({"name": _("Un nom ou un courriel, au moins.")})
    return contact_create(
        owner=owner, name=entry.name.strip() or email, email=email, organization=entry.organization,
        pronunciation=entry.pronunciation, source=Contact.Source.CARD,
    )


def cards_keep(*, owner: User, entries: list[CardEntry], gathering: Gathering | None = None,
               event_label: str = "", now: datetime | None = None) -> list[Card]:
    """Keep a few people from one event: a card each, with a note and a follow-up due in a few days.

    All or nothing; beyond the member's budget the whole request is refused with the reason why.
    """
    now = now or timezone.now()
    if gathering is None and not event_label.strip():
        raise ValidationError({"event_label": _("Nommez l'événement où vous vous êtes rencontrés.")})
    event_label = "" if gathering is not None else event_label.strip()
    budget = selectors.card_budget_for(owner, gathering or event_label)
    due_on = timezone.localdate(now) + timedelta(days=settings.TABLEE_FOLLOWUP_DAYS)
    with transaction.atomic():
        # Serialise the member's own card requests so two quick taps cannot both pass the budget.
        User.objects.select_for_update().filter(pk=owner.pk).first()
        existing = selectors.cards_for_event(owner=owner, gathering=gathering, event_label=event_label)
        kept_ids = set(existing.values_list("contact_id", flat=True))
        contacts = []
        for entry in entries:
            contact = _contact_for_entry(owner=owner, entry=entry, gathering=gathering)
            if contact.pk not in kept_ids and contact.pk not in {c.pk for c, _e in contacts}:
                contacts.append((contact, entry))
        total = len(kept_ids) + len(contacts)
        if total > budget:
            raise CardBudgetExceeded(ngettext(
                "Vous gardez au plus %(budget)s carte par événement. Peu, mais mieux : une personne que "
                "vous relancez vraiment vaut plus que dix cartes oubliées dans une poche.",
                "Vous gardez au plus %(budget)s cartes par événement. Peu, mais mieux : trois personnes que "
                "vous relancez vraiment valent plus que dix cartes oubliées dans une poche.",
                budget,
            ) % {"budget": budget})
        cards = []
        for contact, entry in contacts:
            card = Card.objects.create(owner=owner, contact=contact, gathering=gathering,
                                       event_label=event_label, note=entry.note.strip(),
                                       topic=" ".join(entry.topic.split())[:200])
            FollowUp.objects.create(owner=owner, contact=contact, card=card, due_on=due_on)
            interaction_record(
                owner=owner, contact=contact, kind=Interaction.Kind.GATHERING,
                happened_at=gathering.starts_at if gathering is not None and gathering.starts_at < now else now,
                summary=gathering.title if gathering is not None else event_label, gathering=gathering,
            )
            cards.append(card)
        if cards:
            _vectors_later(owner)
    return cards


# Follow-ups -----------------------------------------------------------------------------------


def followup_create(*, owner: User, contact: Contact, subject: str = "", body: str = "",
                    kind: str = FollowUp.Kind.FOLLOWUP, due_on: date | None = None) -> FollowUp:
    """A follow-up without a card (e.g. a share from the journey), due today unless said otherwise."""
    access.check_contact(owner=owner, contact=contact)
    return FollowUp.objects.create(owner=owner, contact=contact, kind=kind, subject=subject, body=body,
                                   due_on=due_on or timezone.localdate())


def personal_emails_sent_today(*, owner: User, now: datetime | None = None) -> int:
    """Personal emails (follow-ups and shares) that left through Tablée in the last 24 hours."""
    since = (now or timezone.now()) - timedelta(days=1)
    return FollowUp.objects.filter(owner=owner, email__isnull=False, sent_at__gt=since).count()


def _check_personal_email_quota(*, owner: User) -> None:
    """At most TABLEE_PERSONAL_EMAILS_PER_DAY personal emails per member per rolling day.

    Runs inside the sending transaction with the member's row locked, so parallel sends by one
    member queue here and the count cannot be overtaken.
    """
    limit = settings.TABLEE_PERSONAL_EMAILS_PER_DAY
    User.objects.select_for_update().filter(pk=owner.pk).values_list("pk", flat=True).first()
    now = timezone.now()
    if personal_emails_sent_today(owner=owner, now=now) < limit:
        return
    oldest = (
        FollowUp.objects.filter(owner=owner, email__isnull=False, sent_at__gt=now - timedelta(days=1))
        .order_by("sent_at").values_list("sent_at", flat=True).first()
    )
    retry_after = int(((oldest or now) + timedelta(days=1) - now).total_seconds()) + 1
    raise Throttled(
        ngettext(
            "Vous avez envoyé %(count)d courriel personnel par Tablée dans les dernières 24 heures : "
            "c'est la limite, pour que personne ne puisse se servir de Tablée pour envoyer des pourriels. "
            "Vous pourrez en envoyer d'autres plus tard, ou écrire depuis votre propre logiciel de courriel.",
            "Vous avez envoyé %(count)d courriels personnels par Tablée dans les dernières 24 heures : "
            "c'est la limite, pour que personne ne puisse se servir de Tablée pour envoyer des pourriels. "
            "Vous pourrez en envoyer d'autres plus tard, ou écrire depuis votre propre logiciel de courriel.",
            limit,
        ) % {"count": limit},
        retry_after=retry_after,
    )


def personal_email_to(contact: Contact) -> str:
    """The address a personal email (a follow-up, a share) to ``contact`` leaves for, or ``CircleError``.

    The one the owner wrote down, else, for a member kept from a gathering, their account's, which
    the sender never sees (the email's Reply-To is the sender: answering is the member's choice).
    Refused when there is none, or when that address said no to personal emails relayed by Tablée.
    """
    to = contact.email or (contact.user.email if contact.user_id else "")
    if not to:
        raise CircleError(french.elide(_("Ajoutez d'abord le courriel de %(name)s.") % {"name": contact.name},
                                       translation.get_language() or "fr"))
    if opted_out(address=to, topic=Topic.PERSONAL):
        raise CircleError(_("%(name)s a choisi de ne plus recevoir de courriels via Tablée : écrivez-lui depuis "
                            "votre propre messagerie.") % {"name": contact.name})
    return to


def followup_send(*, owner: User, followup: FollowUp, subject: str, body: str) -> Email:
    """Send a follow-up through the outbox: exactly one email per follow-up, whatever the presses.

    The outbox row (key ``followup:<id>``) and the follow-up's status change commit together; a
    second press finds the row and returns it untouched.
    """
    access.check_followup(owner=owner, followup=followup)
    with transaction.atomic():
        row = FollowUp.objects.select_for_update(of=("self",)).select_related("contact", "email").get(pk=followup.pk)
        if row.email_id is not None:
            return row.email
        _check_personal_email_quota(owner=owner)
        if row.status not in (FollowUp.Status.PENDING,):
            raise CircleError(_("Ce suivi a déjà été traité."))
        to = personal_email_to(row.contact)
        subject, body = subject.strip(), body.strip()
        if not subject or not body:
            raise ValidationError({"body": _("L'objet et le message sont requis.")})
        # CASL: the email names its sender and their association, and offers a one-click way out.
        associations = ", ".join(Association.objects.filter(memberships__user=owner, memberships__deactivated_at__isnull=True)
                                 .order_by("name").values_list("name", flat=True))
        email = email_queue(key=row.outbox_key, kind="followup", to=to, subject=subject,
                            body_text=body, user=None, sender_name=owner.get_full_name() or owner.email,
                            reply_to=owner.email, topic=Topic.PERSONAL, on_behalf_of=associations,
                            # The footer in the language of the subject and the draft (one rule).
                            language=contact_language(row.contact))
        now = timezone.now()
        row.email = email
        row.subject, row.body = subject, body
        row.status = FollowUp.Status.QUEUED
        row.sent_at = now
        row.save(update_fields=["email", "subject", "body", "status", "sent_at"])
        interaction_record(owner=owner, contact=row.contact, kind=Interaction.Kind.EMAIL, happened_at=now,
                           summary=subject, followup=row)
    followup.refresh_from_db()
    return email


def followup_open_in_mail(*, owner: User, followup: FollowUp, subject: str, body: str) -> FollowUp:
    """The member sends it from their own mail program: it counts as an interaction, once."""
    access.check_followup(owner=owner, followup=followup)
    with transaction.atomic():
        row = FollowUp.objects.select_for_update(of=("self",)).select_related("contact").get(pk=followup.pk)
        if row.status != FollowUp.Status.PENDING:
            return row
        now = timezone.now()
        row.subject, row.body, row.status, row.sent_at = subject, body, FollowUp.Status.MAILTO, now
        row.save(update_fields=["subject", "body", "status", "sent_at"])
        interaction_record(owner=owner, contact=row.contact, kind=Interaction.Kind.EMAIL, happened_at=now,
                           summary=subject, followup=row)
    return row


def followup_dismiss(*, owner: User, followup: FollowUp) -> bool:
    """« Laisser tomber »: no longer to do. ``followup_restore`` undoes it for ``DeletedContact.UNDO_MINUTES``.
    False when it was not the owner's or no longer to do."""
    return FollowUp.objects.filter(pk=followup.pk, owner_id=owner.pk, status=FollowUp.Status.PENDING).update(
        status=FollowUp.Status.DISMISSED, dismissed_at=timezone.now()
    ) == 1


def followup_dismissed_recent(*, owner: User) -> FollowUp | None:
    """The owner's last follow-up let go that can still be put back to do."""
    since = timezone.now() - timedelta(minutes=DeletedContact.UNDO_MINUTES)
    return (FollowUp.objects.filter(owner_id=owner.pk, status=FollowUp.Status.DISMISSED, dismissed_at__gte=since)
            .select_related("contact").order_by("-dismissed_at", "-pk").first())


def followup_restore(*, owner: User, followup_id: int) -> FollowUp:
    """Puts a follow-up let go back to do, as it was; refused once the undo window is over."""
    since = timezone.now() - timedelta(minutes=DeletedContact.UNDO_MINUTES)
    with transaction.atomic():
        restored = FollowUp.objects.filter(pk=followup_id, owner_id=owner.pk, status=FollowUp.Status.DISMISSED,
                                           dismissed_at__gte=since).update(status=FollowUp.Status.PENDING,
                                                                           dismissed_at=None)
        if not restored:
            raise CircleError(_("Il est trop tard pour annuler : ce suivi reste laissé tombé."))
        return FollowUp.objects.select_related("contact").get(pk=followup_id)


def followup_fill_draft(*, followup: FollowUp) -> FollowUp:
    """Store the first draft on a pending follow-up that has none, so the member edits from it."""
    if followup.status == FollowUp.Status.PENDING and not followup.body:
        followup.subject, followup.body = followup_draft(followup)
    return followup


# Continue the conversation ----------------------------------------------------------------------


def continue_wish_create(*, author: User, gathering: Gathering, target_email: str = "",
                         target_id: int | None = None) -> bool:
    """Say privately "I'd like to continue with X". Returns True when it is mutual (revealed to both).

    Both must have attended. A mutual pair becomes two *continue* wishes for the table engine.
    """
    from tablee.tables.services import wish_create

    if not selectors.attended(user=author, gathering=gathering):
        raise CircleError(_("Vous n'étiez pas à cette rencontre."))
    target = (User.objects.filter(pk=target_id).first() if target_id is not None
              else User.objects.filter(email__iexact=target_email.strip()).first())
    if target is None or target.pk == author.pk or not selectors.attended(user=target, gathering=gathering):
        raise CircleError(_("Cette personne n'était pas à cette rencontre."))
    with transaction.atomic():
        wish, _created = ContinueWish.objects.get_or_create(author=author, target=target, gathering=gathering)
        other = ContinueWish.objects.select_for_update().filter(author=target, target=author, gathering=gathering).first()
        if other is None:
            return False
        if wish.mutual_at is None or other.mutual_at is None:
            from tablee.circle.emails import queue_continue_mutual

            now = timezone.now()
            ContinueWish.objects.filter(pk__in=[wish.pk, other.pk]).update(mutual_at=now)
            wish_create(author=author, association=gathering.association, kind="continue", target=target)
            wish_create(author=target, association=gathering.association, kind="continue", target=author)
            # The two of them, and nobody else, learn it: each gets a link to write to the other.
            queue_continue_mutual(gathering=gathering, to=author, other=target)
            queue_continue_mutual(gathering=gathering, to=target, other=author)
    return True


def continue_followup_start(*, owner: User, gathering: Gathering, other: User) -> FollowUp:
    """From the « poursuivre la conversation » email: a follow-up draft to the other person of a
    mutual wish (their contact is created if needed). Only for a pair that is mutual."""
    mutual = ContinueWish.objects.filter(author=owner, target=other, gathering=gathering, mutual_at__isnull=False)
    if not mutual.exists():
        raise CircleError(_("Cette conversation n'est pas (encore) réciproque."))
    with transaction.atomic():
        # As for a kept card: linked to the member, their address not handed over.
        contact = attendee_contact(owner=owner, member=other, gathering=gathering)
        followup = (FollowUp.objects.filter(owner_id=owner.pk, contact=contact, status=FollowUp.Status.PENDING)
                    .order_by("-pk").first())
        if followup is None:
            card = Card.objects.filter(owner_id=owner.pk, contact=contact, gathering=gathering).first()
            followup = FollowUp.objects.filter(card=card).first() if card is not None else None
            if followup is None or followup.status != FollowUp.Status.PENDING:
                followup = FollowUp.objects.create(owner=owner, contact=contact, due_on=timezone.localdate())
    return followup


# Suggestions ------------------------------------------------------------------------------------


def suggestion_for_today(*, owner: User, now: datetime | None = None) -> Suggestion | None:
    """At most one suggestion a day and a few a week: red rhythms first, then dormant ties."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    existing = Suggestion.objects.filter(owner_id=owner.pk, day=day).select_related("contact").first()
    if existing is not None:
        return existing if existing.dismissed_at is None else None
    week = Suggestion.objects.filter(owner_id=owner.pk, day__gt=day - timedelta(days=7)).count()
    if week >= selectors.SUGGESTIONS_PER_WEEK:
        return None
    recent = set(Suggestion.objects.filter(owner_id=owner.pk, day__gt=day - timedelta(days=30))
                 .values_list("contact_id", flat=True))
    candidates = []
    with_rhythm = selectors.contacts_for_owner(owner=owner).exclude(rhythm_ideal_days=None, rhythm_max_days=None)
    for contact in with_rhythm.exclude(pk__in=recent):  # only they can be red
        if selectors.rhythm_of(contact, now=now).color == "red":
            candidates.append((0, contact.last_interaction_at or contact.created_at, contact, Suggestion.Reason.RHYTHM))
    for contact in selectors.dormant_ties(owner=owner, now=now).exclude(pk__in=recent):
        candidates.append((1, contact.last_interaction_at, contact, Suggestion.Reason.DORMANT))
    if not candidates:
        return None
    candidates.sort(key=lambda c: (c[0], c[1], c[2].pk))
    _rank, _when, contact, reason = candidates[0]
    suggestion, _created = Suggestion.objects.get_or_create(owner=owner, day=day,
                                                            defaults={"contact": contact, "reason": reason})
    return suggestion


def suggestion_dismiss(*, owner: User, suggestion_id: int) -> None:
    Suggestion.objects.filter(pk=suggestion_id, owner_id=owner.pk).update(dismissed_at=timezone.now())


# Import -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    kind: str
    created: int
    updated: int
    errors: list[tuple[int, str]]
    warnings: list[tuple[int, str]] = field(default_factory=list)


def _import_fields(row) -> dict:
    return {"email": row.email, "phone": row.phone[:50], "organization": row.organization[:200],
            "position": row.position[:200], "pronunciation": row.pronunciation[:200], "language": row.language,
            "name_parts": [p[:200] for p in row.name_parts], "extra_emails": row.extra_emails[:20],
            "extra_phones": [p[:50] for p in row.extra_phones[:20]]}


def _field_errors(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(f"{name} : {' '.join(messages)}" for name, messages in exc.message_dict.items())
    return " ".join(exc.messages)


def contacts_import(*, owner: User, data: bytes) -> ImportResult:
    """Import a vCard or CSV file, all or nothing: one bad entry and nothing is written.

    An entry whose email (or, without email, whose name and organization) matches a contact fills
    that contact's blank fields instead of creating a duplicate. Warnings (a damaged photo, hidden
    LinkedIn profiles skipped…) do not stop the import; they are returned to be shown.
    """
    from tablee.circle.importers import parse

    parsed = parse(data)
    if parsed.errors:
        return ImportResult(parsed.kind, 0, 0, parsed.errors, parsed.warnings)
    created = updated = 0
    errors: list[tuple[int, str]] = []
    mine = selectors.contacts_for_owner(owner=owner)
    with transaction.atomic():
        for row in parsed.rows:
            if row.email:
                existing = mine.filter(email__iexact=row.email).order_by("pk").first()
            else:
                existing = mine.filter(email="", name__iexact=row.name, organization__iexact=row.organization).first()
            fields = _import_fields(row)
            if existing is None:
                contact = Contact(owner=owner, name=row.name, source=Contact.Source.IMPORT, **fields)
                changed = True
                created += 1
            else:
                contact = existing
                changed = [k for k, v in fields.items() if v and not getattr(contact, k)]
                for name in changed:
                    setattr(contact, name, fields[name])
                more = [e for e in row.extra_emails if e != contact.email and e not in contact.extra_emails]
                if more:
                    contact.extra_emails = [*contact.extra_emails, *more][:20]
                    changed = True
                updated += 1
            if changed:
                try:
                    contact.full_clean()
                except ValidationError as exc:
                    errors.append((row.line, _field_errors(exc)))
                    continue
                contact.save()
            if row.note and not Note.objects.filter(owner_id=owner.pk, contact=contact, text=row.note[:10000]).exists():
                Note.objects.create(owner=owner, contact=contact, text=row.note[:10000])
        if errors:
            transaction.set_rollback(True)
            return ImportResult(parsed.kind, 0, 0, errors, parsed.warnings)
        _vectors_later(owner)
    return ImportResult(parsed.kind, created, updated, [], parsed.warnings)
