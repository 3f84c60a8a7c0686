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
        services.CardEntry(email=table_mates[0].email, topic="son projet de coopérative d'habitation")])
    services.promise_create(owner=member, contact=card.contact, text="le rapport sur le financement participatif")
    return FollowUp.objects.get(card=card)


def test_the_draft_cites_the_topic_the_promise_and_the_gathering_without_pasting_the_note(followup):
    subject, body = followup_draft(followup)
    assert subject == "Notre conversation au déjeuner de la Saint-Roch"
    assert "Bonjour Samuel," in body
    assert "J'ai repensé à notre conversation sur ton projet de coopérative d'habitation." in body
    assert "son projet" not in body  # the note speaks of him; the draft speaks to him
    assert "Comme promis, voici le rapport sur le financement participatif." in body
    assert body.rstrip().endswith("Marie Tremblay\nmarie@example.org")


@pytest.mark.parametrize(("tone", "expected", "absent"), [
    ("brief", "Ça m'a fait plaisir de parler de ton projet de coopérative d'habitation.", "Merci pour notre échange"),
    ("warm", "Merci pour notre échange au déjeuner de la Saint-Roch.", "Cordialement"),
    ("formal", "Notre conversation sur votre projet de coopérative d'habitation m'a donné matière à réflexion.",
     " ton "),
])
def test_three_tones_to_choose_from(followup, tone, expected, absent):
    _subject, body = followup_draft(followup, tone)
    assert body.startswith("Bonjour Samuel,")
    assert expected in body
    assert absent not in body


@pytest.mark.parametrize("tone", ["brief", "warm", "formal"])
def test_the_private_note_of_a_card_never_reaches_the_draft(member, past_gathering, table_mates, tone):
    note = "Pas fiable, divorce difficile, à éviter pour les contrats"
    [card] = services.cards_keep(owner=member, gathering=past_gathering, entries=[
        services.CardEntry(email=table_mates[0].email, note=note)])

    subject, body = followup_draft(FollowUp.objects.get(card=card), tone)

    for word in ("fiable", "divorce", "éviter", "contrats"):
        assert word not in subject + body
    assert "déjeuner de la Saint-Roch" in body  # the draft still thanks for the gathering


def test_the_draft_cites_the_topic_written_for_it_and_not_the_note_beside_it(member, past_gathering, table_mates):
    [card] = services.cards_keep(owner=member, gathering=past_gathering, entries=[
        services.CardEntry(email=table_mates[0].email, topic="son projet de coopérative",
                           note="Semble pressé de trouver un associé")])

    _subject, body = followup_draft(FollowUp.objects.get(card=card))

    assert "notre conversation sur ton projet de coopérative" in body
    assert "pressé" not in body and "associé" not in body


@pytest.mark.parametrize("note", [
    "A parlé de son virage vers l'export, veut des distributeurs https://example.com/x?utm=1",
    "Voir https://example.com/financement pour le financement",
])
def test_a_sentence_note_or_a_link_is_never_pasted(member, past_gathering, table_mates, note):
    [card] = services.cards_keep(owner=member, gathering=past_gathering, entries=[
        services.CardEntry(email=table_mates[0].email, topic=note)])
    _subject, body = followup_draft(FollowUp.objects.get(card=card))
    for fragment in ("A parlé", "https", "example.com", "utm", "Voir", "parlé de A"):
        assert fragment not in body
    assert note not in body


def test_family_name_first_contacts_are_greeted_by_their_given_name(member):
    contact = services.contact_create(owner=member, name="Nguyễn Thị Hoa", email="hoa.nguyen@example.com")
    followup = services.followup_create(owner=member, contact=contact)
    assert followup_draft(followup)[1].startswith("Bonjour Hoa,")
    other = services.contact_create(owner=member, name="Tremblay, Julie", email="jt@example.com")
    assert followup_draft(services.followup_create(owner=member, contact=other))[1].startswith("Bonjour Julie,")


def test_the_api_gives_a_draft_in_each_tone(api, member, followup):
    drafts = {tone: api.get(f"/api/followups/{followup.pk}/draft?tone={tone}", user=member).json()
              for tone in ("brief", "warm", "formal")}
    assert len({d["body"] for d in drafts.values()}) == 3
    assert all(d["body"].startswith("Bonjour Samuel,") for d in drafts.values())
    assert api.get(f"/api/followups/{followup.pk}/draft?tone=rude", user=member).status_code == 422


def test_the_draft_is_in_english_for_an_english_speaking_contact(followup):
    profile = followup.contact.user.profile
    profile.preferred_language = "en"
    profile.save()
    followup.refresh_from_db()
    subject, body = followup_draft(followup)
    assert subject == "Following up on our conversation at “Déjeuner de la Saint-Roch”"
    assert "Hello Samuel," in body
    assert "I have been thinking about our conversation on “projet de coopérative d'habitation”." in body
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


def test_a_topic_starting_with_a_vowel_is_elided_and_the_draft_needs_no_gender(member, past_gathering, table_mates):
    [card] = services.cards_keep(owner=member, gathering=past_gathering, entries=[
        services.CardEntry(email=table_mates[0].email, topic="économie sociale")])
    followup = FollowUp.objects.get(card=card)

    _subject, brief = followup_draft(followup, "brief")
    _subject, formal = followup_draft(followup, "formal")

    assert "Ça m'a fait plaisir de parler d'" in brief and "économie sociale" in brief
    assert "de économie" not in brief and "de « économie" not in brief
    assert "·" not in brief + formal


def _page(client, followup, **post):
    url = f"/followups/{followup.pk}/"
    return (client.post(url, post) if post else client.get(url)).content.decode()


def test_switching_tone_on_an_untouched_draft_replaces_it(client, member, followup):
    client.force_login(member)
    subject, body = followup_draft(followup, "warm")

    page = _page(client, followup, shown_tone="warm", tone="formal", subject=subject, body=body)

    assert "Cordialement," in page and 'data-testid="tone-ask"' not in page
    assert 'value="formal" formnovalidate class="primary small" aria-pressed="true"' in page


def test_switching_tone_after_typing_keeps_the_text_and_asks_first(client, member, followup):
    client.force_login(member)
    subject, body = followup_draft(followup, "warm")
    typed = body.replace("Bonjour Samuel,", "Salut Samuel, quelle belle rencontre!")

    page = _page(client, followup, shown_tone="warm", tone="formal", subject=subject, body=typed)

    assert "Salut Samuel, quelle belle rencontre!" in page
    assert "Cordialement," not in page
    assert "Le remplacer par le brouillon «\u00a0Formel\u00a0»?" in page
    assert 'name="replace_tone" value="formal"' in page
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.PENDING and "Salut" not in followup.body


def test_saying_yes_replaces_the_typed_text_with_the_new_tone(client, member, followup):
    client.force_login(member)
    subject, body = followup_draft(followup, "warm")

    page = _page(client, followup, shown_tone="warm", replace_tone="formal", subject=subject, body=body + "\nP.-S. Merci!")

    assert "Cordialement," in page and "P.-S. Merci!" not in page


def test_enter_in_the_subject_keeps_the_tone_and_the_typed_text_and_sends_nothing(client, member, followup):
    client.force_login(member)
    subject, body = followup_draft(followup, "warm")

    page = _page(client, followup, shown_tone="warm", tone="warm", subject="Mon objet", body=body + "\nP.-S.")

    assert 'value="Mon objet"' in page and "P.-S." in page
    assert not Email.objects.filter(kind="followup").exists()


@pytest.mark.parametrize(("note", "cited", "pasted"), [
    ("Julie parle du financement participatif", "notre conversation sur le financement participatif", "Julie"),
    ("A parlé de son virage vers l'export, veut des distributeurs", "notre conversation sur ton virage vers l'export",
     "veut des"),
    ("Parlé de tout et de rien", "Merci pour notre échange", "tout et de rien"),
    ("Julie veut des distributeurs", "Merci pour notre échange", "distributeurs"),
])
def test_a_note_that_says_what_was_talked_about_gives_the_topic_not_the_sentence(
        member, past_gathering, table_mates, note, cited, pasted):
    [card] = services.cards_keep(owner=member, gathering=past_gathering, entries=[
        services.CardEntry(email=table_mates[0].email, topic=note)])

    _subject, body = followup_draft(FollowUp.objects.get(card=card), "warm")

    assert cited in body and pasted not in body


def test_the_done_list_separates_the_name_from_how_it_was_sent(client, member, followup):
    FollowUp.objects.filter(pk=followup.pk).update(status=FollowUp.Status.MAILTO, sent_at=timezone.now())
    client.force_login(member)

    page = client.get("/followups/").content.decode()

    done = page.split('data-testid="followup-recent"')[1].split("</ul>")[0]
    assert f"<strong>{followup.contact.name}</strong></a> — <span" in done
    assert "envoyé depuis mon logiciel de courriel" in done
