"""Calendar invitations (.ics, RFC 5545) for gatherings."""

from __future__ import annotations

from datetime import date
from email.utils import parseaddr
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress

from tablee.gatherings.models import Gathering, Rsvp

PRODID = "-//Tablée//Tablée//FR"


def gathering_uid(gathering: Gathering) -> str:
    """The same UID in every invitation for this gathering, so calendars update instead of duplicating."""
    host = urlsplit(settings.SITE_URL).hostname or "tablee.local"
    return f"gathering-{gathering.pk}@tablee.{host}"


def gathering_url(gathering: Gathering) -> str:
    return settings.SITE_URL + reverse("gatherings:detail", args=[gathering.pk])


def gathering_sequence(gathering: Gathering) -> int:
    """One more each time the title, time or place changes or the gathering is cancelled
    (``gathering_update`` counts it), so clients apply the change."""
    return gathering.sequence


def attendee_sequence(rsvp: Rsvp) -> int:
    """SEQUENCE of a message to one attendee: the gathering's own plus how many times their answer
    changed. Both only grow, so a cancellation supersedes the invitation before it, and a seat
    taken again supersedes the cancellation."""
    return gathering_sequence(rsvp.gathering) + rsvp.calendar_version


def gathering_ics(
    *,
    gathering: Gathering,
    attendee=None,
    method: str | None = None,
    status: str | None = None,
    partstat: str = "ACCEPTED",
    sequence: int | None = None,
) -> bytes:
    """An invitation (METHOD:REQUEST) for one attendee, or a plain calendar entry (PUBLISH).

    ``method``, ``status`` and ``partstat`` let the same event say CANCEL (a seat given up) or
    TENTATIVE (waiting list); the UID never changes, so a calendar updates the one event.
    """
    tz = ZoneInfo(settings.TIME_ZONE)
    start = gathering.starts_at.astimezone(tz)
    end = gathering.ends_at.astimezone(tz)
    cancelled = gathering.state == Gathering.State.CANCELLED

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # To an attendee of a cancelled gathering: CANCEL, and their calendar drops the event.
    cal.add("method", method or ("PUBLISH" if attendee is None else ("CANCEL" if cancelled else "REQUEST")))

    event = Event()
    event.add("uid", gathering_uid(gathering))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("sequence", gathering_sequence(gathering) if sequence is None else sequence)
    event.add("summary", gathering.title)
    if gathering.venue:
        event.add("location", gathering.venue)
    url = gathering_url(gathering)
    event.add("url", url)
    event.add("description", f"{gathering.association.name}\n{url}")
    event.add("status", "CANCELLED" if cancelled else (status or "CONFIRMED"))
    event.add("transp", "TRANSPARENT" if cancelled or status in ("CANCELLED", "TENTATIVE") else "OPAQUE")

    organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = gathering.association.name
    event.add("organizer", organizer)
    if attendee is not None:
        person = vCalAddress(f"mailto:{attendee.email}")
        person.params["cn"] = attendee.get_full_name() or attendee.email
        person.params["role"] = "REQ-PARTICIPANT"
        # They answered on Tablée already: the calendar shows their answer, no reply asked.
        person.params["partstat"] = partstat
        person.params["rsvp"] = "FALSE"
        event.add("attendee", person)

    cal.add_component(_vtimezone(settings.TIME_ZONE, start.year))
    cal.add_component(event)
    return cal.to_ical()


def rsvp_cancel_ics(*, rsvp: Rsvp) -> bytes:
    """METHOD:CANCEL for one person who gave up their seat or left the waiting list: their calendar
    drops the event (same UID, a higher SEQUENCE than any invitation they got before)."""
    return gathering_ics(gathering=rsvp.gathering, attendee=rsvp.user, method="CANCEL", status="CANCELLED",
                         partstat="DECLINED", sequence=attendee_sequence(rsvp))


def member_calendar_ics(*, gathering: Gathering, user) -> bytes:
    """The invitation emailed to one member (a notice of a new time or place, a cancellation),
    telling their real status: a confirmed seat is an accepted
    invitation; the waiting list is TENTATIVE; a cancelled seat is a CANCEL; without a seat, a
    TENTATIVE entry they may add (no invitation, no attendee)."""
    rsvp = Rsvp.objects.filter(gathering_id=gathering.pk, user_id=user.pk).first()
    if rsvp is None:
        return gathering_ics(gathering=gathering, method="PUBLISH", status="TENTATIVE")
    rsvp.gathering, rsvp.user = gathering, user
    if rsvp.status == Rsvp.Status.CONFIRMED:
        return gathering_ics(gathering=gathering, attendee=user, sequence=attendee_sequence(rsvp))
    if rsvp.status == Rsvp.Status.WAITLISTED:
        return gathering_ics(gathering=gathering, attendee=user, status="TENTATIVE", partstat="TENTATIVE",
                             sequence=attendee_sequence(rsvp))
    return rsvp_cancel_ics(rsvp=rsvp)


def member_calendar_download(*, gathering: Gathering, user) -> bytes:
    """``calendar.ics`` as a member downloads it (page or API): a published entry (METHOD:PUBLISH,
    RFC 5546 §3.2.1), not an invitation. REQUEST belongs to the invitations emailed with an organizer
    and an attendee (``member_calendar_ics``); a file opened from a download has no one to answer
    to, and some calendars ask the person to reply to a REQUEST. No ATTENDEE (PUBLISH forbids it);
    the STATUS tells the member's own status: CONFIRMED for a seat, TENTATIVE on the waiting list
    or without a seat, CANCELLED once they gave it up or the gathering was cancelled. Same UID and
    the SEQUENCE of their last emailed invitation, so a calendar updates the one event."""
    rsvp = Rsvp.objects.filter(gathering_id=gathering.pk, user_id=user.pk).first()
    if rsvp is None:
        return gathering_ics(gathering=gathering, method="PUBLISH", status="TENTATIVE")
    rsvp.gathering, rsvp.user = gathering, user
    statuses: dict[str, str] = {Rsvp.Status.CONFIRMED: "CONFIRMED", Rsvp.Status.WAITLISTED: "TENTATIVE"}
    status = statuses.get(rsvp.status, "CANCELLED")
    return gathering_ics(gathering=gathering, method="PUBLISH", status=status, sequence=attendee_sequence(rsvp))


@lru_cache(maxsize=32)
def _vtimezone(tzid: str, year: int) -> Timezone:
    # Only the rules around the event: the full history of a zone is kilobytes of noise, and
    # computing it takes a noticeable fraction of a second.
    return Timezone.from_tzid(tzid, first_date=date(year - 1, 1, 1), last_date=date(year + 1, 12, 31))
