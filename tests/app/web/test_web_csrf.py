"""A form older than its session (sign-in in another tab, a page left open) gets the site's frame,
a plain sentence and a way back, not Django's bare « CSRF verification failed » page; still 403."""

from __future__ import annotations

import re

from django.test import Client

PASSWORD = "motdepasse-tablee-123"


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_signing_in_from_a_second_tab_after_the_first_says_you_are_signed_in(member):
    browser = Client(enforce_csrf_checks=True)
    old_tab = _token(browser.get("/accounts/login/").content.decode())
    new_tab = _token(browser.get("/accounts/login/").content.decode())
    assert browser.post("/accounts/login/", {"username": member.email, "password": PASSWORD,
                                             "csrfmiddlewaretoken": new_tab}).status_code == 302

    response = browser.post("/accounts/login/", {"username": member.email, "password": PASSWORD,
                                                  "csrfmiddlewaretoken": old_tab})

    html = response.content.decode()
    assert response.status_code == 403
    assert "CSRF verification failed" not in html and "DEBUG=True" not in html
    assert "Cette page a expiré" in html and "Votre session a changé" in html
    assert 'data-testid="csrf-back"' in html and 'href="/"' in html
    assert "<nav" in html or "site-header" in html or "<header" in html  # the site's frame


def test_an_expired_form_signed_out_links_back_to_the_page_it_came_from(db):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post("/accounts/password-reset/", {"email": "x@example.org"},
                            HTTP_REFERER="http://testserver/accounts/password-reset/")

    html = response.content.decode()
    assert response.status_code == 403
    assert "Rechargez la page et réessayez" in html
    assert 'href="http://testserver/accounts/password-reset/"' in html


def test_a_referer_from_another_site_is_not_offered_as_the_way_back(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {},
                                                     HTTP_REFERER="https://evil.example.com/phish")

    html = response.content.decode()
    assert response.status_code == 403 and "evil.example.com" not in html
    assert 'href="/accounts/login/"' in html


def test_the_expired_page_speaks_english_to_an_english_reader(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert "This page has expired" in response.content.decode()
