"""email_queue / email_send / email_sweep against a real SMTP server on loopback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from tablee.gatherings.calendar import gathering_ics
from tablee.outbox import services
from tablee.outbox.models import Email
from tablee.outbox.tasks import send_email


def queue(member, gathering, *, key="test:1", ics=True) -> Email:
    return services.email_queue(
        key=key,
        kind="test",
        to=member.email,
        subject="C'est confirmé\u00a0: votre place",
        body_text="Bonjour Marie,\nUne place vous attend.",
        body_html="<p>Bonjour Marie,</p><p>Une place vous attend.</p>",
        ics=gathering_ics(gathering=gathering, attendee=member) if ics else "",
        user=member,
    )


def test_queued_email_leaves_through_the_task_with_text_html_and_invitation(
    smtp, member, gathering, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue(member, gathering)
    task = DBTaskResult.objects.get()
    assert (task.queue_name, task.args_kwargs["kwargs"]) == ("email", {"email_id": email.pk})
    assert smtp.inbox.envelopes == []  # queuing sends nothing

    assert send_email.call(email_id=email.pk) == "sent"

    [envelope] = smtp.inbox.envelopes
    assert envelope.rcpt_tos == ["marie@example.org"]
    [message] = smtp.inbox.messages
    assert message["To"] == "marie@example.org"
    assert message["Bcc"] is None
    assert message["Subject"] == "C'est confirmé\u00a0: votre place"
    assert message["Message-ID"] == email.message_id
    assert message.get_body(("plain",)).get_content().startswith("Bonjour Marie,")
    assert "<p>Une place vous attend.</p>" in message.get_body(("html",)).get_content()
    [invitation] = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert invitation.get_param("method") == "REQUEST"
    event = Calendar.from_ical(invitation.get_content()).walk("VEVENT")[0]
    assert str(event["UID"]) == f"gathering-{gathering.pk}@tablee.127.0.0.1"
    assert event["DTSTART"].params["TZID"] == "America/Toronto"
    assert event.start == gathering.starts_at
    assert str(event["ORGANIZER"]) == "mailto:bonjour@tablee.local"
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (Email.Status.SENT, 1, "")
    assert email.sent_at is not None


def test_queuing_the_same_key_twice_stores_and_enqueues_once(member, gathering, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(member, gathering)
        second = queue(member, gathering)

    assert first.pk == second.pk
    assert Email.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_a_rolled_back_transaction_leaves_no_email_and_no_task(member, gathering, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):  # noqa: SIM117
        with transaction.atomic():
            queue(member, gathering)
            raise RuntimeError("the RSVP failed after the email was queued")

    assert Email.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_running_the_task_twice_sends_once(smtp, member, gathering):
    email = queue(member, gathering)

    assert send_email.call(email_id=email.pk) == "sent"
    assert send_email.call(email_id=email.pk) == "skipped"

    assert len(smtp.inbox.envelopes) == 1


def test_a_sent_email_is_never_sent_again_even_long_after(smtp, member, gathering):
    email = queue(member, gathering)
    send_email.call(email_id=email.pk)
    next_week = timezone.now() + timedelta(days=7)  # long past any lease

    assert services.email_send(email_id=email.pk, now=next_week) == "skipped"
    assert services.email_sweep(now=next_week) == 0
    assert len(smtp.inbox.envelopes) == 1


def test_the_sweep_after_the_task_sends_nothing_more(smtp, member, gathering):
    email = queue(member, gathering)
    send_email.call(email_id=email.pk)

    assert services.email_sweep() == 0
    assert len(smtp.inbox.envelopes) == 1


def test_the_sweep_sends_a_row_whose_task_was_lost(smtp, member, gathering):
    email = queue(member, gathering, ics=False)  # on_commit never runs here: no task exists

    assert services.email_sweep() == 1

    assert len(smtp.inbox.envelopes) == 1
    assert Email.objects.get(pk=email.pk).status == Email.Status.SENT


def test_a_row_in_flight_is_not_sent_by_a_second_task(smtp, member, gathering):
    email = queue(member, gathering)
    Email.objects.filter(pk=email.pk).update(
        status=Email.Status.SENDING, attempts=1, next_attempt_at=timezone.now() + services.LEASE
    )

    assert send_email.call(email_id=email.pk) == "skipped"
    assert services.email_sweep() == 0
    assert smtp.inbox.envelopes == []


def test_the_sweep_resends_a_row_whose_lease_expired(smtp, member, gathering):
    email = queue(member, gathering)
    Email.objects.filter(pk=email.pk).update(
        status=Email.Status.SENDING, attempts=1, next_attempt_at=timezone.now() - timedelta(seconds=1)
    )

    assert services.email_sweep() == 1

    email.refresh_from_db()
    assert (email.status, email.attempts) == (Email.Status.SENT, 2)
    assert len(smtp.inbox.envelopes) == 1


def test_smtp_down_requeues_with_backoff_then_sends_once_when_back(
    smtp_down, member, gathering, django_capture_on_commit_callbacks
):
    email = queue(member, gathering)
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.email_send(email_id=email.pk) == "retry"

    email.refresh_from_db()
    assert (email.status, email.attempts) == (Email.Status.QUEUED, 1)
    assert "Connection refused" in email.last_error or "Errno" in email.last_error
    assert before + timedelta(minutes=1) <= email.next_attempt_at <= timezone.now() + timedelta(minutes=1)
    # The retry is scheduled as a deferred task, and meanwhile nothing re-sends it early.
    retry = DBTaskResult.objects.get()
    assert retry.run_after == email.next_attempt_at
    assert services.email_send(email_id=email.pk) == "skipped"
    assert services.email_sweep() == 0

    smtp_down.start()
    later = email.next_attempt_at + timedelta(seconds=1)
    assert services.email_sweep(now=later) == 1
    assert services.email_send(email_id=email.pk, now=later) == "skipped"

    email.refresh_from_db()
    assert (email.status, email.attempts) == (Email.Status.SENT, 2)
    assert len(smtp_down.inbox.envelopes) == 1


def test_a_second_failure_waits_twice_as_long(smtp_down, member, gathering):
    email = queue(member, gathering)
    services.email_send(email_id=email.pk)
    email.refresh_from_db()
    second_try = email.next_attempt_at + timedelta(seconds=1)

    assert services.email_send(email_id=email.pk, now=second_try) == "retry"

    email.refresh_from_db()
    assert email.attempts == 2
    assert timedelta(minutes=2) <= email.next_attempt_at - second_try < timedelta(minutes=2, seconds=30)


@pytest.mark.parametrize(
    ("attempts", "minutes"), [(1, 1), (2, 2), (3, 4), (4, 8), (6, 32), (7, 60), (10, 60)]
)
def test_backoff_doubles_up_to_one_hour(attempts, minutes):
    assert services.backoff(attempts) == timedelta(minutes=minutes)


def test_the_last_allowed_attempt_marks_the_email_failed(smtp_down, member, gathering):
    email = queue(member, gathering)
    Email.objects.filter(pk=email.pk).update(attempts=services.MAX_ATTEMPTS - 1)

    assert services.email_send(email_id=email.pk) == "failed"

    email.refresh_from_db()
    assert (email.status, email.attempts) == (Email.Status.FAILED, services.MAX_ATTEMPTS)
    assert email.last_error
    assert services.email_sweep(now=timezone.now() + timedelta(days=1)) == 0


def test_a_recipient_refused_for_good_fails_without_retry(smtp, member, gathering):
    smtp.inbox.refuse.add(member.email)
    email = queue(member, gathering)

    assert services.email_send(email_id=email.pk) == "failed"

    email.refresh_from_db()
    assert email.status == Email.Status.FAILED
    assert "550" in email.last_error
