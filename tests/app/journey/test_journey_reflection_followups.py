"""The reflection page lists the cards of the event with each follow-up's real status: the outbox
row's (sent, failed, still in the queue), never the « en cours d'envoi » frozen when it was queued."""

from __future__ import annotations

from datetime import date
from unittest import mock

from tablee.circle.services import CardEntry, cards_keep, followup_send
from tablee.journey.services import intention_create
from tablee.outbox.models import Email
from tablee.outbox.services import email_send


def _sent_followup(member, name):
    [card] = cards_keep(owner=member, entries=[CardEntry(name=name, email=name.split()[0].lower() + "@example.org")],
                        event_label="Salon de l'emploi")
    return followup_send(owner=member, followup=card.followup, subject="Suite", body="Merci pour l'échange.")


def _card_line(client, member, name) -> str:
    intention = intention_create(author=member, event_title="Salon de l'emploi", event_date=date(2026, 11, 20),
                                 result="r", signal="s")
    client.force_login(member)
    page = client.get(f"/parcours/intentions/{intention.pk}/").content.decode()
    [line] = [li for li in page.split("<li>") if li.startswith(name)]
    return line.split("</li>")[0]


def test_a_follow_up_the_outbox_sent_shows_as_sent(client, member):
    email = _sent_followup(member, "Julie Roy")
    assert email_send(email_id=email.pk) == "sent"

    assert _card_line(client, member, "Julie Roy") == "Julie Roy — envoyé"


def test_a_follow_up_that_failed_for_good_says_so(client, member):
    email = _sent_followup(member, "Julie Roy")
    Email.objects.filter(pk=email.pk).update(attempts=9)
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("refused")):
        assert email_send(email_id=email.pk) == "failed"

    assert _card_line(client, member, "Julie Roy") == "Julie Roy — échec de l&#x27;envoi"


def test_a_follow_up_still_in_the_queue_says_so(client, member):
    _sent_followup(member, "Julie Roy")

    assert _card_line(client, member, "Julie Roy") == "Julie Roy — en file d&#x27;envoi"


def test_a_card_without_a_follow_up_sent_says_it_is_to_do(client, member):
    cards_keep(owner=member, entries=[CardEntry(name="Paul Côté", email="paul@example.org")],
               event_label="Salon de l'emploi")

    assert _card_line(client, member, "Paul Côté") == "Paul Côté — à faire"


def test_mon_parcours_counts_a_follow_up_sent_in_time_but_not_one_that_never_left(member):
    from tablee.journey.selectors import parcours

    def sent_in_time() -> int:
        return sum(parcours(user=member)["series"][0].values)

    sent = _sent_followup(member, "Julie Roy")
    email_send(email_id=sent.pk)
    failed = _sent_followup(member, "Paul Côté")
    Email.objects.filter(pk=failed.pk).update(attempts=9)
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("refused")):
        email_send(email_id=failed.pk)

    assert sent_in_time() == 1
