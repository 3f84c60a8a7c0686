"""gathering_ics: an RFC 5545 invitation that calendars accept and update in place."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tablee.gatherings.calendar import gathering_ics

TORONTO = ZoneInfo("America/Toronto")


def parse(ics: bytes):
    calendar = Calendar.from_ical(ics)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_invitation_for_an_attendee_is_a_request_with_organizer_and_attendee(gathering, member):
    calendar, event = parse(gathering_ics(gathering=gathering, attendee=member))

    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Tablée//Tablée//FR"
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"gathering-{gathering.pk}@tablee.127.0.0.1"
    assert event["SUMMARY"] == "Déjeuner de la Saint-Roch"
    assert event["LOCATION"] == "Café Saint-Roch, Québec"
    assert "Café-rencontres de Québec" in event["DESCRIPTION"]
    assert event["STATUS"] == "CONFIRMED"
    assert event["DTSTAMP"].dt.tzinfo is not None
    organizer = event["ORGANIZER"]
    assert (str(organizer), organizer.params["CN"]) == ("mailto:bonjour@tablee.local", "Café-rencontres de Québec")
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:marie@example.org"
    assert (attendee.params["CN"], attendee.params["PARTSTAT"]) == ("Marie Tremblay", "ACCEPTED")


def test_start_and_end_carry_the_toronto_zone_and_a_vtimezone(gathering, member):
    calendar, event = parse(gathering_ics(gathering=gathering, attendee=member))

    assert event["DTSTART"].params["TZID"] == "America/Toronto"
    assert event["DTEND"].params["TZID"] == "America/Toronto"
    assert event.start == datetime(2031, 11, 4, 7, 30, tzinfo=TORONTO)
    assert event.end - event.start == timedelta(minutes=120)
    assert event.start.utcoffset() == timedelta(hours=-5)  # after the November change
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Toronto"]
    assert b"DTSTART;TZID=America/Toronto:20311104T073000" in gathering_ics(gathering=gathering)


def test_a_summer_gathering_keeps_its_local_time_in_daylight_time(make_gathering):
    summer = make_gathering(starts_at=datetime(2031, 7, 8, 7, 30, tzinfo=TORONTO), duration_minutes=90)

    _, event = parse(gathering_ics(gathering=summer))

    assert event.start == datetime(2031, 7, 8, 7, 30, tzinfo=TORONTO)
    assert event.start.utcoffset() == timedelta(hours=-4)
    assert event.end == datetime(2031, 7, 8, 9, 0, tzinfo=TORONTO)


def test_without_an_attendee_the_calendar_is_published(gathering):
    calendar, event = parse(gathering_ics(gathering=gathering))

    assert calendar["METHOD"] == "PUBLISH"
    assert "ATTENDEE" not in event


def test_the_uid_is_stable_and_the_sequence_grows_when_the_gathering_changes(gathering, member):
    from tablee.gatherings.services import gathering_update

    _, before = parse(gathering_ics(gathering=gathering, attendee=member))
    gathering_update(gathering=gathering, venue="Auberge Saint-Antoine")
    gathering.refresh_from_db()

    _, after = parse(gathering_ics(gathering=gathering, attendee=member))

    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after["LOCATION"] == "Auberge Saint-Antoine"


def test_each_gathering_has_its_own_uid(gathering, make_gathering):
    other = make_gathering()

    assert parse(gathering_ics(gathering=gathering))[1]["UID"] != parse(gathering_ics(gathering=other))[1]["UID"]


def test_no_venue_means_no_location(make_gathering):
    _, event = parse(gathering_ics(gathering=make_gathering(venue="")))

    assert "LOCATION" not in event
