"""rsvp_create / rsvp_cancel / checkin_mark / walkin_add: seats, the waiting list and the door."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tablee.gatherings import selectors, services
from tablee.gatherings.models import Gathering, Rsvp
from tablee.outbox.models import Email


def _people(make_person, association, n):
    return [make_person(association=association) for _ in range(n)]


def test_rsvp_confirms_while_seats_are_free(gathering, member):
    rsvp = services.rsvp_create(gathering=gathering, user=member)

    rsvp.refresh_from_db()
    assert rsvp.status == Rsvp.Status.CONFIRMED
    assert rsvp.confirmed_at is not None


def test_rsvp_twice_keeps_one_seat(gathering, member):
    first = services.rsvp_create(gathering=gathering, user=member)
    second = services.rsvp_create(gathering=gathering, user=member)

    assert first.pk == second.pk
    assert Rsvp.objects.filter(gathering=gathering, user=member).count() == 1
    assert selectors.gathering_counts(gathering=gathering)["confirmed"] == 1


def test_rsvp_beyond_capacity_joins_the_waiting_list_in_order(make_gathering, make_person, association):
    gathering = make_gathering(tables=1, seats_per_table=2)
    people = _people(make_person, association, 5)

    rsvps = [services.rsvp_create(gathering=gathering, user=p) for p in people]

    assert [r.status for r in rsvps] == ["confirmed", "confirmed", "waitlisted", "waitlisted", "waitlisted"]
    assert [selectors.waitlist_position(rsvp=r) for r in rsvps] == [None, None, 1, 2, 3]
    assert selectors.gathering_counts(gathering=gathering) == {"confirmed": 2, "waitlisted": 3, "seats_left": 0}


def test_cancel_promotes_the_first_waiting_person_and_queues_an_email(make_gathering, make_person, association):
    gathering = make_gathering(tables=1, seats_per_table=2)
    a, b, c, d = _people(make_person, association, 4)
    for person in (a, b, c, d):
        services.rsvp_create(gathering=gathering, user=person)

    cancelled = services.rsvp_cancel(gathering=gathering, user=a)

    assert cancelled.status == Rsvp.Status.CANCELLED
    statuses = dict(Rsvp.objects.filter(gathering=gathering).values_list("user__email", "status"))
    assert statuses == {a.email: "cancelled", b.email: "confirmed", c.email: "confirmed", d.email: "waitlisted"}
    assert selectors.waitlist_position(rsvp=Rsvp.objects.get(user=d)) == 1
    assert Email.objects.filter(user=c, to=c.email).count() == 2  # the waitlist notice, then the promotion
    assert Email.objects.filter(user=d).count() == 1


def test_cancel_of_a_waiting_person_promotes_nobody(make_gathering, make_person, association):
    gathering = make_gathering(tables=1, seats_per_table=2)
    a, b, c, d = _people(make_person, association, 4)
    for person in (a, b, c, d):
        services.rsvp_create(gathering=gathering, user=person)

    services.rsvp_cancel(gathering=gathering, user=c)

    assert Rsvp.objects.get(user=d).status == Rsvp.Status.WAITLISTED
    assert selectors.waitlist_position(rsvp=Rsvp.objects.get(user=d)) == 1


def test_cancel_without_rsvp_returns_none(gathering, member):
    assert services.rsvp_cancel(gathering=gathering, user=member) is None
    assert not Rsvp.objects.exists()


def test_coming_back_after_cancelling_goes_to_the_end_of_the_line(make_gathering, make_person, association):
    gathering = make_gathering(tables=1, seats_per_table=2)
    a, b, c = _people(make_person, association, 3)
    for person in (a, b, c):
        services.rsvp_create(gathering=gathering, user=person)
    services.rsvp_cancel(gathering=gathering, user=a)  # c takes a's seat

    again = services.rsvp_create(gathering=gathering, user=a)

    assert again.status == Rsvp.Status.WAITLISTED
    assert Rsvp.objects.filter(gathering=gathering).count() == 3


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"state": Gathering.State.CLOSED}, "fermées"),
        ({"state": Gathering.State.DONE}, "fermées"),
        ({"rsvp_deadline": timezone.now() - timedelta(hours=1)}, "date limite"),
    ],
)
def test_rsvp_is_refused_when_closed_or_late(make_gathering, member, fields, message):
    gathering = make_gathering(**fields)

    with pytest.raises(services.RsvpError, match=message):
        services.rsvp_create(gathering=gathering, user=member)
    assert not Rsvp.objects.exists()


def test_rsvp_is_refused_once_started(gathering, member):
    Gathering.objects.filter(pk=gathering.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    gathering.refresh_from_db()

    with pytest.raises(services.RsvpError):
        services.rsvp_create(gathering=gathering, user=member)
    assert not Rsvp.objects.exists()


def test_checkin_marks_a_confirmed_person(tonight, member):
    gathering = tonight
    services.rsvp_create(gathering=gathering, user=member)

    services.checkin_mark(gathering=gathering, user=member, present=False)

    rsvp = Rsvp.objects.get(user=member)
    assert rsvp.present is False
    assert rsvp.checked_in_at is not None


def test_checkin_refuses_someone_without_a_seat(gathering, member):
    with pytest.raises(services.RsvpError):
        services.checkin_mark(gathering=gathering, user=member, present=True)
    assert not Rsvp.objects.exists()


def test_walkin_is_let_in_beyond_capacity(make_gathering, make_person, association):
    gathering = make_gathering(tables=1, seats_per_table=2, starts_at=timezone.now() + timedelta(hours=1))
    a, b, c, late = _people(make_person, association, 4)
    for person in (a, b, c):
        services.rsvp_create(gathering=gathering, user=person)

    services.walkin_add(gathering=gathering, user=late)
    services.walkin_add(gathering=gathering, user=c)  # was waiting: the organizer lets them in too

    walkins = Rsvp.objects.filter(gathering=gathering, walk_in=True, present=True, status="confirmed")
    assert set(walkins.values_list("user_id", flat=True)) == {late.pk, c.pk}
    assert selectors.gathering_counts(gathering=gathering)["confirmed"] == 4


def test_walkin_of_a_confirmed_person_only_marks_them_present(tonight, member):
    gathering = tonight
    services.rsvp_create(gathering=gathering, user=member)

    services.walkin_add(gathering=gathering, user=member)

    rsvp = Rsvp.objects.get(user=member)
    assert (rsvp.present, rsvp.walk_in) == (True, False)


def test_attendees_lists_confirmed_then_waiting_with_positions(make_gathering, make_person, association):
    gathering = make_gathering(tables=1, seats_per_table=2)
    people = _people(make_person, association, 4)
    for person in people:
        services.rsvp_create(gathering=gathering, user=person)

    rows = selectors.attendees(gathering=gathering)

    assert [r.user_id for r in rows] == [p.pk for p in people]
    assert [r.waitlist_position for r in rows] == [None, None, 1, 2]


# Found by `make mutate SCOPE=rsvp` (issue 15): what cancelling must never touch, and when it is refused.

def test_cancel_touches_only_my_rsvp_to_this_gathering(make_gathering, make_person, association):
    here, elsewhere = make_gathering(tables=1, seats_per_table=2), make_gathering(tables=1, seats_per_table=2)
    me, other = _people(make_person, association, 2)
    for gathering in (elsewhere, here):  # my other RSVP comes first, so a filter that forgot the gathering finds it
        for person in (me, other):
            services.rsvp_create(gathering=gathering, user=person)

    cancelled = services.rsvp_cancel(gathering=here, user=me)

    assert (cancelled.gathering_id, cancelled.user_id) == (here.pk, me.pk)
    statuses = {(r.gathering_id, r.user_id): r.status for r in Rsvp.objects.all()}
    assert statuses == {(here.pk, me.pk): "cancelled", (here.pk, other.pk): "confirmed",
                        (elsewhere.pk, me.pk): "confirmed", (elsewhere.pk, other.pk): "confirmed"}


def test_cancelling_twice_changes_nothing_the_second_time(gathering, member):
    version = services.rsvp_create(gathering=gathering, user=member).calendar_version
    first = services.rsvp_cancel(gathering=gathering, user=member)
    before = Rsvp.objects.values("status", "cancelled_at", "calendar_version").get(pk=first.pk)
    assert before["status"] == "cancelled" and before["cancelled_at"] is not None
    assert before["calendar_version"] == version + 1  # the calendar's SEQUENCE moves on by one

    assert services.rsvp_cancel(gathering=gathering, user=member) is None
    assert Rsvp.objects.values("status", "cancelled_at", "calendar_version").get(pk=first.pk) == before


@pytest.mark.parametrize("state", [Gathering.State.OPEN, Gathering.State.CLOSED])
def test_cancel_is_refused_once_started_whatever_the_state(gathering, member, state):
    services.rsvp_create(gathering=gathering, user=member)
    Gathering.objects.filter(pk=gathering.pk).update(starts_at=timezone.now() - timedelta(minutes=5), state=state)

    with pytest.raises(services.RsvpError) as refused:
        services.rsvp_cancel(gathering=gathering, user=member)
    assert refused.value.message == "Cette rencontre est déjà commencée."
    assert Rsvp.objects.get(user=member).status == Rsvp.Status.CONFIRMED


def test_cancel_is_refused_at_the_very_minute_it_starts(gathering, member, monkeypatch):
    services.rsvp_create(gathering=gathering, user=member)
    gathering.refresh_from_db()
    monkeypatch.setattr(services.timezone, "now", lambda: gathering.starts_at)

    with pytest.raises(services.RsvpError, match="déjà commencée"):
        services.rsvp_cancel(gathering=gathering, user=member)


def test_cancel_is_refused_when_the_gathering_is_done_even_before_its_start(gathering, member):
    services.rsvp_create(gathering=gathering, user=member)
    Gathering.objects.filter(pk=gathering.pk).update(state=Gathering.State.DONE)

    with pytest.raises(services.RsvpError, match="déjà commencée"):
        services.rsvp_cancel(gathering=gathering, user=member)


def test_the_promoted_person_gets_a_confirmation_time(make_gathering, make_person, association):
    gathering = make_gathering(tables=1, seats_per_table=2)
    a, seated, b = _people(make_person, association, 3)
    for person in (a, seated, b):
        services.rsvp_create(gathering=gathering, user=person)

    services.rsvp_cancel(gathering=gathering, user=a)

    promoted = Rsvp.objects.get(user=b)
    assert promoted.status == Rsvp.Status.CONFIRMED
    assert promoted.confirmed_at == Rsvp.objects.get(user=a).cancelled_at  # decided at the same moment


def test_the_cancellation_email_says_whether_a_seat_or_a_place_in_line_was_given_up(
    make_gathering, make_person, association
):
    gathering = make_gathering(tables=1, seats_per_table=2)
    other, seated, waiting = _people(make_person, association, 3)
    for person in (other, seated, waiting):
        services.rsvp_create(gathering=gathering, user=person)

    services.rsvp_cancel(gathering=gathering, user=waiting)
    services.rsvp_cancel(gathering=gathering, user=seated)

    left_line = Email.objects.get(user=waiting, kind="rsvp_cancelled")
    gave_up = Email.objects.get(user=seated, kind="rsvp_cancelled")
    assert left_line.subject.startswith("Vous avez quitté la liste d'attente")
    assert gave_up.subject.startswith("Place annulée")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"state": Gathering.State.CLOSED}, "Les inscriptions à cette rencontre sont fermées."),
        ({"rsvp_deadline": "now"}, "La date limite d'inscription est passée."),
        ({"starts_at": "now"}, "Cette rencontre est déjà commencée."),
    ],
)
def test_rsvp_is_refused_with_its_reason_from_the_very_minute(gathering, member, monkeypatch, fields, message):
    moment = timezone.now() + timedelta(days=1)
    values = {key: moment if value == "now" else value for key, value in fields.items()}
    Gathering.objects.filter(pk=gathering.pk).update(**values)
    gathering.refresh_from_db()
    monkeypatch.setattr(services.timezone, "now", lambda: moment)

    with pytest.raises(services.RsvpError) as refused:
        services.rsvp_create(gathering=gathering, user=member)
    assert refused.value.message == message
    assert not Rsvp.objects.exists()


def test_rsvp_is_taken_a_minute_before_the_deadline(gathering, member, monkeypatch):
    moment = timezone.now() + timedelta(days=1)
    Gathering.objects.filter(pk=gathering.pk).update(rsvp_deadline=moment)
    gathering.refresh_from_db()
    monkeypatch.setattr(services.timezone, "now", lambda: moment - timedelta(minutes=1))

    assert services.rsvp_create(gathering=gathering, user=member).status == Rsvp.Status.CONFIRMED


# Found by `make mutate SCOPE=rsvp` (second pass): the waiting list's order and scope, the
# confirmation time of a place in line, the calendar versions, and the guard's two paths.


def test_a_place_in_line_has_no_confirmation_time(make_gathering, make_person, association):
    gathering = make_gathering(tables=1, seats_per_table=2)
    *seated, waiting = _people(make_person, association, 3)
    for person in seated:
        services.rsvp_create(gathering=gathering, user=person)

    rsvp = services.rsvp_create(gathering=gathering, user=waiting)

    rsvp.refresh_from_db()
    assert rsvp.status == Rsvp.Status.WAITLISTED
    assert rsvp.confirmed_at is None


def test_coming_back_to_the_line_forgets_the_old_confirmation_time(make_gathering, make_person, association):
    gathering = make_gathering(tables=1, seats_per_table=2)
    a, seated, b = _people(make_person, association, 3)
    for person in (a, seated, b):
        services.rsvp_create(gathering=gathering, user=person)
    services.rsvp_cancel(gathering=gathering, user=a)  # b takes the seat

    again = services.rsvp_create(gathering=gathering, user=a)

    again.refresh_from_db()
    assert again.status == Rsvp.Status.WAITLISTED
    assert again.confirmed_at is None


def test_each_change_to_my_rsvp_is_a_new_calendar_version(gathering, member):
    first = services.rsvp_create(gathering=gathering, user=member)
    first.refresh_from_db()
    assert first.calendar_version == 1

    services.rsvp_cancel(gathering=gathering, user=member)
    assert Rsvp.objects.get(pk=first.pk).calendar_version == 2

    again = services.rsvp_create(gathering=gathering, user=member)
    again.refresh_from_db()
    assert again.pk == first.pk
    assert again.calendar_version == 3


def test_the_promoted_person_gets_a_new_calendar_version(make_gathering, make_person, association):
    gathering = make_gathering(tables=1, seats_per_table=2)
    seated, other, waiting = _people(make_person, association, 3)
    for person in (seated, other, waiting):
        services.rsvp_create(gathering=gathering, user=person)
    assert Rsvp.objects.get(user=waiting).calendar_version == 1

    services.rsvp_cancel(gathering=gathering, user=seated)

    promoted = Rsvp.objects.get(user=waiting)
    assert promoted.status == Rsvp.Status.CONFIRMED
    assert promoted.calendar_version == 2


def test_a_freed_seat_goes_to_who_waits_longest_not_to_the_oldest_rsvp(make_gathering, make_person, association):
    gathering = make_gathering(tables=1, seats_per_table=2)
    a, b, c, d = _people(make_person, association, 4)
    for person in (a, b, c, d):
        services.rsvp_create(gathering=gathering, user=person)
    services.rsvp_cancel(gathering=gathering, user=c)
    services.rsvp_create(gathering=gathering, user=c)  # c's row is older than d's, but c is now behind d
    assert Rsvp.objects.get(user=c).pk < Rsvp.objects.get(user=d).pk

    services.rsvp_cancel(gathering=gathering, user=a)

    assert Rsvp.objects.get(user=d).status == Rsvp.Status.CONFIRMED
    assert Rsvp.objects.get(user=c).status == Rsvp.Status.WAITLISTED
    assert selectors.waitlist_position(rsvp=Rsvp.objects.get(user=c)) == 1


def test_a_freed_seat_goes_to_someone_waiting_for_this_gathering_only(make_gathering, make_person, association):
    elsewhere = make_gathering(tables=1, seats_per_table=2, title="Souper")
    here = make_gathering(tables=1, seats_per_table=2)
    a, b, waiting_elsewhere, seated, other, waiting = _people(make_person, association, 6)
    # The person waiting for the other gathering has waited longer than anyone here.
    for person in (a, b, waiting_elsewhere):
        services.rsvp_create(gathering=elsewhere, user=person)
    for person in (seated, other, waiting):
        services.rsvp_create(gathering=here, user=person)

    services.rsvp_cancel(gathering=here, user=seated)

    assert Rsvp.objects.get(gathering=here, user=waiting).status == Rsvp.Status.CONFIRMED
    assert Rsvp.objects.get(gathering=elsewhere, user=waiting_elsewhere).status == Rsvp.Status.WAITLISTED
    assert selectors.gathering_counts(gathering=elsewhere) == {"confirmed": 2, "waitlisted": 1, "seats_left": 0}


def test_rsvp_locks_the_gathering_before_counting_its_seats(gathering, member, monkeypatch):
    # The guard is lock → count → write in one transaction; the PostgreSQL race test
    # (tests/concurrency) shows what happens without it, this one that the guarded path is taken.
    steps: list[str] = []
    lock, count = services._lock, services._confirmed_count
    monkeypatch.setattr(services, "_lock", lambda g: steps.append("lock") or lock(g))
    monkeypatch.setattr(services, "_confirmed_count", lambda g: steps.append("count") or count(g))

    rsvp = services.rsvp_create(gathering=gathering, user=member)

    assert steps == ["lock", "count"]
    assert rsvp.status == Rsvp.Status.CONFIRMED


def test_without_the_guard_the_control_path_still_takes_a_seat(gathering, member, monkeypatch):
    # The race test's control server runs this path: it must write the same RSVP, or the control's
    # overbooking would prove nothing about the guard.
    monkeypatch.setattr(services, "RSVP_GUARD", False)
    monkeypatch.setattr(services, "UNGUARDED_PAUSE_SECONDS", 0)

    rsvp = services.rsvp_create(gathering=gathering, user=member)

    rsvp.refresh_from_db()
    assert (rsvp.gathering_id, rsvp.user_id, rsvp.status) == (gathering.pk, member.pk, Rsvp.Status.CONFIRMED)
    assert Rsvp.objects.count() == 1


@pytest.fixture
def announced():
    """The gathering ids that ``seats_changed`` announced, once each transaction committed."""
    from tablee.gatherings.signals import seats_changed

    heard: list[int] = []

    def listen(sender, gathering_id, **kwargs):
        heard.append(gathering_id)

    seats_changed.connect(listen)
    try:
        yield heard
    finally:
        seats_changed.disconnect(listen)


def test_seats_changed_is_announced_when_a_seat_is_taken_or_given_up_not_a_place_in_line(
    make_gathering, make_person, association, announced, django_capture_on_commit_callbacks
):
    gathering = make_gathering(tables=1, seats_per_table=2)
    a, b, c = _people(make_person, association, 3)

    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_create(gathering=gathering, user=a)
    assert announced == [gathering.pk]  # a seat taken

    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_create(gathering=gathering, user=b)
        services.rsvp_create(gathering=gathering, user=c)  # the line: no seat changed hands
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_cancel(gathering=gathering, user=c)  # leaving the line: none either
    assert announced == [gathering.pk] * 2

    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_cancel(gathering=gathering, user=b)  # a seat given up, nobody waiting
    assert announced == [gathering.pk] * 3


def test_seats_changed_is_announced_for_a_promotion_from_the_line(
    make_gathering, make_person, association, announced, django_capture_on_commit_callbacks
):
    gathering = make_gathering(tables=1, seats_per_table=2)
    a, b, c = _people(make_person, association, 3)
    for person in (a, b, c):
        services.rsvp_create(gathering=gathering, user=person)
    announced.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_cancel(gathering=gathering, user=a)

    assert Rsvp.objects.get(user=c).status == Rsvp.Status.CONFIRMED
    assert announced == [gathering.pk, gathering.pk]  # the seat given up, then the seat taken from the line


def test_who_joined_at_the_same_instant_is_promoted_in_the_order_shown(
    make_gathering, make_person, association, monkeypatch
):
    # Ties in queued_at happen (the demo's RSVPs share one instant): the line shown to people and the
    # promotion break them the same way, by pk. On SQLite ties come back in pk order whatever the
    # query says; on PostgreSQL first's rewritten row sits after second's on disk, so an order by
    # queued_at alone can promote second (docs/testing.md, survivors).
    gathering = make_gathering(tables=1, seats_per_table=2)
    a, b, first, second = _people(make_person, association, 4)
    moment = timezone.now()
    monkeypatch.setattr(services.timezone, "now", lambda: moment)
    for person in (a, b, first, second):
        services.rsvp_create(gathering=gathering, user=person)
    Rsvp.objects.filter(user=first).update(status=Rsvp.Status.CANCELLED)
    Rsvp.objects.filter(user=first).update(status=Rsvp.Status.WAITLISTED)
    assert selectors.waitlist_position(rsvp=Rsvp.objects.get(user=first)) == 1

    services.rsvp_cancel(gathering=gathering, user=a)

    assert Rsvp.objects.get(user=first).status == Rsvp.Status.CONFIRMED
    assert selectors.waitlist_position(rsvp=Rsvp.objects.get(user=second)) == 1
