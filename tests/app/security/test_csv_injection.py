"""Every CSV the app writes escapes formulas; the attendees CSV is also in the API, for organizers."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tablee.csvsafe import safe_cell

PAYLOADS = ["=HYPERLINK(\"http://evil.example\",\"clic\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\tcmd", "\r=1"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_becomes_text(payload):
    assert safe_cell(payload) == "'" + payload
    assert safe_cell("Marie") == "Marie" and safe_cell(-2) == -2 and safe_cell(0.5) == 0.5


@pytest.fixture
def hostile_attendees(make_gathering, make_person, association):
    from tablee.gatherings.services import rsvp_create

    gathering = make_gathering()
    for k, payload in enumerate(PAYLOADS):
        person = make_person(association=association, email=f"p{k}@example.org", first_name=payload,
                             last_name=payload, organization=payload, sector=payload)
        rsvp_create(gathering=gathering, user=person)
    return gathering


def _cells(content: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))  # a French organizer
    return [cell for row in rows[1:] for cell in row]


def _assert_no_live_formula(cells):
    assert cells
    live = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert live == []
    for payload in PAYLOADS:
        assert "'" + payload in cells


def test_the_attendees_csv_page_carries_no_live_formula(client, organizer, hostile_attendees):
    client.force_login(organizer)
    response = client.get(reverse("organizer:attendees_csv", args=[hostile_attendees.pk]))
    assert response.status_code == 200
    _assert_no_live_formula(_cells(response.content))


def test_the_api_sends_the_same_csv_to_organizers_only(api, organizer, member, hostile_attendees, client):
    response = api.get(f"/api/gatherings/{hostile_attendees.pk}/attendees.csv", user=organizer)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    _assert_no_live_formula(_cells(response.content))
    client.force_login(organizer)
    page = client.get(reverse("organizer:attendees_csv", args=[hostile_attendees.pk]))
    assert response.content == page.content
    assert api.get(f"/api/gatherings/{hostile_attendees.pk}/attendees.csv", user=member).status_code in (403, 404)
    assert api.get(f"/api/gatherings/{hostile_attendees.pk}/attendees.csv").status_code == 401
