"""The gatherings JSON API, endpoint by endpoint, for each persona."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tablee.gatherings import services
from tablee.gatherings.models import Gathering, Rsvp, Series

BODY = {
    "title": "Déjeuner réseautage",
    "starts_at": "2030-03-05T07:30:00-05:00",
    "duration_minutes": 90,
    "venue": "Café du Monde, Québec",
    "tables": 3,
    "seats_per_table": 6,
}


# --- POST /api/associations/{slug}/gatherings -------------------------------------------------


def test_organizer_creates_a_gathering(api, organizer, association):
    response = api.post(f"/api/associations/{association.slug}/gatherings", BODY, user=organizer)

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["capacity"] == 18
    assert data["association"] == association.slug
    gathering = Gathering.objects.get(pk=data["id"])
    assert gathering.starts_at.isoformat() == "2030-03-05T12:30:00+00:00"
    assert (gathering.venue, gathering.duration_minutes) == ("Café du Monde, Québec", 90)


def test_member_cannot_create_a_gathering(api, member, association):
    response = api.post(f"/api/associations/{association.slug}/gatherings", BODY, user=member)

    assert response.status_code == 403
    assert "detail" in response.json()
    assert not Gathering.objects.exists()


def test_outsider_gets_404_for_another_association(api, outsider, association):
    response = api.post(f"/api/associations/{association.slug}/gatherings", BODY, user=outsider)

    assert response.status_code == 404
    assert not Gathering.objects.exists()


def test_anonymous_gets_401(api, association):
    response = api.post(f"/api/associations/{association.slug}/gatherings", BODY)

    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required (Bearer token)."}


def test_unknown_association_is_404(api, organizer):
    assert api.post("/api/associations/nope/gatherings", BODY, user=organizer).status_code == 404


@pytest.mark.parametrize(
    "change",
    [
        {"tables": 0},
        {"seats_per_table": 1},
        {"duration_minutes": 10},
        {"starts_at": "2030-03-05T07:30:00"},  # no offset
        {"starts_at": "mardi prochain"},
        {"rsvp_deadline": "2030-03-06T07:30:00-05:00"},  # after the start
        {"title": ""},
        {"tables": "beaucoup"},
        {"state": "done"},
    ],
)
def test_bad_gathering_input_is_422(api, organizer, association, change):
    response = api.post(f"/api/associations/{association.slug}/gatherings", {**BODY, **change}, user=organizer)

    assert response.status_code == 422, response.content
    assert "detail" in response.json()
    assert not Gathering.objects.exists()


def test_malformed_json_is_4xx(api, organizer, association, client):
    response = api.post(f"/api/associations/{association.slug}/gatherings", None, user=organizer)
    assert 400 <= response.status_code < 500


# --- GET /api/associations/{slug}/gatherings --------------------------------------------------


def test_list_shows_members_the_open_gatherings_but_not_drafts(api, member, organizer, make_gathering):
    shown = make_gathering(title="Ouvert")
    make_gathering(title="Brouillon", state=Gathering.State.DRAFT)

    as_member = api.get("/api/associations/cafe-rencontres/gatherings", user=member).json()
    as_organizer = api.get("/api/associations/cafe-rencontres/gatherings", user=organizer).json()

    assert [g["id"] for g in as_member] == [shown.pk]
    assert {g["title"] for g in as_organizer} == {"Ouvert", "Brouillon"}


def test_list_is_404_for_an_outsider(api, outsider, gathering):
    assert api.get("/api/associations/cafe-rencontres/gatherings", user=outsider).status_code == 404


# --- POST /api/associations/{slug}/series -----------------------------------------------------


def test_organizer_creates_a_series(api, organizer, association):
    body = {"title": "Premier mardi", "weekday": 1, "week_of_month": 1, "start_time": "07:30",
            "first_date": "2030-01-01", "count": 3}

    response = api.post(f"/api/associations/{association.slug}/series", body, user=organizer)

    assert response.status_code == 201, response.content
    assert [g["starts_at"][:10] for g in response.json()["gatherings"]] == ["2030-01-01", "2030-02-05", "2030-03-05"]
    assert Series.objects.get().gatherings.count() == 3


def test_member_cannot_create_a_series(api, member, association):
    body = {"title": "x", "weekday": 1, "start_time": "07:30", "first_date": "2030-01-01", "count": 3}
    assert api.post(f"/api/associations/{association.slug}/series", body, user=member).status_code == 403
    assert not Series.objects.exists()


@pytest.mark.parametrize(
    "change",
    [{"weekday": 9}, {"week_of_month": 0}, {"start_time": "07:30-05:00"}, {"count": 0}, {"count": 61},
     {"first_date": "demain"}],
)
def test_bad_series_input_is_422(api, organizer, association, change):
    body = {"title": "x", "weekday": 1, "start_time": "07:30", "first_date": "2030-01-01", "count": 3, **change}

    response = api.post(f"/api/associations/{association.slug}/series", body, user=organizer)

    assert response.status_code == 422, response.content
    assert not Series.objects.exists()


# --- GET /api/gatherings/{id} -----------------------------------------------------------------


def test_detail_shows_counts_and_my_status(api, member, other_member, make_gathering):
    gathering = make_gathering(tables=1, seats_per_table=2)
    services.rsvp_create(gathering=gathering, user=other_member)

    data = api.get(f"/api/gatherings/{gathering.pk}", user=member).json()

    assert data["capacity"] == 2
    assert (data["confirmed_count"], data["waitlist_count"], data["seats_left"]) == (1, 0, 1)
    assert data["my_status"] is None
    assert data["my_waitlist_position"] is None
    assert data["state"] == "open"


def test_detail_is_404_for_an_outsider_and_for_a_draft(api, outsider, member, make_gathering):
    gathering = make_gathering()
    draft = make_gathering(state=Gathering.State.DRAFT)

    assert api.get(f"/api/gatherings/{gathering.pk}", user=outsider).status_code == 404
    assert api.get(f"/api/gatherings/{draft.pk}", user=member).status_code == 404
    assert api.get("/api/gatherings/999999", user=member).status_code == 404
    assert api.get(f"/api/gatherings/{gathering.pk}").status_code == 401


def test_detail_with_a_non_numeric_id_is_4xx(api, member):
    response = api.get("/api/gatherings/abc", user=member)
    assert 400 <= response.status_code < 500


# --- POST / DELETE /api/gatherings/{id}/rsvp --------------------------------------------------


def test_rsvp_twice_returns_the_same_status_and_one_seat(api, member, gathering):
    first = api.post(f"/api/gatherings/{gathering.pk}/rsvp", user=member)
    second = api.post(f"/api/gatherings/{gathering.pk}/rsvp", user=member)

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() == {"status": "confirmed", "waitlist_position": None}
    assert Rsvp.objects.filter(gathering=gathering).count() == 1


def test_rsvp_when_full_returns_the_waitlist_position(api, member, other_member, organizer, make_gathering):
    gathering = make_gathering(tables=1, seats_per_table=2)
    api.post(f"/api/gatherings/{gathering.pk}/rsvp", user=organizer)
    api.post(f"/api/gatherings/{gathering.pk}/rsvp", user=other_member)

    response = api.post(f"/api/gatherings/{gathering.pk}/rsvp", user=member)

    assert response.json() == {"status": "waitlisted", "waitlist_position": 1}
    detail = api.get(f"/api/gatherings/{gathering.pk}", user=member).json()
    assert (detail["my_status"], detail["my_waitlist_position"], detail["waitlist_count"]) == ("waitlisted", 1, 1)


def test_rsvp_to_a_closed_gathering_is_409(api, member, make_gathering):
    gathering = make_gathering(state=Gathering.State.CLOSED)

    response = api.post(f"/api/gatherings/{gathering.pk}/rsvp", user=member)

    assert response.status_code == 409
    assert response.json()["detail"]
    assert not Rsvp.objects.exists()


def test_rsvp_after_the_deadline_is_409(api, member, make_gathering):
    gathering = make_gathering(rsvp_deadline=timezone.now() - timedelta(minutes=1))

    assert api.post(f"/api/gatherings/{gathering.pk}/rsvp", user=member).status_code == 409
    assert not Rsvp.objects.exists()


def test_outsider_cannot_rsvp(api, outsider, gathering):
    assert api.post(f"/api/gatherings/{gathering.pk}/rsvp", user=outsider).status_code == 404
    assert api.post(f"/api/gatherings/{gathering.pk}/rsvp").status_code == 401
    assert not Rsvp.objects.exists()


def test_delete_rsvp_frees_the_seat_for_the_first_waiting(api, member, other_member, organizer, make_gathering):
    gathering = make_gathering(tables=1, seats_per_table=2)
    for person in (member, organizer, other_member):
        api.post(f"/api/gatherings/{gathering.pk}/rsvp", user=person)

    response = api.delete(f"/api/gatherings/{gathering.pk}/rsvp", user=member)

    assert response.json() == {"status": "cancelled", "waitlist_position": None}
    assert Rsvp.objects.get(user=other_member).status == Rsvp.Status.CONFIRMED
    assert Rsvp.objects.get(user=member).status == Rsvp.Status.CANCELLED


def test_delete_without_rsvp_says_none(api, member, gathering):
    response = api.delete(f"/api/gatherings/{gathering.pk}/rsvp", user=member)
    assert (response.status_code, response.json()["status"]) == (200, "none")


# --- organizer endpoints: attendees, checkin, walkin ------------------------------------------


def test_attendees_for_organizer_lists_confirmed_then_waitlist(api, organizer, member, other_member, make_gathering):
    gathering = make_gathering(tables=1, seats_per_table=2)
    for person in (member, organizer, other_member):
        services.rsvp_create(gathering=gathering, user=person)

    rows = api.get(f"/api/gatherings/{gathering.pk}/attendees", user=organizer).json()

    assert [(r["email"], r["status"], r["waitlist_position"]) for r in rows] == [
        (member.email, "confirmed", None),
        (organizer.email, "confirmed", None),
        (other_member.email, "waitlisted", 1),
    ]
    assert rows[0]["present"] is None


def test_attendees_is_403_for_a_member_and_404_for_an_outsider(api, member, outsider, gathering):
    assert api.get(f"/api/gatherings/{gathering.pk}/attendees", user=member).status_code == 403
    assert api.get(f"/api/gatherings/{gathering.pk}/attendees", user=outsider).status_code == 404


def test_checkin_marks_present(api, organizer, member, tonight):
    gathering = tonight
    services.rsvp_create(gathering=gathering, user=member)

    response = api.post(f"/api/gatherings/{gathering.pk}/checkin", {"email": "MARIE@example.org", "present": True},
                        user=organizer)

    assert response.status_code == 200, response.content
    assert Rsvp.objects.get(user=member).present is True


def test_checkin_of_someone_without_a_seat_is_409(api, organizer, member, gathering):
    response = api.post(f"/api/gatherings/{gathering.pk}/checkin", {"email": member.email}, user=organizer)
    assert response.status_code == 409


def test_checkin_of_a_stranger_is_404(api, organizer, outsider, gathering):
    response = api.post(f"/api/gatherings/{gathering.pk}/checkin", {"email": outsider.email}, user=organizer)
    assert response.status_code == 404


def test_checkin_by_a_member_is_403(api, member, other_member, gathering):
    services.rsvp_create(gathering=gathering, user=other_member)
    response = api.post(f"/api/gatherings/{gathering.pk}/checkin", {"email": other_member.email}, user=member)
    assert response.status_code == 403
    assert Rsvp.objects.get(user=other_member).present is None


def test_walkin_adds_a_present_confirmed_rsvp(api, organizer, member, tonight):
    gathering = tonight
    response = api.post(f"/api/gatherings/{gathering.pk}/walkin", {"email": member.email}, user=organizer)

    assert response.status_code == 200, response.content
    rsvp = Rsvp.objects.get(user=member)
    assert (rsvp.status, rsvp.walk_in, rsvp.present) == ("confirmed", True, True)


def test_walkin_by_a_member_is_403(api, member, other_member, gathering):
    response = api.post(f"/api/gatherings/{gathering.pk}/walkin", {"email": other_member.email}, user=member)
    assert response.status_code == 403
    assert not Rsvp.objects.exists()


# --- GET /api/gatherings/{id}/calendar.ics ----------------------------------------------------


def test_calendar_is_text_calendar_for_members(api, member, outsider, gathering):
    response = api.get(f"/api/gatherings/{gathering.pk}/calendar.ics", user=member)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in response.content
    assert api.get(f"/api/gatherings/{gathering.pk}/calendar.ics", user=outsider).status_code == 404
