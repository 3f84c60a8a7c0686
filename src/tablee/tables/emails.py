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


# A repair or the organizer's moves may give one person a new table several times before the
# gathering: each new table is emailed, up to this many per person and plan (moving someone back and
# forth cannot flood them); « Ma tablée » always shows the table of the moment.
TABLE_EMAILS_PER_PERSON = 5


def _told_prefix(plan: Plan, user_id: int) -> str:
    """The key prefix of the new tables emailed to one person for one plan (the cap counts them)."""
    return f"tables:seat:{plan.pk}:{user_id}:"


def queue_table_changed(*, plan: Plan, seat: Seat, moved: bool = True):
    """Queue "your table" for a person a repair seated or moved, or the organizer moved, on a
    published plan: once per new table (never the table their last such email gave), at most
    ``TABLE_EMAILS_PER_PERSON`` per plan. ``moved``: they had another table on this plan (the email
    says their table changed); not for a late sign-up seated for the first time. Returns the email,
    or None when none is due."""
    from tablee.outbox.models import Email
    from tablee.outbox.services import email_queue

    prefix = _told_prefix(plan, seat.user_id)
    told = list(Email.objects.filter(key__startswith=prefix).order_by("-pk").values_list("key", flat=True))
    number = str(seat.table.number)
    if told and told[0].removeprefix(prefix).split(":")[0] == number:
        return None  # this is the table they were told last
    if len(told) >= TABLE_EMAILS_PER_PERSON:
        return None
    key = prefix + number
    if key in told:  # back at a table they were told earlier: a new email, a new key
        key = f"{key}:{len(told) + 1}"
    return email_queue(**dict(render_plan_published(plan=plan, seat=seat, changed=True, moved=moved), key=key))


def table_emails_spent(*, plan: Plan, user_ids: list[int] | set[int]) -> set[int]:
    """Those of ``user_ids`` who had ``TABLE_EMAILS_PER_PERSON`` new tables emailed for ``plan``
    already: a new change reaches them in « Ma tablée » only (``queue_table_changed`` sends none).
    One query for the whole plan (the publish box asks it for everyone whose table changed)."""
    from collections import Counter

    from tablee.outbox.models import Email

    wanted = {str(user_id) for user_id in user_ids}
    if not wanted:
        return set()
    prefix = f"tables:seat:{plan.pk}:"
    told = Counter(key.removeprefix(prefix).split(":")[0]
                   for key in Email.objects.filter(key__startswith=prefix).values_list("key", flat=True))
    return {int(user_id) for user_id in wanted if told[user_id] >= TABLE_EMAILS_PER_PERSON}


def render_plan_published(*, plan: Plan, seat: Seat, changed: bool = False, moved: bool = False) -> dict:
    """The email "your table" for one seated person, ready for ``email_queue`` (reads only: publishing
    renders the 240 emails of a big breakfast before it takes the write lock). ``moved``: they were
    told another table before, and the email says that their table changed."""
    from tablee.outbox.models import Topic
    from tablee.outbox.rendering import render_email

    user = seat.user
    profile = getattr(user, "profile", None)
    language = profile.preferred_language if profile else settings.LANGUAGE_CODE
    gathering = plan.gathering
    with translation.override(language):
        mine = selectors.my_table(gathering=gathering, user=user, language=language)
        at_event = french.at_event(gathering.title, language=language)
        if moved:
            subject = _("Nouvelle table %(at_event)s : table %(number)s") % {
                "at_event": at_event, "number": seat.table.number}
        else:
            subject = _("Votre table %(at_event)s : table %(number)s") % {
                "at_event": at_event, "number": seat.table.number}
    rendered = render_email(template="tables/email/plan_published", language=language, subject=subject, context={
        "user": user,
        "gathering": gathering,
        "association": gathering.association,
        "mine": mine,
        "moved": moved,
        "at_event": at_event,
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
