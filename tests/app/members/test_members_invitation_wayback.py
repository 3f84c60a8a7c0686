"""An invitation has a way back too: a person an association invited (who may never have used Tablée)
can stop that association's invitations from the email itself, with no account and no sign-in; other
associations may still invite them. The way-back pages speak the recipient's language."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tablee.members.invitations import invitation_send
from tablee.outbox import services
from tablee.outbox.models import Email, OptOut, Topic
from tablee.outbox.tasks import send_email

SITE = "http://tablee.example:8123"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def newcomer(make_person, association, other_association):
    """Imported by two associations; has never signed in."""
    from tablee.members.models import Membership

    person = make_person(association=association, email="nadia@example.org", first_name="Nadia", last_name="Roy")
    Membership.objects.create(association=other_association, user=person)
    return person


def _invite(django_capture_on_commit_callbacks, **kwargs) -> Email:
    with django_capture_on_commit_callbacks(execute=True):
        email = invitation_send(**kwargs)
    send_email.call(email_id=email.pk)
    return email


def test_an_invitation_lets_a_newcomer_stop_that_associations_invitations_from_the_email_as_sent(
        smtp, newcomer, association, other_association, organizer, django_capture_on_commit_callbacks):
    _invite(django_capture_on_commit_callbacks, association=association, user=newcomer, invited_by=organizer)

    [message] = smtp.inbox.messages
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    [line] = [line for line in text.splitlines() if "Ne plus recevoir d'invitations" in line]
    assert "Café-rencontres de Québec" in line
    [url] = re.findall(re.escape(SITE) + r"/email/unsubscribe/[^\s/]+/", line)
    assert url in html and str(message["List-Unsubscribe"]).strip() == f"<{url}>"  # one link, body and header
    assert "/account/preferences/" not in text  # a newcomer has no preferences to go to yet

    mail_client = Client(enforce_csrf_checks=True)  # no account, no cookie, no CSRF token
    page = mail_client.get(url[len(SITE):])
    assert page.status_code == 200 and "Café-rencontres de Québec" in page.content.decode()
    assert not OptOut.objects.exists()  # opening the link (a mail scanner) changes nothing
    assert mail_client.post(url[len(SITE):]).status_code == 200

    again = invitation_send(association=association, user=newcomer, invited_by=organizer)
    elsewhere = invitation_send(association=other_association, user=newcomer)
    assert again.status == Email.Status.SUPPRESSED
    assert elsewhere.status == Email.Status.QUEUED  # another association may still invite her
    assert services.optouts_of(address=newcomer.email) == set()  # her preferences (other topics) untouched


def test_a_refusal_of_an_associations_invitations_leaves_its_other_emails_alone(newcomer, association):
    from tablee.outbox.wayback import unsubscribe_read

    email = invitation_send(association=association, user=newcomer)
    token = re.search(r"/email/unsubscribe/([^\s/]+)/", email.body_text).group(1)
    Client().post(f"/email/unsubscribe/{token}/")

    assert unsubscribe_read(token).topic == Topic.INVITATIONS
    assert not services.opted_out(address=newcomer.email, topic=Topic.REMINDERS)
    reminder = services.email_queue(key="r:1", kind="reminder", to=newcomer.email, subject="Rappel",
                                    body_text="Demain.", topic=Topic.REMINDERS)
    assert reminder.status == Email.Status.QUEUED


def _reminder_path(to: str) -> str:
    email = services.email_queue(key=f"r:{to}", kind="reminder", to=to, subject="Rappel", body_text="Demain.",
                                 topic=Topic.REMINDERS)
    return re.search(r"/email/unsubscribe/[^\s/]+/", email.body_text).group(0)


def test_the_unsubscribe_page_speaks_the_recipients_language_not_the_browsers(make_person, association):
    english = make_person(association=association, email="sam@example.org", preferred_language="en")
    french = make_person(association=association, email="luc@example.org", preferred_language="fr-ca")

    french_browser = Client(HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")
    english_browser = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = french_browser.get(_reminder_path(english.email)).content.decode()
    done = french_browser.post(_reminder_path(english.email)).content.decode()
    other = english_browser.get(_reminder_path(french.email)).content.decode()

    assert '<html lang="en">' in page and "Unsubscribe" in page and "Se désabonner" not in page
    assert '<html lang="en">' in done
    assert '<html lang="fr-ca">' in other and "Se désabonner" in other


def test_a_language_chosen_on_the_site_wins_over_the_recipients(make_person, association, settings):
    english = make_person(association=association, email="sam@example.org", preferred_language="en")
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr-ca"

    assert '<html lang="fr-ca">' in browser.get(_reminder_path(english.email)).content.decode()
