"""The attendees CSV opens in columns in the organizer's spreadsheet: `;` between cells and French
headers for a French-speaking organizer (Excel set up for French Canada reads a comma-separated row
as one column), `,` and English headers for an English-speaking one; a byte-order mark first. The
page and the API send the same file."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tablee.gatherings.services import rsvp_create
from tablee.members.models import Profile

FRENCH = ["statut", "rang d'attente", "prénom", "nom", "courriel", "organisation", "secteur", "présent",
          "sans inscription", "date d'inscription"]
ENGLISH = ["status", "waiting rank", "first name", "last name", "email", "organization", "sector", "present",
           "walk-in", "registration date"]


def _rows(content: bytes, delimiter: str) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


@pytest.fixture
def attended(gathering, member):
    rsvp_create(gathering=gathering, user=member)
    return gathering


def test_a_french_speaking_organizer_gets_the_attendees_with_semicolons_and_french_headers(
        client, organizer, attended):
    client.force_login(organizer)
    response = client.get(reverse("organizer:attendees_csv", args=[attended.pk]))

    header, row = _rows(response.content, ";")
    assert header == FRENCH
    assert row[:6] == ["confirmée", "", "Marie", "Tremblay", "marie@example.org", "Coop Laval"]


def test_an_english_speaking_organizer_gets_commas_and_english_headers(client, organizer, attended):
    Profile.objects.filter(user=organizer).update(preferred_language="en")
    client.force_login(organizer)
    response = client.get(reverse("organizer:attendees_csv", args=[attended.pk]))

    header, row = _rows(response.content, ",")
    assert header == ENGLISH
    assert row[:6] == ["confirmed", "", "Marie", "Tremblay", "marie@example.org", "Coop Laval"]


@pytest.mark.parametrize("language,delimiter,headers", [("fr-ca", ";", FRENCH), ("en", ",", ENGLISH)])
def test_the_api_csv_follows_the_organizers_language_like_the_page(api, client, organizer, attended, language,
                                                                    delimiter, headers):
    Profile.objects.filter(user=organizer).update(preferred_language=language)
    response = api.get(f"/api/gatherings/{attended.pk}/attendees.csv", user=organizer)

    assert response.status_code == 200
    assert _rows(response.content, delimiter)[0] == headers
    client.force_login(organizer)
    assert client.get(reverse("organizer:attendees_csv", args=[attended.pk])).content == response.content


@pytest.mark.parametrize("language,name", [("fr-ca", "participants"), ("en", "attendees")])
def test_the_attendees_file_is_named_in_the_organizers_language_on_the_page_and_the_api(
        api, client, organizer, attended, language, name):
    from django.utils import timezone

    Profile.objects.filter(user=organizer).update(preferred_language=language)
    day = timezone.localtime(attended.starts_at).date().isoformat()
    expected = f'attachment; filename="{name}-{attended.pk}-{day}.csv"'

    assert api.get(f"/api/gatherings/{attended.pk}/attendees.csv", user=organizer)["Content-Disposition"] == expected
    client.force_login(organizer)
    page = client.get(reverse("organizer:attendees_csv", args=[attended.pk]))
    assert page["Content-Disposition"] == expected
