"""Late and changed RSVPs after publication: the worker repairs the published plan.

An RSVP that takes a seat (or a promotion from the waiting list) and a cancellation send
``gatherings.signals.seats_changed`` once committed; the tables room enqueues a repair; the worker
seats the newcomer with as few moves as possible, frees the cancelled seat, recomputes stats and why,
and emails each person seated or moved. A repair that must break a rule waits for the organizer."""

from __future__ import annotations

from collections import Counter

import pytest

from tablee import cli
from tablee.gatherings.services import rsvp_cancel, rsvp_create
from tablee.outbox.models import Email
from tablee.tables import services
from tablee.tables.models import Plan, Seat
from tablee.tables.selectors import plan_violations

# The worker runs in this process: on PostgreSQL it must see committed rows, as a real worker does.
pytestmark = pytest.mark.django_db(transaction=True)


def _seats(plan) -> dict[int, int]:
    return dict(Seat.objects.filter(plan=plan).values_list("user_id", "table__number"))


def _run_worker() -> None:
    assert cli.main(["-v", "0", "worker", "--batch"]) == 0


def test_a_late_rsvp_is_seated_by_the_worker_with_few_moves_and_gets_an_email(
    crowd, make_person, association, make_breakfast, planned, organizer, api, django_capture_on_commit_callbacks
):
    gathering = make_breakfast(crowd[:30], tables=6, seats=6)
    plan = planned(gathering, publish=True)
    before = _seats(plan)
    late = crowd[30]
    Email.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        rsvp = rsvp_create(gathering=gathering, user=late)
    assert rsvp.status == "confirmed"
    assert api.get(f"/api/gatherings/{gathering.pk}/my-table", user=late).status_code == 404
    _run_worker()

    after = _seats(plan)
    assert set(after) == set(before) | {late.pk}
    moved = {uid for uid in before if after[uid] != before[uid]}
    print(f"\nlate RSVP (30 seated, 6 tables): {len(moved)} people moved")
    assert len(moved) <= 1
    assert api.get(f"/api/gatherings/{gathering.pk}/my-table", user=late).status_code == 200
    plan.refresh_from_db()
    assert plan.stats["attendees"] == 31 and plan.stats["walk_ins"] == 1 and plan.stats["moved"] == len(moved)
    assert plan.stats["constraints_ok"] is True and plan_violations(plan=plan) == []
    assert plan.pending_repair == {}
    assert set(Seat.objects.filter(plan=plan, moved=True).values_list("user_id", flat=True)) == moved | {late.pk}
    told = set(Email.objects.filter(kind="plan_published").values_list("to", flat=True))
    assert told == {u.email for u in crowd if u.pk in moved | {late.pk}}
    [welcome] = Email.objects.filter(kind="plan_published", to=late.email)
    assert welcome.subject.startswith("Votre table") and "a changé" not in welcome.body_text  # her first table
    # The organizer sees who moved or was seated.
    data = api.get(f"/api/gatherings/{gathering.pk}/plan", user=organizer).json()
    flagged = {m["email"] for t in data["tables"] for m in t["members"] if m["moved"]}
    assert late.email in flagged
    # The why of the late person's table was recomputed with her in it.
    from tablee.tables.explain import explain
    from tablee.tables.selectors import engine_problem_for, hidden_profiles

    table = Seat.objects.get(plan=plan, user=late).table
    ids = list(Seat.objects.filter(table=table).order_by("position", "pk").values_list("user_id", flat=True))
    problem = engine_problem_for(gathering=gathering)
    [explained] = explain(problem, [ids], lang="fr", hidden=hidden_profiles(ids))
    assert table.why_fr == explained.why


def test_a_cancellation_frees_the_seat_and_repeat_stats_stay_true(
    crowd, make_breakfast, planned, api, django_capture_on_commit_callbacks
):
    gathering = make_breakfast(crowd[:24], tables=4, seats=6)
    plan = planned(gathering, publish=True)
    leaving = crowd[3]

    with django_capture_on_commit_callbacks(execute=True):
        rsvp_cancel(gathering=gathering, user=leaving)
    _run_worker()

    after = _seats(plan)
    assert leaving.pk not in after and len(after) == 23
    plan.refresh_from_db()
    assert plan.stats["attendees"] == 23 and plan.stats["absent"] == 1
    assert plan.stats["repeat_pairs"] == 0
    assert api.get(f"/api/gatherings/{gathering.pk}/my-table", user=leaving).status_code == 404


def test_a_repair_that_would_seat_former_table_mates_together_waits_for_the_organizer(
    crowd, association, make_breakfast, planned, organizer, api, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    # A past breakfast where the late person met everybody who will be at the next one.
    people = crowd[:12]
    late = crowd[12]
    past = make_breakfast([*people, late], days=-14, tables=1, seats=13, title="Déjeuner passé")
    past_plan = planned(past)
    Plan.objects.filter(pk=past_plan.pk).update(status=Plan.Status.PUBLISHED, published_at=timezone.now()
                                                - timedelta(days=14))
    gathering = make_breakfast(people, tables=2, seats=7)
    plan = planned(gathering, publish=True)
    before = _seats(plan)
    assert plan.stats["repeat_pairs"] > 0  # everyone met at the single past table: repeats are forced

    with django_capture_on_commit_callbacks(execute=True):
        rsvp_create(gathering=gathering, user=late)
    _run_worker()

    plan.refresh_from_db()
    assert _seats(plan) == before  # nothing applied
    pending = api.get(f"/api/gatherings/{gathering.pk}/plan", user=organizer).json()["pending_repair"]
    assert pending["broken"] == ["repeat"] and pending["seated"] == [late.email] and pending["can_accept"]
    assert "déjà rencontrées" in pending["messages"][0]

    response = api.post(f"/api/gatherings/{gathering.pk}/plan/repair/accept", user=organizer)

    assert response.status_code == 200, response.content
    plan.refresh_from_db()
    assert late.pk in _seats(plan) and plan.pending_repair == {}
    assert plan.stats["repeat_pairs"] > 0  # said plainly, never "0 déjà rencontrées"
    assert api.post(f"/api/gatherings/{gathering.pk}/plan/repair/accept", user=organizer).status_code == 409


def test_a_waiting_list_promotion_is_seated_too(
    crowd, make_breakfast, planned, api, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from tablee.gatherings.models import Rsvp

    gathering = make_breakfast(crowd[:12], tables=2, seats=6)
    plan = planned(gathering, publish=True)
    waiting = crowd[12]
    Rsvp.objects.create(gathering=gathering, user=waiting, status=Rsvp.Status.WAITLISTED, queued_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        rsvp_cancel(gathering=gathering, user=crowd[0])
    _run_worker()

    after = _seats(plan)
    assert waiting.pk in after and crowd[0].pk not in after
    assert Counter(after.values()) == Counter({1: 6, 2: 6})
    assert api.get(f"/api/gatherings/{gathering.pk}/my-table", user=waiting).status_code == 200


def test_no_repair_is_enqueued_without_a_published_plan(crowd, make_breakfast, planned,
                                                         django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    gathering = make_breakfast(crowd[:12], tables=2, seats=6)
    planned(gathering)  # ready, not published
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_create(gathering=gathering, user=crowd[12])
    assert not DBTaskResult.objects.filter(task_path__endswith="repair_after_rsvp").exists()
    assert services.plan_repair_after_rsvp(gathering=gathering) == "no published plan"


def test_someone_who_confirmed_while_a_redo_waited_is_seated_once_it_is_published_again(
    crowd, make_breakfast, planned, api, django_capture_on_commit_callbacks
):
    gathering = make_breakfast(crowd[:30], tables=6, seats=6)
    plan = planned(gathering, publish=True)
    late = crowd[30]
    with django_capture_on_commit_callbacks(execute=True):
        plan = services.plan_redo(plan=plan, time_limit_s=0.5)
    _run_worker()  # the redo computes a draft; the repair of a draft does not run
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_create(gathering=gathering, user=late)
    _run_worker()
    Email.objects.all().delete()
    assert late.pk not in _seats(plan)

    with django_capture_on_commit_callbacks(execute=True):
        services.plan_publish(plan=Plan.objects.get(pk=plan.pk))
    _run_worker()

    assert late.pk in _seats(plan)
    assert api.get(f"/api/gatherings/{gathering.pk}/my-table", user=late).status_code == 200
    assert Email.objects.filter(kind="plan_published", to=late.email).count() == 1
