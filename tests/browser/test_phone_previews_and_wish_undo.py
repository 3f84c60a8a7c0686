"""Session 6's polish walked at 375 px, in French then in English: the contact import's preview
(« Vérifier sans importer », nothing written) and the organizer's members import preview stack into
cards instead of scrolling sideways; deleting a wish is asked first and can be undone. axe-core finds
nothing critical or serious, and the page never scrolls sideways.

Its own server: the demo plus one wish of Marie's (to meet Maxime Côté), so the session server of the
other browser tests is left as it was.
"""

from __future__ import annotations

import pytest
from axe import assert_no_serious_violations
from conftest import MEMBER, NARROW, ORGANIZER, demo_server, page_overflow, screenshot, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SETUP = """
from tablee.members.models import Association, User
from tablee.tables.models import Wish
association = Association.objects.get(slug="demo")
marie = User.objects.get(email="marie.tremblay@demo.tablee.ca")
maxime = User.objects.get(first_name="Maxime", last_name="Côté")
Wish.objects.get_or_create(author=marie, target=maxime, association=association, kind="meet")
"""

@pytest.fixture(scope="module")
def polish_server(tmp_path_factory):
    with demo_server(tmp_path_factory.mktemp("tablee-polish"), setup=SETUP, threads=4) as running:
        yield running


@pytest.fixture
def phone(open_page, polish_server):
    return open_page(polish_server, NARROW, bypass_csp=True)  # axe-core runs on these pages


def _speak(page, language: str) -> None:
    """The header's language switch (stored on the account too, as a member would)."""
    lang = "fr-ca" if language == "fr" else "en"
    if page.locator("html").get_attribute("lang") != lang:
        page.get_by_test_id(f"lang-{lang}").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def _back_to_french(page) -> None:
    """The account's language as the demo had it, for the next test (from a page one may GET)."""
    page.goto("/gatherings/")
    _speak(page, "fr")


def _fits(page) -> None:
    """The page never scrolls sideways: document.documentElement.scrollWidth <= window.innerWidth."""
    assert page_overflow(page) <= 0, page.url
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), page.url


def _stacked(page, table: str) -> None:
    """On a phone the table is cards: its region does not scroll, and a row's cells sit one under
    the other (the second cell starts below the first)."""
    region = page.locator(".table-scroll", has=page.locator(table))
    assert region.evaluate("e => e.scrollWidth <= e.clientWidth")
    cells = page.locator(f"{table} tbody tr").first.locator("td")
    first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert first and second and second["y"] >= first["y"] + first["height"] - 1


def _contacts(server) -> list[tuple]:
    return server.query("SELECT c.id, c.name, c.email, c.phone, c.organization FROM circle_contact c "
                        "JOIN members_user u ON u.id = c.owner_id WHERE u.email = ? ORDER BY c.id", (MEMBER,))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_contact_import_preview_reads_well_on_a_narrow_phone_then_imports_without_choosing_the_file_again(
        phone, polish_server, tmp_path, language):
    server = polish_server
    known = next(row for row in _contacts(server) if row[2] and not row[3])  # a contact with an address, no phone
    csv = tmp_path / "contacts-google.csv"
    csv.write_text(
        "Given Name,Family Name,E-mail 1 - Value,Phone 1 - Value,Organization 1 - Name,Notes\n"
        f"{known[1]},,{known[2]},418-555-0142,,Revue au salon de l'emploi de Lévis\n"
        "Marie-Christine-Évangéline,Bergeron-Lapointe-Desrosiers,"
        f"marie-christine.bergeron-lapointe.{language}@cooperative-regionale-de-solidarite.example.org,,"
        "Coopérative régionale de solidarité en habitation communautaire,\n"
        f"Zoé,Gauthier,zoe.{language}@example.org,,Atelier Zoé,\n",
        encoding="utf-8")
    before = _contacts(server)
    sign_in(phone, MEMBER)
    _speak(phone, language)

    phone.goto("/circle/import/")
    phone.locator("#import-file").set_input_files(str(csv))
    phone.get_by_test_id("import-dry-run").click()

    preview = phone.get_by_test_id("import-preview")
    expect(preview).to_be_visible()
    expect(phone.get_by_test_id("import-summary")).to_have_text(
        "2 contacts seront créés et 1 contact de votre cercle sera complété." if language == "fr"
        else "2 contacts will be created and 1 contact in your circle will be completed.")
    expect(phone.get_by_test_id("import-changes")).to_contain_text("418-555-0142")
    assert _contacts(server) == before  # a dry run writes nothing
    _fits(phone)
    _stacked(phone, '[data-testid="import-rows"]')
    assert_no_serious_violations(phone)
    screenshot(phone, f"s7-contact-import-preview-375-{language}")
    # One upload: the preview's button imports the kept file.
    phone.get_by_test_id("import-confirm").get_by_role("button").click()
    expect(phone.get_by_test_id("import-result")).to_be_visible()
    after = _contacts(server)
    assert len(after) == len(before) + 2
    assert any(row[0] == known[0] and row[3] == "418-555-0142" for row in after)
    _back_to_french(phone)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_members_import_preview_reads_well_on_a_narrow_phone(phone, polish_server, tmp_path, language):
    csv = tmp_path / "membres.csv"
    csv.write_text(
        "email,first_name,last_name,organization,interests,Téléphone\n"
        f"{MEMBER},Marie,Tremblay,Une organisation avec un nom vraiment très très long inc.,ski de fond,\n"
        "marie-christine.bergeron-lapointe@cooperative-regionale-de-solidarite.example.org,"
        "Marie-Christine-Évangéline,Bergeron-Lapointe-Desrosiers,Coopérative régionale,,418 555-0100\n",
        encoding="utf-8")
    sign_in(phone, ORGANIZER)
    _speak(phone, language)
    phone.goto("/organize/associations/demo/members/")

    form = phone.get_by_test_id("import-form")
    form.locator('input[type="file"]').set_input_files(str(csv))
    form.locator('button[type="submit"]').click()

    expect(phone.get_by_test_id("import-changes")).to_contain_text("Une organisation")
    expect(phone.get_by_test_id("import-warnings")).to_contain_text("Téléphone")  # ignored, and said so
    _fits(phone)
    _stacked(phone, '[data-testid="import-rows"]')
    assert_no_serious_violations(phone)
    screenshot(phone, f"s6-members-import-preview-375-{language}")
    _back_to_french(phone)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_deleting_a_wish_is_asked_first_then_can_be_undone_on_a_narrow_phone(phone, polish_server, language):
    server = polish_server
    wishes = "SELECT kind, created_at FROM tables_wish w JOIN members_user u ON u.id = w.author_id WHERE u.email = ?"
    before = server.query(wishes, (MEMBER,))
    assert len(before) == 1
    sign_in(phone, MEMBER)
    _speak(phone, language)
    phone.goto("/wishes/")

    phone.get_by_test_id("wish-delete").locator("summary").click()
    expect(phone.get_by_test_id("wish-delete-confirm")).to_be_visible()
    assert server.query(wishes, (MEMBER,)) == before  # asking changes nothing
    _fits(phone)
    assert_no_serious_violations(phone)
    screenshot(phone, f"s6-wish-delete-confirm-375-{language}")

    phone.get_by_test_id("wish-delete-confirm").click()
    expect(phone.get_by_test_id("undo-wish")).to_contain_text("Maxime Côté")
    assert server.query(wishes, (MEMBER,)) == []
    _fits(phone)
    assert_no_serious_violations(phone)
    screenshot(phone, f"s6-wish-undo-375-{language}")

    phone.get_by_test_id("undo-wish-button").click()
    expect(phone.get_by_test_id("wish-list")).to_contain_text("Maxime Côté")
    assert server.query(wishes, (MEMBER,)) == before  # back as it was, its first date too
    screenshot(phone, f"s6-wish-restored-375-{language}")
    _back_to_french(phone)
