"""Services around a plan: pins survive re-optimisation, failures are recorded, tasks skip stale work."""

from __future__ import annotations

from collections import Counter

import pytest

from tablee.gatherings.models import Rsvp
from tablee.tables import services
from tablee.tables.models import Plan, Seat
from tablee.tables.tasks import run_plan


def test_reoptimize_keeps_pinned_people_at_their_table(crowd, make_breakfast, planned):
    gathering = make_breakfast(crowd)
    plan = planned(gathering)
    pinned = {u.pk: Seat.objects.get(plan=plan, user=u).table.number for u in crowd[:6]}
    for user in crowd[:6]:
        services.plan_pin(plan=plan, user=user, pinned=True)

    plan = services.plan_reoptimize(plan=plan, time_limit_s=0.5)
    assert plan.status == Plan.Status.RUNNING
    plan = services.plan_run(plan=plan)

    assert plan.status == Plan.Status.READY
    after = dict(Seat.objects.filter(plan=plan, user_id__in=pinned).values_list("user_id", "table__number"))
    assert after == pinned
    assert set(Seat.objects.filter(plan=plan, pinned=True).values_list("user_id", flat=True)) == set(pinned)
    assert Seat.objects.filter(plan=plan).count() == 42


def _sizes(plan) -> list[int]:
    return sorted(Counter(Seat.objects.filter(plan=plan).values_list("table__number", flat=True)).values())


def test_thirty_people_at_six_tables_of_six_sit_five_at_each_table(crowd, make_breakfast, planned):
    plan = planned(make_breakfast(crowd[:30], tables=6, seats=6))

    assert _sizes(plan) == [5, 5, 5, 5, 5, 5]


def test_tables_differ_by_one_person_at_most_when_the_count_does_not_divide(crowd, make_breakfast, planned):
    plan = planned(make_breakfast(crowd[:33], tables=6, seats=6))

    assert _sizes(plan) == [5, 5, 5, 6, 6, 6]


def test_pins_that_even_tables_cannot_hold_still_give_a_plan(crowd, make_breakfast, planned):
    plan = planned(make_breakfast(crowd[:30], tables=6, seats=6))
    home = Seat.objects.get(plan=plan, user=crowd[0]).table.number
    for user in crowd[1:6]:
        services.plan_move(plan=plan, user=user, to_table=home)
    for user in crowd[:6]:
        services.plan_pin(plan=plan, user=user, pinned=True)

    plan = services.plan_run(plan=services.plan_reoptimize(plan=plan, time_limit_s=0.5))

    assert plan.status == Plan.Status.READY
    assert set(Seat.objects.filter(plan=plan, user__in=crowd[:6]).values_list("table__number", flat=True)) == {home}


def test_an_impossible_plan_fails_with_the_engines_message(crowd, make_breakfast, organizer):
    # Two people who share no language, alone: the engine refuses, the plan says why.
    gathering = make_breakfast([crowd[13], crowd[1]], tables=1)
    plan = services.plan_request(gathering=gathering, requested_by=organizer, time_limit_s=0.2)

    plan = services.plan_run(plan=plan)

    assert plan.status == Plan.Status.FAILED
    assert "language" in plan.error
    assert not Seat.objects.filter(plan=plan).exists()


def test_a_plan_needs_two_confirmed_people(make_breakfast, member, organizer):
    gathering = make_breakfast([member])
    with pytest.raises(services.PlanError):
        services.plan_request(gathering=gathering, requested_by=organizer)
    assert not Plan.objects.exists()


def test_asking_again_while_running_returns_the_same_plan(crowd, make_breakfast, organizer):
    gathering = make_breakfast(crowd[:12], tables=2)
    first = services.plan_request(gathering=gathering, requested_by=organizer)
    second = services.plan_request(gathering=gathering, requested_by=organizer)
    assert first.pk == second.pk
    assert Plan.objects.count() == 1


def test_the_task_skips_a_plan_that_is_no_longer_running(crowd, make_breakfast, planned):
    plan = planned(make_breakfast(crowd[:12], tables=2))
    before = list(Seat.objects.filter(plan=plan).values_list("pk", flat=True))

    assert run_plan.call(plan.pk) == "skipped"
    assert run_plan.call(10**6) == "skipped"
    assert list(Seat.objects.filter(plan=plan).values_list("pk", flat=True)) == before


def test_no_shows_are_left_out_of_a_new_plan(crowd, make_breakfast, organizer):
    gathering = make_breakfast(crowd[:12], tables=2)
    Rsvp.objects.filter(gathering=gathering, user=crowd[0]).update(present=False)
    plan = services.plan_run(plan=services.plan_request(gathering=gathering, requested_by=organizer, time_limit_s=0.3))
    assert not Seat.objects.filter(plan=plan, user=crowd[0]).exists()
    assert Seat.objects.filter(plan=plan).count() == 11


def test_meet_wishes_are_granted_when_possible(crowd, association, make_breakfast, organizer):
    gathering = make_breakfast(crowd[:12], tables=2)
    services.wish_create(author=crowd[3], association=association, kind="meet", target=crowd[4])
    services.wish_create(author=crowd[5], association=association, kind="meet", target=crowd[6])

    plan = services.plan_run(plan=services.plan_request(gathering=gathering, requested_by=organizer, time_limit_s=0.5))

    table = dict(Seat.objects.filter(plan=plan).values_list("user_id", "table__number"))
    assert table[crowd[3].pk] == table[crowd[4].pk]
    assert table[crowd[5].pk] == table[crowd[6].pk]
    assert plan.stats["meet_satisfied"] == plan.stats["meet_total"] == 2
    # Private: the table is not told that someone asked to meet someone.
    for table in plan.tables.all():
        assert not any("souhait" in line.casefold() for line in table.why_fr)
        assert not any("wish" in line.casefold() for line in table.why_en)


def test_a_broken_avoid_wish_does_not_show_in_the_table_score(crowd, association, make_breakfast, planned):
    gathering = make_breakfast(crowd[:12], tables=2)
    plan = planned(gathering)
    home = Seat.objects.get(plan=plan, user=crowd[0]).table
    mate = Seat.objects.filter(table=home).exclude(user=crowd[0]).first().user
    third = Seat.objects.filter(plan=plan).exclude(table=home).first().user
    services.wish_create(author=crowd[0], association=association, kind="avoid", target=mate)

    # A swap that leaves the (later) avoid pair together is allowed, and recomputes the table's score.
    services.plan_swap(plan=plan, a=third, b=Seat.objects.filter(table=home).exclude(user__in=[crowd[0], mate])
                       .first().user)

    home.refresh_from_db()
    assert abs(home.score) < 1000  # the avoid penalty (a million) is not in the score
