"""`tablee worker --batch`: runs the send tasks, queues due reminders, sweeps the outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tablee import cli
from tablee.gatherings.models import Gathering, Rsvp
from tablee.outbox import services
from tablee.outbox.management.commands.tablee_worker import tick
from tablee.outbox.models import Email

pytestmark = pytest.mark.django_db(transaction=True)


def queue(user, n: int) -> Email:
    return services.email_queue(
        key=f"worker-test:{n}", kind="test", to=user.email, subject=f"Courriel {n}", body_text="Bonjour", user=user
    )


def test_worker_batch_runs_the_send_tasks(smtp, member, other_member):
    queue(member, 1)
    queue(other_member, 2)
    assert DBTaskResult.objects.filter(status="READY").count() == 2

    assert cli.main(["-v", "0", "worker", "--batch"]) == 0

    assert sorted(e.rcpt_tos[0] for e in smtp.inbox.envelopes) == ["marie@example.org", "samuel@example.org"]
    assert set(Email.objects.values_list("status", flat=True)) == {Email.Status.SENT}
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_worker_batch_sweeps_a_row_that_has_no_task(smtp, member):
    queue(member, 1)
    DBTaskResult.objects.all().delete()  # the task was lost

    assert cli.main(["-v", "0", "worker", "--batch"]) == 0

    assert len(smtp.inbox.envelopes) == 1
    assert Email.objects.get().status == Email.Status.SENT


def test_worker_batch_queues_and_sends_due_reminders_once(smtp, association, member, other_member):
    soon = Gathering.objects.create(association=association, title="Déjeuner de demain",
                                    starts_at=timezone.now() + timedelta(days=1))
    long_ago = timezone.now() - timedelta(days=10)
    Rsvp.objects.create(gathering=soon, user=member, status=Rsvp.Status.CONFIRMED, queued_at=long_ago,
                        confirmed_at=long_ago)
    Rsvp.objects.create(gathering=soon, user=other_member, status=Rsvp.Status.WAITLISTED, queued_at=long_ago)

    assert cli.main(["-v", "0", "worker", "--batch"]) == 0
    assert cli.main(["-v", "0", "worker", "--batch"]) == 0

    [envelope] = smtp.inbox.envelopes
    assert envelope.rcpt_tos == ["marie@example.org"]
    assert Email.objects.get().kind == "reminder"
    soon.refresh_from_db()
    assert soon.reminder_sent_at is not None


def test_tick_survives_a_failing_step(monkeypatch, member):
    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("tablee.gatherings.emails.queue_due_reminders", broken)
    queue(member, 1)

    done = tick()  # the sweep still runs; default test email backend is locmem

    assert done["reminders"] == 0 and done["swept"] == 1  # other rooms' jobs (evening_after) ran too


def test_an_rsvp_reaches_the_member_as_a_french_email_with_an_invitation(smtp, association, member):
    from icalendar import Calendar

    from tablee.gatherings.services import rsvp_create

    gathering = Gathering.objects.create(association=association, title="Déjeuner des bâtisseurs",
                                         starts_at=timezone.now() + timedelta(days=9))
    rsvp_create(gathering=gathering, user=member)

    assert cli.main(["-v", "0", "worker", "--batch"]) == 0

    [message] = smtp.inbox.messages
    assert message["To"] == "marie@example.org"
    # Django folds a long UTF-8 subject after "Subject:"; the parser keeps that fold as a space.
    assert message["Subject"].strip() == "C'est confirmé\u00a0: votre place à «\u00a0Déjeuner des bâtisseurs\u00a0»"
    assert "Bonjour Marie," in message.get_body(("plain",)).get_content()
    assert "Bonjour Marie," in message.get_body(("html",)).get_content()
    [invitation] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    event = Calendar.from_ical(invitation.get_content()).walk("VEVENT")[0]
    assert str(event["UID"]) == f"gathering-{gathering.pk}@tablee.127.0.0.1"
    assert event["DTSTART"].params["TZID"] == "America/Toronto"
