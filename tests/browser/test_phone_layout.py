"""The phone walk's layout mends, on a 390 px phone: tap targets of 24 px, lists typed in boxes that
wrap, « Mon parcours » readable (and a word for a newcomer instead of charts of zeros), the event
cards form, a way onward from pages that were dead ends, the coach's question shown as a quotation,
and the demo's door open for check-in with a plan still to make.

Its own server: the demo plus a member who has just joined (nothing to count yet on her parcours).
Screenshots go to test-artifacts/screenshots/layout-*.png.
"""

from __future__ import annotations

import json

import pytest
from axe import assert_no_serious_violations
from conftest import (
    MEMBER,
    ORGANIZER,
    PASSWORD,
    PHONE,
    demo_server,
    page_overflow,
    screenshot,
    sign_in,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NEWCOMER = "sophie.nouvelle@demo.tablee.ca"
DOOR_TITLE = "Rencontre express — essai de l'accueil"

SETUP = f"""
from tablee.members.models import Association
from tablee.members.services import member_join, person_create
association = Association.objects.get(slug="demo")
newcomer = person_create(email="{NEWCOMER}", password="{PASSWORD}", first_name="Sophie", last_name="Nouvelle")
member_join(association=association, user=newcomer)
"""

# Every link, button and summary on the page that is not a link inside a sentence (WCAG 2.5.8 lets
# those follow the text's line): how tall is it? A link is in a sentence when the paragraph around it
# has words of its own once its links and buttons are taken out.
SMALL_TARGETS = """() => {
  const small = [];
  for (const el of document.querySelectorAll("a[href], button, summary, [role=button], input[type=submit]")) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === "hidden") continue;
    const paragraph = el.closest("p");
    if (paragraph) {
      const rest = paragraph.cloneNode(true);
      rest.querySelectorAll("a, button").forEach(x => x.remove());
      if (/\\p{L}/u.test(rest.textContent)) continue;
    }
    if (box.height < 24) small.push(`${el.tagName} «${el.textContent.trim().slice(0, 40)}» ${Math.round(box.height)} px`);
  }
  return small;
}"""


@pytest.fixture(scope="module")
def layout_server(tmp_path_factory):
    with demo_server(tmp_path_factory.mktemp("tablee-layout-browser"), setup=SETUP) as server:
        yield server


@pytest.fixture
def phone(open_page, layout_server):
    return lambda: open_page(layout_server, PHONE, bypass_csp=True)  # axe-core runs on some pages


def _first(server, sql: str, params: tuple = ()) -> int:
    return server.query(sql, params)[0][0]


def test_standalone_links_and_buttons_are_at_least_24px_tall_on_a_phone(phone, layout_server):
    marie = layout_server.user_id(MEMBER)
    intention = _first(layout_server, "SELECT id FROM journey_intention WHERE author_id = ? ORDER BY id", (marie,))
    followup = _first(layout_server, "SELECT id FROM circle_followup WHERE owner_id = ? ORDER BY id", (marie,))
    pages = {
        None: ["/", "/accounts/login/", "/associations/demo/"],
        MEMBER: ["/followups/", f"/followups/{followup}/", "/gatherings/2/cards/", f"/parcours/intentions/{intention}/",
                 "/circle/event-cards/", "/profile/"],
        ORGANIZER: ["/organize/gatherings/3/attendees/", "/organize/gatherings/3/tables/"],
    }
    small = {}
    for who, paths in pages.items():
        page = phone()
        if who:
            sign_in(page, who)
        for path in paths:
            assert page.goto(path).status == 200, path
            found = page.evaluate(SMALL_TARGETS)
            if found:
                small[path] = found
            if path == "/organize/gatherings/3/attendees/":
                screenshot(page, "layout-attendees-phone")
    assert small == {}


def test_offers_needs_and_interests_are_boxes_that_show_the_whole_list_and_read_as_before(phone, layout_server):
    page = phone()
    sign_in(page, MEMBER)
    page.goto("/profile/")
    offers = "pharmacie communautaire, gestion de clinique, santé mentale au travail; ergonomie au bureau"
    for name in ("Ce que j'offre :", "Ce que je cherche :", "Intérêts :"):
        expect(page.get_by_role("textbox", name=name, exact=True)).to_have_js_property("tagName", "TEXTAREA")
    page.locator("#id_offers").fill(offers)
    # The whole list shows: the box wraps and grows, nothing is cut at the phone's width.
    fits = page.locator("#id_offers").evaluate(
        "e => e.scrollHeight <= e.clientHeight + 1 && e.scrollWidth <= e.clientWidth + 1")
    assert fits
    screenshot(page, "layout-profile-phone")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Votre profil est enregistré.")).to_be_visible()
    stored = layout_server.query("SELECT offers FROM members_profile WHERE user_id = ?", (layout_server.user_id(MEMBER),))
    assert json.loads(stored[0][0]) == ["pharmacie communautaire", "gestion de clinique",
                                        "santé mentale au travail", "ergonomie au bureau"]


def test_the_parcours_charts_and_table_read_on_a_phone(phone):
    page = phone()
    sign_in(page, MEMBER)
    page.goto("/parcours/")
    expect(page.locator("svg.chart")).to_have_count(5)
    # The axis labels' size on screen: their font size times the drawing's scale.
    smallest = page.evaluate("""() => Math.min(...[...document.querySelectorAll('svg.chart text')].map(t =>
        parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a))""")
    assert smallest >= 11.5, smallest
    region = page.get_by_role("region", name="Mon parcours mois par mois (tableau)")
    assert region.evaluate("e => e.scrollWidth <= e.clientWidth")  # nothing hidden to the side
    caption = page.locator("[data-testid=parcours-table] caption").bounding_box()
    assert caption and caption["x"] >= 0 and caption["x"] + caption["width"] <= 390
    expect(page.locator("td[data-label='Promesses tenues']").first).to_be_visible()
    assert page_overflow(page) <= 0
    screenshot(page, "layout-parcours-phone")
    assert_no_serious_violations(page)


def test_a_newcomer_parcours_says_what_will_show_instead_of_charts_of_zeros(phone):
    page = phone()
    sign_in(page, NEWCOMER)
    page.goto("/parcours/")
    expect(page.get_by_test_id("parcours-empty")).to_contain_text("Rien à compter pour l'instant")
    expect(page.locator("svg.chart")).to_have_count(0)
    expect(page.get_by_test_id("parcours-table")).to_have_count(0)
    screenshot(page, "layout-parcours-newcomer-phone")


def test_the_event_cards_form_has_even_labels_and_a_way_back_to_the_circle(phone):
    page = phone()
    sign_in(page, MEMBER)
    page.goto("/circle/event-cards/")
    form = page.locator("form.capture")
    weights = form.locator("label").evaluate_all("ls => ls.map(l => getComputedStyle(l).fontWeight)")
    assert len(weights) == 7 and set(weights) == {"600"}, weights
    # « Note pour vous » sits on its own line, below the help of the field before it.
    help_bottom = page.locator("#capture-topic-help").bounding_box()
    note_label = page.get_by_text("Note pour vous", exact=True).bounding_box()
    assert help_bottom and note_label and note_label["y"] >= help_bottom["y"] + help_bottom["height"]
    screenshot(page, "layout-event-cards-phone")
    assert_no_serious_violations(page)
    page.get_by_role("link", name="← Mon cercle").click()
    expect(page.get_by_role("heading", name="Mon cercle", level=1)).to_be_visible()


def test_pages_that_were_dead_ends_lead_onward(phone):
    page = phone()
    page.goto("/associations/demo/join/")
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label("Nom de famille").fill("Curieuse")
    page.get_by_label("Courriel").fill("lea.curieuse@example.org")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("heading", name="Demande envoyée")).to_be_visible()
    screenshot(page, "layout-join-sent-phone")
    page.get_by_test_id("onward").get_by_role("link", name="Retour à l'accueil").click()
    page.wait_for_url("**/")

    page.goto("/accounts/sign-in-link/")
    page.get_by_label("Courriel").fill("lea.curieuse@example.org")
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.get_by_role("heading", name="Vérifiez vos courriels")).to_be_visible()
    screenshot(page, "layout-sign-in-link-sent-phone")
    page.get_by_test_id("onward").get_by_role("link", name="Retour à la connexion").click()
    page.wait_for_url("**/accounts/login/**")

    sign_in(page, MEMBER)
    page.goto("/gatherings/2/cards/")
    page.get_by_test_id("back-to-gathering").click()
    page.wait_for_url("**/gatherings/2/")


def test_the_coach_question_is_quoted_and_the_page_around_it_says_vous(phone):
    page = phone()
    sign_in(page, MEMBER)
    page.goto("/parcours/intentions/new/")
    quote = page.locator("label[for=id_signal] q.coach-question")
    expect(quote).to_have_text("Qu'est-ce qui va t'indiquer que tu as atteint ton résultat?")
    quotes = quote.evaluate("q => getComputedStyle(q).quotes")
    assert quotes == '"«\u00a0" "\u00a0»"', quotes
    expect(page.locator("label[for=id_signal] .coach-cite")).to_have_text("Une question de coach")
    # Outside the quotation, the page speaks to the member as « vous ».
    words = page.locator("main").evaluate("""m => { const c = m.cloneNode(true);
        c.querySelectorAll('q, datalist, script').forEach(x => x.remove());
        return c.innerText.toLowerCase().split(/[^\\p{L}']+/u); }""")
    assert "vous" in words and not {"tu", "ton", "ta", "tes", "te", "toi"} & set(words)
    screenshot(page, "layout-intention-question-phone")
    assert_no_serious_violations(page)


def test_the_demo_door_is_open_and_its_plan_is_still_to_make(phone, layout_server):
    door = _first(layout_server, "SELECT id FROM gatherings_gathering WHERE title = ?", (DOOR_TITLE,))
    page = phone()
    sign_in(page, ORGANIZER)
    page.goto(f"/organize/gatherings/{door}/checkin/")
    expect(page.get_by_role("heading", name="Accueil à la porte")).to_be_visible()
    expect(page.get_by_text("Présences : 0 sur 14")).to_be_visible()
    page.get_by_role("button", name="Présence").first.click()
    expect(page.get_by_text("Présences : 1 sur 14")).to_be_visible()
    assert layout_server.query("SELECT COUNT(*) FROM gatherings_rsvp WHERE gathering_id = ? AND present = 1",
                               (door,))[0][0] == 1
    screenshot(page, "layout-door-checkin-phone")
    page.goto(f"/organize/gatherings/{door}/tables/")
    expect(page.get_by_role("button", name="Calculer le plan de tables")).to_be_visible()
