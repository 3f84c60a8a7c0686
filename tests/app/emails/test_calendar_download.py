"""The calendar file a member downloads is a published entry (METHOD:PUBLISH, RFC 5546 §3.2.1): no
ATTENDEE, no reply expected, its STATUS telling their own status. Invitations that are emailed keep
METHOD:REQUEST (or CANCEL) with ORGANIZER and ATTENDEE, and the MIME part names the same method.
Both carry the same UID and a SEQUENCE at least as high, so a calendar updates the one event."""

from __future__ import annotations

from icalendar import Calendar

from tablee.gatherings import services
from tablee.outbox.models import Email
from tablee.outbox.services import _build_message


def _parse(ics: bytes):
    calendar = Calendar.from_ical(ics)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def _download(client, gathering, user):
    client.force_login(user)
    response = client.get(f"/gatherings/{gathering.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return _parse(response.content)


def test_a_downloaded_file_is_published_not_an_invitation(client, gathering, member):
    services.rsvp_create(gathering=gathering, user=member)
    invitation = _parse(Email.objects.get(kind="rsvp_confirmed").ics)

    calendar, event = _download(client, gathering, member)

    assert calendar["METHOD"] == "PUBLISH"
    assert "ATTENDEE" not in event
    assert str(event["ORGANIZER"]) == "mailto:bonjour@tablee.local"
    assert event["STATUS"] == "CONFIRMED"
    assert event["UID"] == invitation[1]["UID"] and event["SEQUENCE"] >= invitation[1]["SEQUENCE"]


def test_a_downloaded_file_tells_the_waiting_list_and_a_cancelled_seat(client, make_gathering, member,
                                                                       other_member, organizer):
    gathering = make_gathering(tables=1, seats_per_table=2)
    services.rsvp_create(gathering=gathering, user=organizer)
    services.rsvp_create(gathering=gathering, user=member)
    services.rsvp_create(gathering=gathering, user=other_member)  # waiting

    waiting = _download(client, gathering, other_member)
    services.rsvp_cancel(gathering=gathering, user=member)
    cancel_email = _parse(Email.objects.get(kind="rsvp_cancelled", to=member.email).ics)
    cancelled = _download(client, gathering, member)

    assert (waiting[0]["METHOD"], waiting[1]["STATUS"], waiting[1]["TRANSP"]) == ("PUBLISH", "TENTATIVE",
                                                                                   "TRANSPARENT")
    assert (cancelled[0]["METHOD"], cancelled[1]["STATUS"]) == ("PUBLISH", "CANCELLED")
    assert "ATTENDEE" not in waiting[1] and "ATTENDEE" not in cancelled[1]
    assert cancelled[1]["SEQUENCE"] >= cancel_email[1]["SEQUENCE"]


def test_the_api_download_is_published_too(api, gathering, member):
    services.rsvp_create(gathering=gathering, user=member)

    response = api.get(f"/api/gatherings/{gathering.pk}/calendar.ics", user=member)

    calendar, event = _parse(response.content)
    assert calendar["METHOD"] == "PUBLISH" and "ATTENDEE" not in event and event["STATUS"] == "CONFIRMED"


def test_emailed_invitations_stay_requests_and_their_mime_part_says_so(gathering, member):
    from tablee.gatherings.services import gathering_update

    services.rsvp_create(gathering=gathering, user=member)
    gathering_update(gathering=gathering, venue="Auberge Saint-Antoine")

    for kind in ("rsvp_confirmed", "gathering_changed"):
        stored = Email.objects.get(kind=kind, to=member.email)
        calendar, event = _parse(stored.ics)
        assert calendar["METHOD"] == "REQUEST"
        assert str(event["ATTENDEE"]) == "mailto:marie@example.org" and "ORGANIZER" in event
        [part] = [p for p in _build_message(stored).message().walk() if p.get_content_type() == "text/calendar"]
        assert part.get_param("method") == "REQUEST"
