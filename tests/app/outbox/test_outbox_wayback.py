"""Every email has a way back: List-Unsubscribe (RFC 8058) on non-transactional emails, a footer with
the preferences link, one-click unsubscribe without signing in, and the CASL block for personal emails."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tablee.outbox import services, wayback
from tablee.outbox.models import Email, OptOut, Topic, UnsubscribeKey
from tablee.outbox.tasks import send_email

SITE = "http://tablee.example:8123"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def queue(to: str, *, key: str, topic: str = "", **extra) -> Email:
    return services.email_queue(key=key, kind="test", to=to, subject="Sujet", body_text="Bonjour.",
                                body_html="<html><body><p>Bonjour.</p></body></html>", topic=topic, **extra)


def deliver(django_capture_on_commit_callbacks, make):
    with django_capture_on_commit_callbacks(execute=True):
        email = make()
    send_email.call(email_id=email.pk)
    return email


def test_a_reminder_carries_one_click_unsubscribe_headers_and_a_footer(db, smtp, django_capture_on_commit_callbacks):
    deliver(django_capture_on_commit_callbacks,
            lambda: queue("marie@example.org", key="t:1", topic=Topic.REMINDERS, language="fr-ca"))

    [message] = smtp.inbox.messages
    [url] = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])
    assert url.startswith(SITE + "/email/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert url in text and SITE + "/account/preferences/" in text
    assert "Rappels avant une rencontre" in text
    assert SITE + "/account/preferences/" in html and html.index("preferences") < html.index("</body>")


def test_a_transactional_email_has_no_unsubscribe(db, smtp, django_capture_on_commit_callbacks):
    deliver(django_capture_on_commit_callbacks, lambda: queue("marie@example.org", key="t:1"))

    [message] = smtp.inbox.messages
    assert message["List-Unsubscribe"] is None and message["List-Unsubscribe-Post"] is None
    assert "/account/preferences/" not in message.get_body(("plain",)).get_content()


def _unsubscribe_path(email: Email) -> str:
    [url] = re.findall(re.escape(SITE) + r"(/email/unsubscribe/[^\s/]+/)", email.body_text)
    return url


def test_one_click_post_without_cookie_or_csrf_refuses_that_topic_only(member):
    email = queue("Marie@Example.org", key="t:1", topic=Topic.REMINDERS)
    mail_client = Client(enforce_csrf_checks=True)

    assert mail_client.get(_unsubscribe_path(email)).status_code == 200  # a scanner opening it changes nothing
    assert not OptOut.objects.exists()
    response = mail_client.post(_unsubscribe_path(email), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert 'href="/account/preferences/"' in response.content.decode()  # changing one's mind is one tap away
    assert list(OptOut.objects.values_list("address", "topic")) == [("marie@example.org", "reminders")]
    later = queue("marie@example.org", key="t:2", topic=Topic.REMINDERS)
    other = queue("marie@example.org", key="t:3", topic=Topic.PLAN_PUBLISHED)
    transactional = queue("marie@example.org", key="t:4")
    assert later.status == Email.Status.SUPPRESSED
    assert other.status == Email.Status.QUEUED and transactional.status == Email.Status.QUEUED


def test_a_suppressed_email_is_never_sent(db, smtp, django_capture_on_commit_callbacks):
    services.optout_set(address="marie@example.org", topic=Topic.DIGEST, refuse=True)
    email = deliver(django_capture_on_commit_callbacks,
                    lambda: queue("marie@example.org", key="t:1", topic=Topic.DIGEST))

    assert smtp.inbox.envelopes == []
    email.refresh_from_db()
    assert email.status == Email.Status.SUPPRESSED


def test_a_forged_or_altered_link_does_nothing(db):
    email = queue("marie@example.org", key="t:1", topic=Topic.REMINDERS)
    path = _unsubscribe_path(email)
    forged = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]

    assert Client().post(forged).status_code == 404
    assert Client().post("/email/unsubscribe/nothing/").status_code == 404
    assert not OptOut.objects.exists()


def test_the_link_shows_nothing_of_the_address_and_stays_the_same_for_the_pair(db):
    import base64

    first = queue("Marie@Example.org", key="t:1", topic=Topic.REMINDERS)
    second = queue("marie@example.org", key="t:2", topic=Topic.REMINDERS)
    path = _unsubscribe_path(first)
    token = path.rstrip("/").rsplit("/", 1)[1]

    assert "marie" not in path.lower()
    decoded = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert b"marie" not in decoded.lower() and b"example" not in decoded.lower()
    assert _unsubscribe_path(second) == path  # one key per (address, topic)
    assert _unsubscribe_path(queue("marie@example.org", key="t:3", topic=Topic.DIGEST)) != path


def test_a_link_sent_before_the_opaque_keys_still_unsubscribes(db):
    from tablee.outbox.wayback import signed_unsubscribe_token

    # As the emails already sent carry it: the signed (address, topic) pair.
    old = f"/email/unsubscribe/{signed_unsubscribe_token(address='marie@example.org', topic=Topic.DIGEST)}/"

    assert "Se désabonner" in Client().get(old).content.decode()
    assert Client().post(old, {"List-Unsubscribe": "One-Click"}).status_code == 200

    assert list(OptOut.objects.values_list("address", "topic")) == [("marie@example.org", Topic.DIGEST)]


def test_the_header_and_the_footer_carry_the_same_opaque_link(db, smtp, django_capture_on_commit_callbacks):
    deliver(django_capture_on_commit_callbacks, lambda: queue("marie@example.org", key="t:1", topic=Topic.DIGEST))
    [message] = smtp.inbox.messages

    header = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert header in message.get_body(preferencelist=("plain",)).get_content()
    assert "marie" not in header


def test_a_cut_link_says_what_happened_and_leads_to_the_preferences(db):
    email = queue("marie@example.org", key="t:1", topic=Topic.REMINDERS)
    cut = _unsubscribe_path(email)[:-12] + "/"

    response = Client().get(cut)

    html = response.content.decode()
    assert response.status_code == 404 and "Page introuvable" not in html
    assert "Lien de désabonnement incomplet" in html and "Rien n'a été changé" in html
    assert 'href="/account/preferences/"' in html and 'href="/accounts/login/?next=/account/preferences/"' in html
    assert not OptOut.objects.exists()


def test_a_cut_link_opened_signed_in_offers_the_preferences_only(member):
    client = Client()
    client.force_login(member)

    html = client.get("/email/unsubscribe/abimé/").content.decode()

    assert 'href="/account/preferences/"' in html and "/accounts/login/" not in html.split("<main", 1)[1]


def test_a_personal_email_names_the_sender_and_association_and_offers_the_casl_way_out(db):
    email = queue("outside@example.com", key="t:1", topic=Topic.PERSONAL, sender_name="Marie Tremblay",
                  reply_to="marie@example.org", on_behalf_of="Café-rencontres de Québec")

    assert "Marie Tremblay (marie@example.org)" in email.body_text
    assert "Café-rencontres de Québec" in email.body_text
    assert "Ne plus recevoir de courriels via Tablée" in email.body_text
    assert "/account/preferences/" not in email.body_text  # an outsider has no account
    Client().post(_unsubscribe_path(email))
    assert services.opted_out(address="outside@example.com", topic=Topic.PERSONAL)


def test_the_footer_speaks_the_recipient_language(db):
    email = queue("sam@example.org", key="t:1", topic=Topic.PLAN_PUBLISHED, language="en")

    assert "Seating plan published" in email.body_text and "Your email preferences" in email.body_text


def _key_reads(queries: CaptureQueriesContext) -> int:
    return sum('"outbox_unsubscribekey"' in query["sql"] for query in queries.captured_queries)


def test_the_sweep_reads_the_unsubscribe_keys_of_its_batch_in_one_query(db, mailoutbox):
    emails = [queue(f"p{n}@example.org", key=f"t:{n}", topic=Topic.REMINDERS) for n in range(6)]
    with CaptureQueriesContext(connection) as one_by_one:  # the control: a send reads its key
        services.email_send(email_id=emails[0].pk)
        services.email_send(email_id=emails[1].pk)

    with CaptureQueriesContext(connection) as sweep:
        assert services.email_sweep(now=timezone.now() + timedelta(seconds=1)) == 4

    assert _key_reads(one_by_one) == 2 and _key_reads(sweep) == 1
    assert len(mailoutbox) == 6
    for message in mailoutbox:  # each header still carries its own footer's link
        [url] = re.findall(r"<([^>]+)>", message.extra_headers["List-Unsubscribe"])
        assert url in message.body and url.startswith(SITE + "/email/unsubscribe/")
    assert len({message.extra_headers["List-Unsubscribe"] for message in mailoutbox}) == 6


def test_a_batch_keeps_its_keys_for_itself_and_never_hands_out_a_forgotten_one(db):
    key = wayback.unsubscribe_token(address="marie@example.org", topic=Topic.REMINDERS)
    with wayback.unsubscribe_keys_known(pairs=[("Marie@Example.org ", Topic.REMINDERS), ("", Topic.REMINDERS)]):
        with CaptureQueriesContext(connection) as inside:
            assert wayback.unsubscribe_token(address="marie@example.org", topic=Topic.REMINDERS) == key
        assert _key_reads(inside) == 0
        wayback.unsubscribe_keys_forget(address="marie@example.org")  # the account is deleted meanwhile
        fresh = wayback.unsubscribe_token(address="marie@example.org", topic=Topic.REMINDERS)
        assert fresh != key and UnsubscribeKey.objects.get(address="marie@example.org").key == fresh

    UnsubscribeKey.objects.all().delete()
    assert wayback.unsubscribe_token(address="marie@example.org", topic=Topic.REMINDERS) not in (key, fresh)


def test_a_batch_makes_the_missing_keys_without_reading_them_again(db):
    with wayback.unsubscribe_keys_known(pairs=[("new@example.org", Topic.REMINDERS)]):
        with CaptureQueriesContext(connection) as first:
            made = wayback.unsubscribe_token(address="new@example.org", topic=Topic.REMINDERS)
        assert [query["sql"].split()[0] for query in first.captured_queries
                if '"outbox_unsubscribekey"' in query["sql"]] == ["INSERT"]
        assert wayback.unsubscribe_token(address="new@example.org", topic=Topic.REMINDERS) == made
    assert wayback.unsubscribe_token(address="new@example.org", topic=Topic.REMINDERS) == made


def test_a_personal_opt_out_by_mistake_is_taken_back_from_the_page_that_confirms_it(db):
    email = queue("Lucie@Example.org", key="t:1", topic=Topic.PERSONAL)
    visitor = Client(enforce_csrf_checks=True)

    confirmed = visitor.post(_unsubscribe_path(email)).content.decode()
    assert OptOut.objects.filter(address="lucie@example.org", topic=Topic.PERSONAL).exists()
    assert 'data-testid="unsubscribe-undo"' in confirmed and 'name="undo" value="1"' in confirmed

    taken_back = visitor.post(_unsubscribe_path(email), {"undo": "1"})

    assert taken_back.status_code == 200 and 'data-testid="resubscribed"' in taken_back.content.decode()
    assert not OptOut.objects.exists()
    assert queue("lucie@example.org", key="t:2", topic=Topic.PERSONAL).status == Email.Status.QUEUED


def test_the_unsubscribe_page_asks_before_the_button_and_links_to_the_preferences(member):
    path = wayback.unsubscribe_url(address="marie@example.org", topic=Topic.REMINDERS).removeprefix(SITE)

    page = Client().get(path).content.decode().replace("\u00a0", " ").replace("&#x27;", "'")

    assert "Vous ne recevrez plus" not in page  # nothing is done before the button is pressed
    assert "Ne plus recevoir les courriels de la catégorie « Rappels avant une rencontre »?" in page
    assert 'href="/account/preferences/"' in page and 'data-testid="unsubscribe-confirm"' in page
    assert not OptOut.objects.exists()


def test_the_invitations_unsubscribe_page_asks_before_the_button(db, association):
    path = wayback.unsubscribe_url(address="marie@example.org", topic=Topic.INVITATIONS,
                                   scope=f"association:{association.pk}").removeprefix(SITE)

    page = Client().get(path).content.decode().replace("\u00a0", " ").replace("&#x27;", "'")

    assert "Vous ne recevrez plus" not in page
    assert "Ne plus recevoir d'invitations" in page and "sur Tablée?" in page
