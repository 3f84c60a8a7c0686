"""Account emails in plain English and in true French (email audit A4, C12): each checked in the
templates the outbox renders, in the reader's language."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tablee.outbox.rendering import render_email

SITE = "http://127.0.0.1:8000"


def test_the_password_changed_email_in_english_says_not_you_and_your_password_was_changed():
    email = render_email(template="members/email/password_changed", language="en",
                         context={"name": "Sarah", "url": f"{SITE}/accounts/password-reset/"})

    assert email.subject == "Your Tablée password was changed"
    assert "Not you? Open this link" in email.body_text and "Wasn't you" not in email.body_text
    assert "signs out every session on your account" in email.body_text


def test_the_password_changed_email_in_french_says_which_sessions_close():
    email = render_email(template="members/email/password_changed", language="fr-ca",
                         context={"name": "Marie", "url": f"{SITE}/accounts/password-reset/"})

    assert "fermera toutes les sessions ouvertes sur votre compte" in email.body_text
    assert "avec l'autre" not in email.body_text


def test_the_account_deleted_email_promises_only_what_is_true_in_both_languages():
    context = {"association": {"name": "Tablée"}, "site_url": SITE}
    french = render_email(template="members/email/account_deleted", language="fr-ca", context=context)
    english = render_email(template="members/email/account_deleted", language="en", context=context)

    assert "ne recevra plus rien" not in french.body_text + french.body_html
    assert "Une association pourrait toutefois vous inviter de nouveau" in french.body_text
    assert english.subject == "Your Tablée account has been deleted"
    assert "Your Tablée account has been deleted, as you asked." in english.body_text
    assert "An association could still invite you again" in english.body_text
    assert "will receive nothing more" not in english.body_text


def test_an_invitation_in_english_invites_you_to_join_the_association_on_tablee():
    email = render_email(template="members/email/invitation", language="en", context={
        "name": "David", "association": {"name": "Réseau des gens d'affaires de Québec"},
        "organizer": "Hélène Côté", "returning": False, "has_password": False,
        "expires_at": timezone.now() + timedelta(days=14), "url": f"{SITE}/accounts/link/abc/"})

    assert ("Hélène Côté invites you to join Réseau des gens d'affaires de Québec on Tablée:"
            in email.body_text)
    assert "The team at Réseau des gens d'affaires de Québec" in email.body_text
    assert "invites you in to" not in email.body_text
