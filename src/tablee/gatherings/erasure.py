"""Account deletion, gatherings' part: past attendance stays, as the anonymous ghost's; seats and
places in line for gatherings to come are given up (the first person waiting gets the seat, a
published plan is repaired); the private calendar feed goes."""

from __future__ import annotations

from tablee.gatherings.models import CalendarFeed, Rsvp
from tablee.gatherings.services import rsvps_give_up_upcoming


def erase(*, user, ghost) -> dict[str, int]:
    return {
        "calendar_feed": CalendarFeed.objects.filter(user=user).delete()[0],
        "upcoming_seats_given_up": rsvps_give_up_upcoming(user=user),
        "attendance_kept_anonymously": Rsvp.objects.filter(user=user).update(user=ghost),
    }
