"""Tables in a real browser: plan (worker + progress) → review (map, move, pin) → publish → Ma tablée.

Its own server and worker on a throwaway database (the demo plus one breakfast to plan), so the
session server of the other browser tests is left as it was.
"""

from __future__ import annotations

import pytest
from conftest import MEMBER, NEWCOMER, ORGANIZER, PHONE, demo_server, screenshot, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SETUP = """
from datetime import timedelta
from django.utils import timezone
from tablee.gatherings.models import Gathering, Rsvp
from tablee.gatherings.services import gathering_create
from tablee.members.models import Association, User
association = Association.objects.get(slug="demo")
starts = timezone.now() + timedelta(days=3)
gathering = gathering_create(association=association, title="Déjeuner à planifier", starts_at=starts,
                             venue="Café du Faubourg", tables=6, seats_per_table=6, state="closed")
Gathering.objects.filter(pk=gathering.pk).update(reminder_sent_at=timezone.now())
people = list(User.objects.filter(memberships__association=association, memberships__role="member")
              .exclude(email="jean-francois.gagnon@demo.tablee.ca").order_by("pk")[:30])
now = timezone.now()
for k, user in enumerate(people):
    Rsvp.objects.create(gathering=gathering, user=user, status="confirmed",
                        queued_at=now + timedelta(seconds=k), confirmed_at=now + timedelta(seconds=k))
print(gathering.pk)
"""


@pytest.fixture(scope="module")
def tables_server(tmp_path_factory):
    """Its own server and worker: the demo plus one breakfast to plan."""
    with demo_server(tmp_path_factory.mktemp("tablee-tables-browser"), setup=SETUP, worker=True,
                     threads=4) as server:
        server.gathering_id = int(server.setup_output.strip().splitlines()[-1])
        yield server


@pytest.fixture
def page_for(open_page, tables_server):
    return lambda device=None: open_page(tables_server, device)


def _plan(server) -> tuple[str, int]:
    rows = server.query("SELECT status, id FROM tables_plan WHERE gathering_id = ?", (server.gathering_id,))
    return rows[0] if rows else (None, None)


def test_plan_review_publish_then_ma_tablee(page_for, tables_server):
    g = tables_server.gathering_id
    organizer = page_for()
    sign_in(organizer, ORGANIZER)
    organizer.goto(f"/organize/gatherings/{g}/tables/")
    screenshot(organizer, "tables-empty-desktop")

    organizer.get_by_test_id("plan-request").click()
    expect(organizer.get_by_test_id("plan-progress")).to_be_visible()
    screenshot(organizer, "tables-progress-desktop")
    # The worker computes; the polled fragment reloads the page when the plan is ready.
    expect(organizer.get_by_test_id("plan-publish")).to_be_visible(timeout=60_000)
    assert _plan(tables_server)[0] == "ready"
    # 30 people, 6 tables of 6 seats: one chair left free per table, so all six tables are used.
    expect(organizer.locator("svg.table-map")).to_have_count(6)
    screenshot(organizer, "tables-review-desktop")

    # Review: move Marie to another table, pin her there.
    marie_id, table_before = tables_server.query(
        "SELECT s.user_id, t.number FROM tables_seat s JOIN tables_plantable t ON t.id = s.table_id "
        "JOIN members_user u ON u.id = s.user_id WHERE s.plan_id = ? AND u.email = ?",
        (_plan(tables_server)[1], MEMBER))[0]
    target = 1 if table_before != 1 else 2
    organizer.locator(f"#move-{marie_id}").select_option(str(target))
    organizer.get_by_test_id(f"move-{marie_id}").click()
    expect(organizer.get_by_test_id(f"table-{target}")).to_contain_text("Marie Tremblay")
    organizer.get_by_test_id(f"pin-{marie_id}").click()
    expect(organizer.get_by_test_id(f"pin-{marie_id}")).to_have_text("Désépingler")
    pinned = tables_server.query("SELECT pinned FROM tables_seat WHERE user_id = ? AND plan_id = ?",
                                 (marie_id, _plan(tables_server)[1]))
    assert pinned == [(1,)]
    screenshot(organizer, "tables-moved-pinned-desktop")

    organizer.get_by_test_id("plan-publish").click()
    organizer.get_by_test_id("plan-publish-confirm").click()
    expect(organizer.get_by_test_id("plan-published")).to_be_visible()
    assert _plan(tables_server)[0] == "published"
    emails = tables_server.query("SELECT COUNT(*) FROM outbox_email WHERE kind = 'plan_published'")
    assert emails == [(30,)]
    screenshot(organizer, "tables-published-desktop")

    organizer.get_by_test_id("plan-print").click()
    expect(organizer.get_by_test_id("seating-list")).to_be_visible()
    organizer.emulate_media(media="print")
    screenshot(organizer, "tables-print-cards")

    member = page_for(PHONE)
    sign_in(member, MEMBER)
    member.goto(f"/gatherings/{g}/my-table/")
    expect(member.get_by_test_id("my-table-number")).to_have_text(f"Vous êtes à la table {target}")
    expect(member.get_by_test_id("companion")).not_to_have_count(0)
    expect(member.get_by_test_id("starters").locator("li")).to_have_count(3)
    screenshot(member, "ma-tablee-phone")

    member.goto("/wishes/")
    # A person is found by name, typed without accents, never by address.
    member.get_by_test_id("wish-query").fill("maxime cote")
    member.get_by_test_id("wish-query").press("Enter")
    member.get_by_label("Maxime Côté").check()
    screenshot(member, "mes-souhaits-choisir-phone")
    member.get_by_test_id("wish-kind").select_option("meet")
    member.get_by_test_id("wish-submit").click()
    expect(member.get_by_test_id("wish-list")).to_contain_text("Maxime Côté")
    screenshot(member, "mes-souhaits-phone")


def test_a_confirmed_member_without_a_seat_is_named_to_the_organizer_and_told_her_table_is_coming(
    page_for, tables_server
):
    """After the publication above: a member confirmed without the repair seating her (no signal, as
    when the repair waits or fails). On phones, the organizer sees her named with what to do; she
    reads that her table is coming; one tap on « Réparer et les asseoir » seats her and emails her."""
    g = tables_server.gathering_id
    assert _plan(tables_server)[0] == "published", "runs after test_plan_review_publish_then_ma_tablee"
    late_id, late_name = tables_server.query(
        "SELECT id, first_name || ' ' || last_name FROM members_user WHERE email = ?", (NEWCOMER,))[0]
    late_email = NEWCOMER
    tables_server.query(
        "INSERT INTO gatherings_rsvp (gathering_id, user_id, status, queued_at, confirmed_at, walk_in, "
        "calendar_version, created_at, updated_at) VALUES (?, ?, 'confirmed', datetime('now'), datetime('now'), "
        "0, 1, datetime('now'), datetime('now'))", (g, late_id))

    organizer = page_for(PHONE)
    sign_in(organizer, ORGANIZER)
    organizer.goto(f"/organize/gatherings/{g}/tables/")
    unseated = organizer.get_by_test_id("plan-unseated")
    expect(unseated).to_contain_text(late_name)
    expect(unseated).to_contain_text("31 personnes confirmées, 30 assises.")
    expect(organizer.get_by_test_id("plan-stats")).to_contain_text("à vérifier")
    unseated.scroll_into_view_if_needed()
    screenshot(organizer, "tables-unseated-phone")

    member = page_for(PHONE)
    sign_in(member, late_email)
    member.goto(f"/gatherings/{g}/my-table/")
    expect(member.get_by_test_id("awaiting-table")).to_contain_text("vous recevrez votre table par courriel")
    expect(member.get_by_test_id("my-table-number")).to_have_count(0)
    screenshot(member, "ma-tablee-awaiting-phone")

    organizer.get_by_test_id("unseated-repair").tap()
    expect(organizer.get_by_test_id("plan-unseated")).to_have_count(0)
    expect(organizer.get_by_test_id("plan-moved")).to_contain_text(late_name)
    assert organizer.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    number, = tables_server.query(
        "SELECT t.number FROM tables_seat s JOIN tables_plantable t ON t.id = s.table_id "
        "WHERE s.plan_id = ? AND s.user_id = ?", (_plan(tables_server)[1], late_id))[0]
    assert tables_server.query("SELECT subject FROM outbox_email WHERE kind = 'plan_published' AND \"to\" = ?",
                               (late_email,))[0][0].endswith(f"table {number}")
    member.reload()
    expect(member.get_by_test_id("my-table-number")).to_have_text(f"Vous êtes à la table {number}")
