"""Emails of the circle: a mutual « poursuivre la conversation », told to each of the two only."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tablee.gatherings.models import Gathering
from tablee.members.models import User


def queue_continue_mutual(*, gathering: Gathering, to: User, other: User):
    """Tell ``to`` that ``other`` also wants to continue: a link opens a follow-up draft to them.

    Sent to the two people of the pair and nobody else (stored once per pair, gathering and person).
    Notification preferences (issue 10) are to be consulted here, before queueing, when they exist."""
    from tablee.outbox.services import email_queue

    profile = getattr(to, "profile", None)
    language = (profile.preferred_language if profile else None) or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "user": to, "other": other, "gathering": gathering,
            "url": settings.SITE_URL + reverse("circle:continue", args=[gathering.pk, other.pk]),
        }
        subject = _("%(name)s aimerait aussi poursuivre la conversation") % {
            "name": other.get_full_name() or other.email}
        body_text = render_to_string("circle/email/continue_mutual.txt", context)
        body_html = render_to_string("circle/email/continue_mutual.html", context)
    return email_queue(
        key=f"circle:continue:{gathering.pk}:{to.pk}:{other.pk}", kind="continue_mutual", to=to.email,
        subject=subject, body_text=body_text, body_html=body_html, user=to,
    )
