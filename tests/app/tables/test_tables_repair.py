"""At the door: no-shows and walk-ins recorded through the API, then Repair."""

from __future__ import annotations

from collections import Counter

from tablee.tables.models import Plan, Seat
from tablee.tables.selectors import plan_violations


def test_repair_after_four_no_shows_and_two_walk_ins_moves_few_people(
    api, organizer, crowd, make_person, association, make_breakfast, planned
):
    gathering = make_breakfast(crowd, at_the_door=True)
    plan = planned(gathering, publish=True)
    before = dict(Seat.objects.filter(plan=plan).values_list("user_id", "table__number"))
    absent = [crowd[0], crowd[1], crowd[7], crowd[20]]
    walk_ins = [make_person(association=association, password=None, email=f"porte{k}@example.org",
                            first_name=f"Porte{k}", languages=["fr"]) for k in range(2)]
    for user in absent:
        assert api.post(f"/api/gatherings/{gathering.pk}/checkin", {"email": user.email, "present": False},
                        user=organizer).status_code == 200
    for user in crowd[2:7]:
        api.post(f"/api/gatherings/{gathering.pk}/checkin", {"email": user.email, "present": True}, user=organizer)
    for user in walk_ins:
        assert api.post(f"/api/gatherings/{gathering.pk}/walkin", {"email": user.email},
                        user=organizer).status_code == 200

    response = api.post(f"/api/gatherings/{gathering.pk}/plan/repair", user=organizer)

    assert response.status_code == 200, response.content
    data = response.json()
    plan.refresh_from_db()
    after = dict(Seat.objects.filter(plan=plan).values_list("user_id", "table__number"))
    present = {u.pk for u in crowd} - {u.pk for u in absent} | {u.pk for u in walk_ins}
    assert set(after) == present
    assert plan_violations(plan=plan) == []
    sizes = Counter(after.values())
    assert set(sizes.values()) <= {5, 6} and sum(sizes.values()) == 40
    moved = {uid for uid, table in after.items() if uid in before and before[uid] != table}
    assert {u.email for u in crowd if u.pk in moved} == set(data["moved"])
    # Seen: 0 moved (bench/RESULTS.md says 0). One move is needed only if three or four of the no-shows
    # sat at the same table and the walk-ins cannot bring it back to the minimum.
    assert len(moved) <= 1
    assert plan.status == Plan.Status.PUBLISHED
    assert plan.stats["moved"] == len(moved)
    flagged = set(Seat.objects.filter(plan=plan, moved=True).values_list("user_id", flat=True))
    assert flagged == moved | {u.pk for u in walk_ins}


def test_repair_without_changes_moves_nobody(api, organizer, crowd, make_breakfast, planned):
    gathering = make_breakfast(crowd)
    plan = planned(gathering, publish=True)
    before = dict(Seat.objects.filter(plan=plan).values_list("user_id", "table__number"))

    data = api.post(f"/api/gatherings/{gathering.pk}/plan/repair", user=organizer).json()

    assert data["moved"] == []
    assert dict(Seat.objects.filter(plan=plan).values_list("user_id", "table__number")) == before


def test_repair_keeps_avoid_wishes(api, organizer, crowd, association, make_breakfast, planned):
    from tablee.tables.services import wish_create

    # Twelve people avoid the newcomer (wishes known when the plan is published), who walks in.
    newcomer = crowd[41]
    for user in crowd[:12]:
        wish_create(author=user, association=association, kind="avoid", target=newcomer)
    gathering = make_breakfast(crowd[:41], at_the_door=True)
    plan = planned(gathering, publish=True)
    api.post(f"/api/gatherings/{gathering.pk}/walkin", {"email": newcomer.email}, user=organizer)

    response = api.post(f"/api/gatherings/{gathering.pk}/plan/repair", user=organizer)

    assert response.status_code == 200, response.content
    table = Seat.objects.get(plan=plan, user=newcomer).table
    mates = set(Seat.objects.filter(table=table).values_list("user_id", flat=True))
    assert not mates & {u.pk for u in crowd[:12]}
    assert plan_violations(plan=plan) == []
