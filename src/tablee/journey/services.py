"""Writes for the journey: intentions, reflections, pacing, and shares with the few.

Callers check visibility first (``tablee.journey.access``); these functions trust their
arguments to belong to ``author`` only where they say so, and check ownership otherwise.
"""

from __future__ import annotations

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tablee.circle import access as circle_access
from tablee.circle import services as circle_services
from tablee.circle.drafts import contact_language
from tablee.circle.models import Contact, FollowUp
from tablee.gatherings.models import Gathering
from tablee.journey.models import Intention, Pacing, Reflection, Share, ShareRecipient
from tablee.journey.selectors import share_signature
from tablee.members.models import User

SHARE_MAX = 3


def intention_create(
    *,
    author: User,
    result: str,
    signal: str,
    gathering: Gathering | None = None,
    event_title: str = "",
    event_date: date | None = None,
    cards_budget: int = 3,
    energy_before: int = 3,
    leave_at: time | None = None,
    questions: list[str] | None = None,
) -> Intention:
    """An intention for a Tablée gathering (its date is the gathering's) or an outside event."""
    if gathering is not None:
        if Intention.objects.filter(author_id=author.pk, gathering_id=gathering.pk).exists():
            raise ValidationError({"gathering": _("Vous avez déjà noté une intention pour cette rencontre.")})
        event_date = timezone.localtime(gathering.starts_at).date()
        event_title = ""
    if event_date is None:
        raise ValidationError({"event_date": _("Indiquez la date de l'événement.")})
    intention = Intention(
        author=author, gathering=gathering, event_title=event_title.strip(), event_date=event_date,
        result=result.strip(), signal=signal.strip(), cards_budget=cards_budget, energy_before=energy_before,
        leave_at=leave_at, questions=[q.strip() for q in (questions or []) if q and q.strip()],
    )
    intention.full_clean()
    intention.save()
    return intention


def intention_editable(intention: Intention) -> bool:
    """An intention is changed before its event (a gathering's start, an outside event's day); from
    then on, the reflection is what gets written."""
    if intention.gathering is not None:
        return intention.gathering.starts_at > timezone.now()
    return intention.event_date > timezone.localdate()


def intention_update(
    *,
    intention: Intention,
    result: str,
    signal: str,
    event_title: str | None = None,
    event_date: date | None = None,
    cards_budget: int = 3,
    energy_before: int = 3,
    leave_at: time | None = None,
    questions: list[str] | None = None,
) -> Intention:
    """Change my intention before the event. A Tablée gathering keeps its title and date; an outside
    event may be renamed or moved (``None`` keeps the value)."""
    if not intention_editable(intention):
        raise ValidationError(_("L'événement a commencé : l'intention ne change plus. Écrivez plutôt votre réflexion."))
    if intention.gathering_id is None:
        if event_title is not None:
            intention.event_title = event_title.strip()
        if event_date is not None:
            intention.event_date = event_date
    intention.result, intention.signal = result.strip(), signal.strip()
    intention.cards_budget, intention.energy_before, intention.leave_at = cards_budget, energy_before, leave_at
    intention.questions = [q.strip() for q in (questions or []) if q and q.strip()]
    intention.full_clean()
    intention.save()
    return intention


def reflection_record(
    *, intention: Intention, reached: bool, energy_after: int, next_step: str = ""
) -> Reflection:
    """After the event: the signal happened or not, what comes next, energy after. Recording again replaces it."""
    reflection = Reflection.objects.filter(intention=intention).first() or Reflection(intention=intention)
    reflection.reached = reached
    reflection.energy_after = energy_after
    reflection.next_step = next_step.strip()
    reflection.full_clean()
    reflection.save()
    return reflection


def pacing_update(*, user: User, weekly_cap: int) -> Pacing:
    pacing = Pacing.objects.filter(user=user).first() or Pacing(user=user)
    pacing.weekly_cap = weekly_cap
    pacing.full_clean()
    pacing.save()
    return pacing


def share_body(*, note: str, text: str, signature: str) -> str:
    """The email of a share: the note, then the shared text before the note's signature when the
    note still ends with the draft's one (``selectors.share_signature``), else after the note."""
    note = note.strip()
    head, sep, last = note.rpartition("\n")
    if sep and signature and last.strip() == signature:
        return f"{head.rstrip()}\n\n{text}\n\n{last.strip()}"
    return f"{note}\n\n{text}".strip()


def share_send(*, author: User, text: str, picks: list[tuple[Contact, str]]) -> Share:
    """Share a text with one to three contacts: one personal email each, through the follow-up outbox.

    Each email goes where a follow-up would (``circle.services.personal_email_to``: a member kept
    from a gathering at their account's address, which the author never sees), under the same daily
    quota. All or nothing: if one email cannot be queued, nothing is stored or sent.
    """
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Collez un texte ou une note à partager.")})
    if not 1 <= len(picks) <= SHARE_MAX:
        raise ValidationError({"picks": _("Choisissez d'une à trois personnes.")})
    if len({contact.pk for contact, _note in picks}) != len(picks):
        raise ValidationError({"picks": _("Une même personne ne reçoit le partage qu'une fois.")})
    try:
        with transaction.atomic():
            for contact, _note in picks:  # every address first: a refusal names its person before any is sent
                circle_access.check_contact(owner=author, contact=contact)
                circle_services.personal_email_to(contact)
            share = Share.objects.create(author=author, text=text)
            for contact, note in picks:
                body = share_body(note=note, text=text, signature=share_signature(author))
                with translation.override(contact_language(contact)):
                    subject = _("Un lien pensé pour toi") if text.startswith("http") else _("Pensé pour toi")
                followup = circle_services.followup_create(
                    owner=author, contact=contact, kind=FollowUp.Kind.SHARE, subject=subject, body=body
                )
                circle_services.followup_send(owner=author, followup=followup, subject=subject, body=body)
                ShareRecipient.objects.create(share=share, contact=contact, followup=followup)
    except circle_services.CircleError as exc:
        raise ValidationError({"picks": str(exc)}) from exc
    return share
