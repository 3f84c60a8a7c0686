"""Writes for series, gatherings and RSVPs.

Seats are never kept in a counter: every write that can change who holds a seat locks the
gathering row, counts the confirmed RSVPs, then writes, all in one transaction (lock → re-check →
write → commit). On PostgreSQL ``select_for_update()`` serialises writers on the gathering row; on
SQLite the settings open every transaction with ``BEGIN IMMEDIATE``, which takes the database write
lock before the count is read. Either way two requests never both see the last free seat.
"""

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tablee.gatherings.models import Gathering, Rsvp, Series
from tablee.gatherings.selectors import change_notice, changed
from tablee.gatherings.signals import announce_seats_changed
from tablee.members.models import Association
from tablee.members.services import guest_create
from tablee.text import french

# Only the concurrency control test switches this off, to prove that without the guard the race
# really overbooks (so the guarded test can fail). Never change it in application code.
RSVP_GUARD = True
UNGUARDED_PAUSE_SECONDS = 0.05

GATHERING_FIELDS = frozenset(
    {"title", "starts_at", "duration_minutes", "venue", "tables", "seats_per_table", "rsvp_deadline", "state"}
)
ACTIVE = (Rsvp.Status.CONFIRMED, Rsvp.Status.WAITLISTED)
# A change to these is a new version of the calendar event (SEQUENCE + 1); a change of the time or
# the place (``selectors.NOTICE_FIELDS``) is also told to everyone holding or awaiting a seat.
CALENDAR_FIELDS = ("title", "starts_at", "duration_minutes", "venue")


class RsvpError(Exception):
    """The RSVP cannot be changed now (closed, past the deadline, started…). The message is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _lock(gathering: Gathering) -> Gathering:
    return Gathering.objects.select_for_update().get(pk=gathering.pk)


def _confirmed_count(gathering: Gathering) -> int:
    return Rsvp.objects.filter(gathering_id=gathering.pk, status=Rsvp.Status.CONFIRMED).count()


def _promote_waiting(gathering: Gathering, *, now: datetime) -> list[Rsvp]:
    """Fill free seats from the waiting list, first come first served. Call with the gathering locked."""
    free = gathering.capacity - _confirmed_count(gathering)
    if free <= 0:  # pragma: no mutate (equivalent, docs/testing.md)
        return []
    promoted = list(
        Rsvp.objects.select_for_update()
        .filter(gathering_id=gathering.pk, status=Rsvp.Status.WAITLISTED)
        .order_by("queued_at", "pk")[:free]
    )
    for rsvp in promoted:
        rsvp.status = Rsvp.Status.CONFIRMED
        rsvp.confirmed_at = now
        rsvp.calendar_version += 1
        rsvp.save(update_fields=["status", "confirmed_at", "calendar_version", "updated_at"])  # pragma: no mutate (equivalent, docs/testing.md)
        rsvp.gathering = gathering

    if promoted:
        from tablee.gatherings.emails import queue_waitlist_promotion

        for rsvp in promoted:
            queue_waitlist_promotion(rsvp=rsvp)
        announce_seats_changed(gathering.pk)
    return promoted


def _check_can_rsvp(gathering: Gathering, *, now: datetime) -> None:
    if gathering.state != Gathering.State.OPEN:
        raise RsvpError(_("Les inscriptions à cette rencontre sont fermées."))
    if gathering.starts_at <= now:
        raise RsvpError(_("Cette rencontre est déjà commencée."))
    if gathering.rsvp_deadline is not None and gathering.rsvp_deadline <= now:
        raise RsvpError(_("La date limite d'inscription est passée."))


def _refuse_if_cancelled(gathering: Gathering) -> None:
    if gathering.state == Gathering.State.CANCELLED:
        raise RsvpError(_("Cette rencontre est annulée : aucune place n'est retenue."))


# ---------------------------------------------------------------------------------------------
# Gatherings and series


def gathering_create(
    *,
    association: Association,
    title: str,
    starts_at: datetime,
    duration_minutes: int = 120,
    venue: str = "",
    tables: int = 6,
    seats_per_table: int = 6,
    rsvp_deadline: datetime | None = None,
    state: str = Gathering.State.OPEN,
    series: Series | None = None,
) -> Gathering:
    gathering = Gathering(
        association=association,
        series=series,
        title=title,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        venue=venue,
        tables=tables,
        seats_per_table=seats_per_table,
        rsvp_deadline=rsvp_deadline,
        state=state,
    )
    gathering.full_clean()
    gathering.save()
    return gathering


@dataclass(frozen=True)
class GatheringChange:
    """What ``gathering_update`` did: the gathering as saved, the notice it sent
    (``selectors.NOTICE_CANCELLED``, ``selectors.NOTICE_CHANGED`` or None) and to how many people
    that notice goes (a guest with no address is not counted)."""

    gathering: Gathering
    notice: str | None = None
    notified: int = 0


def gathering_update(*, gathering: Gathering, **fields) -> GatheringChange:
    """Change a gathering. Capacity never drops below the confirmed count; a larger one fills from the waiting list.

    Cancelling it, or moving its time or place while it is still to come, emails everyone holding or
    awaiting a seat (``selectors.change_notice``): pages ask the organizer to confirm first."""
    unknown = set(fields) - GATHERING_FIELDS
    if unknown:
        raise ValueError(f"cannot update {sorted(unknown)}")
    notified = 0
    with transaction.atomic():
        locked = _lock(gathering)
        before = {name: getattr(locked, name) for name in (*CALENDAR_FIELDS, "state")}
        notice = change_notice(gathering=locked, changes=fields)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean()
        if (locked.state == Gathering.State.DONE and before["state"] != Gathering.State.DONE
                and locked.starts_at > timezone.now()):
            # « Terminée » opens the cards and follow-ups to everyone: not before the gathering begins.
            raise ValidationError({"state": _("Une rencontre ne peut être marquée terminée qu'une fois commencée.")})
        confirmed = _confirmed_count(locked)
        if locked.capacity < confirmed:
            raise ValidationError(
                {
                    "tables": _(
                        "Déjà %(confirmed)d places confirmées : la capacité ne peut pas descendre à %(capacity)d."
                    )
                    % {"confirmed": confirmed, "capacity": locked.capacity}
                }
            )
        cancelled = locked.state == Gathering.State.CANCELLED and before["state"] != Gathering.State.CANCELLED
        if cancelled or any(changed(getattr(locked, name), before[name]) for name in CALENDAR_FIELDS):
            locked.sequence += 1
        locked.save()
        if locked.state == Gathering.State.OPEN:
            _promote_waiting(locked, now=timezone.now())
        if notice is not None:
            from tablee.gatherings.emails import queue_gathering_notices

            notified = queue_gathering_notices(gathering=locked, before=before)
    for name in (*GATHERING_FIELDS, "updated_at", "sequence"):
        setattr(gathering, name, getattr(locked, name))
    return GatheringChange(gathering=gathering, notice=notice, notified=notified)


def gathering_cancel(*, gathering: Gathering) -> GatheringChange:
    """Cancel a gathering: everyone confirmed or waiting receives the cancellation (METHOD:CANCEL)."""
    if gathering.state == Gathering.State.DONE:
        raise ValidationError({"state": _("Une rencontre terminée ne peut pas être annulée.")})
    return gathering_update(gathering=gathering, state=Gathering.State.CANCELLED)


def series_dates(*, frequency: str, weekday: int, week_of_month: int, first_date: date, count: int) -> list[date]:
    """The first ``count`` dates of the rhythm on or after ``first_date``."""
    if count < 1:
        return []
    if frequency == Series.Frequency.WEEKLY:
        start = first_date + timedelta(days=(weekday - first_date.weekday()) % 7)
        return [start + timedelta(weeks=i) for i in range(count)]
    dates: list[date] = []
    year, month = first_date.year, first_date.month
    while len(dates) < count:
        days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
        index = -1 if week_of_month == -1 else week_of_month - 1
        if index < len(days):
            candidate = days[index]
            if candidate >= first_date:
                dates.append(candidate)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


def series_create(
    *,
    association: Association,
    title: str,
    weekday: int,
    week_of_month: int,
    start_time: dtime,
    first_date: date,
    count: int,
    duration_minutes: int = 120,
    venue: str = "",
    tables: int = 6,
    seats_per_table: int = 6,
    rsvp_deadline_hours: int = 24,
    frequency: str = Series.Frequency.MONTHLY_NTH_WEEKDAY,
    state: str = Gathering.State.OPEN,
) -> tuple[Series, list[Gathering]]:
    """A series and its first ``count`` gatherings, at ``start_time`` local time (DST-aware)."""
    if not 1 <= count <= 60:
        raise ValidationError({"count": _("Une série compte de 1 à 60 rencontres.")})
    series = Series(
        association=association,
        title=title,
        frequency=frequency,
        weekday=weekday,
        week_of_month=week_of_month,
        start_time=start_time,
        duration_minutes=duration_minutes,
        venue=venue,
        tables=tables,
        seats_per_table=seats_per_table,
        rsvp_deadline_hours=rsvp_deadline_hours,
    )
    series.full_clean()
    if frequency == Series.Frequency.MONTHLY_NTH_WEEKDAY and week_of_month == 0:
        raise ValidationError({"week_of_month": _("Choisissez la 1re, 2e, 3e, 4e ou dernière semaine du mois.")})
    zone = ZoneInfo(settings.TIME_ZONE)
    with transaction.atomic():
        series.save()
        gatherings = []
        for day in series_dates(
            frequency=frequency, weekday=weekday, week_of_month=week_of_month, first_date=first_date, count=count
        ):
            starts_at = datetime.combine(day, start_time, tzinfo=zone)
            gatherings.append(
                gathering_create(
                    association=association,
                    series=series,
                    title=title,
                    starts_at=starts_at,
                    duration_minutes=duration_minutes,
                    venue=venue,
                    tables=tables,
                    seats_per_table=seats_per_table,
                    rsvp_deadline=starts_at - timedelta(hours=rsvp_deadline_hours),
                    state=state,
                )
            )
    return series, gatherings


# ---------------------------------------------------------------------------------------------
# RSVPs


def rsvp_create(*, gathering: Gathering, user) -> Rsvp:
    """Take a seat if one is free, else join the waiting list. Asking again changes nothing."""
    if not RSVP_GUARD:
        return _rsvp_create_unguarded(gathering=gathering, user=user)
    with transaction.atomic():
        locked = _lock(gathering)
        _refuse_if_cancelled(locked)  # before "asking again changes nothing": no seat is held any more
        # Read the clock only once the lock is held, so queue order is the order seats were decided.
        now = timezone.now()
        existing = Rsvp.objects.filter(gathering_id=locked.pk, user_id=user.pk).first()
        if existing is not None and existing.status in ACTIVE:
            return existing
        _check_can_rsvp(locked, now=now)
        confirmed = _confirmed_count(locked) < locked.capacity
        return _rsvp_write(locked, user, existing, confirmed=confirmed, now=now)


def _rsvp_create_unguarded(*, gathering: Gathering, user) -> Rsvp:
    """The race the guard prevents: count outside the lock, pause, then write. Tests only."""
    now = timezone.now()
    fresh = Gathering.objects.get(pk=gathering.pk)
    _refuse_if_cancelled(fresh)
    existing = Rsvp.objects.filter(gathering_id=fresh.pk, user_id=user.pk).first()
    if existing is not None and existing.status in ACTIVE:
        return existing
    _check_can_rsvp(fresh, now=now)
    confirmed = _confirmed_count(fresh) < fresh.capacity
    time.sleep(UNGUARDED_PAUSE_SECONDS)
    with transaction.atomic():
        return _rsvp_write(fresh, user, existing, confirmed=confirmed, now=now)


def _rsvp_write(gathering: Gathering, user, existing: Rsvp | None, *, confirmed: bool, now: datetime) -> Rsvp:
    status = Rsvp.Status.CONFIRMED if confirmed else Rsvp.Status.WAITLISTED
    rsvp = existing or Rsvp(gathering=gathering, user=user)  # pragma: no mutate (equivalent, docs/testing.md)
    rsvp.gathering = gathering
    rsvp.status = status
    # Coming back after a cancellation puts you at the end of the queue.
    rsvp.queued_at = now
    rsvp.confirmed_at = now if confirmed else None
    rsvp.cancelled_at = None
    rsvp.calendar_version += 1
    rsvp.save()

    from tablee.gatherings.emails import queue_rsvp_confirmation

    queue_rsvp_confirmation(rsvp=rsvp)
    if confirmed:
        announce_seats_changed(gathering.pk)
    return rsvp


def rsvp_cancel(*, gathering: Gathering, user) -> Rsvp | None:
    """Give up a seat or a place in line; a freed seat goes to the first person waiting."""
    with transaction.atomic():
        locked = _lock(gathering)
        now = timezone.now()
        rsvp = (
            Rsvp.objects.select_for_update()
            .filter(gathering_id=locked.pk, user_id=user.pk, status__in=ACTIVE)
            .first()
        )
        if rsvp is None:
            return None
        _refuse_if_cancelled(locked)  # nothing to give up, and no "seat cancelled" email to send
        if locked.starts_at <= now or locked.state == Gathering.State.DONE:
            raise RsvpError(_("Cette rencontre est déjà commencée."))
        was_waitlisted = _give_up(locked, rsvp, now=now)
        from tablee.gatherings.emails import queue_rsvp_cancellation

        queue_rsvp_cancellation(rsvp=rsvp, was_waitlisted=was_waitlisted)
        return rsvp


def _give_up(gathering: Gathering, rsvp: Rsvp, *, now: datetime) -> bool:
    """Cancel a locked active RSVP of a locked gathering still to come; a freed seat goes to the
    first person waiting. Returns whether it was a place in line."""
    was_waitlisted = rsvp.status == Rsvp.Status.WAITLISTED
    rsvp.status = Rsvp.Status.CANCELLED
    rsvp.cancelled_at = now
    rsvp.calendar_version += 1
    rsvp.save(update_fields=["status", "cancelled_at", "calendar_version", "updated_at"])  # pragma: no mutate (equivalent, docs/testing.md)
    if not was_waitlisted:
        announce_seats_changed(gathering.pk)
    if gathering.state != Gathering.State.DRAFT:
        _promote_waiting(gathering, now=now)
    return was_waitlisted


def rsvps_give_up_upcoming(*, user) -> int:
    """Account deletion: give up every seat and place in line the person holds for a gathering still
    to come, as `rsvp_cancel` does but with no email (the address is going away). A ghost does
    not take a seat that a person waiting could have. Returns how many were given up."""
    now = timezone.now()
    given_up = 0
    gathering_ids = (Rsvp.objects.filter(user_id=user.pk, status__in=ACTIVE, gathering__starts_at__gt=now)
                     .exclude(gathering__state__in=(Gathering.State.DONE, Gathering.State.CANCELLED))
                     .order_by("gathering_id").values_list("gathering_id", flat=True))
    for gathering in Gathering.objects.filter(pk__in=list(gathering_ids)).order_by("pk"):
        locked = _lock(gathering)
        rsvp = (Rsvp.objects.select_for_update()
                .filter(gathering_id=locked.pk, user_id=user.pk, status__in=ACTIVE).first())
        if rsvp is not None:
            _give_up(locked, rsvp, now=now)
            given_up += 1
    return given_up


def check_door_open(gathering: Gathering, *, now: datetime | None = None) -> None:
    """The door is open around the gathering only (``selectors.checkin_window``): from a few hours
    before the start to the end of its day. Outside it, nobody is marked nor let in."""
    from tablee.gatherings.selectors import checkin_state, checkin_window

    state = checkin_state(gathering=gathering, now=now)
    if state == "open":
        return
    if state == "early":
        opens = timezone.localtime(checkin_window(gathering=gathering)[0])
        language = translation.get_language()  # French as Québec writes it: « 1er », « 9 h »
        raise RsvpError(_("L'accueil à la porte ouvrira le %(date)s à %(time)s.")
                        % {"date": french.dates_in(language, date_format(opens, _("l j F"))),
                           "time": french.dates_in(language, date_format(opens, _("G \\h i")))})
    if state == "cancelled":
        raise RsvpError(_("Cette rencontre est annulée : l'accueil à la porte est fermé."))
    raise RsvpError(_("L'accueil à la porte est fermé : la rencontre est passée."))


def checkin_mark(*, gathering: Gathering, user, present: bool) -> Rsvp:
    """At the door (while it is open): mark a confirmed person present or absent."""
    check_door_open(gathering)
    with transaction.atomic():
        rsvp = (
            Rsvp.objects.select_for_update()
            .filter(gathering_id=gathering.pk, user_id=user.pk, status=Rsvp.Status.CONFIRMED)
            .first()
        )
        if rsvp is None:
            raise RsvpError(_("Cette personne n'a pas de place confirmée : ajoutez-la comme participante sans inscription."))
        rsvp.present = present
        rsvp.checked_in_at = timezone.now()
        rsvp.save(update_fields=["present", "checked_in_at", "updated_at"])
        return rsvp


def walkin_guest_add(*, gathering: Gathering, first_name: str, last_name: str = "") -> Rsvp:
    """Someone came with no account: a guest of this gathering with a name only, let in and marked
    present like any walk-in, seated by the next repair, never emailed nor exported
    (``members.services.guest_create``)."""
    check_door_open(gathering)
    with transaction.atomic():
        guest = guest_create(first_name=first_name, last_name=last_name)
        return walkin_add(gathering=gathering, user=guest)


def walkin_add(*, gathering: Gathering, user) -> Rsvp:
    """Someone came without a seat; the organizer lets them in (while the door is open), even
    beyond capacity."""
    with transaction.atomic():
        locked = _lock(gathering)
        now = timezone.now()
        check_door_open(locked, now=now)
        rsvp = Rsvp.objects.filter(gathering_id=locked.pk, user_id=user.pk).first()
        if rsvp is not None and rsvp.status == Rsvp.Status.CONFIRMED:
            rsvp.present = True
            rsvp.checked_in_at = now
            rsvp.save(update_fields=["present", "checked_in_at", "updated_at"])
            return rsvp
        rsvp = rsvp or Rsvp(gathering=locked, user=user, queued_at=now)
        rsvp.status = Rsvp.Status.CONFIRMED
        rsvp.walk_in = True
        rsvp.present = True
        rsvp.checked_in_at = now
        rsvp.confirmed_at = now
        rsvp.cancelled_at = None
        rsvp.calendar_version += 1
        rsvp.save()
        return rsvp
