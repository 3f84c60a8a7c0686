"""The loop after the table on a phone (issue 11): the gathering page before and after, three cards
with my table-mates first, a mutual « poursuivre la conversation » email whose link becomes a
follow-up draft in three tones; axe-core finds nothing critical or serious on these pages.

Its own server: the demo plus a breakfast that ended this morning, with a published plan where Marie
sat with three people, one of whom already wished to continue the conversation with her.
"""

from __future__ import annotations

import re

import pytest
from axe import assert_no_serious_violations
from conftest import MEMBER, PHONE, demo_server, screenshot, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SETUP = """
from datetime import timedelta
from django.utils import timezone
from tablee.circle.models import ContinueWish
from tablee.gatherings.models import Gathering, Rsvp
from tablee.members.models import Association, User
from tablee.tables.models import Plan, PlanTable, Seat
association = Association.objects.get(slug="demo")
starts = timezone.now() - timedelta(hours=4)
gathering = Gathering.objects.create(association=association, title="Déjeuner de ce matin", starts_at=starts,
                                     venue="Café du Faubourg", state="done", reminder_sent_at=timezone.now())
marie = User.objects.get(email="marie.tremblay@demo.tablee.ca")
others = list(User.objects.filter(memberships__association=association, memberships__role="member")
              .exclude(pk=marie.pk).order_by("last_name", "pk")[:7])
for user in [marie, *others]:
    Rsvp.objects.create(gathering=gathering, user=user, status="confirmed", queued_at=starts, confirmed_at=starts,
                        present=True)
plan = Plan.objects.create(gathering=gathering, status="published", published_at=starts)
one, two = PlanTable.objects.create(plan=plan, number=1), PlanTable.objects.create(plan=plan, number=2)
for k, user in enumerate([marie, *others]):
    Seat.objects.create(plan=plan, table=one if k < 4 else two, user=user, position=k)
ContinueWish.objects.create(author=others[0], target=marie, gathering=gathering)
upcoming = (Gathering.objects.filter(rsvps__user=marie, rsvps__status="confirmed", starts_at__gt=timezone.now())
            .order_by("starts_at").first())
print(gathering.pk)
print(upcoming.pk if upcoming else "")
print(",".join(u.email for u in others))
"""


@pytest.fixture(scope="module")
def loop_server(tmp_path_factory):
    with demo_server(tmp_path_factory.mktemp("tablee-loop-browser"), setup=SETUP, threads=4) as server:
        past, upcoming, people = server.setup_output.strip().splitlines()[-3:]
        server.past_id, server.upcoming_id = int(past), int(upcoming) if upcoming else None
        server.people = people.split(",")
        yield server


@pytest.fixture
def phone(open_page, loop_server):
    return open_page(loop_server, PHONE, bypass_csp=True)  # axe-core runs on these pages


def test_the_loop_after_the_table_on_a_phone(phone, loop_server):
    page, server = phone, loop_server
    sign_in(page, MEMBER)

    # Before: my place, my intention, « Ma tablée ».
    if server.upcoming_id:
        page.goto(f"/gatherings/{server.upcoming_id}/")
        expect(page.get_by_test_id("hub-before")).to_be_visible()
        expect(page.get_by_test_id("hub-intention")).to_be_visible()
        screenshot(page, "loop-1-hub-before-phone")
        assert_no_serious_violations(page)

    # After: « Garder mes cartes » first; the seat is no longer "reserved".
    page.goto(f"/gatherings/{server.past_id}/")
    expect(page.get_by_test_id("hub-after")).to_be_visible()
    expect(page.get_by_text("Votre place est réservée")).to_have_count(0)
    screenshot(page, "loop-2-hub-after-phone")
    assert_no_serious_violations(page)
    page.get_by_test_id("hub-cards").click()

    # Cards: my three table-mates first, the note only for the chosen one.
    mate = server.user_id(server.people[0])
    mates = page.get_by_test_id("pick-mates")
    expect(mates.locator("li")).to_have_count(3)
    expect(page.get_by_test_id(f"note-{mate}")).to_be_hidden()
    box = page.get_by_test_id(f"keep-{mate}").bounding_box()
    assert box and box["height"] >= 20
    page.get_by_test_id(f"keep-{mate}").check()
    expect(page.get_by_test_id(f"note-{mate}")).to_be_visible()
    page.get_by_test_id(f"topic-{mate}").fill("son projet de coopérative d'habitation")
    mates.locator("li").first.get_by_label("J'aimerais poursuivre la conversation", exact=False).check()
    # Anyone else who came is one search away.
    expect(page.get_by_test_id(f"keep-{server.user_id(server.people[5])}")).to_be_hidden()
    page.get_by_test_id("pick-search").fill(server.people[5].split("@")[0].split(".")[-1])
    expect(page.get_by_test_id(f"keep-{server.user_id(server.people[5])}")).to_be_visible()
    screenshot(page, "loop-3-cards-phone")
    assert_no_serious_violations(page)
    page.get_by_test_id("cards-submit").click()
    expect(page.get_by_test_id("kept-cards").locator("li")).to_have_count(1)

    # The continue wish was mutual: both got an email with a link that becomes a draft.
    html, text = server.query("SELECT body_html, body_text FROM outbox_email WHERE kind = 'continue_mutual' "
                              "AND \"to\" = ?", (MEMBER,))[0]
    assert len(server.query("SELECT id FROM outbox_email WHERE kind = 'continue_mutual'")) == 2
    link = next(w for w in text.split() if w.startswith("http"))
    page.set_content(html)
    screenshot(page, "loop-4-continue-email-phone")
    page.goto(link)
    page.get_by_test_id("continue-write").click()
    body = page.get_by_test_id("followup-body")
    expect(body).to_have_value(re.compile(r"^Bonjour [^,\n]+,"))
    screenshot(page, "loop-5-followup-draft-phone")
    assert_no_serious_violations(page)
    page.get_by_test_id("tone-formal").click()
    expect(page.get_by_test_id("followup-body")).to_have_value(re.compile("Cordialement"))
    screenshot(page, "loop-6-followup-formal-phone")

    # What I typed is never replaced without asking: another tone asks first, and keeps my text.
    page.get_by_test_id("followup-body").fill("Bonjour, un mot écrit de ma main.")
    page.get_by_test_id("tone-brief").click()
    expect(page.get_by_test_id("tone-ask")).to_be_visible()
    expect(page.get_by_test_id("followup-body")).to_have_value("Bonjour, un mot écrit de ma main.")
    assert_no_serious_violations(page)
    page.get_by_test_id("tone-replace").click()
    expect(page.get_by_test_id("followup-body")).to_have_value(re.compile("À bientôt"))
