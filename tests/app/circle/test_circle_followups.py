from __future__ import annotations

from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tablee.circle import services
from tablee.circle.drafts import followup_draft, mailto_link
from tablee.circle.models import FollowUp, Interaction
from tablee.outbox.models import Email
from tablee.outbox.services import email_send, email_sweep


@pytest.fixture
def followup(member, past_gathering, table_mates):
    [card] = services.cards_keep(owner=member, gathering=past_gathering, entries=[
        services.CardEntry(email=table_mates[0].email, note="son projet de coopérative d'habitation")])
    services.promise_create(owner=member, contact=card.contact, text="le rapport sur le financement participatif")
    return FollowUp.objects.get(card=card)


def test_the_draft_cites_the_note_the_promise_and_the_gathering(followup):
    subject, body = followup_draft(followup)
    assert "Déjeuner de la Saint-Roch" in subject
    assert "Bonjour Samuel," in body
    assert "Tu m'avais parlé de son projet de coopérative d'habitation." in body
    assert "Comme promis, voici le rapport sur le financement participatif." in body
    assert body.rstrip().endswith("Marie Tremblay\nmarie@example.org")


def test_the_draft_is_in_english_for_an_english_speaking_contact(followup):
    profile = followup.contact.user.profile
    profile.preferred_language = "en"
    profile.save()
    followup.refresh_from_db()
    subject, body = followup_draft(followup)
    assert subject == "Following up on our conversation at Déjeuner de la Saint-Roch"
    assert "You told me about son projet" in body
    assert "As promised, here is le rapport" in body


def test_the_mailto_link_carries_the_url_encoded_draft():
    link = mailto_link(to="samuel@example.org", subject="Suite & fin", body="Ligne 1\nLigne 2")
    assert link.startswith("mailto:samuel@example.org?subject=Suite%20%26%20fin&body=")
    assert unquote(link.split("body=")[1]) == "Ligne 1\nLigne 2"


def test_sending_twice_stores_one_email_and_one_interaction(member, followup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = services.followup_send(owner=member, followup=followup, subject="Suite", body="Bonjour Samuel")
        second = services.followup_send(owner=member, followup=followup, subject="Autre", body="Autre")

    assert first.pk == second.pk
    assert Email.objects.filter(key=f"followup:{followup.pk}").count() == 1
    assert Email.objects.get().subject == "Suite" and Email.objects.get().to == "samuel@example.org"
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.QUEUED
    assert Interaction.objects.filter(owner=member, kind="email", followup=followup).count() == 1


def test_someone_else_cannot_send_my_follow_up(other_member, followup):
    with pytest.raises(ValidationError):
        services.followup_send(owner=other_member, followup=followup, subject="x", body="y")
    assert not Email.objects.exists()


def test_double_send_reaches_the_smtp_server_once(member, followup, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        services.followup_send(owner=member, followup=followup, subject="Suite", body="Bonjour Samuel")
        services.followup_send(owner=member, followup=followup, subject="Suite", body="Bonjour Samuel")
    email = Email.objects.get()
    assert email_send(email_id=email.pk) == "sent"
    assert email_send(email_id=email.pk) == "skipped"
    assert email_sweep(now=timezone.now() + timedelta(hours=1)) == 0

    assert [e.rcpt_tos for e in smtp.inbox.envelopes] == [["samuel@example.org"]]
    message = smtp.inbox.messages[0]
    assert message["To"] == "samuel@example.org" and message["Bcc"] is None
    assert "Bonjour Samuel" in message.get_content()


def test_an_smtp_outage_is_retried_with_back_off_then_sent_once(member, followup, smtp_down,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        services.followup_send(owner=member, followup=followup, subject="Suite", body="Bonjour Samuel")
    email = Email.objects.get()
    now = timezone.now()

    assert email_send(email_id=email.pk, now=now) == "retry"
    email.refresh_from_db()
    assert email.status == "queued" and email.attempts == 1 and email.next_attempt_at >= now + timedelta(minutes=1)
    assert email_sweep(now=now + timedelta(seconds=30)) == 0  # still backing off

    smtp_down.start()
    assert email_sweep(now=now + timedelta(minutes=2)) == 1
    assert email_sweep(now=now + timedelta(hours=2)) == 0
    assert len(smtp_down.inbox.envelopes) == 1
    email.refresh_from_db()
    assert email.status == "sent" and email.attempts == 2


def test_opening_in_my_mail_program_counts_as_an_interaction_once(member, followup):
    services.followup_open_in_mail(owner=member, followup=followup, subject="S", body="B")
    services.followup_open_in_mail(owner=member, followup=followup, subject="S", body="B")
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.MAILTO
    assert Interaction.objects.filter(followup=followup).count() == 1
    assert not Email.objects.exists()


def test_a_follow_up_comes_from_me_via_tablee_and_replies_reach_me(member, followup, smtp,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        services.followup_send(owner=member, followup=followup, subject="Suite", body="Bonjour Samuel")
    assert email_send(email_id=Email.objects.get().pk) == "sent"

    message = smtp.inbox.messages[0]
    assert message["Reply-To"] == "marie@example.org"
    assert message["From"].startswith("Marie Tremblay via ")
