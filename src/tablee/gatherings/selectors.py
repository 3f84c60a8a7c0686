"""Reads for gatherings and RSVPs. Visibility comes from tablee.gatherings.access."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from tablee.gatherings.access import visible_gatherings, visible_to
from tablee.gatherings.models import Gathering, Rsvp
from tablee.members.models import Association, Membership, User
from tablee.outbox.selectors import reachable
from tablee.prepared import Prepared
from tablee.text.fold import fold


def gathering_counts(*, gathering: Gathering) -> dict:
    counts = Rsvp.objects.filter(gathering_id=gathering.pk).aggregate(
        confirmed=Count("pk", filter=Q(status=Rsvp.Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=Rsvp.Status.WAITLISTED)),
    )
    counts["seats_left"] = max(gathering.capacity - counts["confirmed"], 0)
    return counts


def waitlist_position(*, rsvp: Rsvp | None) -> int | None:
    """1 for the first person waiting; None when not waiting."""
    if rsvp is None or rsvp.status != Rsvp.Status.WAITLISTED:
        return None
    ahead = Rsvp.objects.filter(gathering_id=rsvp.gathering_id, status=Rsvp.Status.WAITLISTED).filter(
        Q(queued_at__lt=rsvp.queued_at) | Q(queued_at=rsvp.queued_at, pk__lt=rsvp.pk)
    )
    return ahead.count() + 1


# A change to these (the time or the place) is told to everyone holding or awaiting a seat.
NOTICE_FIELDS = ("starts_at", "duration_minutes", "venue")
NOTICE_CANCELLED, NOTICE_CHANGED = "gathering_cancelled", "gathering_changed"


def changed(new, old) -> bool:
    """A time counts to the minute: an edit form sends minutes, and an unchanged form is no change."""
    if isinstance(new, datetime) and isinstance(old, datetime):
        return new.replace(second=0, microsecond=0) != old.replace(second=0, microsecond=0)
    return new != old


def change_notice(*, gathering: Gathering, changes: dict, now: datetime | None = None) -> str | None:
    """The email ``changes`` to ``gathering`` would send to everyone holding or awaiting a seat:
    ``NOTICE_CANCELLED`` (it becomes cancelled), ``NOTICE_CHANGED`` (its time or place moves, and it
    is still to come) or None. ``gathering_update`` decides with it; the edit form asks the
    organizer to confirm before any email leaves."""
    state = changes.get("state", gathering.state)
    if state == Gathering.State.CANCELLED:
        return NOTICE_CANCELLED if gathering.state != Gathering.State.CANCELLED else None
    moved = any(name in changes and changed(changes[name], getattr(gathering, name)) for name in NOTICE_FIELDS)
    starts_at = changes.get("starts_at", gathering.starts_at)
    return NOTICE_CHANGED if moved and starts_at > (now or timezone.now()) else None


def notice_recipients(*, gathering: Gathering) -> int:
    """How many people a notice about ``gathering`` reaches: those holding or awaiting a seat,
    except a guest let in by name (no address; the outbox suppresses it)."""
    addresses = Rsvp.objects.filter(gathering_id=gathering.pk, status__in=(Rsvp.Status.CONFIRMED,
                                                                          Rsvp.Status.WAITLISTED))
    return len(reachable(addresses=addresses.values_list("user__email", flat=True)))


def my_rsvp(*, gathering: Gathering, user) -> Rsvp | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Rsvp.objects.filter(gathering_id=gathering.pk, user_id=user.pk).first()


def _with_my_status(queryset: QuerySet[Gathering], user_id: int) -> QuerySet[Gathering]:
    """With ``my_status`` and ``my_present`` (the person's RSVP, None without one) and the two
    counts, as subqueries on the person's id (so a prepared query can hold them)."""
    mine = Rsvp.objects.filter(gathering_id=OuterRef("pk"), user_id=user_id)
    return queryset.select_related("association").annotate(
        my_status=Subquery(mine.values("status")[:1]),
        my_present=Subquery(mine.values("present")[:1]),
        confirmed_count=_rsvp_count(Rsvp.Status.CONFIRMED),
        waitlisted_count=_rsvp_count(Rsvp.Status.WAITLISTED),
    )


def _start_of_today() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def _rsvp_count(status: str) -> Coalesce:
    per_gathering = (Rsvp.objects.filter(gathering_id=OuterRef("pk"), status=status).order_by()
                     .values("gathering_id").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(per_gathering), 0)


def _cards(user_id: int) -> QuerySet[Gathering]:
    """The gatherings the person sees, with only what a card shows (``_with_my_status``)."""
    return _with_my_status(visible_to(user_id).only(*_CARD_FIELDS), user_id)


_CARD_FIELDS = ("association__name", "title", "starts_at", "duration_minutes", "venue", "tables", "seats_per_table",
                "state", "rsvp_deadline")
PAST_LIMIT = 20
_NOT_DONE = [state for state in Gathering.State.values if state != Gathering.State.DONE]
# The member's page runs these on every visit: compiled once per connection (tablee.prepared).
_UPCOMING = Prepared(
    lambda user_id, today: _cards(user_id).filter(starts_at__gte=today, state__in=_NOT_DONE)
    .order_by("starts_at", "pk"),
    user_id=int, today=datetime,
)
# Past: only the ones I had a seat at. A newcomer is not shown a year of gatherings before her time.
_PAST = Prepared(
    lambda user_id, today: _cards(user_id).filter(
        Q(starts_at__lt=today) | Q(state=Gathering.State.DONE),
        pk__in=Rsvp.objects.filter(user_id=user_id, status=Rsvp.Status.CONFIRMED).values("gathering_id"),
    ).order_by("-starts_at", "-pk")[:PAST_LIMIT],
    user_id=int, today=datetime,
)


def my_gatherings(*, user) -> tuple[list[Gathering], list[Gathering]]:
    """Upcoming (from today on, soonest first) and past (before today or marked done, latest first,
    at most ``PAST_LIMIT``, only those where the user held a seat) gatherings of the user's
    associations, each with ``my_status``, ``my_present`` and the counts of ``_with_my_status``."""
    if not getattr(user, "is_authenticated", False):
        return [], []
    today = _start_of_today()
    return _UPCOMING(user_id=user.pk, today=today), _PAST(user_id=user.pk, today=today)


def gatherings_of_association(*, association: Association, user) -> QuerySet[Gathering]:
    qs = visible_gatherings(user).filter(association=association)
    return _with_my_status(qs, user.pk).order_by("starts_at", "pk")


def attendees(*, gathering: Gathering) -> list[Rsvp]:
    """Confirmed people (in the order they got their seat), then the waiting list in order.

    Waiting RSVPs carry ``waitlist_position`` (1-based); confirmed ones have it set to None.
    """
    base = Rsvp.objects.filter(gathering_id=gathering.pk).select_related("user", "user__profile")
    confirmed = list(base.filter(status=Rsvp.Status.CONFIRMED).order_by("confirmed_at", "queued_at", "pk"))
    waiting = list(base.filter(status=Rsvp.Status.WAITLISTED).order_by("queued_at", "pk"))
    for rsvp in confirmed:
        rsvp.waitlist_position = None
    for position, rsvp in enumerate(waiting, start=1):
        rsvp.waitlist_position = position
    return confirmed + waiting


def member_by_email(*, association: Association, email: str) -> User | None:
    """A member (any role) of the association with this email, case-insensitive."""
    membership = (
        Membership.objects.filter(association=association, user__email__iexact=email.strip())
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def member_by_id(*, association: Association, user_id) -> User | None:
    """An active member (any role) of the association, by account id; None for anything else."""
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        return None
    membership = Membership.objects.filter(association=association, user_id=pk).select_related("user").first()
    return membership.user if membership else None


WALKIN_CANDIDATES = 8


def walkin_candidates(*, gathering: Gathering, query: str) -> list[User]:
    """At the door: the association's active members whose name, email or organization holds every
    typed word, without a confirmed seat yet (those are on the check-in list). At most a few: the
    organizer types more to narrow it down. Accents and case do not matter."""
    words = fold(query).split()
    if not words:
        return []
    seated = Rsvp.objects.filter(gathering_id=gathering.pk, status=Rsvp.Status.CONFIRMED).values("user_id")
    # A first narrowing in SQL on the longest word's letters would miss accents: filter in Python,
    # an association holds a few thousand members at most.
    members = (User.objects.filter(memberships__association_id=gathering.association_id,
                                   memberships__deactivated_at__isnull=True)
               .exclude(pk__in=seated).select_related("profile"))
    found = []
    for user in members.iterator(chunk_size=500):
        profile = getattr(user, "profile", None)
        organization = profile.organization if profile is not None else ""
        if all(w in fold(f"{user.first_name} {user.last_name} {user.email} {organization}") for w in words):
            found.append(user)
    found.sort(key=lambda u: (fold(u.first_name), fold(u.last_name), u.pk))
    return found[:WALKIN_CANDIDATES]


def last_attended(*, association, user_ids: list[int]) -> dict[int, tuple[str, datetime]]:
    """For the organizer's members page: each person's last past gathering of the association where
    they held a confirmed seat and were not marked absent. {user_id: (title, starts_at)}."""
    rows = (
        Rsvp.objects.filter(
            gathering__association=association, user_id__in=user_ids, status=Rsvp.Status.CONFIRMED,
            gathering__starts_at__lt=timezone.now(),
        )
        .exclude(present=False)
        .order_by("user_id", "-gathering__starts_at")
        .values_list("user_id", "gathering__title", "gathering__starts_at")
    )
    found: dict[int, tuple[str, datetime]] = {}
    for user_id, title, starts_at in rows:
        found.setdefault(user_id, (title, starts_at))
    return found


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
            email = rsvp.user.address_shown  # a guest's address is nobody's, a deleted account's is gone
            return fold(f"{rsvp.user.first_name} {rsvp.user.last_name} {email} {organization}")

        people = [r for r in people if all(word in haystack(r) for word in words)]
    return sorted(people, key=lambda r: (fold(r.user.first_name), fold(r.user.last_name), r.pk))


# The door opens this long before the start: people come early, and the organizer sets up the list.
CHECKIN_OPENS_BEFORE = timedelta(hours=3)


def checkin_window(*, gathering: Gathering) -> tuple[datetime, datetime]:
    """When the door is open: from ``CHECKIN_OPENS_BEFORE`` the start to the end of the gathering's
    day on the association's clock (``TIME_ZONE``), or to its end if it runs past midnight."""
    zone = ZoneInfo(settings.TIME_ZONE)
    day = gathering.starts_at.astimezone(zone).date()
    midnight = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return gathering.starts_at - CHECKIN_OPENS_BEFORE, max(midnight, gathering.ends_at)


def checkin_state(*, gathering: Gathering, now: datetime | None = None) -> str:
    """``early`` (the door opens later), ``open``, ``closed`` (the day is over) or ``cancelled``."""
    if gathering.state == Gathering.State.CANCELLED:
        return "cancelled"
    now = now or timezone.now()
    opens, closes = checkin_window(gathering=gathering)
    if now < opens:
        return "early"
    return "open" if now < closes else "closed"


def checkin_counts(*, gathering: Gathering) -> dict:
    confirmed = Rsvp.objects.filter(gathering_id=gathering.pk, status=Rsvp.Status.CONFIRMED)
    return {
        "confirmed": confirmed.count(),
        "present": confirmed.filter(present=True).count(),
        "absent": confirmed.filter(present=False).count(),
    }
