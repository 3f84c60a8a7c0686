"""Every HTML email fits a phone: one base template (``outbox/email_base.html``) with the viewport
meta, a fluid 100 % table and a container of at most 560 px; no fixed width above 600 px anywhere.
The « plan published » email (« your table ») used to be a bare page without a viewport, which a
phone lays out 980 px wide; so were the evening-after and the mutual-continue emails.

The structure is checked for every kind; the browser test renders the stored HTML in Chromium at
375 px, as the recipient's phone would, and measures that nothing scrolls sideways."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tablee.outbox.models import Email

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
# Every kind of email with an HTML part. A new kind must be added here (and so fit a phone).
KINDS = {
    "plan_published", "evening_after", "continue_mutual", "rsvp_confirmed", "rsvp_waitlisted", "rsvp_promoted",
    "rsvp_cancelled", "reminder", "gathering_changed", "gathering_cancelled", "invitation", "sign_in",
    "activation", "email_change", "password_reset", "account_deleted",
}
WIDTH = re.compile(r"""(?:\bwidth\s*=\s*["']?(\d+)(?![\d%])|(?<![-\w])(?:min-)?width\s*:\s*(\d+)px)""", re.I)


@pytest.fixture
def emails(member, other_member, organizer, association, make_person, make_gathering, client):
    """One stored email of each kind, to Marie when she can be the recipient (a long title and venue,
    the worst case on a phone)."""
    from tablee.circle.emails import _evening_of, queue_continue_mutual, queue_evening_after
    from tablee.gatherings.emails import queue_due_reminders
    from tablee.gatherings.models import Rsvp
    from tablee.gatherings.services import (
        gathering_cancel,
        gathering_update,
        rsvp_cancel,
        rsvp_create,
    )
    from tablee.members import invitations
    from tablee.members.erasure import account_delete
    from tablee.tables.models import Plan, PlanTable, Seat
    from tablee.tables.services import plan_publish

    title = "Déjeuner-causerie de la Chambre de commerce de Lévis — édition d'hiver, avec nos partenaires"
    gathering = make_gathering(title=title, tables=1, seats_per_table=2,
                               venue="Salle Desjardins-Telus du Centre des congrès de Lévis, 5750 boul. Guillaume-Couture",
                               starts_at=timezone.now() + timedelta(days=2))
    rsvp_create(gathering=gathering, user=member)
    rsvp_create(gathering=gathering, user=other_member)
    third = make_person(association=association, email="chloe@example.org", first_name="Chloé")
    rsvp_create(gathering=gathering, user=third)  # waiting
    rsvp_cancel(gathering=gathering, user=other_member)  # cancelled; Chloé promoted
    plan = Plan.objects.create(gathering=gathering, status=Plan.Status.READY)
    table = PlanTable.objects.create(plan=plan, number=1, why_fr=["Nouvelles rencontres"], why_en=["New people"])
    for position, person in enumerate((member, third)):
        Seat.objects.create(plan=plan, table=table, user=person, position=position)
    plan_publish(plan=plan)
    Rsvp.objects.filter(gathering=gathering).update(confirmed_at=timezone.now() - timedelta(days=30))
    queue_due_reminders(now=gathering.starts_at - timedelta(hours=12))
    gathering_update(gathering=gathering, venue="Auberge Saint-Antoine")
    queue_evening_after(now=_evening_of(gathering) + timedelta(minutes=1))
    queue_continue_mutual(gathering=gathering, to=member, other=third)
    gathering_cancel(gathering=gathering)
    invitations.invitation_send(association=association, user=member, invited_by=organizer)
    invitations.sign_in_link_send(email=member.email)
    invitations.email_change_request(user=member, new_email="marie.t@example.org")
    newcomer = make_person(association=association, email="nouveau@example.org", password=None)
    invitations.activation_send(user=newcomer)
    client.post("/accounts/password-reset/", {"email": organizer.email})
    account_delete(user=make_person(association=association, email="depart@example.org"))
    return {e.kind: e for e in Email.objects.exclude(body_html="").order_by("pk")}


def test_every_html_email_has_a_viewport_a_fluid_container_and_no_fixed_width_above_600px(emails):
    assert set(emails) >= KINDS, sorted(KINDS - set(emails))
    for kind, email in emails.items():
        html = email.body_html
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html, kind
        assert "max-width:560px" in html, kind
        too_wide = [int(a or b) for a, b in WIDTH.findall(html) if int(a or b) > 600]
        assert too_wide == [], (kind, too_wide)
        # One document: the way back (footer) goes inside it, not after </html>.
        assert html.count("<html") == 1 and html.rstrip().endswith("</html>"), kind


def test_the_plan_email_reads_as_one_card_with_its_table_mates(emails, member):
    html = emails["plan_published"].body_html

    assert html.count("<body") == 1
    assert "Café-rencontres de Québec" in html  # the association, as in every other email
    assert "Chloé" in html and "table <strong>1</strong>" in html
    assert "Ne plus recevoir cette catégorie" in html  # the way back, inside the card's document


@pytest.mark.browser
def test_on_a_375px_phone_no_email_scrolls_sideways(emails):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    widths = {}
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium",
                                     args=["--headless", "--no-sandbox", "--disable-gpu"])
        context = chromium.new_context(viewport={"width": 375, "height": 667}, device_scale_factor=2,
                                       is_mobile=True, has_touch=True)
        for kind, email in emails.items():
            page = context.new_page()  # a fresh page: a viewport meta seen before would carry over
            page.set_content(email.body_html, wait_until="load")
            widths[kind] = page.evaluate("document.documentElement.scrollWidth")
            if kind in ("plan_published", "rsvp_confirmed", "evening_after"):
                page.screenshot(path=str(SCREENSHOTS / f"email-{kind}-phone.png"), full_page=True)
            page.close()
        chromium.close()
    print("\nscrollWidth at 375 px:", widths)
    assert {kind: w for kind, w in widths.items() if w > 375} == {}
