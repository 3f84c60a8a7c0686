"""The email each attendee receives when the table plan is published."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tablee.tables import selectors
from tablee.tables.models import Plan, Seat
from tablee.text import french


def queue_plan_published(*, plan: Plan, seat: Seat, changed: bool = False):
    """Queue "your table" for one seated person, in their language (stored once per plan and person;
    after a repair that seated or moved them, once per table they are given)."""
    from tablee.outbox.services import email_queue

    return email_queue(**render_plan_published(plan=plan, seat=seat, changed=changed))


def render_plan_published(*, plan: Plan, seat: Seat, changed: bool = False) -> dict:
    """The email "your table" for one seated person, ready for ``email_queue`` (reads only: publishing
    renders the 240 emails of a big breakfast before it takes the write lock)."""
    from tablee.outbox.models import Topic
    from tablee.outbox.rendering import render_email

    user = seat.user
    profile = getattr(user, "profile", None)
    language = profile.preferred_language if profile else settings.LANGUAGE_CODE
    gathering = plan.gathering
    with translation.override(language):
        mine = selectors.my_table(gathering=gathering, user=user, language=language)
        subject = _("Votre table %(at_event)s : table %(number)s") % {
            "at_event": french.at_event(gathering.title, language=language), "number": seat.table.number}
    rendered = render_email(template="tables/email/plan_published", language=language, subject=subject, context={
        "user": user,
        "gathering": gathering,
        "association": gathering.association,
        "mine": mine,
        "url": settings.SITE_URL + reverse("tables:my_table", args=[gathering.pk]),
    })
    return dict(
        key=(f"tables:seat:{plan.pk}:{user.pk}:{seat.table.number}" if changed
             else f"tables:published:{plan.pk}:{user.pk}"),
        kind="plan_published",
        to=user.email,
        subject=rendered.subject,
        body_text=rendered.body_text,
        body_html=rendered.body_html,
        user=user,
        topic=Topic.PLAN_PUBLISHED,
        language=rendered.language,
    )
