"""Pages with wide tables, on a phone (375 px) and a desktop: axe-core finds nothing critical or
serious (a scrollable table is a focusable, labelled region: « scrollable-region-focusable »), and
the page itself never scrolls sideways; only the labelled region does (on the members page, not
even that: on a phone each member is a card).

Its own server: the demo plus a member whose name, address and organization are long enough to make
the members table wider than a phone, who attended the last breakfast.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from axe import assert_no_serious_violations
from conftest import DESKTOP, NARROW, ORGANIZER, demo_server, page_overflow, screenshot, sign_in

pytestmark = pytest.mark.browser

LONG_EMAIL = "marie-christine.bergeron-lapointe@cooperative-regionale-de-solidarite.example.org"
SETUP = f"""
from django.utils import timezone
from tablee.gatherings.models import Gathering, Rsvp
from tablee.members.models import Association
from tablee.members.services import member_join, person_create
association = Association.objects.get(slug="demo")
long = person_create(email="{LONG_EMAIL}",
                     first_name="Marie-Christine-Évangéline", last_name="Bergeron-Lapointe-Desrosiers",
                     organization="Coopérative régionale de solidarité en habitation communautaire")
member_join(association=association, user=long)
past = Gathering.objects.filter(association=association, starts_at__lt=timezone.now()).order_by("-starts_at").first()
Rsvp.objects.create(gathering=past, user=long, status="confirmed", queued_at=past.starts_at,
                    confirmed_at=past.starts_at, present=True)
print(past.pk)
"""


@pytest.fixture(scope="module")
def wide_server(tmp_path_factory):
    with demo_server(tmp_path_factory.mktemp("tablee-wide-browser"), setup=SETUP) as server:
        server.past_id = int(server.setup_output.strip().splitlines()[-1])
        yield server


@pytest.fixture
def page_for(open_page, wide_server):
    return lambda device: open_page(wide_server, device, bypass_csp=True)  # axe-core runs on these pages


# Each email address on the page as the lines it is drawn on.
ADDRESS_LINES = """els => els.map(a => {
  const rows = new Map(), walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
  for (let t; (t = walker.nextNode());) for (let i = 0; i < t.length; i++) {
    const range = document.createRange(); range.setStart(t, i); range.setEnd(t, i + 1);
    const box = range.getClientRects()[0];
    if (box) rows.set(Math.round(box.bottom), (rows.get(Math.round(box.bottom)) || "") + t.data[i]);
  }
  return [...rows.values()];
})"""


def _regions(page) -> list[dict]:
    return page.eval_on_selector_all(".table-scroll", """els => els.map(e => ({
        role: e.getAttribute('role'), label: e.getAttribute('aria-label'), tabindex: e.getAttribute('tabindex'),
        scrolls: e.scrollWidth > e.clientWidth}))""")


@pytest.mark.parametrize("device, name", [(NARROW, "phone"), (DESKTOP, "desktop")], ids=["phone", "desktop"])
def test_the_members_page_is_usable_and_accessible_with_a_wide_table(page_for, wide_server, device, name):
    page = page_for(device)
    sign_in(page, ORGANIZER)

    page.goto("/organize/associations/demo/members/?q=Bergeron")
    # Her name in the list (the deactivation's confirmation names her too, folded away).
    page.locator("strong", has_text="Marie-Christine-Évangéline").wait_for()

    screenshot(page, f"wide-members-{name}")
    regions = _regions(page)
    assert regions and all(r["role"] == "region" and r["label"] and r["tabindex"] == "0" for r in regions)
    if name == "phone":  # each member is a card: nothing to scroll sideways, in the region or the page
        assert not any(r["scrolls"] for r in regions)
        box = page.get_by_role("combobox", name="Rôle").last.bounding_box()
        assert box and box["x"] + box["width"] <= 375
    assert page_overflow(page) <= 0
    assert_no_serious_violations(page)


@pytest.mark.parametrize("device, name", [(NARROW, "phone"), (DESKTOP, "desktop")], ids=["phone", "desktop"])
def test_the_attendees_page_is_usable_and_accessible_with_a_wide_table(page_for, wide_server, device, name):
    page = page_for(device)
    sign_in(page, ORGANIZER)

    page.goto(f"/organize/gatherings/{wide_server.past_id}/attendees/")

    screenshot(page, f"wide-attendees-{name}")
    regions = _regions(page)
    assert regions and all(r["role"] == "region" and r["label"] and r["tabindex"] == "0" for r in regions)
    if name == "phone":  # each attendee is a card, e-mail and presence included: nothing scrolls sideways
        assert not any(r["scrolls"] for r in regions)
        presence = page.locator("td[data-label='Présence']").first.bounding_box()
        assert presence and presence["x"] + presence["width"] <= 375
        # An address that fits a line is not broken; a longer one only after « @ » or before « . ».
        addresses = page.eval_on_selector_all("a[href^='mailto:']", ADDRESS_LINES)
        assert len(addresses) > 10
        assert ["".join(lines) for lines in addresses if len(lines) > 1] == [LONG_EMAIL]
        for lines in addresses:
            assert all(line.endswith("@") or after.startswith(".") for line, after in pairwise(lines)), lines
    assert page_overflow(page) <= 0
    assert_no_serious_violations(page)
