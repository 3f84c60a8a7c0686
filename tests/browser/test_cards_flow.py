"""Three cards on a phone: keep a fourth (refused kindly), keep three with notes, then send one
follow-up from Tablée — twice pressed, one email stored.

Its own server on a throwaway database (the demo plus a breakfast that just ended), so the session
server of the other browser tests is left as it was.
"""

from __future__ import annotations

import re

import pytest
from conftest import MEMBER, PHONE, demo_server, screenshot, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SETUP = """
from datetime import timedelta
from django.utils import timezone
from tablee.gatherings.models import Gathering, Rsvp
from tablee.members.models import Association, User
association = Association.objects.get(slug="demo")
starts = timezone.now() - timedelta(hours=3)
gathering = Gathering.objects.create(association=association, title="Déjeuner d'hier matin", starts_at=starts,
                                     venue="Café du Faubourg", state="done", reminder_sent_at=timezone.now())
marie = User.objects.get(email="marie.tremblay@demo.tablee.ca")
others = list(User.objects.filter(memberships__association=association, memberships__role="member")
              .exclude(pk=marie.pk).order_by("last_name", "pk")[:6])
for user in [marie, *others]:
    Rsvp.objects.create(gathering=gathering, user=user, status="confirmed", queued_at=starts, confirmed_at=starts,
                        present=True)
print(gathering.pk)
print(",".join(u.email for u in others))
"""


@pytest.fixture(scope="module")
def cards_server(tmp_path_factory):
    """Its own server: the demo plus a past breakfast Marie attended."""
    with demo_server(tmp_path_factory.mktemp("tablee-cards-browser"), setup=SETUP, threads=4) as server:
        gathering_line, people_line = server.setup_output.strip().splitlines()[-2:]
        server.gathering_id = int(gathering_line)
        server.people = people_line.split(",")
        yield server


@pytest.fixture
def phone_page(open_page, cards_server):
    return open_page(cards_server, PHONE)


def _cards(server) -> int:
    return server.query("SELECT count(*) FROM circle_card WHERE gathering_id = ?", (server.gathering_id,))[0][0]


def test_three_cards_then_one_personal_follow_up_on_a_phone(phone_page, cards_server):
    page, server = phone_page, cards_server
    sign_in(page, MEMBER)
    page.goto(f"/gatherings/{server.gathering_id}/cards/")
    expect(page.get_by_test_id("cards-left")).to_contain_text("Il vous reste 3 cartes")
    screenshot(page, "cards-1-choose-phone")

    # A fourth card is refused with the reason, and nothing is kept.
    for email in server.people[:4]:
        page.get_by_test_id(f"keep-{server.user_id(email)}").check()
    page.get_by_test_id("cards-submit").click()
    expect(page.locator(".message-error")).to_contain_text("Peu, mais mieux")
    assert _cards(server) == 0
    screenshot(page, "cards-2-fourth-refused-phone")

    # The choices stay on screen: uncheck the fourth.
    expect(page.get_by_test_id(f"keep-{server.user_id(server.people[3])}")).to_be_checked()
    page.get_by_test_id(f"keep-{server.user_id(server.people[3])}").uncheck()
    topics = ["son projet d'épicerie zéro déchet", "la relève agricole", "un local à partager"]
    for email, topic in zip(server.people[:3], topics, strict=True):
        page.get_by_test_id(f"keep-{server.user_id(email)}").check()
        page.get_by_test_id(f"topic-{server.user_id(email)}").fill(topic)
    page.get_by_test_id("cards-submit").click()
    expect(page.get_by_test_id("kept-cards").locator("li")).to_have_count(3)
    expect(page.get_by_test_id("cards-left")).to_contain_text("Il vous reste 0 carte")
    assert _cards(server) == 3
    screenshot(page, "cards-3-kept-phone")

    page.get_by_test_id("nav-followups").click()
    expect(page.get_by_test_id("followup-queue")).to_be_visible()
    screenshot(page, "cards-4-followups-phone")
    followup_id, name = server.query(
        "SELECT f.id, c.name FROM circle_followup f JOIN circle_card k ON k.id = f.card_id "
        "JOIN circle_contact c ON c.id = f.contact_id WHERE k.gathering_id = ? AND k.topic = ?",
        (server.gathering_id, topics[0]))[0]
    page.goto(f"/followups/{followup_id}/")
    expect(page.get_by_test_id("followup-body")).to_have_value(
        re.compile(r"J'ai repensé à notre conversation sur ton projet d'épicerie zéro déchet\."))
    # A fellow attendee's address is theirs: the draft goes through Tablée, no mail-app link.
    expect(page.get_by_text("son adresse reste privée", exact=False)).to_be_visible()
    expect(page.get_by_test_id("followup-mailto")).to_have_count(0)
    screenshot(page, "cards-5-draft-phone")

    page.get_by_test_id("followup-send").dblclick()
    expect(page.get_by_test_id("followup-recent")).to_contain_text(name)
    rows = server.query("SELECT status, \"to\" FROM outbox_email WHERE key = ?", (f"followup:{followup_id}",))
    assert len(rows) == 1 and rows[0][0] == "queued"
    assert server.query("SELECT count(*) FROM outbox_email WHERE kind = 'followup'")[0][0] == 1
    screenshot(page, "cards-6-sent-phone")


def test_the_demo_shows_maries_circle_with_tiers_rhythms_and_a_dormant_tie(phone_page, cards_server):
    page = phone_page
    sign_in(page, MEMBER)
    page.get_by_test_id("nav-circle").click()
    expect(page.get_by_test_id("tier-close")).to_contain_text("Geneviève Paradis")
    expect(page.get_by_test_id("tier-close").locator(".rhythm-red")).to_have_count(1)  # Louise, silent for a year
    expect(page.get_by_test_id("suggestion")).to_be_visible()
    screenshot(page, "circle-1-mon-cercle-phone")
    page.get_by_role("link", name="Geneviève Paradis").first.click()
    expect(page.locator(".note-body strong")).to_have_text("demande de subvention")  # Markdown, rendered
    expect(page.get_by_test_id("timeline")).to_contain_text("Café au Nektar")
    screenshot(page, "circle-2-contact-phone")
