"""The emails a gathering sends: RSVP confirmation, waiting list, promotion, cancellation, reminder.

Who may refuse which: the answers to what the person just did (a seat taken, the waiting list
joined or left) are the topic « Confirmations de mes inscriptions »; the reminder is « Rappels avant
une rencontre ». The news about a seat they hold (one freed for them, the gathering changed or
cancelled) is always sent, and says so in its footer, beside the preferences link.

Each is rendered in the member's own language (not the language of whoever triggered it, e.g. an
organizer cancelling a seat) and stored in the outbox; the worker sends it. Keys make every email
idempotent: a retried transaction stores nothing new, a fresh confirmation after a cancellation does.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from tablee.gatherings.calendar import (
    attendee_sequence,
    gathering_ics,
    gathering_url,
    member_calendar_ics,
    rsvp_cancel_ics,
)
from tablee.gatherings.hooks import table_numbers
from tablee.gatherings.models import Gathering, Rsvp
from tablee.outbox.models import Email, Topic
from tablee.outbox.rendering import email_render_queue
from tablee.outbox.wayback import preferences_url, unsubscribe_keys_known
from tablee.text import french

TEMPLATES = "gatherings/email"

# Québec writes 7 h 30; English readers expect 7:30 a.m.
_DATE_FORMATS = {
    "fr-ca": ("l j F Y", "G \\h i"),
    "en": ("l, F j, Y", "g:i A"),
}


def queue_rsvp_confirmation(*, rsvp: Rsvp) -> Email | None:
    """A confirmed seat (with the invitation), or the place in the waiting list."""
    if rsvp.status == Rsvp.Status.CONFIRMED:
        return _queue(
            rsvp=rsvp,
            kind="rsvp_confirmed",
            key=f"rsvp-confirmed:{rsvp.pk}:{_stamp(rsvp.confirmed_at)}",
            with_ics=True,
            extra={"table_to_come": _table_to_come(rsvp)},
        )
    if rsvp.status == Rsvp.Status.WAITLISTED:
        from tablee.gatherings.selectors import waitlist_position

        return _queue(
            rsvp=rsvp,
            kind="rsvp_waitlisted",
            key=f"rsvp-waitlisted:{rsvp.pk}:{_stamp(rsvp.queued_at)}",
            extra={"position": waitlist_position(rsvp=rsvp)},
        )
    return None


def queue_waitlist_promotion(*, rsvp: Rsvp) -> Email:
    return _queue(
        rsvp=rsvp,
        kind="rsvp_promoted",
        key=f"rsvp-promoted:{rsvp.pk}:{_stamp(rsvp.confirmed_at)}",
        with_ics=True,
        extra={"table_to_come": _table_to_come(rsvp)},
    )


def _table_to_come(rsvp: Rsvp) -> bool:
    """The tables are already published and this seat has no table yet (a late RSVP, a promotion):
    the email says their table comes in an email of its own (the repair sends it, often the same
    second), never that they have one, nor that they have none."""
    numbers = table_numbers(gathering=rsvp.gathering)
    return bool(numbers) and rsvp.user_id not in numbers


# One person cancelling and taking the seat again in a loop gets at most this many cancellation
# emails a day for one gathering (their calendar state is still right: calendar.ics tells it).
CANCELLATIONS_PER_DAY = 3


def queue_rsvp_cancellation(*, rsvp: Rsvp, was_waitlisted: bool = False) -> Email | None:
    """A seat given up (or a place in line left): a short note with METHOD:CANCEL, so the calendar
    that got the invitation drops the event. A place in line left carries no CANCEL unless a
    (tentative) invitation reached them while they waited: none was sent with the waiting-list
    email, and a calendar would show a cancellation of nothing. Reusable for any one-person
    cancellation. None past the daily quota."""
    since = timezone.now() - timedelta(days=1)
    sent = Email.objects.filter(kind="rsvp_cancelled", key__startswith=f"rsvp-cancelled:{rsvp.pk}:",
                                created_at__gte=since).count()
    if sent >= CANCELLATIONS_PER_DAY:
        return None
    return _queue(
        rsvp=rsvp,
        kind="rsvp_cancelled",
        key=f"rsvp-cancelled:{rsvp.pk}:{_stamp(rsvp.cancelled_at)}",
        ics=rsvp_cancel_ics(rsvp=rsvp) if not was_waitlisted or _invited_while_waiting(rsvp) else b"",
        extra={"was_waitlisted": was_waitlisted},
    )


def _invited_while_waiting(rsvp: Rsvp) -> bool:
    """Whether a change of the gathering emailed this person a (tentative) invitation since they
    joined the waiting list (``queue_gathering_notices``)."""
    return (Email.objects.filter(user_id=rsvp.user_id, kind="gathering_changed", created_at__gte=rsvp.queued_at,
                                 key__startswith=f"gathering_changed:{rsvp.gathering_id}:")
            .exclude(ics="").exclude(status=Email.Status.SUPPRESSED).exists())


def queue_due_reminders(*, now: datetime | None = None) -> int:
    """Queue the reminder for gatherings starting within TABLEE_REMINDER_DAYS. Returns how many.

    Safe to call every minute: each confirmed seat gets one reminder per start time. People who
    took their seat after the reminder moment are skipped, they just got their confirmation.
    """
    now = now or timezone.now()
    days = settings.TABLEE_REMINDER_DAYS
    if days <= 0:
        return 0
    lead = timedelta(days=days)
    rsvps = [
        rsvp
        for rsvp in Rsvp.objects.filter(
            status=Rsvp.Status.CONFIRMED,
            gathering__state__in=(Gathering.State.OPEN, Gathering.State.CLOSED),
            gathering__starts_at__gt=now,
            gathering__starts_at__lte=now + lead,
        ).select_related("gathering__association", "user__profile")
        if rsvp.confirmed_at is None or rsvp.confirmed_at < rsvp.gathering.starts_at - lead
    ]
    keys = {rsvp.pk: f"reminder:{rsvp.pk}:{_stamp(rsvp.gathering.starts_at)}" for rsvp in rsvps}
    already = set(Email.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    due = [rsvp for rsvp in rsvps if keys[rsvp.pk] not in already]
    with unsubscribe_keys_known(pairs=[(rsvp.user.email, Topic.REMINDERS) for rsvp in due]):
        for rsvp in due:
            _queue(rsvp=rsvp, kind="reminder", key=keys[rsvp.pk], extra={"days": days})
    queued = len(due)
    if rsvps:
        # A queryset update leaves updated_at (and so the invitation's SEQUENCE) alone.
        Gathering.objects.filter(
            pk__in={rsvp.gathering_id for rsvp in rsvps}, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=now)
    return queued


def queue_gathering_notices(*, gathering: Gathering, before: dict | None = None) -> int:
    """The time or place changed, or the gathering is cancelled: tell everyone confirmed or waiting,
    with the updated invitation (same UID, the new SEQUENCE; METHOD:CANCEL for a cancellation).
    One email per person and version of the gathering, whatever the retries. Returns how many of
    them will really leave (a guest's undeliverable address is stored suppressed)."""
    kind = "gathering_cancelled" if gathering.state == Gathering.State.CANCELLED else "gathering_changed"
    rsvps = (
        Rsvp.objects.filter(gathering=gathering, status__in=(Rsvp.Status.CONFIRMED, Rsvp.Status.WAITLISTED))
        .select_related("user__profile", "gathering__association")
    )
    count = 0
    for rsvp in rsvps:
        rsvp.gathering = gathering
        # Each person's own view of the event: a seat is an invitation, the waiting list TENTATIVE,
        # a cancelled gathering a CANCEL (same UID, the gathering's new SEQUENCE).
        extra = _what_it_was(gathering, before, _language_of(rsvp.user)) if kind == "gathering_changed" else {}
        extra["waitlisted"] = rsvp.status == Rsvp.Status.WAITLISTED  # no seat to free: their own wording
        email = _queue(rsvp=rsvp, kind=kind, key=f"{kind}:{gathering.pk}:{gathering.sequence}:{rsvp.user_id}",
                       ics=member_calendar_ics(gathering=gathering, user=rsvp.user), extra=extra)
        count += email.status != Email.Status.SUPPRESSED
    return count


def _what_it_was(gathering: Gathering, before: dict | None, language: str) -> dict:
    """The time and place a change replaced, for « Avant : … » (only what changed)."""
    if not before:
        return {}
    out: dict = {}
    starts_at, minutes = before.get("starts_at"), before.get("duration_minutes")
    if starts_at is not None and minutes is not None and (starts_at, minutes) != (
            gathering.starts_at, gathering.duration_minutes):
        was = Gathering(starts_at=starts_at, duration_minutes=minutes)
        out.update({f"was_{key}": value for key, value in _when(was, language).items()})
    if before.get("venue") and before["venue"] != gathering.venue:
        out["was_venue"] = before["venue"]
    return out


# The emails that can be refused, and under which topic; the others (a seat freed for the person,
# the gathering changed or cancelled) are always sent.
TOPICS = {
    "rsvp_confirmed": Topic.RSVP_CONFIRMATIONS,
    "rsvp_waitlisted": Topic.RSVP_CONFIRMATIONS,
    "rsvp_cancelled": Topic.RSVP_CONFIRMATIONS,
    "reminder": Topic.REMINDERS,
}


def _queue(
    *, rsvp: Rsvp, kind: str, key: str, with_ics: bool = False, ics: bytes = b"", extra: dict | None = None
) -> Email:
    gathering, user = rsvp.gathering, rsvp.user
    language = _language_of(user)
    return email_render_queue(
        key=key,
        kind=kind,
        to=user.email,
        user=user,
        ics=ics or (_invitation(rsvp) if with_ics else ""),
        topic=TOPICS.get(kind, ""),
        template=f"{TEMPLATES}/{kind}",
        language=language,
        context={
            "user": user,
            "name": user.first_name or user.email,
            "gathering": gathering,
            "association": gathering.association,
            "url": gathering_url(gathering),
            "mine_url": settings.SITE_URL + reverse("gatherings:mine"),
            "preferences_url": preferences_url(),
            "site_url": settings.SITE_URL,
            **_when(gathering, language),
            **(extra or {}),
        },
    )


def _invitation(rsvp: Rsvp) -> bytes:
    # A seat taken again after a cancellation supersedes the CANCEL the calendar got.
    return gathering_ics(gathering=rsvp.gathering, attendee=rsvp.user, sequence=attendee_sequence(rsvp))


def _language_of(user) -> str:
    profile = getattr(user, "profile", None)
    language = getattr(profile, "preferred_language", "") or settings.LANGUAGE_CODE
    return language if language in _DATE_FORMATS else settings.LANGUAGE_CODE


def _when(gathering: Gathering, language: str) -> dict:
    """The date and hours written out in ``language`` (its day and month names)."""
    date_pattern, time_pattern = _DATE_FORMATS[language]
    # The gathering's own clock, whatever zone the request that queued the email had activated.
    tz = ZoneInfo(settings.TIME_ZONE)
    start = gathering.starts_at.astimezone(tz)
    end = gathering.ends_at.astimezone(tz)
    with translation.override(language):  # French as Québec writes it: « 1er septembre », « 12 h »
        return {
            "date": french.dates_in(language, date_format(start, date_pattern)),
            "start_time": french.dates_in(language, date_format(start, time_pattern)),
            "end_time": french.dates_in(language, date_format(end, time_pattern)),
        }


def _stamp(moment: datetime | None) -> str:
    return f"{moment.timestamp():.6f}" if moment is not None else "none"
