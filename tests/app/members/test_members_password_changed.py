"""« Le mot de passe de votre compte Tablée a changé » leaves from one place
(``members.passwords.PasswordChangeHooks``) for every path that replaces a password the person
could sign in with: the pages, the admin's form, ``manage.py changepassword``. Never for a first
password or an account being created; once per change; through the outbox."""

from __future__ import annotations

import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.management import call_command
from django.test import Client

from tablee.members import services
from tablee.members.models import User
from tablee.outbox.models import Email

STRONG = "un-mot-de-passe-long-2026"


def _notices(user) -> list[Email]:
    return list(Email.objects.filter(kind="password_changed", to=user.email))


def test_a_password_replaced_with_manage_changepassword_tells_the_account_s_address(member, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="Password: ", stream=None: STRONG)

    call_command("changepassword", member.email, stdout=None)

    member.refresh_from_db()
    assert member.check_password(STRONG)
    [notice] = _notices(member)
    assert notice.status == "queued" and notice.user == member  # in the outbox: the worker sends it


def test_a_password_replaced_with_the_admin_s_form_tells_the_account_s_address(member):
    form = AdminPasswordChangeForm(User.objects.get(pk=member.pk), {"password1": STRONG, "password2": STRONG})
    assert form.is_valid(), form.errors

    form.save()

    [notice] = _notices(member)
    assert notice.subject == "Le mot de passe de votre compte Tablée a changé"


def test_a_password_replaced_in_code_and_saved_tells_the_account_s_address_once(member):
    user = User.objects.get(pk=member.pk)
    user.set_password(STRONG)
    user.save()
    user.save()  # saved again: the same change, no second notice

    assert len(_notices(member)) == 1


def test_a_first_password_on_the_welcome_page_tells_nobody(association, make_person):
    newcomer = make_person(association=association, email="nadia@example.org", password=None)
    browser = Client()
    browser.force_login(newcomer)

    browser.post("/welcome/", {"first_name": "Nadia", "last_name": "Roy", "languages": "fr",
                               "preferred_language": "fr-ca", "password1": STRONG, "password2": STRONG})

    newcomer.refresh_from_db()
    assert newcomer.check_password(STRONG)
    assert _notices(newcomer) == []


@pytest.mark.parametrize("how", ["create_user", "person_create"])
def test_creating_an_account_with_a_password_tells_nobody(db, how):
    if how == "create_user":
        user = User.objects.create_user(email="nouveau@example.org", password=STRONG)
    else:
        user = services.person_create(email="nouveau@example.org", password=STRONG)

    assert user.check_password(STRONG)
    assert _notices(user) == []


def test_a_sign_in_that_upgrades_the_stored_hash_tells_nobody(member, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    User.objects.filter(pk=member.pk).update(password=_md5("motdepasse-tablee-123"))

    signed_in = Client().post("/accounts/login/", {"username": member.email, "password": "motdepasse-tablee-123"})

    assert signed_in.status_code == 302

    member.refresh_from_db()
    assert member.password.startswith("pbkdf2_sha256$")  # upgraded at sign-in: not a new password
    assert _notices(member) == []


def _md5(raw: str) -> str:
    from django.contrib.auth.hashers import MD5PasswordHasher

    return MD5PasswordHasher().encode(raw, "sel")
