"""Issue 10 in a real browser, phone size: an invitation → the one « Continuer » button → the first
visit → an RSVP; the organizer's members page with a web import preview; deleting one's account."""

from __future__ import annotations

import re

import pytest
from conftest import ORGANIZER, PHONE, screenshot, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROSTER = "/organize/associations/demo/members/"
HEADER = "email,first_name,last_name,organization,sector,languages,offers,needs,interests\n"


def _link_for(server, email: str) -> str:
    """The newest one-time link emailed to ``email`` (read from the outbox row)."""
    rows = server.query("SELECT body_text FROM outbox_email WHERE \"to\" = ? ORDER BY id DESC", (email,))
    assert rows, f"no email to {email}"
    [url] = re.findall(r"https?://[^/\s]+(/accounts/link/[^/\s]+/)", rows[0][0])
    return url


def _user_ids(server, email: str) -> list[int]:
    return [row[0] for row in server.query("SELECT id FROM members_user WHERE email = ?", (email,))]


def _come_in_by_link(page, server, email: str, *, shot: str) -> None:
    page.goto(_link_for(server, email))
    expect(page.get_by_role("button", name="Continuer")).to_be_visible()
    screenshot(page, f"{shot}-continue-phone")
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url("**/welcome/")


def test_an_invited_member_comes_in_by_the_link_and_reserves_a_seat(new_page, server):
    organizer = new_page(PHONE)
    sign_in(organizer, ORGANIZER)
    organizer.goto(ROSTER)
    form = organizer.get_by_test_id("add-form")
    form.get_by_label("Courriel").fill("nadia.invitee@example.org")
    form.get_by_label("Prénom").fill("Nadia")
    form.get_by_label("Nom de famille").fill("Invitée")
    form.get_by_role("button", name="Ajouter").click()
    expect(organizer.locator('[data-email="nadia.invitee@example.org"]')).to_contain_text("invitation le")
    screenshot(organizer, "members-page-phone")

    nadia = new_page(PHONE)
    link = _link_for(server, "nadia.invitee@example.org")
    _come_in_by_link(nadia, server, "nadia.invitee@example.org", shot="invitation")
    nadia.get_by_label("Langues parlées").fill("français, anglais")
    nadia.get_by_label(re.compile("J'accepte que mon nom")).check()
    nadia.get_by_label(re.compile("J'accepte que les personnes assises")).check()
    screenshot(nadia, "first-visit-phone")
    nadia.get_by_role("button", name="C'est parti").click()
    nadia.wait_for_url("**/gatherings/")
    # The breakfast, not the demo's door meeting (sooner, registration closed).
    nadia.locator(".card h3 a", has_text="Déjeuner-réseautage").first.click()
    nadia.get_by_role("button", name="Réserver ma place").click()
    expect(nadia.get_by_text("Annuler ma place", exact=True)).to_be_visible()
    screenshot(nadia, "invited-member-reserved-phone")

    [user_id] = _user_ids(server, "nadia.invitee@example.org")
    assert server.query("SELECT status FROM gatherings_rsvp WHERE user_id = ?", (user_id,)) == [("confirmed",)]
    consents = server.query("SELECT directory_consent_at IS NOT NULL, tablemates_consent_at IS NOT NULL "
                            "FROM members_profile WHERE user_id = ?", (user_id,))
    assert consents == [(1, 1)]
    # The link worked once: a second press signs no one in.
    stranger = new_page(PHONE)
    stranger.goto(link)
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Cette invitation a déjà été acceptée")
    expect(stranger.get_by_role("button", name="Continuer")).to_have_count(0)


def test_the_organizer_imports_a_csv_after_a_preview(new_page, server, tmp_path):
    page = new_page(PHONE)
    sign_in(page, ORGANIZER)
    page.goto(ROSTER)
    bad = tmp_path / "membres-fautifs.csv"
    bad.write_text(HEADER + "zoe.import@example.org,Zoé,Importée,,,fr,,,\npas-une-adresse,Luc,Faux,,,fr,,,\n")
    page.get_by_test_id("import-form").get_by_label("Fichier CSV des membres").set_input_files(str(bad))
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.get_by_test_id("import-errors")).to_contain_text("ligne 3")
    expect(page.get_by_test_id("import-confirm")).to_have_count(0)
    screenshot(page, "import-preview-bad-line-phone")
    assert _user_ids(server, "zoe.import@example.org") == []

    good = tmp_path / "membres.csv"
    good.write_text(HEADER + "zoe.import@example.org,Zoé,Importée,,,fr,,,\n"
                    f"{ORGANIZER},Odile,Organisatrice,,,fr,,,\n")
    page.goto(ROSTER)
    page.get_by_test_id("import-form").get_by_label("Fichier CSV des membres").set_input_files(str(good))
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("1 membre sera créé et 1 membre ")
    screenshot(page, "import-preview-phone")
    invite = page.get_by_label(re.compile("Inviter aussi par courriel"))
    expect(invite).not_to_be_checked()  # emailing a whole file is the organizer's explicit choice
    invite.check()
    page.get_by_role("button", name="Importer tout").click()
    page.wait_for_url(f"**{ROSTER}")
    expect(page.locator('[data-email="zoe.import@example.org"]')).to_contain_text("invitation le")
    assert len(_user_ids(server, "zoe.import@example.org")) == 1


def test_a_member_deletes_their_account(new_page, server):
    organizer = new_page(PHONE)
    sign_in(organizer, ORGANIZER)
    organizer.goto(ROSTER)
    form = organizer.get_by_test_id("add-form")
    form.get_by_label("Courriel").fill("partante@example.org")
    form.get_by_label("Prénom").fill("Paule")
    form.get_by_label("Nom de famille").fill("Partante")
    form.get_by_role("button", name="Ajouter").click()
    expect(organizer.locator('[data-email="partante@example.org"]')).to_be_visible()

    page = new_page(PHONE)
    _come_in_by_link(page, server, "partante@example.org", shot="deletion")
    page.goto("/account/")
    screenshot(page, "account-phone")
    page.get_by_role("link", name="Supprimer mon compte").click()
    page.get_by_label("Pour confirmer, écrivez votre courriel").fill("partante@example.org")
    screenshot(page, "account-delete-phone")
    page.get_by_role("button", name="Supprimer définitivement").click()
    expect(page.get_by_text("Votre compte est supprimé")).to_be_visible()
    screenshot(page, "account-deleted-phone")

    assert _user_ids(server, "partante@example.org") == []
    assert server.query("SELECT COUNT(*) FROM members_user WHERE first_name = 'Paule' OR last_name = 'Partante'") == [(0,)]
    assert server.query("SELECT kind FROM outbox_email WHERE \"to\" = 'partante@example.org'") == [("account_deleted",)]
