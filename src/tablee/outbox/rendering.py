"""One way to write an email from templates: subject, plain text and HTML, in the recipient's language.

An email ``<name>`` is three templates: ``<name>_subject.txt`` (one line), ``<name>.txt`` and
``<name>.html`` (which extends ``outbox/email_base.html`` and shows the subject as its title). All
three are rendered with the recipient's language active, whoever or whatever triggers the email (an
organizer's French page, the worker). ``email_render_queue`` renders and stores the email in one
call; ``email_queue`` then appends the way back (footer, and the List-Unsubscribe headers at send
time) to a topic email, in that same language.

A room's own values in the context that depend on the language (a date written out, a sentence from
``gettext``) are made by the room with the language active; the renderer activates it for the
templates only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import translation

from tablee.outbox.models import Email
from tablee.outbox.services import email_queue, one_line

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    """An email ready for ``email_queue``: its subject on one line, both bodies, and their language."""

    subject: str
    body_text: str
    body_html: str
    language: str


def render_email(*, template: str, language: str, context: Mapping[str, object], subject: str | None = None,
                 subject_template: str = "") -> RenderedEmail:
    """Render ``<template>_subject.txt``, ``<template>.txt`` and ``<template>.html`` in ``language``.

    ``subject`` replaces the subject template with a line the caller already wrote in ``language``;
    ``subject_template`` names a subject template that does not follow the pattern (Django's password
    reset). The templates also receive the subject as ``subject``. Reads only: nothing is stored.
    """
    with translation.override(language):
        values = dict(context)
        if subject is None:
            subject = render_to_string(subject_template or f"{template}_subject.txt", values)
        values["subject"] = subject.strip()  # the HTML's title
        body_text = render_to_string(f"{template}.txt", values)
        body_html = render_to_string(f"{template}.html", values)
    return RenderedEmail(subject=one_line(subject), body_text=body_text, body_html=body_html, language=language)


def email_render_queue(
    *,
    key: str,
    kind: str,
    to: str,
    template: str,
    language: str,
    context: Mapping[str, object],
    subject: str | None = None,
    subject_template: str = "",
    user: AbstractBaseUser | None = None,
    topic: str = "",
    scope: str = "",
    on_behalf_of: str = "",
    ics: str | bytes = "",
    forget_after_send: bool = False,
) -> Email:
    """Render the email (``render_email``) and store it in the outbox (``email_queue``, once per ``key``):
    a ``topic`` email gets its way back in the same language as its bodies (``scope`` and
    ``on_behalf_of`` as ``email_queue`` reads them)."""
    rendered = render_email(template=template, language=language, context=context, subject=subject,
                            subject_template=subject_template)
    return email_queue(key=key, kind=kind, to=to, subject=rendered.subject, body_text=rendered.body_text,
                       body_html=rendered.body_html, ics=ics, user=user, topic=topic, scope=scope,
                       on_behalf_of=on_behalf_of, language=rendered.language, forget_after_send=forget_after_send)
