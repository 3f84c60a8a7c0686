"""Organizer pages: create and edit gatherings and series, attendees CSV, check-in at the door."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tablee.gatherings.models import Gathering, Rsvp, Series
from tablee.gatherings.services import rsvp_create

HTMX = {"HTTP_HX_REQUEST": "true"}


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_organizer_creates_a_gathering(login, organizer, association):
    starts = timezone.now() + timedelta(days=10)
    response = login(organizer).post(
        reverse("organizer:gathering_new", args=[association.slug]),
        {"title": "Déjeuner de novembre", "starts_at": _local(starts), "duration_minutes": 90,
         "venue": "Café du coin", "tables": 4, "seats_per_table": 6, "rsvp_deadline": "", "state": "open"},
    )
    gathering = Gathering.objects.get(title="Déjeuner de novembre")
    assert response.status_code == 302
    assert response["Location"] == reverse("gatherings:detail", args=[gathering.pk])
    assert (gathering.association, gathering.tables, gathering.duration_minutes) == (association, 4, 90)
    assert abs((gathering.starts_at - starts).total_seconds()) < 60


def test_deadline_after_start_is_refused_on_the_form(login, organizer, association):
    starts = timezone.now() + timedelta(days=10)
    response = login(organizer).post(
        reverse("organizer:gathering_new", args=[association.slug]),
        {"title": "Mauvaise date", "starts_at": _local(starts), "duration_minutes": 120, "tables": 6,
         "seats_per_table": 6, "rsvp_deadline": _local(starts + timedelta(days=1)), "state": "open"},
    )
    assert response.status_code == 200
    assert "doit précéder le début" in response.content.decode()
    assert not Gathering.objects.filter(title="Mauvaise date").exists()


def _edit_data(gathering, **changes) -> dict:
    data = {"title": gathering.title, "starts_at": _local(gathering.starts_at), "duration_minutes": 120,
            "venue": gathering.venue, "tables": gathering.tables, "seats_per_table": gathering.seats_per_table,
            "rsvp_deadline": "", "state": gathering.state}
    return {**data, **changes}


def test_organizer_edits_a_gathering(login, organizer, gathering):
    response = login(organizer).post(reverse("organizer:gathering_edit", args=[gathering.pk]),
                                     _edit_data(gathering, venue="Salle B", tables=3))
    assert response.status_code == 302
    gathering.refresh_from_db()
    assert (gathering.venue, gathering.tables) == ("Salle B", 3)


def test_capacity_cannot_drop_below_confirmed_seats(login, organizer, member, other_member, make_gathering):
    gathering = make_gathering(tables=1, seats_per_table=3)
    for person in (member, other_member, organizer):
        rsvp_create(gathering=gathering, user=person)
    response = login(organizer).post(reverse("organizer:gathering_edit", args=[gathering.pk]),
                                     _edit_data(gathering, seats_per_table=2))
    assert response.status_code == 200
    assert "capacité ne peut pas descendre" in response.content.decode()
    gathering.refresh_from_db()
    assert gathering.seats_per_table == 3


def test_organizer_creates_a_series_of_gatherings(login, organizer, association):
    response = login(organizer).post(
        reverse("organizer:series_new", args=[association.slug]),
        {"title": "Premier mardi", "frequency": "monthly_nth_weekday", "week_of_month": 1, "weekday": 1,
         "start_time": "07:30", "first_date": (timezone.localdate() + timedelta(days=1)).isoformat(),
         "count": 4, "duration_minutes": 120, "venue": "", "tables": 6, "seats_per_table": 6,
         "rsvp_deadline_hours": 24, "state": "open"},
    )
    assert response.status_code == 302
    series = Series.objects.get(title="Premier mardi")
    gatherings = list(series.gatherings.order_by("starts_at"))
    assert len(gatherings) == 4
    for g in gatherings:
        local = timezone.localtime(g.starts_at)
        assert (local.weekday(), local.hour, local.minute) == (1, 7, 30)
        assert local.day <= 7
        assert g.state == Gathering.State.OPEN


def _series_post(**fields):
    data = {"title": "Premier mardi", "frequency": "monthly_nth_weekday", "week_of_month": 1, "weekday": 1,
            "start_time": "07:30", "first_date": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "count": 3, "duration_minutes": 120, "venue": "", "tables": 6, "seats_per_table": 6,
            "rsvp_deadline_hours": 24}
    return {**data, **fields}


def test_a_new_series_starts_as_drafts_hidden_from_members_unless_opened(login, organizer, member, association):
    page = login(organizer).get(reverse("organizer:series_new", args=[association.slug])).content.decode()
    assert '<option value="draft" selected>' in page and '<option value="open">' in page
    assert 'value="closed"' not in page and 'value="cancelled"' not in page

    response = login(organizer).post(reverse("organizer:series_new", args=[association.slug]),
                                     _series_post(state="draft"))

    assert response.status_code == 302
    assert set(Series.objects.get().gatherings.values_list("state", flat=True)) == {Gathering.State.DRAFT}
    assert "Premier mardi" not in login(member).get("/gatherings/").content.decode()


def test_a_series_cannot_be_created_closed(login, organizer, association):
    response = login(organizer).post(reverse("organizer:series_new", args=[association.slug]),
                                     _series_post(state="closed"))

    assert response.status_code == 200 and not Series.objects.exists()


def test_attendees_page_lists_confirmed_then_waiting(login, organizer, member, other_member, make_gathering):
    gathering = make_gathering(tables=1, seats_per_table=2)
    rsvp_create(gathering=gathering, user=member)
    rsvp_create(gathering=gathering, user=organizer)
    rsvp_create(gathering=gathering, user=other_member)
    page = login(organizer).get(reverse("organizer:attendees", args=[gathering.pk])).content.decode()
    waiting_section = page.split("Liste d&#x27;attente")[-1] if "Liste d&#x27;attente" in page else page.split("Liste d'attente")[-1]
    assert "Samuel Roy" in waiting_section
    assert "Marie Tremblay" not in waiting_section


def test_attendees_csv_has_one_row_per_person_in_order(login, organizer, member, other_member, make_gathering):
    gathering = make_gathering(tables=1, seats_per_table=2)
    rsvp_create(gathering=gathering, user=member)
    rsvp_create(gathering=gathering, user=organizer)
    rsvp_create(gathering=gathering, user=other_member)
    response = login(organizer).get(reverse("organizer:attendees_csv", args=[gathering.pk]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))  # French: Excel's separator
    assert rows[0][:5] == ["statut", "rang d'attente", "prénom", "nom", "courriel"]
    assert [r[4] for r in rows[1:]] == ["marie@example.org", "olivier@example.org", "samuel@example.org"]
    assert rows[1][5] == "Coop Laval"
    assert rows[3][1] == "1"


def test_checkin_marks_present_and_returns_the_row(login, organizer, member, tonight):
    gathering = tonight
    rsvp_create(gathering=gathering, user=member)
    url = reverse("organizer:checkin_person", args=[gathering.pk, member.pk])
    response = login(organizer).post(url, {"present": "1"}, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="person-{member.pk}"' in page
    assert 'hx-swap-oob="true"' in page  # the tally updates too
    rsvp = Rsvp.objects.get(gathering=gathering, user=member)
    assert rsvp.present is True and rsvp.checked_in_at is not None


def test_checkin_marks_a_no_show(login, organizer, member, tonight):
    gathering = tonight
    rsvp_create(gathering=gathering, user=member)
    login(organizer).post(reverse("organizer:checkin_person", args=[gathering.pk, member.pk]), {"present": "0"})
    assert Rsvp.objects.get(gathering=gathering, user=member).present is False


def test_checkin_search_ignores_accents_and_case(login, organizer, make_person, association, tonight):
    gathering = tonight
    helene = make_person(association=association, first_name="Hélène", last_name="Bélanger")
    rsvp_create(gathering=gathering, user=helene)
    rsvp_create(gathering=gathering, user=make_person(association=association, first_name="Paul"))
    response = login(organizer).get(reverse("organizer:checkin", args=[gathering.pk]), {"q": "HELENE bel"}, **HTMX)
    page = response.content.decode()
    assert "<html" not in page
    assert "Hélène Bélanger" in page
    assert "Paul" not in page


def test_walk_in_by_email_is_confirmed_and_present_beyond_capacity(login, organizer, member, other_member,
                                                                   tonight):
    Gathering.objects.filter(pk=tonight.pk).update(tables=1, seats_per_table=2)
    gathering = Gathering.objects.get(pk=tonight.pk)
    rsvp_create(gathering=gathering, user=member)
    rsvp_create(gathering=gathering, user=organizer)
    response = login(organizer).post(reverse("organizer:walkin", args=[gathering.pk]),
                                     {"email": "SAMUEL@example.org"}, **HTMX)
    assert response.status_code == 200
    rsvp = Rsvp.objects.get(gathering=gathering, user=other_member)
    assert (rsvp.status, rsvp.walk_in, rsvp.present) == (Rsvp.Status.CONFIRMED, True, True)
    assert "Samuel Roy" in response.content.decode()


def test_walk_in_with_an_unknown_email_explains_and_writes_nothing(login, organizer, outsider, gathering):
    response = login(organizer).post(reverse("organizer:walkin", args=[gathering.pk]),
                                     {"email": outsider.email}, **HTMX)
    assert "Aucun membre de l" in response.content.decode()
    assert not Rsvp.objects.filter(gathering=gathering).exists()


def test_the_association_page_links_each_gathering_to_its_plan_and_its_door(login, organizer, gathering):
    page = login(organizer).get(f"/organize/associations/{gathering.association.slug}/").content.decode()
    assert f'href="/organize/gatherings/{gathering.pk}/tables/"' in page
    assert f'href="/organize/gatherings/{gathering.pk}/checkin/"' in page and "Accueil à la porte" in page
