"""Reads the pages need on top of the gatherings selectors."""

from __future__ import annotations

import unicodedata

from tablee.gatherings.models import Gathering, Rsvp
from tablee.gatherings.selectors import attendees


def fold(text: str) -> str:
    """Lower case without accents, so « helene » finds Hélène on a phone keyboard."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def checkin_people(*, gathering: Gathering, query: str = "") -> list[Rsvp]:
    """Confirmed people, by first name, whose name, email or organization contains every typed word.

    Filtered in Python: a gathering holds at most a few hundred people, and SQLite cannot compare
    accented letters without case.
    """
    people = [r for r in attendees(gathering=gathering) if r.status == Rsvp.Status.CONFIRMED]
    words = fold(query).split()
    if words:
        def haystack(rsvp: Rsvp) -> str:
            profile = getattr(rsvp.user, "profile", None)
            organization = profile.organization if profile is not None else ""
            return fold(f"{rsvp.user.first_name} {rsvp.user.last_name} {rsvp.user.email} {organization}")

        people = [r for r in people if all(word in haystack(r) for word in words)]
    return sorted(people, key=lambda r: (fold(r.user.first_name), fold(r.user.last_name), r.pk))


def checkin_counts(*, gathering: Gathering) -> dict:
    confirmed = Rsvp.objects.filter(gathering_id=gathering.pk, status=Rsvp.Status.CONFIRMED)
    return {
        "confirmed": confirmed.count(),
        "present": confirmed.filter(present=True).count(),
        "absent": confirmed.filter(present=False).count(),
    }
