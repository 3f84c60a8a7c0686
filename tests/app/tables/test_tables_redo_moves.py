"""A redo moves as few people as it can: the people told one table are a soft wish to sit together
again (the engine's meet wish), unless a wish was saved since publication (then it starts from
scratch, so that no move points at the wish); no figure counts a wish nobody made."""

from __future__ import annotations

import pytest

from tablee.outbox.models import Email
from tablee.tables import services
from tablee.tables.models import Plan, Seat, Wish

QUICK = 0.5
SEED = 7


@pytest.fixture
def published(crowd, make_breakfast, planned):
    gathering = make_breakfast(crowd[:18], tables=3, seats=7)
    plan = planned(gathering, publish=True)
    Email.objects.all().delete()
    return gathering, plan


def _tables(plan) -> dict[int, int]:
    return dict(Seat.objects.filter(plan=plan).values_list("user_id", "table__number"))


def _redo(plan, *, seed: int = SEED) -> Plan:
    plan = services.plan_redo(plan=plan, time_limit_s=QUICK)
    Plan.objects.filter(pk=plan.pk).update(seed=seed)
    plan.refresh_from_db()
    plan = services.plan_run(plan=plan)
    assert plan.status == Plan.Status.READY, plan.error
    return plan


def _changed(told: dict[int, int], plan) -> int:
    after = _tables(plan)
    return sum(after[uid] != number for uid, number in told.items() if uid in after)


@pytest.fixture
def alike(make_person, association, make_breakfast, planned):
    """Twenty-four people nothing tells apart (no offer, need or interest; one sector, one language):
    every seating scores the same, so a plan computed from scratch lands on any of them."""
    people = [make_person(association=association, password=None, email=f"a{k:02d}@example.org",
                          first_name=f"A{k:02d}", last_name="Pareil", sector="santé", languages=["fr"])
              for k in range(24)]
    gathering = make_breakfast(people, tables=4, seats=6)
    plan = planned(gathering, publish=True)
    Email.objects.all().delete()
    return gathering, plan


def test_a_redo_with_nothing_new_keeps_people_at_the_table_they_were_told(alike, monkeypatch):
    gathering, plan = alike
    told = _tables(plan)

    kept = _changed(told, _redo(plan))
    # The control: the same redo of the same tables, same seed, without the told pairs (as before).
    plan = services.plan_publish(plan=Plan.objects.get(pk=plan.pk), notify=False)
    told_again = _tables(plan)
    monkeypatch.setattr(services, "_keep_told", lambda problem, told, **kw: problem)
    scratch = _changed(told_again, _redo(plan))

    assert kept <= 1
    assert scratch > kept


@pytest.mark.parametrize("kind", [Wish.Kind.MEET, Wish.Kind.AVOID])
def test_a_wish_saved_since_publication_makes_the_redo_start_from_scratch_so_no_move_points_at_it(alike, kind):
    """Everyone else kept, the one or two people a redo would move for a new wish would point at it
    (and at who made it): with a wish saved since publication, the redo computes the plan again from
    scratch, as it always did."""
    gathering, plan = alike
    told = _tables(plan)
    a = Seat.objects.filter(plan=plan).order_by("pk").first().user
    b = Seat.objects.filter(plan=plan, table__number=told[a.pk]).exclude(user=a).first().user
    Wish.objects.create(author=a, target=b, association=gathering.association, kind=kind)

    plan = _redo(plan)

    assert _changed(told, plan) > 4  # of 24: the seating is drawn again, not kept
    after = _tables(plan)
    if kind == Wish.Kind.AVOID:
        assert after[a.pk] != after[b.pk]


def test_the_told_pairs_count_as_no_wish_in_the_organizers_figures(published):
    gathering, plan = published

    plan = _redo(plan)

    assert (plan.stats["meet_satisfied"], plan.stats["meet_total"]) == (0, 0)


def test_asking_for_a_new_plan_over_a_redone_draft_still_keeps_people_at_their_told_tables(alike, organizer):
    gathering, plan = alike
    told = _tables(plan)
    _redo(plan)

    again = services.plan_request(gathering=gathering, requested_by=organizer, time_limit_s=QUICK)
    Plan.objects.filter(pk=again.pk).update(seed=SEED)
    again.refresh_from_db()
    again = services.plan_run(plan=again)

    assert again.status == Plan.Status.READY
    assert _changed(told, again) <= 1
