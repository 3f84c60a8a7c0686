"""The draft of a personal follow-up: cites the notes, the promises and the gathering, in the contact's language."""

from __future__ import annotations

from urllib.parse import quote

from django.utils import translation
from django.utils.translation import gettext as _

from tablee.circle.models import Contact, FollowUp, Promise


def contact_language(contact: Contact) -> str:
    if contact.language:
        return contact.language
    profile = getattr(contact.user, "profile", None) if contact.user_id else None
    return profile.preferred_language if profile else "fr-ca"


def _first_name(contact: Contact) -> str:
    if contact.user_id and contact.user.first_name:
        return contact.user.first_name
    return contact.name.split()[0] if contact.name.split() else contact.name


def _clean(text: str) -> str:
    return " ".join(text.split()).rstrip(".")


def followup_draft(followup: FollowUp) -> tuple[str, str]:
    """Subject and body of a first draft. Personal by construction: it quotes what was said and promised."""
    contact = followup.contact
    owner = followup.owner
    card = followup.card
    promises = getattr(contact, "open_promises", None)  # prefetched by selectors.followups_queue
    if promises is None:
        promises = list(Promise.objects.filter(owner_id=owner.pk, contact_id=contact.pk, status=Promise.Status.OPEN))
    event = ""
    if card is not None:
        event = card.gathering.title if card.gathering_id else card.event_label
    with translation.override(contact_language(contact)):
        if event:
            subject = _("Suite à notre conversation à %(event)s") % {"event": event}
        else:
            subject = _("Suite à notre conversation")
        lines = [_("Bonjour %(name)s,") % {"name": _first_name(contact)}, ""]
        if event:
            lines.append(_("Merci pour notre échange à %(event)s.") % {"event": event})
        if card is not None and card.note.strip():
            lines.append(_("Tu m'avais parlé de %(topic)s.") % {"topic": _clean(card.note)})
        for promise in promises:
            lines.append(_("Comme promis, voici %(promise)s.") % {"promise": _clean(promise.text)})
        # The outbox sends from Tablée's address: the signature carries mine so a reply finds me.
        lines += ["", _("Au plaisir de poursuivre la conversation,"), owner.get_full_name() or owner.email, owner.email]
    return subject, "\n".join(lines)


def mailto_link(*, to: str, subject: str, body: str) -> str:
    """A mailto: URL with the draft, for « Ouvrir dans mon logiciel de courriel »."""
    return f"mailto:{quote(to, safe='@')}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"
