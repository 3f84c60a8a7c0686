"""Calendar and email details: a cancelled seat sends METHOD:CANCEL, the emailed invitation and
calendar.ics tell my real status (the download as METHOD:PUBLISH: test_calendar_download.py), subjects fold in 75-character encoded words, Date carries an offset, automatic emails say so."""

from __future__ import annotations

import email
import email.policy
import re

from icalendar import Calendar

from tablee.gatherings import services
from tablee.gatherings.calendar import member_calendar_ics
from tablee.gatherings.models import Gathering
from tablee.outbox.models import Email
from tablee.outbox.services import _build_message, email_queue, encode_subject


def _event(ics):
    cal = Calendar.from_ical(ics)
    return cal, cal.walk("VEVENT")[0]


def _open(gathering, *, seats=10):
    gathering.state = Gathering.State.OPEN
    gathering.tables, gathering.seats_per_table = 1, seats
    gathering.save()
    return gathering


def test_cancelling_a_seat_sends_a_cancel_that_supersedes_the_invitation(gathering, member):
    _open(gathering)
    services.rsvp_create(gathering=gathering, user=member)
    invitation = Email.objects.get(kind="rsvp_confirmed")

    services.rsvp_cancel(gathering=gathering, user=member)

    cancel = Email.objects.get(kind="rsvp_cancelled")
    assert cancel.to == "marie@example.org" and "annulée" in cancel.subject
    cal, event = _event(cancel.ics)
    _cal, invited = _event(invitation.ics)
    assert (str(cal["METHOD"]), str(event["STATUS"])) == ("CANCEL", "CANCELLED")
    assert str(event["UID"]) == str(invited["UID"])
    assert int(event["SEQUENCE"]) > int(invited["SEQUENCE"])
    assert event["ATTENDEE"].params["PARTSTAT"] == "DECLINED"
    assert re.search(r'text/calendar; charset="utf-8";\s+method="?CANCEL', _build_message(cancel).message().as_string())


def test_taking_the_seat_again_supersedes_the_cancel(gathering, member):
    _open(gathering)
    services.rsvp_create(gathering=gathering, user=member)
    services.rsvp_cancel(gathering=gathering, user=member)
    cancel = Email.objects.get(kind="rsvp_cancelled")

    services.rsvp_create(gathering=gathering, user=member)

    again = Email.objects.filter(kind="rsvp_confirmed").latest("pk")
    assert int(_event(again.ics)[1]["SEQUENCE"]) > int(_event(cancel.ics)[1]["SEQUENCE"])


def test_leaving_the_waiting_list_says_so_without_cancelling_an_invitation_never_sent(
        gathering, member, other_member, organizer):
    _open(gathering, seats=2)
    services.rsvp_create(gathering=gathering, user=other_member)
    services.rsvp_create(gathering=gathering, user=organizer)
    services.rsvp_create(gathering=gathering, user=member)

    services.rsvp_cancel(gathering=gathering, user=member)

    cancel = Email.objects.get(kind="rsvp_cancelled", user=member)
    assert "liste d'attente" in cancel.subject
    assert Email.objects.get(kind="rsvp_waitlisted", user=member).ics == ""
    assert cancel.ics == ""  # no METHOD:CANCEL for an event their calendar never got


def test_leaving_the_waiting_list_cancels_the_tentative_invitation_a_change_sent_meanwhile(
        gathering, member, other_member, organizer):
    _open(gathering, seats=2)
    services.rsvp_create(gathering=gathering, user=other_member)
    services.rsvp_create(gathering=gathering, user=organizer)
    services.rsvp_create(gathering=gathering, user=member)
    services.gathering_update(gathering=gathering, venue="Auberge Saint-Antoine")  # a TENTATIVE reaches her

    services.rsvp_cancel(gathering=gathering, user=member)

    cancel = Email.objects.get(kind="rsvp_cancelled", user=member)
    assert str(_event(cancel.ics)[0]["METHOD"]) == "CANCEL"


def test_a_cancellation_is_attached_as_a_cancellation_not_an_invitation(gathering, member):
    from tablee.members.models import Profile

    _open(gathering)
    services.rsvp_create(gathering=gathering, user=member)
    services.rsvp_cancel(gathering=gathering, user=member)
    confirmed, cancelled = (Email.objects.get(kind=kind, user=member) for kind in ("rsvp_confirmed", "rsvp_cancelled"))

    def filename(email):
        [part] = [p for p in _build_message(email).message().walk() if p.get_content_type() == "text/calendar"]
        return part.get_filename()

    assert filename(confirmed) == "invitation.ics"
    assert filename(cancelled) == "annulation.ics"
    Profile.objects.filter(user=member).update(preferred_language="en")
    assert filename(cancelled) == "cancellation.ics"


def test_cancellation_emails_have_a_daily_quota(gathering, member):
    _open(gathering)
    for _round in range(5):
        services.rsvp_create(gathering=gathering, user=member)
        services.rsvp_cancel(gathering=gathering, user=member)
    assert Email.objects.filter(kind="rsvp_cancelled").count() == 3


def test_the_emailed_invitation_tells_my_real_status(gathering, member, other_member, organizer, make_person, association):
    _open(gathering, seats=2)
    services.rsvp_create(gathering=gathering, user=member)
    services.rsvp_create(gathering=gathering, user=organizer)
    services.rsvp_create(gathering=gathering, user=other_member)
    stranger = make_person(association=association, email="nadia@example.org", first_name="Nadia", last_name="Roy")

    confirmed = _event(member_calendar_ics(gathering=gathering, user=member))
    waiting = _event(member_calendar_ics(gathering=gathering, user=other_member))
    no_seat = _event(member_calendar_ics(gathering=gathering, user=stranger))
    services.rsvp_cancel(gathering=gathering, user=other_member)
    cancelled = _event(member_calendar_ics(gathering=gathering, user=other_member))

    def status(pair):
        cal, event = pair
        attendee = event.get("ATTENDEE")
        return str(cal["METHOD"]), str(event["STATUS"]), attendee.params["PARTSTAT"] if attendee else None

    assert status(confirmed) == ("REQUEST", "CONFIRMED", "ACCEPTED")
    assert status(waiting) == ("REQUEST", "TENTATIVE", "TENTATIVE")
    assert status(cancelled) == ("CANCEL", "CANCELLED", "DECLINED")
    assert status(no_seat) == ("PUBLISH", "TENTATIVE", None)


def test_the_api_calendar_follows_my_status(api, gathering, member):
    _open(gathering)
    services.rsvp_create(gathering=gathering, user=member)
    services.rsvp_cancel(gathering=gathering, user=member)
    answer = api.get(f"/api/gatherings/{gathering.pk}/calendar.ics", user=member)
    assert answer.status_code == 200
    assert str(_event(answer.content)[1]["STATUS"]) == "CANCELLED"


def test_the_page_calendar_follows_my_status(client, gathering, member):
    _open(gathering)
    services.rsvp_create(gathering=gathering, user=member)
    services.rsvp_cancel(gathering=gathering, user=member)
    client.force_login(member)
    answer = client.get(f"/gatherings/{gathering.pk}/calendar.ics")
    assert answer.status_code == 200
    assert str(_event(answer.content)[1]["STATUS"]) == "CANCELLED"


LONG = "C'est confirmé\u00a0: votre place à «\u00a0Déjeuner-causerie de la Chambre de commerce de Lévis — édition d'hiver\u00a0»"


def test_encoded_subject_words_are_at_most_75_characters_and_read_back_whole():
    encoded = encode_subject(LONG)
    words = encoded.split(" ")
    assert len(words) > 1 and all(len(w) <= 75 for w in words)
    assert str(email.header.make_header(email.header.decode_header(encoded))) == LONG
    assert encode_subject("Plain ASCII subject") == "Plain ASCII subject"
    # Never split the bytes of one character: every word decodes alone.
    for word in words:
        email.header.decode_header(word)[0][0].decode("utf-8")


def test_the_sent_message_folds_the_subject_dates_with_an_offset_and_says_automatic(member):
    queued = email_queue(key="t-1", kind="rsvp_confirmed", to="marie@example.org", subject=LONG, body_text="x")
    raw = _build_message(queued).message().as_bytes()
    words = re.findall(rb"=\?utf-8\?q\?[^?]*\?=", raw, flags=re.I)
    assert words and all(len(w) <= 75 for w in words)
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert str(parsed["Subject"]) == LONG
    assert re.search(r" [+-]\d{4}$", parsed["Date"]) and not parsed["Date"].endswith("-0000")
    assert parsed["Auto-Submitted"] == "auto-generated"


def test_a_message_a_member_wrote_is_not_marked_automatic(member):
    queued = email_queue(key="t-2", kind="followup", to="ami@example.org", subject="Suite", body_text="x",
                         sender_name="Marie Tremblay")
    parsed = email.message_from_bytes(_build_message(queued).message().as_bytes(), policy=email.policy.default)
    assert parsed["Auto-Submitted"] is None
