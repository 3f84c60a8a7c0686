"""A small gathering: two tables of two seats and three people, one of whom avoids another. The
seats hold everyone and the avoid rule can be kept, so the plan keeps both; when a rule truly
cannot be kept, the organizer is told without a name or a table and publishing is refused."""

from __future__ import annotations

import pytest

from tablee.tables import selectors, services
from tablee.tables.models import Seat, Wish


@pytest.fixture
def trio(make_person, association):
    marie = make_person(association=association, first_name="Marie", last_name="Tremblay", languages=["fr"])
    jf = make_person(association=association, first_name="Jean-François", last_name="Gagnon", languages=["fr"])
    helene = make_person(association=association, first_name="Hélène", last_name="Côté", languages=["fr"])
    Wish.objects.create(author=marie, association=association, kind=Wish.Kind.AVOID, target=jf)
    return marie, jf, helene


def _tables(plan) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for number, uid in Seat.objects.filter(plan=plan).values_list("table__number", "user_id"):
        out.setdefault(number, set()).add(uid)
    return out


def test_three_people_at_two_tables_of_two_keep_the_seats_and_the_avoid_rule(trio, make_breakfast, planned):
    marie, jf, helene = trio
    gathering = make_breakfast(list(trio), tables=2, seats=2)
    plan = planned(gathering)
    tables = _tables(plan)
    assert all(len(people) <= 2 for people in tables.values()), tables
    assert not any({marie.pk, jf.pk} <= people for people in tables.values()), tables
    assert sum(len(people) for people in tables.values()) == 3
    assert selectors.plan_violations(plan=plan) == []
    assert plan.stats["constraints_ok"] is True


def test_a_plan_that_cannot_keep_an_avoid_rule_says_so_without_names_and_cannot_be_published(
    client, organizer, trio, make_breakfast, planned
):
    marie, jf, helene = trio
    gathering = make_breakfast(list(trio), tables=1, seats=3)  # one table: the rule cannot hold
    plan = planned(gathering)

    assert [v.code for v in selectors.plan_violations(plan=plan)] == ["avoid"]
    with pytest.raises(services.PlanError):
        services.plan_publish(plan=plan)
    plan.refresh_from_db()
    assert plan.status == "ready"
    client.force_login(organizer)
    page = client.get(f"/organize/gatherings/{gathering.pk}/tables/").content.decode()
    assert 'data-testid="plan-publish-box"' not in page and 'data-testid="plan-publish-blocked"' in page
    warnings = page[page.index('data-testid="plan-warnings"'):]
    warnings = warnings[:warnings.index("</div>")]
    assert "publié" in warnings
    for person in trio:
        assert person.first_name not in warnings and person.last_name not in warnings
    assert "Table 1" not in warnings
    response = client.post(f"/organize/gatherings/{gathering.pk}/tables/publish/", {"confirm": "1"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "ready"


def test_moves_offer_every_table_of_the_room_and_an_empty_one_can_be_used(
    client, organizer, trio, make_breakfast, planned
):
    marie, jf, helene = trio
    gathering = make_breakfast(list(trio), tables=4, seats=4)
    plan = planned(gathering)
    used = set(_tables(plan))
    # One table would seat the avoid pair together: the plan uses a second one of the room's tables.
    assert not any({marie.pk, jf.pk} <= people for people in _tables(plan).values())
    assert selectors.plan_violations(plan=plan) == []
    client.force_login(organizer)
    page = client.get(f"/organize/gatherings/{gathering.pk}/tables/").content.decode()
    select = page[page.index(f'id="move-{helene.pk}"'):]
    select = select[:select.index("</select>")]
    for number in range(1, 5):
        assert f'value="{number}"' in select
    free = min(set(range(1, 5)) - used)
    assert f"Table {free} (libre)" in select

    services.plan_move(plan=plan, user=helene, to_table=free)

    assert helene.pk in _tables(plan)[free]
