"""The main flows in a real browser: sign in, RSVP and cancel, check-in on a phone, languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import MEMBER, NEWCOMER, ORGANIZER, PHONE, screenshot, sign_in
from playwright.sync_api import expect

from tablee.text.fold import fold

pytestmark = pytest.mark.browser


def _rsvp_status(server, email: str) -> str | None:
    rows = server.query(
        "SELECT r.status FROM gatherings_rsvp r JOIN members_user u ON u.id = r.user_id "
        "JOIN gatherings_gathering g ON g.id = r.gathering_id WHERE u.email = ? AND g.state = 'open'",
        (email,),
    )
    return rows[0][0] if rows else None


def test_home_says_what_tablee_is(new_page):
    page = new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr-ca")
    expect(page.get_by_role("heading", level=1)).to_have_text("Petites tables, vraies conversations.")
    screenshot(page, "home-desktop")
    phone = new_page(PHONE)
    phone.goto("/")
    screenshot(phone, "home-phone")


def test_member_signs_in_rsvps_and_cancels_in_place(new_page, server):
    page = new_page()
    sign_in(page, NEWCOMER)
    screenshot(page, "my-gatherings-desktop")
    # The breakfast, not the demo's door meeting (sooner, registration closed).
    page.locator(".card h3 a", has_text="Déjeuner-réseautage").first.click()
    url = page.url
    expect(page.get_by_role("link", name="Ma tablée")).to_have_count(0)
    page.get_by_role("button", name="Réserver ma place").click()
    expect(page.get_by_text("Annuler ma place", exact=True)).to_be_visible()
    assert page.url == url  # swapped in place by HTMX, no navigation
    expect(page.locator("#rsvp-box")).to_contain_text("Votre place est réservée")
    # The hub's links come with the seat, without a reload.
    expect(page.get_by_role("link", name="Ma tablée")).to_be_visible()
    expect(page.get_by_role("link", name="Mon intention pour cette rencontre")).to_be_visible()
    assert _rsvp_status(server, NEWCOMER) == "confirmed"
    screenshot(page, "gathering-confirmed-desktop")

    # Giving up the seat is asked first: the disclosure says what happens, nothing changes yet.
    page.get_by_text("Annuler ma place", exact=True).click()
    expect(page.get_by_role("button", name="Oui, annuler ma place")).to_be_visible()
    assert _rsvp_status(server, NEWCOMER) == "confirmed"
    page.get_by_role("button", name="Oui, annuler ma place").click()
    expect(page.get_by_role("button", name="Réserver ma place")).to_be_visible()
    assert _rsvp_status(server, NEWCOMER) == "cancelled"
    # ... and leave with it.
    expect(page.get_by_role("link", name="Ma tablée")).to_have_count(0)
    expect(page.get_by_role("link", name="Mon intention pour cette rencontre")).to_have_count(0)
    assert page.url == url

    ics = page.request.get(page.get_by_role("link", name=re.compile("agenda")).get_attribute("href"))
    assert ics.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.body()


def test_member_page_on_a_phone(new_page):
    page = new_page(PHONE)
    sign_in(page, MEMBER)
    screenshot(page, "my-gatherings-phone")
    # The breakfast, not the demo's door meeting (sooner, registration closed).
    page.locator(".card h3 a", has_text="Déjeuner-réseautage").first.click()
    expect(page.get_by_role("heading", name="Ma place")).to_be_visible()
    screenshot(page, "gathering-phone")
    page.goto("/profile/")
    screenshot(page, "profile-phone")


def test_organizer_checks_in_on_a_phone(new_page, server):
    gathering_id, = server.query("SELECT id FROM gatherings_gathering WHERE state = 'open'")[0]
    first, last, email = server.query(
        "SELECT u.first_name, u.last_name, u.email FROM gatherings_rsvp r JOIN members_user u ON u.id = r.user_id "
        "WHERE r.gathering_id = ? AND r.status = 'confirmed' AND r.present IS NULL ORDER BY u.last_name LIMIT 1",
        (gathering_id,),
    )[0]
    page = new_page(PHONE)
    sign_in(page, ORGANIZER)
    # A week ahead the door is not open yet: the page says when it opens, with no button to press.
    page.goto(f"/organize/gatherings/{gathering_id}/checkin/")
    expect(page.get_by_test_id("checkin-not-yet")).to_contain_text("L'accueil à la porte ouvrira trois heures avant le début")
    expect(page.locator('button[name="present"]')).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    screenshot(page, "checkin-not-yet-phone")
    # On the day, within the hour before the start, it opens (the start moves back afterwards: the
    # other tests sign up for this gathering, whose deadline is the day before).
    starts_at, = server.query("SELECT starts_at FROM gatherings_gathering WHERE id = ?", (gathering_id,))[0]
    server.query("UPDATE gatherings_gathering SET starts_at = datetime('now', '+1 hour') WHERE id = ?",
                 (gathering_id,))
    try:
        _check_in_at_the_door(page, server, gathering_id, first, last, email)
    finally:
        server.query("UPDATE gatherings_gathering SET starts_at = ? WHERE id = ?", (starts_at, gathering_id))


def _check_in_at_the_door(page, server, gathering_id, first, last, email):
    page.goto(f"/organize/gatherings/{gathering_id}/checkin/")
    screenshot(page, "checkin-phone")

    # Who the search should keep: confirmed people whose name, email or organization contains it.
    query = last[:4].lower()
    confirmed = server.query(
        "SELECT u.first_name || ' ' || u.last_name || ' ' || u.email || ' ' || COALESCE(p.organization, '') "
        "FROM gatherings_rsvp r JOIN members_user u ON u.id = r.user_id "
        "LEFT JOIN members_profile p ON p.user_id = u.id WHERE r.gathering_id = ? AND r.status = 'confirmed'",
        (gathering_id,),
    )
    expected = sum(fold(query) in fold(text) for text, in confirmed)
    assert 1 <= expected < len(confirmed)  # the search narrows the list, so the count below can fail
    expect(page.locator(".person")).to_have_count(len(confirmed))
    page.get_by_label("Chercher un nom").press_sequentially(query, delay=40)
    row = page.locator(".person", has_text=f"{first} {last}")
    expect(row).to_be_visible()
    expect(page.locator(".person")).to_have_count(expected)
    row.get_by_role("button", name="Présence").tap()
    expect(page.locator(".person.is-present", has_text=f"{first} {last}")).to_be_visible()
    # The state shows in words and style, not only in a thin outline.
    marked = page.locator(".person.is-present", has_text=f"{first} {last}").locator('button[name="present"][value="1"]')
    expect(marked).to_have_text("✓ Présence notée")
    expect(marked).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#checkin-tally")).to_contain_text("Présences\u00a0: 1 sur")
    present, = server.query(
        "SELECT r.present FROM gatherings_rsvp r JOIN members_user u ON u.id = r.user_id "
        "WHERE r.gathering_id = ? AND u.email = ?", (gathering_id, email))[0]
    assert present == 1
    screenshot(page, "checkin-marked-phone")

    # A member without a seat walks in.
    walk_in, = server.query(
        "SELECT u.email FROM members_user u JOIN members_membership m ON m.user_id = u.id "
        "WHERE u.id NOT IN (SELECT user_id FROM gatherings_rsvp WHERE gathering_id = ?) "
        "AND u.email != ? ORDER BY u.id LIMIT 1", (gathering_id, ORGANIZER))[0]
    page.get_by_text("Ajouter une personne sans inscription").tap()
    page.get_by_label("Courriel du membre").fill(walk_in)
    page.get_by_role("button", name="Ajouter et noter sa présence", exact=True).tap()
    # The plan is published: the walk-in is seated at once by the repair (the first one in a server
    # process loads the engine, a few seconds on a busy machine).
    expect(page.locator("#walkin-feedback")).to_contain_text("sa présence est notée", timeout=30_000)
    expect(page.locator("#walkin-feedback")).to_contain_text("Sa place\u00a0: table")
    row = server.query(
        "SELECT r.status, r.walk_in, r.present FROM gatherings_rsvp r JOIN members_user u ON u.id = r.user_id "
        "WHERE r.gathering_id = ? AND u.email = ?", (gathering_id, walk_in))
    assert row == [("confirmed", 1, 1)]

    # A guest with a name only: once added, the form is empty for the next one.
    page.get_by_label("Prénom").fill("Nadia")
    page.get_by_role("button", name="Ajouter cette personne et noter sa présence", exact=True).tap()
    expect(page.locator("#walkin-feedback")).to_contain_text("Nadia est sur la liste", timeout=30_000)
    expect(page.get_by_label("Prénom")).to_have_value("")


def test_organizer_sees_attendees_and_exports_csv(new_page, server):
    gathering_id, = server.query("SELECT id FROM gatherings_gathering WHERE state = 'open'")[0]
    page = new_page()
    sign_in(page, ORGANIZER)
    page.goto(f"/organize/gatherings/{gathering_id}/attendees/")
    expect(page.get_by_role("heading", name="Inscriptions confirmées")).to_be_visible()
    screenshot(page, "attendees-desktop")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter en CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    # A French reader's spreadsheet: semicolons, as Excel in fr-CA expects.
    assert text.splitlines()[0].startswith("statut;rang d'attente;prénom;nom;courriel")


def test_language_switch_to_english(new_page):
    page = new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr-ca")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Small tables, real conversations.")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr-ca")


def test_accept_language_english_shows_english(new_page):
    page = new_page(locale="en-US")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Small tables, real conversations.")
    expect(page.get_by_role("navigation").get_by_role("link", name="Sign in")).to_be_visible()
    screenshot(page, "home-english-desktop")
