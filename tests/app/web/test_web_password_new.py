"""A new password: a refused one is said under « Nouveau mot de passe », where it was typed; once
changed (reset link or « Mon compte »), the account's address is told, through the outbox, with a
way back if it was not them."""

from __future__ import annotations

import re

from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tablee.outbox.models import Email

STRONG = "un-mot-de-passe-long-2026"


def _reset_page(client, user) -> str:
    """The set-password page a reset link leads to (Django keeps the token in the session)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    response = client.get(f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/")
    assert response.status_code == 302
    return response["Location"]


def _field_block(html: str, name: str) -> str:
    """The markup of one field's ``<div class="field">``: its label, input, help and errors."""
    start = html.index(f'name="{name}"')
    return html[html.rindex('<div class="field">', 0, start):html.index("</div>", start)]


def test_a_too_short_reset_password_is_refused_under_the_new_password_field(client, member):
    page = _reset_page(client, member)

    response = client.post(page, {"new_password1": "court", "new_password2": "court"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "trop court" in _field_block(html, "new_password1")
    assert "trop court" not in _field_block(html, "new_password2")


def test_a_mismatch_is_still_said_under_the_confirmation(client, member):
    page = _reset_page(client, member)

    html = client.post(page, {"new_password1": STRONG, "new_password2": STRONG + "x"}).content.decode()

    assert "ne correspondent pas" in _field_block(html, "new_password2")
    assert "ne correspondent pas" not in _field_block(html, "new_password1")


def test_a_too_short_password_on_my_account_is_refused_under_the_new_password_field(member):
    browser = Client()
    browser.force_login(member)

    html = browser.post("/account/password/", {"old_password": "motdepasse-tablee-123", "new_password1": "court",
                                               "new_password2": "court"}).content.decode()

    assert "trop court" in _field_block(html, "new_password1")
    assert "trop court" not in _field_block(html, "new_password2")


def _notice() -> Email:
    return Email.objects.get(kind="password_changed")


def test_a_password_reset_tells_the_account_s_address_with_a_way_back(client, member):
    page = _reset_page(client, member)

    response = client.post(page, {"new_password1": STRONG, "new_password2": STRONG})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(STRONG)
    notice = _notice()
    assert notice.to == member.email and notice.user == member and notice.status == "queued"
    assert notice.subject == "Le mot de passe de votre compte Tablée a changé"
    assert "vient d'être changé" in notice.body_text
    assert "Ce n'était pas vous?" in notice.body_text
    link = re.search(r"https?://\S+/accounts/password-reset/", notice.body_text)
    assert link is not None and "/accounts/password-reset/" in notice.body_html


def test_a_password_changed_on_my_account_tells_my_address_once(member):
    browser = Client()
    browser.force_login(member)

    browser.post("/account/password/", {"old_password": "motdepasse-tablee-123", "new_password1": STRONG,
                                        "new_password2": STRONG})

    member.refresh_from_db()
    assert member.check_password(STRONG)
    assert _notice().to == member.email  # one notice: ``get`` fails on two


def test_a_first_password_chosen_on_my_account_tells_nobody(member):
    member.set_unusable_password()
    member.save()
    browser = Client()
    browser.force_login(member)

    browser.post("/account/password/", {"new_password1": STRONG, "new_password2": STRONG})

    member.refresh_from_db()
    assert member.check_password(STRONG)
    assert not Email.objects.filter(kind="password_changed").exists()


def test_a_refused_password_tells_nobody(client, member):
    page = _reset_page(client, member)

    client.post(page, {"new_password1": "court", "new_password2": "court"})

    assert not Email.objects.filter(kind="password_changed").exists()


def test_the_notice_is_written_in_the_member_s_language(client, member):
    member.profile.preferred_language = "en"
    member.profile.save()
    page = _reset_page(client, member)

    client.post(page, {"new_password1": STRONG, "new_password2": STRONG})

    assert _notice().subject == "Your Tablée password was changed"
