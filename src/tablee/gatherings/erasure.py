"""Account deletion, gatherings' part: attendance stays, as the anonymous ghost's; the private
calendar feed goes."""

from __future__ import annotations

from tablee.gatherings.models import CalendarFeed, Rsvp


def erase(*, user, ghost) -> dict[str, int]:
    return {
        "calendar_feed": CalendarFeed.objects.filter(user=user).delete()[0],
        "attendance_kept_anonymously": Rsvp.objects.filter(user=user).update(user=ghost),
    }
