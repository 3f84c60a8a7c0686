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
    # The organizer can move the guest like anyone seated (the plan is published: confirmed first).
    other = next(t["number"] for t in data["tables"] if t["number"] != seat.table.number)
    _as(client, organizer).post(reverse("tables:plan_move", args=[gathering.pk]),
                                {"user": guest.pk, "table": other, "confirm": "1"})
    assert Seat.objects.get(plan=plan, user=guest).table.number == other


def test_a_guest_let_in_after_publication_is_seated_at_once_and_the_form_is_cleared(
    client, organizer, crowd, association, make_breakfast, planned
):
    gathering = make_breakfast(crowd[:11], tables=2, seats=6, at_the_door=True)
    plan = planned(gathering, publish=True)

    html = _as(client, organizer).post(reverse("organizer:walkin", args=[gathering.pk]),
                                       {"first_name": "Nadia", "last_name": ""}, **HTMX).content.decode()

    seat = Seat.objects.get(plan=plan, user__first_name="Nadia")
    assert f"Sa place\u00a0: table {seat.table.number}." in html
    assert f'data-testid="table-{seat.user_id}">Table {seat.table.number}</span>' in html
    assert "sans table" not in html
    fields = html[html.index('id="guest-fields"'):]
    assert 'name="first_name"' in fields and 'value="Nadia"' not in fields


def test_the_presence_buttons_say_and_show_which_one_is_noted(client, organizer, crowd, make_breakfast):
    gathering = make_breakfast(crowd[:3], tables=1, seats=6, at_the_door=True)
    url = reverse("organizer:checkin_person", args=[gathering.pk, crowd[0].pk])

    row = _as(client, organizer).post(url, {"present": "1"}, **HTMX).content.decode()
    page = client.get(_checkin(gathering)).content.decode()

    assert "✓ Présence notée" in row and 'class="green" aria-pressed="true"' in row
    other = page[page.index(f'data-testid="person-{crowd[1].pk}"'):]
    other = other[:other.index("</li>")]
    assert "✓" not in other and 'class="secondary" aria-pressed="false"' in other and "green" not in other


def test_someone_without_a_table_gets_one_with_one_tap(client, organizer, crowd, make_breakfast, planned):
    from django.utils import timezone

    from tablee.gatherings.models import Rsvp

    gathering = make_breakfast(crowd[:11], tables=2, seats=6, at_the_door=True)
    plan = planned(gathering, publish=True)
    # Confirmed behind the repair's back (as a late RSVP whose repair has not run yet).
    Rsvp.objects.create(gathering=gathering, user=crowd[20], status=Rsvp.Status.CONFIRMED,
                        queued_at=timezone.now(), confirmed_at=timezone.now())
    page = _as(client, organizer).get(_checkin(gathering)).content.decode()
    assert f'data-testid="seat-{crowd[20].pk}"' in page

    html = client.post(reverse("organizer:checkin_seat", args=[gathering.pk]), **HTMX).content.decode()

    number = Seat.objects.get(plan=plan, user=crowd[20]).table.number
    assert f'data-testid="table-{crowd[20].pk}">Table {number}</span>' in html
    assert f'data-testid="seat-{crowd[20].pk}"' not in html


def test_the_plan_page_counts_the_people_it_lists_as_moved_and_shows_no_raw_score(
    client, organizer, crowd, make_breakfast, planned
):
    gathering = make_breakfast(crowd[:11], tables=2, seats=6, at_the_door=True)
    plan = planned(gathering, publish=True)
    walkin_guest_add(gathering=gathering, first_name="Nadia")
    plan_repair(gathering=gathering)
    listed = Seat.objects.filter(plan=plan, moved=True).count()
    assert listed >= 1

    page = _as(client, organizer).get(reverse("tables:plan", args=[gathering.pk])).content.decode()

    assert f'data-testid="plan-moved-count">{listed}</dd>' in page
    assert 'class="score"' not in page and "Score de la table" not in page
