"""Session 5's fixes walked in a real browser at 375 px (no sideways scroll, axe clean): a stranger
finds the way to join; wishes pick a person by name; a note is rewritten, deleted and brought back;
the organizer's import preview shows a member's values before → after and keeps them; deactivating
asks first; changing one's address tells the old one, read as its recipient reads it."""

from __future__ import annotations

import re

import pytest
from axe import assert_no_serious_violations
from conftest import MEMBER, NARROW, ORGANIZER, demo_server, screenshot, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# The demo association opens its « Demander à joindre » page, as an organizer would.
OPEN = "from tablee.members.models import Association; Association.objects.filter(slug='demo').update(open_to_requests=True)"


@pytest.fixture(scope="module")
def walk_server(tmp_path_factory):
    with demo_server(tmp_path_factory.mktemp("tablee-newcomer"), setup=OPEN) as running:
        yield running


@pytest.fixture
def phone(open_page, walk_server):
    return open_page(walk_server, NARROW, bypass_csp=True, timeout_ms=10_000)  # axe-core runs on these pages


def _fits(page) -> None:
    """Nothing wider than the phone: no sideways scroll."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url


def test_a_stranger_finds_the_join_page_from_the_home_page(phone):
    phone.goto("/")
    phone.get_by_test_id("home-join").click()
    expect(phone.get_by_test_id("open-associations")).to_contain_text("Réseau des gens d'affaires")
    _fits(phone)
    screenshot(phone, "s5-home-join-phone")
    phone.get_by_test_id("open-associations").get_by_role("link", name=re.compile("Réseau des gens")).click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Réseau des gens d'affaires")
    assert_no_serious_violations(phone)
    screenshot(phone, "s5-association-page-phone")
    phone.get_by_test_id("association-join-link").click()
    # The name keeps its article: « Devenir membre du Réseau… ».
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Devenir membre du Réseau des gens d'affaires")
    _fits(phone)


def test_a_member_names_a_person_by_name_typed_without_accents(phone, walk_server):
    sign_in(phone, MEMBER)
    phone.goto("/wishes/")
    expect(phone.locator('input[type="email"]')).to_have_count(0)
    phone.get_by_test_id("wish-query").fill("maxime cote")
    phone.get_by_test_id("wish-query").press("Enter")
    phone.get_by_label("Maxime Côté").check()
    _fits(phone)
    assert_no_serious_violations(phone)
    screenshot(phone, "s5-wishes-picker-phone")
    phone.get_by_test_id("wish-kind").select_option("meet")
    phone.get_by_test_id("wish-submit").click()
    expect(phone.get_by_test_id("wish-list")).to_contain_text("Maxime Côté")


def test_a_member_rewrites_a_note_deletes_it_and_brings_it_back(phone, walk_server):
    sign_in(phone, MEMBER)
    [(contact_id,)] = walk_server.query("SELECT id FROM circle_contact WHERE name = 'David Chen'")
    phone.goto(f"/circle/contacts/{contact_id}/")
    note = phone.get_by_test_id("note").first
    note.get_by_text("Modifier").click()
    note.locator("textarea").fill("Works on *green shipping*; met him again at the port.")
    note.get_by_test_id("note-save").click()
    expect(phone.get_by_test_id("note").first).to_contain_text("met him again at the port")
    expect(phone.get_by_test_id("note").first).to_contain_text("modifiée le")
    _fits(phone)
    assert_no_serious_violations(phone)
    screenshot(phone, "s5-note-edited-phone")
    phone.get_by_test_id("note").first.get_by_text("Supprimer…").click()
    screenshot(phone, "s5-note-delete-confirm-phone")
    phone.get_by_test_id("note-delete-confirm").click()
    expect(phone.get_by_test_id("undo-note")).to_be_visible()
    expect(phone.get_by_test_id("note")).to_have_count(0)
    phone.get_by_test_id("undo-note-button").click()
    expect(phone.get_by_test_id("note").first).to_contain_text("met him again at the port")


def test_the_import_preview_shows_a_members_values_and_keeps_them(phone, walk_server, tmp_path):
    [(organization,)] = walk_server.query(
        "SELECT p.organization FROM members_profile p JOIN members_user u ON u.id = p.user_id WHERE u.email = ?",
        (MEMBER,))
    sign_in(phone, ORGANIZER)
    phone.goto("/organize/associations/demo/members/")
    csv = tmp_path / "membres.csv"
    csv.write_text("email,first_name,last_name,organization,interests\n"
                   f"{MEMBER},Marie,Tremblay,Une organisation avec un nom vraiment très très long inc.,ski de fond\n",
                   encoding="utf-8")
    phone.get_by_label("Fichier CSV des membres").set_input_files(str(csv))
    phone.get_by_role("button", name="Voir l'aperçu").click()
    changes = phone.get_by_test_id("import-changes")
    expect(changes).to_contain_text(f"{organization} → Une organisation")
    expect(changes).to_contain_text("gardé, sauf si vous remplacez")
    expect(phone.get_by_label("Les garder\u00a0: le fichier ne remplit que les champs vides (recommandé)")).to_be_checked()
    _fits(phone)
    assert_no_serious_violations(phone)
    screenshot(phone, "s5-import-preview-phone")
    phone.get_by_role("button", name="Importer tout").click()
    expect(phone.locator(".message")).to_contain_text("gardée")
    assert walk_server.query(
        "SELECT p.organization FROM members_profile p JOIN members_user u ON u.id = p.user_id WHERE u.email = ?",
        (MEMBER,)) == [(organization,)]


def test_deactivating_a_member_asks_first(phone, walk_server):
    sign_in(phone, ORGANIZER)
    phone.goto("/organize/associations/demo/members/?q=maxime")
    row = phone.locator("tr", has_text="Maxime Côté")
    row.get_by_text("Désactiver…").click()
    expect(row.get_by_test_id("deactivate-confirm")).to_be_visible()
    screenshot(phone, "s5-deactivate-confirm-phone")
    row.get_by_test_id("deactivate-confirm").click()
    expect(phone.locator(".message")).to_contain_text("n'a plus accès")


def test_changing_my_address_tells_the_old_one_with_a_way_back(phone, walk_server):
    sign_in(phone, "jean-francois.gagnon@demo.tablee.ca")
    phone.goto("/account/")
    phone.get_by_label("Nouveau courriel").fill("jf.nouveau@example.org")
    phone.get_by_role("button", name="Changer de courriel").click()
    [(body,)] = walk_server.query("SELECT body_text FROM outbox_email WHERE \"to\" = 'jf.nouveau@example.org'")
    [confirm] = re.findall(r"https?://[^/\s]+(/accounts/link/[^/\s]+/)", body)
    phone.goto(confirm)
    phone.get_by_role("button", name="Continuer").click()
    [(subject, notice)] = walk_server.query(
        "SELECT subject, body_text FROM outbox_email WHERE \"to\" = 'jean-francois.gagnon@demo.tablee.ca' AND kind = 'email_changed'")
    assert subject == "L'adresse de votre compte Tablée a changé"
    assert "j•••@example.org" in notice and "jf.nouveau@example.org" not in notice
    [back] = re.findall(r"https?://[^/\s]+(/accounts/link/[^/\s]+/)", notice)
    phone.goto(back)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Reprendre votre ancien courriel")
    screenshot(phone, "s5-email-revert-phone")
    phone.get_by_role("button", name="Continuer").click()
    expect(phone.locator(".message")).to_contain_text("jean-francois.gagnon@demo.tablee.ca")
    assert walk_server.query("SELECT email FROM members_user WHERE email LIKE 'jean-francois%' OR email LIKE 'jf.%'") == [
        ("jean-francois.gagnon@demo.tablee.ca",)]
