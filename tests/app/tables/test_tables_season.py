"""Three consecutive breakfasts of the same 42 members, planned and published with the real engine."""

from __future__ import annotations

from itertools import combinations

from tablee.tables.models import Plan, Seat


def _pairs(plan: Plan) -> set[frozenset[int]]:
    tables: dict[int, list[int]] = {}
    for number, user_id in Seat.objects.filter(plan=plan).values_list("table__number", "user_id"):
        tables.setdefault(number, []).append(user_id)
    return {frozenset(p) for ids in tables.values() for p in combinations(ids, 2)}


def test_three_breakfasts_never_seat_a_pair_twice(crowd, association, make_breakfast, planned):
    from tablee.tables.services import wish_create

    avoid = [(crowd[0], crowd[1]), (crowd[2], crowd[9]), (crowd[5], crowd[30]), (crowd[12], crowd[13]),
             (crowd[40], crowd[0])]
    for author, target in avoid:
        wish_create(author=author, association=association, kind="avoid", target=target)
    seen: set[frozenset[int]] = set()
    for week in (1, 2, 3):
        gathering = make_breakfast(crowd, days=7 * week, title=f"Déjeuner {week}")
        plan = planned(gathering, publish=True, seconds=2.0)
        assert plan.status == Plan.Status.PUBLISHED
        assert Seat.objects.filter(plan=plan).count() == 42
        sizes = sorted(Seat.objects.filter(plan=plan).values_list("table__number", flat=True))
        assert {sizes.count(n) for n in set(sizes)} == {6}
        pairs = _pairs(plan)
        assert not pairs & seen, f"week {week}: {len(pairs & seen)} pairs already met"
        seen |= pairs
        assert not pairs & {frozenset((a.pk, b.pk)) for a, b in avoid}
        assert plan.stats["repeat_pairs"] == 0
    assert len(seen) == 3 * 7 * 15


def test_history_drops_no_shows_of_past_breakfasts(crowd, make_breakfast, planned):
    from tablee.gatherings.models import Rsvp
    from tablee.tables.selectors import history_for

    first = make_breakfast(crowd, days=7)
    plan = planned(first, publish=True)
    absent = crowd[0]
    Rsvp.objects.filter(gathering=first, user=absent).update(present=False)
    second = make_breakfast(crowd, days=14)
    history = history_for(gathering=second, people={u.pk for u in crowd})
    assert len(history) == 1
    seated = {uid for table in history[0] for uid in table}
    assert absent.pk not in seated
    assert len(seated) == 41
    assert plan.pk
