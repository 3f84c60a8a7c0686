"""The door opens around the gathering only: from a few hours before its start to the end of its day
(the association's clock). Before, the check-in page says when it opens and offers no button; the
services, the pages and the API refuse to mark anyone (the names of the API and pages are unchanged)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tablee.gatherings import selectors, services
from tablee.gatherings.models import Rsvp

TORONTO = ZoneInfo("America/Toronto")


@pytest.fixture
def next_week(make_gathering, member):
    gathering = make_gathering(starts_at=timezone.now() + timedelta(days=7))
    services.rsvp_create(gathering=gathering, user=member)
    return gathering


def test_the_window_opens_three_hours_before_and_closes_at_the_end_of_the_local_day(make_gathering):
    gathering = make_gathering(starts_at=datetime(2031, 11, 4, 18, 0, tzinfo=TORONTO), duration_minutes=120)

    opens, closes = selectors.checkin_window(gathering=gathering)

    assert opens == datetime(2031, 11, 4, 15, 0, tzinfo=TORONTO)
    assert closes == datetime(2031, 11, 5, 0, 0, tzinfo=TORONTO)
    assert selectors.checkin_state(gathering=gathering, now=opens - timedelta(seconds=1)) == "early"
    assert selectors.checkin_state(gathering=gathering, now=opens) == "open"
    assert selectors.checkin_state(gathering=gathering, now=datetime(2031, 11, 4, 23, 59, tzinfo=TORONTO)) == "open"
    assert selectors.checkin_state(gathering=gathering, now=closes) == "closed"


def test_a_gathering_past_midnight_keeps_its_door_open_until_it_ends(make_gathering):
    gathering = make_gathering(starts_at=datetime(2031, 12, 31, 22, 0, tzinfo=TORONTO), duration_minutes=180)

    assert selectors.checkin_window(gathering=gathering)[1] == datetime(2032, 1, 1, 1, 0, tzinfo=TORONTO)


def test_checking_in_a_week_ahead_is_refused_and_nothing_is_written(next_week, member, other_member):
    with pytest.raises(services.RsvpError, match="L'accueil à la porte ouvrira"):
        services.checkin_mark(gathering=next_week, user=member, present=True)
    with pytest.raises(services.RsvpError):
        services.walkin_add(gathering=next_week, user=other_member)
    with pytest.raises(services.RsvpError):
        services.walkin_guest_add(gathering=next_week, first_name="Jeanne")

    assert Rsvp.objects.get(gathering=next_week, user=member).present is None
    assert not Rsvp.objects.filter(gathering=next_week).exclude(user=member).exists()


def test_checking_in_after_the_day_is_refused(make_gathering, member):
    yesterday = make_gathering(starts_at=timezone.now() + timedelta(days=1))
    services.rsvp_create(gathering=yesterday, user=member)
    yesterday.starts_at = timezone.now() - timedelta(days=2)
    yesterday.save(update_fields=["starts_at"])

    with pytest.raises(services.RsvpError, match="L'accueil à la porte est fermé"):
        services.checkin_mark(gathering=yesterday, user=member, present=True)


def test_an_hour_before_the_start_the_door_is_open(tonight, member, other_member):
    services.rsvp_create(gathering=tonight, user=member)
    services.checkin_mark(gathering=tonight, user=member, present=True)
    services.walkin_add(gathering=tonight, user=other_member)

    assert set(Rsvp.objects.filter(gathering=tonight, present=True).values_list("user_id", flat=True)) == {
        member.pk, other_member.pk}


def test_the_page_a_week_ahead_says_when_the_door_opens_and_offers_no_button(client, organizer, next_week):
    client.force_login(organizer)

    page = client.get(reverse("organizer:checkin", args=[next_week.pk])).content.decode()

    assert 'data-testid="checkin-not-yet"' in page
    assert "L'accueil à la porte ouvrira trois heures avant le début de la rencontre\u00a0:" in page.replace("&#x27;", "'")
    opens = timezone.localtime(next_week.starts_at - timedelta(hours=3))
    assert f'datetime="{opens.isoformat()}"' in page
    assert 'name="present"' not in page and "walkin" not in page


def test_the_opening_reads_on_the_gatherings_clock_in_lower_case_after_the_colon(client, organizer, make_gathering):
    """A breakfast at 7 h 30 in Québec (America/Toronto's clock, whatever the server's zone): the door
    opens at 4 h 30 that day, and the page shows the start beside it so the three hours read plainly.
    After « : » a French day name takes no capital."""
    starts = datetime(2031, 11, 6, 7, 30, tzinfo=TORONTO)  # a Thursday
    gathering = make_gathering(starts_at=starts)
    client.force_login(organizer)

    page = client.get(reverse("organizer:checkin", args=[gathering.pk])).content.decode()
    section = page[page.index('data-testid="checkin-not-yet"'):]
    section = re.sub(r"<[^>]+>", "", section[: section.index("</section>")]).replace("\u00a0", " ")

    assert "jeudi 6 novembre 2031 · 4 h 30" in section
    assert "Début de la rencontre : jeudi 6 novembre 2031 · 7 h 30" in section
    assert "Jeudi" not in section


def test_the_page_says_it_in_english_too(client, organizer, next_week):
    client.force_login(organizer)
    client.cookies["tablee_language"] = "en"

    page = client.get(reverse("organizer:checkin", args=[next_week.pk])).content.decode()

    assert "Door check-in opens three hours before the gathering starts:" in page


def test_a_marking_posted_early_from_a_stale_page_changes_nothing(client, organizer, member, next_week):
    client.force_login(organizer)

    response = client.post(reverse("organizer:checkin_person", args=[next_week.pk, member.pk]), {"present": "1"},
                           follow=True)

    assert "L'accueil à la porte ouvrira" in response.content.decode().replace("&#x27;", "'")
    assert Rsvp.objects.get(gathering=next_week, user=member).present is None


def test_the_page_tonight_offers_the_buttons(client, organizer, member, tonight):
    services.rsvp_create(gathering=tonight, user=member)
    client.force_login(organizer)

    page = client.get(reverse("organizer:checkin", args=[tonight.pk])).content.decode()

    assert 'data-testid="checkin-not-yet"' not in page
    assert f'data-testid="person-{member.pk}"' in page


def test_the_api_refuses_the_door_a_week_ahead_with_409(api, organizer, member, other_member, next_week):
    checkin = api.post(f"/api/gatherings/{next_week.pk}/checkin", {"email": member.email, "present": True},
                       user=organizer)
    walkin = api.post(f"/api/gatherings/{next_week.pk}/walkin", {"email": other_member.email}, user=organizer)

    assert (checkin.status_code, walkin.status_code) == (409, 409)
    assert "ouvrira" in checkin.json()["detail"]
    assert not Rsvp.objects.filter(gathering=next_week, user=other_member).exists()


def test_once_the_day_is_over_the_page_says_check_in_is_over_with_the_tally(client, organizer, member, make_gathering):
    gathering = make_gathering(starts_at=timezone.now() + timedelta(days=1))
    services.rsvp_create(gathering=gathering, user=member)
    gathering.starts_at = timezone.now() - timedelta(days=2)
    gathering.save(update_fields=["starts_at"])
    client.force_login(organizer)

    page = client.get(reverse("organizer:checkin", args=[gathering.pk])).content.decode()

    assert 'data-testid="checkin-closed"' in page and "L'accueil est terminé" in page.replace("&#x27;", "'")
    assert "Présences\u00a0: 0\u00a0sur 1" in page
    assert 'name="present"' not in page


def test_a_search_typed_on_a_page_left_open_past_the_day_reloads_the_page(client, organizer, next_week):
    client.force_login(organizer)

    response = client.get(reverse("organizer:checkin", args=[next_week.pk]), {"q": "mar"}, HTTP_HX_REQUEST="true")

    assert response["HX-Refresh"] == "true"


def _closed_page(client, organizer, make_gathering, starts_at, *, duration_minutes=120, language="fr-ca"):
    gathering = make_gathering(starts_at=timezone.now() + timedelta(days=1), duration_minutes=duration_minutes)
    gathering.starts_at = starts_at
    gathering.save(update_fields=["starts_at"])
    client.force_login(organizer)
    page = client.get(reverse("organizer:checkin", args=[gathering.pk]), HTTP_ACCEPT_LANGUAGE=language)
    text = page.content.decode()
    return text[text.index('data-testid="checkin-closed"'):]


def test_a_past_door_closed_at_midnight_of_the_gatherings_own_day(client, organizer, make_gathering):
    # Tuesday 6 October 2026 at 18 h (Toronto): the door closed at the end of that Tuesday.
    closed = _closed_page(client, organizer, make_gathering, datetime(2026, 10, 6, 18, 0, tzinfo=TORONTO))

    assert "mardi 6\u00a0octobre 2026 à minuit" in closed
    assert "7\u00a0octobre" not in closed and "0\u00a0h" not in closed


def test_in_english_the_door_closed_at_midnight_of_the_same_day(client, organizer, make_gathering):
    organizer.profile.preferred_language = "en"
    organizer.profile.save(update_fields=["preferred_language"])
    closed = _closed_page(client, organizer, make_gathering, datetime(2026, 10, 6, 18, 0, tzinfo=TORONTO),
                          language="en")

    assert "Tuesday, October 6, 2026, at midnight" in closed
    assert "October 7" not in closed


def test_a_door_kept_open_past_midnight_says_the_hour_it_closed(client, organizer, make_gathering):
    # From 22 h to 1 h: the door closed when the gathering ended, on the next day.
    closed = _closed_page(client, organizer, make_gathering, datetime(2026, 10, 6, 22, 0, tzinfo=TORONTO),
                          duration_minutes=180)

    assert "mercredi 7\u00a0octobre 2026 · 1\u00a0h" in closed and "minuit" not in closed
