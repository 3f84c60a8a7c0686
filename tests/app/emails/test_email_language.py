"""Emails go out in the recipient's chosen language: the one stored on their account
(``Profile.preferred_language``), which the site's language switch now records for a signed-in
person (before, it only set a cookie, and a member who switched to English still got French mail).
Whoever or whatever triggers the email (an organizer's French page, the worker) does not matter."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from tablee.gatherings.models import Rsvp
from tablee.members.models import Profile
from tablee.outbox.models import Email


def _switch(client, language: str):
    return client.post("/i18n/setlang/", {"language": language, "next": "/gatherings/"})


def test_switching_the_site_to_english_while_signed_in_is_stored_on_the_account(client, member):
    client.force_login(member)

    response = _switch(client, "en")

    assert response.status_code == 302 and response.url == "/gatherings/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert Profile.objects.get(user=member).preferred_language == "en"
    _switch(client, "fr-ca")
    assert Profile.objects.get(user=member).preferred_language == "fr-ca"


def test_an_unknown_language_changes_nothing(client, member):
    client.force_login(member)

    _switch(client, "de")

    assert Profile.objects.get(user=member).preferred_language == "fr-ca"


def test_switching_without_signing_in_only_sets_the_cookie(client, db):
    response = _switch(client, "en")

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert not Profile.objects.exists()


def test_after_switching_to_english_every_email_to_her_is_in_english(client, member, organizer, gathering):
    """The RSVP (her request), the time change (the organizer's French request) and the reminder
    (the worker, no request at all)."""
    from tablee.gatherings.emails import queue_due_reminders
    from tablee.gatherings.services import gathering_update

    client.force_login(member)
    _switch(client, "en")
    client.post(f"/gatherings/{gathering.pk}/rsvp/")
    client.logout()
    client.cookies.clear()
    client.force_login(organizer)
    client.post(f"/organize/gatherings/{gathering.pk}/edit/", {})  # French page, nothing changed
    gathering_update(gathering=gathering, venue="Auberge Saint-Antoine")
    Rsvp.objects.filter(gathering=gathering).update(confirmed_at=timezone.now() - timedelta(days=30))
    queue_due_reminders(now=gathering.starts_at - timedelta(hours=12))

    mine = Email.objects.filter(to=member.email).order_by("pk")
    assert [e.kind for e in mine] == ["rsvp_confirmed", "gathering_changed", "reminder"]
    for email in mine:
        assert email.body_text.startswith("Hello Marie,"), (email.kind, email.body_text[:40])
        assert '<html lang="en">' in email.body_html
        assert "Bonjour" not in email.body_text + email.body_html


def test_the_plan_and_the_evening_after_reach_her_in_english(member, other_member, association, make_gathering):
    from tablee.circle.emails import _evening_of, queue_evening_after
    from tablee.tables.models import Plan, PlanTable, Seat
    from tablee.tables.services import plan_publish

    Profile.objects.filter(user=member).update(preferred_language="en")
    gathering = make_gathering(starts_at=timezone.now() + timedelta(days=2))
    for person in (member, other_member):
        Rsvp.objects.create(gathering=gathering, user=person, status=Rsvp.Status.CONFIRMED,
                            queued_at=timezone.now(), confirmed_at=timezone.now())
    plan = Plan.objects.create(gathering=gathering, status=Plan.Status.READY)
    table = PlanTable.objects.create(plan=plan, number=1)
    for position, person in enumerate((member, other_member)):
        Seat.objects.create(plan=plan, table=table, user=person, position=position)

    plan_publish(plan=plan)
    queue_evening_after(now=_evening_of(gathering) + timedelta(minutes=1))

    mine = {e.kind: e for e in Email.objects.filter(to=member.email)}
    theirs = {e.kind: e for e in Email.objects.filter(to=other_member.email)}
    assert set(mine) == {"plan_published", "evening_after"}
    for email in mine.values():
        assert email.body_text.startswith("Hello Marie,"), (email.kind, email.body_text[:40])
        assert "Bonjour" not in email.body_text + email.body_html
    for email in theirs.values():
        assert email.body_text.startswith("Bonjour Samuel,")
