"""A plan whose gathering began or ended: pins stop at the start (nothing computes the plan again
then; « Réparer » adjusts it), moves and swaps stay for the door while the gathering is on and stop
once it is over (its plan is what happened). The page offers only what the services accept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tablee.outbox.models import Email
from tablee.tables import services
from tablee.tables.models import Seat

OVER = "La rencontre est terminée\u00a0: son plan de tables ne change plus."
OVER_EN = "The gathering is over: its seating plan no longer changes."
NO_PIN = "La rencontre a commencé\u00a0: une place ne s'épingle plus."
NO_PIN_EN = "The gathering has started: seats can no longer be pinned."


@pytest.fixture
def published(crowd, make_breakfast, planned):
    gathering = make_breakfast(crowd[:12], tables=2, seats=7)
    plan = planned(gathering, publish=True)
    Email.objects.all().delete()
    person = crowd[0]
    source = Seat.objects.get(plan=plan, user=person).table.number
    return gathering, plan, person, source, 3 - source


def _began(gathering, *, minutes: int) -> None:
    """The gathering (two hours long) began ``minutes`` ago: 5 = under way, 180 = over."""
    type(gathering).objects.filter(pk=gathering.pk).update(starts_at=timezone.now() - timedelta(minutes=minutes))
    gathering.refresh_from_db()


def _seat(plan, user) -> tuple[int, bool]:
    seat = Seat.objects.get(plan=plan, user=user)
    return seat.table.number, seat.pinned


def _page(client, organizer, gathering, language="fr-ca") -> str:
    client.force_login(organizer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("tables:plan", args=[gathering.pk])).content.decode().replace("&#x27;", "'")


def test_before_the_gathering_the_plan_page_offers_move_swap_and_pin(client, organizer, published):
    gathering, plan, person, _source, _target = published

    page = _page(client, organizer, gathering)

    assert f'data-testid="move-{person.pk}"' in page
    assert f'data-testid="pin-{person.pk}"' in page
    assert 'data-testid="swap-submit"' in page
    assert 'data-testid="plan-over"' not in page


def test_once_the_gathering_began_the_page_offers_no_pin_but_keeps_the_door_moves_and_repair(
    client, organizer, published
):
    gathering, plan, person, _source, _target = published
    _began(gathering, minutes=5)

    page = _page(client, organizer, gathering)

    assert f'data-testid="pin-{person.pk}"' not in page
    assert "Épingler" not in page
    assert f'data-testid="move-{person.pk}"' in page and 'data-testid="swap-submit"' in page
    assert 'data-testid="plan-repair"' in page
    assert 'data-testid="plan-over"' not in page


@pytest.mark.parametrize("language, says", [("fr-ca", OVER), ("en", OVER_EN)])
def test_once_the_gathering_is_over_the_page_offers_no_move_swap_or_pin_and_says_why(
    client, organizer, published, language, says
):
    gathering, plan, person, _source, _target = published
    _began(gathering, minutes=180)

    page = _page(client, organizer, gathering, language)

    assert f'data-testid="move-{person.pk}"' not in page
    assert f'data-testid="pin-{person.pk}"' not in page
    assert 'data-testid="swap-submit"' not in page
    assert 'action="' + reverse("tables:plan_move", args=[gathering.pk]) not in page
    assert says in page
    assert 'data-testid="plan-repair"' in page  # the door's tool stays (absences recorded late)
    assert f'data-testid="table-{plan.tables.first().number}"' in page  # the tables are still shown


def test_pinning_is_refused_once_the_gathering_began_and_the_seat_stays_unpinned(published):
    gathering, plan, person, source, _target = published
    _began(gathering, minutes=5)

    with pytest.raises(services.PlanError) as refused:
        services.plan_pin(plan=plan, user=person, pinned=True)

    assert NO_PIN in refused.value.message and "«\u00a0Réparer\u00a0»" in refused.value.message
    assert _seat(plan, person) == (source, False)


def test_unpinning_is_refused_once_the_gathering_began_too(published):
    gathering, plan, person, source, _target = published
    services.plan_pin(plan=plan, user=person, pinned=True)
    _began(gathering, minutes=5)

    with pytest.raises(services.PlanError):
        services.plan_pin(plan=plan, user=person, pinned=False)

    assert _seat(plan, person) == (source, True)


def test_a_move_is_still_made_at_the_door_while_the_gathering_is_on(published):
    gathering, plan, person, _source, target = published
    _began(gathering, minutes=5)

    services.plan_move(plan=plan, user=person, to_table=target)

    assert _seat(plan, person)[0] == target
    assert not Email.objects.exists()  # once it began, nobody is emailed a new table


def test_a_move_and_a_swap_are_refused_once_the_gathering_is_over(crowd, published):
    gathering, plan, person, source, target = published
    other = Seat.objects.filter(plan=plan, table__number=target).first().user
    _began(gathering, minutes=180)

    with pytest.raises(services.PlanError) as move:
        services.plan_move(plan=plan, user=person, to_table=target)
    with pytest.raises(services.PlanError) as swap:
        services.plan_swap(plan=plan, a=person, b=other)

    assert move.value.message == OVER and swap.value.message == OVER
    assert _seat(plan, person)[0] == source and _seat(plan, other)[0] == target


def test_a_pin_posted_from_an_old_page_after_the_start_says_why_and_changes_nothing(client, organizer, published):
    gathering, plan, person, source, _target = published
    _began(gathering, minutes=5)
    client.force_login(organizer)

    response = client.post(reverse("tables:plan_pin", args=[gathering.pk]),
                           {"user": person.pk, "pinned": "1", "table": source}, follow=True)

    assert NO_PIN in response.content.decode().replace("&#x27;", "'")
    assert _seat(plan, person) == (source, False)


def test_a_move_posted_from_an_old_page_after_the_end_says_why_and_changes_nothing(client, organizer, published):
    gathering, plan, person, source, target = published
    _began(gathering, minutes=180)
    client.force_login(organizer)

    response = client.post(reverse("tables:plan_move", args=[gathering.pk]),
                           {"user": person.pk, "table": target, "confirm": "1"}, follow=True)

    assert OVER in response.content.decode().replace("&#x27;", "'")
    assert _seat(plan, person)[0] == source


@pytest.mark.parametrize("language, over, no_pin", [("fr-CA", OVER, NO_PIN), ("en", OVER_EN, NO_PIN_EN)])
def test_the_api_refuses_moves_swaps_and_pins_on_a_gathering_that_is_over_with_a_translated_409(
    api, client, organizer, crowd, published, language, over, no_pin
):
    import json

    gathering, plan, person, source, target = published
    other = Seat.objects.filter(plan=plan, table__number=target).first().user
    _began(gathering, minutes=180)
    base = f"/api/gatherings/{gathering.pk}/plan"

    def post(path, body):
        return client.post(f"{base}/{path}", data=json.dumps(body), content_type="application/json",
                           HTTP_ACCEPT_LANGUAGE=language, **api.headers(organizer))

    move = post("move", {"email": person.email, "table": target})
    swap = post("swap", {"a": person.email, "b": other.email})
    pin = post("pin", {"email": person.email, "pinned": True})

    assert (move.status_code, swap.status_code, pin.status_code) == (409, 409, 409)
    assert move.json()["detail"] == over and swap.json()["detail"] == over
    assert pin.json()["detail"].startswith(no_pin)
    assert _seat(plan, person) == (source, False) and _seat(plan, other)[0] == target
