"""Mon parcours in a real browser: Marie's charts, an intention and its reflection, a share with the
few, and the organizer's depth page. Screenshots go to test-artifacts/screenshots/parcours-*.png."""

from __future__ import annotations

import re

import pytest
from conftest import MEMBER, ORGANIZER, PHONE, screenshot, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_marie_sees_her_parcours_as_charts(new_page, server):
    page = new_page()
    sign_in(page, MEMBER)
    page.get_by_role("link", name="Mon parcours").click()
    expect(page.get_by_role("heading", name="Mon parcours", level=1)).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(5)
    expect(page.get_by_test_id("intention")).to_have_count(4)
    expect(page.get_by_role("columnheader", name="Suivis envoyés en deux jours ou moins")).to_be_visible()
    screenshot(page, "parcours-desktop")
    phone = new_page(PHONE)
    sign_in(phone, MEMBER)
    phone.goto("/parcours/")
    expect(phone.locator("svg.chart").first).to_be_visible()
    screenshot(phone, "parcours-phone")


def test_marie_prepares_an_outside_event_then_reflects_on_it(new_page, server):
    page = new_page()
    sign_in(page, MEMBER)
    page.goto("/parcours/intentions/new/")
    page.get_by_label("Nom de l'événement").fill("Cocktail de la Chambre de commerce")
    page.locator("#id_event_date").fill("2026-11-20")
    page.get_by_label("Le résultat que je veux").fill("Deux vraies conversations")
    page.get_by_label("Qu'est-ce qui va t'indiquer que tu as atteint ton résultat?").fill("Un café prévu")
    page.get_by_label("Question préparée 1").fill("Sur quoi travailles-tu en ce moment ?")
    screenshot(page, "parcours-intention-form")
    page.get_by_role("button", name="Enregistrer mon intention").click()
    expect(page.get_by_role("heading", name="Cocktail de la Chambre de commerce")).to_be_visible()
    page.get_by_label("Oui").check()
    page.get_by_label("La suite").fill("Écrire à Karine")
    page.locator("input[name=energy_after][value='4']").check()
    page.get_by_role("button", name="Enregistrer ma réflexion").click()
    expect(page.get_by_text("Votre réflexion est enregistrée.")).to_be_visible()
    rows = server.query(
        "SELECT r.reached, r.next_step, r.energy_after FROM journey_reflection r JOIN journey_intention i "
        "ON i.id = r.intention_id WHERE i.event_title = ?", ("Cocktail de la Chambre de commerce",))
    assert rows == [(1, "Écrire à Karine", 4)]


def test_marie_shares_a_link_with_one_person(new_page, server):
    page = new_page()
    sign_in(page, MEMBER)
    page.goto("/parcours/share/")
    before = server.query("SELECT COUNT(*) FROM outbox_email")[0][0]
    page.get_by_label("Le lien ou la note à partager").fill(
        "https://exemple.ca/guide — Guide des subventions pour le financement des PME en 2027")
    page.get_by_role("button", name="Trouver à qui l'envoyer").click()
    suggestions = page.get_by_test_id("suggestion")
    expect(suggestions.first).to_be_visible()
    assert 1 <= suggestions.count() <= 3
    screenshot(page, "parcours-share")
    page.get_by_role("button", name="Envoyer à chaque personne cochée").click()
    expect(page.get_by_text(re.compile(r"Partagé avec \d+\spersonnes?, "))).to_be_visible()
    assert server.query("SELECT COUNT(*) FROM outbox_email")[0][0] == before + 1


def test_the_organizer_sees_the_depth_of_the_season(new_page, server):
    page = new_page()
    sign_in(page, ORGANIZER)
    page.goto("/organize/associations/demo/")
    page.get_by_role("link", name="Profondeur de la saison").click()
    expect(page.get_by_test_id("depth-table")).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(4)
    screenshot(page, "parcours-depth")
    member = new_page()
    sign_in(member, MEMBER)
    assert member.goto("/organize/associations/demo/depth/").status == 403
