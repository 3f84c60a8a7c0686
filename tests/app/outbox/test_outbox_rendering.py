"""The one renderer of templated emails (``outbox.rendering``): subject, text and HTML in the
recipient's language whatever language is active, a subject on one line, and, queued under a topic,
the way back in both bodies and the header, in that same language."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from tablee.outbox import services
from tablee.outbox.models import Email, Topic
from tablee.outbox.rendering import RenderedEmail, email_render_queue, render_email

SITE = "http://tablee.example:8123"
SIGN_IN = "members/email/sign_in"  # a real email: « Bonjour {{ name }}, » and a link


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _sign_in(language: str) -> RenderedEmail:
    return render_email(template=SIGN_IN, language=language,
                        context={"name": "Marie", "url": f"{SITE}/link/abc/", "site_url": SITE})


def test_each_recipient_gets_their_own_language_whatever_is_active():
    with translation.override("en"):  # an English page triggers both
        french = _sign_in("fr-ca")
        english = _sign_in("en")
        assert translation.get_language() == "en"  # the caller's language is given back

    assert (french.subject, french.language) == ("Votre lien de connexion à Tablée", "fr-ca")
    assert french.body_text.startswith("Bonjour Marie,") and '<html lang="fr-ca">' in french.body_html
    assert (english.subject, english.language) == ("Your Tablée sign-in link", "en")
    assert english.body_text.startswith("Hello Marie,") and '<html lang="en">' in english.body_html
    assert "Bonjour" not in english.body_text + english.body_html


def test_the_subject_is_one_line_and_the_html_title():
    rendered = _sign_in("fr-ca")  # the subject template ends with a newline

    assert rendered.subject == "Votre lien de connexion à Tablée"
    assert f"<title>{rendered.subject}</title>" in rendered.body_html


def test_a_subject_written_by_the_caller_is_made_one_line_too():
    rendered = render_email(template=SIGN_IN, language="fr-ca", subject=" Déjeuner\n  du   mardi \n",
                            context={"name": "Marie", "url": f"{SITE}/link/abc/"})

    assert rendered.subject == "Déjeuner du mardi"


def test_a_subject_keeps_the_no_break_spaces_of_french_typography():
    rendered = render_email(template=SIGN_IN, language="fr-ca", subject="Petit rappel\u00a0: «\u00a0Demain\u00a0»\n",
                            context={"name": "Marie", "url": f"{SITE}/link/abc/"})

    assert rendered.subject == "Petit rappel\u00a0: «\u00a0Demain\u00a0»"


def test_a_subject_template_outside_the_pattern_can_be_named():
    rendered = render_email(template="registration/password_reset_email", language="en",
                            subject_template="registration/password_reset_subject.txt",
                            context={"user": None, "uid": "MQ", "token": "t-0", "site_url": SITE, "valid_days": 3})

    assert rendered.subject == "Tablée: choose a new password" and "\n" not in rendered.subject


def _queue(to: str, *, language: str, key: str, topic: str = Topic.REMINDERS) -> Email:
    return email_render_queue(key=key, kind="test", to=to, template=SIGN_IN, language=language, topic=topic,
                              context={"name": to.split("@")[0].title(), "url": f"{SITE}/link/abc/"})


def test_both_bodies_of_a_topic_email_carry_the_way_back_in_the_recipients_language(db):
    with translation.override("en"):
        french = _queue("marie@example.org", language="fr-ca", key="t:fr")
    english = _queue("emma@example.org", language="en", key="t:en")

    for email, preferences in ((french, "Vos préférences de courriel"), (english, "Your email preferences")):
        [url] = set(re.findall(re.escape(SITE) + r"/email/unsubscribe/[^\s/\"]+/", email.body_text))
        assert f"{SITE}/account/preferences/" in email.body_text and preferences in email.body_text
        assert f'href="{url}"' in email.body_html and f'href="{SITE}/account/preferences/"' in email.body_html
        assert email.body_html.index("tablee-wayback") < email.body_html.index("</body>")
        assert preferences in email.body_html
        # The header the worker adds at send time carries the same link.
        assert services._headers(email)["List-Unsubscribe"] == f"<{url}>"
    assert "Your email preferences" not in french.body_text + french.body_html
    assert "Vos préférences" not in english.body_text + english.body_html


def test_a_transactional_email_has_no_way_back(db):
    email = _queue("marie@example.org", language="fr-ca", key="t:1", topic="")

    assert "/email/unsubscribe/" not in email.body_text + email.body_html
    assert "List-Unsubscribe" not in services._headers(email)
    assert email.subject == "Votre lien de connexion à Tablée"
