"""Check-in rows show each person's table once the plan is published; a guest let in at the door
with a name only is seated by the repair and shown in the plan (with no address to give)."""

from __future__ import annotations

from django.urls import reverse

from tablee.gatherings.services import walkin_guest_add
from tablee.outbox.models import Email
from tablee.tables.models import Seat
from tablee.tables.services import plan_publish, plan_repair

HTMX = {"HTTP_HX_REQUEST": "true"}


def _as(client, user):
    client.force_login(user)
    return client


def _checkin(gathering) -> str:
    return reverse("organizer:checkin", args=[gathering.pk])


def test_check_in_rows_show_each_table_number_once_the_plan_is_published(
    client, organizer, crowd, association, make_breakfast, planned
):
    gathering = make_breakfast(crowd[:12], tables=2, seats=6, at_the_door=True)
    plan = planned(gathering)
    before = _as(client, organizer).get(_checkin(gathering)).content.decode()
    plan_publish(plan=plan)

    after = _as(client, organizer).get(_checkin(gathering)).content.decode()

    assert 'data-testid="table-' not in before
    for user_id, number in Seat.objects.filter(plan=plan).values_list("user_id", "table__number"):
        assert f'<span class="table-number" data-testid="table-{user_id}">Table {number}</span>' in after
    row = _as(client, organizer).post(reverse("organizer:checkin_person", args=[gathering.pk, crowd[0].pk]),
                                {"present": "1"}, **HTMX).content.decode()
    number = Seat.objects.get(plan=plan, user=crowd[0]).table.number
    assert f"Table {number}</span>" in row


def test_a_guest_is_seated_by_the_repair_and_shown_in_the_plan(
    api, client, organizer, crowd, association, make_breakfast, planned
):
    gathering = make_breakfast(crowd[:12], tables=2, seats=6, at_the_door=True)
    plan = planned(gathering, publish=True)
    guest = walkin_guest_add(gathering=gathering, first_name="Jeanne", last_name="Invitée").user
    Email.objects.all().delete()

    plan_repair(gathering=gathering)

    seat = Seat.objects.get(plan=plan, user=guest)
    page = _as(client, organizer).get(reverse("tables:plan", args=[gathering.pk])).content.decode()
    assert "Jeanne Invitée" in page and "personne invitée" in page
    data = api.get(f"/api/gatherings/{gathering.pk}/plan", user=organizer).json()
    [listed] = [m for t in data["tables"] for m in t["members"] if m["name"] == "Jeanne Invitée"]
    assert listed["email"] == ""
    assert seat.table.number in {t["number"] for t in data["tables"]}
    assert not Email.objects.filter(to=guest.email, status=Email.Status.QUEUED).exists()
    # The organizer can move the guest like anyone seated.
    other = next(t["number"] for t in data["tables"] if t["number"] != seat.table.number)
    _as(client, organizer).post(reverse("tables:plan_move", args=[gathering.pk]), {"user": guest.pk, "table": other})
    assert Seat.objects.get(plan=plan, user=guest).table.number == other
