"""Mends from the walk: the intention question in its exact words (English too), and the contact
page with a way back and a note field that says « mise en forme simple », not « Markdown »."""

from __future__ import annotations

from django.urls import reverse

from tablee.circle import services as circle_services

QUESTION_FR = "Qu'est-ce qui va t'indiquer que tu as atteint ton résultat?"
QUESTION_EN = "What will tell you that you have reached your result?"


def test_the_intention_form_asks_the_question_in_its_exact_words(login, member):
    page = login(member).get(reverse("journey:intention_new")).content.decode()

    assert QUESTION_FR.replace("'", "&#x27;") in page or QUESTION_FR in page
    assert "Le signe qui me dira" not in page


def test_the_intention_form_asks_it_in_english_for_an_english_speaking_member(login, member):
    member.profile.preferred_language = "en"
    member.profile.save()

    page = login(member).get(reverse("journey:intention_new"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert QUESTION_EN in page


def test_the_contact_page_has_a_way_back_and_says_simple_formatting_not_markdown(login, member):
    contact = circle_services.contact_create(owner=member, name="Lucie Roy")

    page = login(member).get(reverse("circle:contact", args=[contact.pk])).content.decode()

    assert f'href="{reverse("circle:circle")}" data-testid="back-to-circle"' in page
    assert "Markdown" not in page
    assert "Mise en forme simple" in page and 'aria-describedby="new-note-help"' in page


def test_a_visit_to_an_address_that_only_receives_a_form_leads_back_to_its_page(login, member):
    response = login(member).get(reverse("members:token_create"))

    page = response.content.decode()
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "Cette page ne s'affiche pas seule" in page.replace("&#x27;", "'")
    assert f'href="{reverse("members:account")}" data-testid="form-address-back"' in page


def test_the_language_switch_after_a_form_error_returns_to_the_form_page_not_its_address(login, member):
    browser = login(member)
    account = reverse("members:account")

    shown = browser.post(reverse("members:token_create"), {"label": ""}, HTTP_REFERER=f"http://testserver{account}?x=1")

    assert shown.status_code == 422
    assert f'name="next" value="{account}?x=1"' in shown.content.decode()
    switched = browser.post(reverse("set_language"), {"language": "en", "next": f"{account}?x=1"})
    assert switched.status_code == 302 and switched["Location"] == f"{account}?x=1"


def test_the_language_switch_ignores_a_form_page_from_another_site(login, member):
    shown = login(member).post(reverse("members:token_create"), {"label": ""}, HTTP_REFERER="https://evil.example/x")

    assert 'name="next" value="/"' in shown.content.decode()
