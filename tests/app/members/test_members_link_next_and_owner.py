"""One-time links (sign-in, email change, its way back) opened on a device where someone else is
signed in never switch accounts without saying whose link it is; a sign-in by link leads to the page
the person was trying to open, first visit included."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone

from tablee.members import invitations
from tablee.outbox.models import Email

MY_TABLE = "/gatherings/4/my-table/"


def _link_path(email: Email) -> str:
    [path] = re.findall(r"https?://[^/\s]+(/accounts/link/[^\s]+)", email.body_text)
    return path


def _signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def email_change_link(member):
    _signed_in(member).post("/account/email/", {"email": "marie.t@nouveau.example"})
    return _link_path(Email.objects.get(kind="email_change"))


def test_an_email_change_link_opened_by_someone_else_says_whose_account_it_is(other_member, member,
                                                                              email_change_link):
    browser = _signed_in(other_member)

    page = browser.get(email_change_link).content.decode()

    assert "Ce lien est pour un autre compte" in page
    assert "Il confirme la nouvelle adresse marie.t@nouveau.example du compte marie@example.org." in page
    assert "Vous utilisez le compte samuel@example.org." in page
    assert ("Le compte marie@example.org est aussi le vôtre? Continuer lui donne l'adresse marie.t@nouveau.example, "
            "ferme votre session actuelle et ouvre la sienne.") in page.replace("&#x27;", "'")
    assert "Votre compte utilisera" not in page


def test_an_email_change_link_sent_by_someone_else_without_choosing_switches_nothing(other_member, member,
                                                                                     email_change_link):
    browser = _signed_in(other_member)

    response = browser.post(email_change_link)

    assert response.status_code == 200 and "Ce lien est pour un autre compte" in response.content.decode()
    assert browser.session[SESSION_KEY] == str(other_member.pk)
    member.refresh_from_db()
    assert member.email == "marie@example.org"


def test_choosing_to_continue_with_the_other_account_applies_the_change_and_switches(other_member, member,
                                                                                    email_change_link):
    browser = _signed_in(other_member)

    browser.post(email_change_link, {"switch": "1"})

    member.refresh_from_db()
    assert member.email == "marie.t@nouveau.example"
    assert browser.session[SESSION_KEY] == str(member.pk)


def test_the_owner_signed_in_confirms_the_change_in_one_press(member, email_change_link):
    browser = _signed_in(member)

    response = browser.post(email_change_link)

    member.refresh_from_db()
    assert member.email == "marie.t@nouveau.example" and response["Location"] == "/account/"


def test_a_sign_in_link_opened_by_someone_else_names_the_account_and_waits_for_the_choice(other_member, member):
    invitations.sign_in_link_send(email=member.email)
    path = _link_path(Email.objects.get(kind="sign_in"))
    browser = _signed_in(other_member)

    page = browser.get(path).content.decode()
    browser.post(path)

    assert "Il ouvre une session avec le compte marie@example.org." in page
    assert browser.session[SESSION_KEY] == str(other_member.pk)


# Where a sign-in by link leads -----------------------------------------------------------------

def test_the_sign_in_page_passes_the_page_asked_for_to_the_link_request(db):
    page = Client().get(f"/accounts/login/?next={MY_TABLE}").content.decode()

    assert '/accounts/sign-in-link/?next=/gatherings/4/my-table/"' in page


def test_a_sign_in_link_leads_to_the_page_the_person_was_opening(member):
    Profile = member.profile.__class__
    Profile.objects.filter(user=member).update(first_visit_at=timezone.now())
    Client().post(f"/accounts/sign-in-link/?next={MY_TABLE}", {"email": member.email})
    path = _link_path(Email.objects.get(kind="sign_in"))
    browser = Client()

    assert path.endswith("?next=%2Fgatherings%2F4%2Fmy-table%2F")
    response = browser.post(path)

    assert response["Location"] == MY_TABLE


def test_a_first_visit_by_link_goes_through_welcome_then_to_the_page_asked_for(member):
    Client().post(f"/accounts/sign-in-link/?next={MY_TABLE}", {"email": member.email})
    browser = Client()

    welcome = browser.post(_link_path(Email.objects.get(kind="sign_in")))["Location"]
    done = browser.post(welcome, {"first_name": "Marie", "last_name": "Tremblay", "languages": "français",
                                  "preferred_language": "fr-ca"})

    assert welcome == "/welcome/?next=%2Fgatherings%2F4%2Fmy-table%2F"
    assert done["Location"] == MY_TABLE


@pytest.mark.parametrize("elsewhere", ["https://ailleurs.example/", "//ailleurs.example/x", "javascript:alert(1)"])
def test_a_link_never_leads_off_the_site(member, elsewhere):
    member.profile.__class__.objects.filter(user=member).update(first_visit_at=timezone.now())
    Client().post("/accounts/sign-in-link/?" + f"next={elsewhere}", {"email": member.email})
    path = _link_path(Email.objects.get(kind="sign_in"))

    assert "next" not in path
    assert Client().post(path + f"?next={elsewhere}")["Location"] == "/gatherings/"


# The page's language -----------------------------------------------------------------------------

def test_a_link_opened_signed_out_speaks_the_language_of_the_person_it_was_sent_to(member):
    member.profile.__class__.objects.filter(user=member).update(preferred_language="en")
    invitations.sign_in_link_send(email=member.email)
    path = _link_path(Email.objects.get(kind="sign_in"))

    english = Client(HTTP_ACCEPT_LANGUAGE="fr-CA").get(path).content.decode()
    chosen = Client(HTTP_ACCEPT_LANGUAGE="fr-CA")
    chosen.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr-ca"
    french = chosen.get(path).content.decode()

    assert "<h1>Sign in to Tablée</h1>" in english and "You will sign in with the account marie@example.org." in english
    assert "<h1>Entrer dans Tablée</h1>" in french and "Vous entrerez avec le compte marie@example.org." in french


def test_an_email_change_spends_the_links_still_waiting_in_the_old_mailbox(member, email_change_link):
    invitations.sign_in_link_send(email=member.email)
    old_link = _link_path(Email.objects.get(kind="sign_in"))

    Client().post(email_change_link)

    browser = Client()
    page = browser.get(old_link)
    assert page.status_code == 410 and "marie.t@nouveau.example" not in page.content.decode()
    assert browser.post(old_link).status_code == 410 and SESSION_KEY not in browser.session
