"""Organizers hear of « Demander à joindre » requests by email through the outbox: at most one notice
per organizer and association an hour (a flood of requests makes one digest), refusable in their
preferences, in their language, with a link to the requests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tablee.members.join_notices import join_request_notices_due
from tablee.members.models import Association, JoinRequest
from tablee.members.roster import join_request_create
from tablee.outbox import ticks
from tablee.outbox.models import Email
from tablee.outbox.services import optout_set


@pytest.fixture
def open_association(association):
    Association.objects.filter(pk=association.pk).update(open_to_requests=True)
    association.refresh_from_db()
    return association


def _ask(association, name: str):
    return join_request_create(association=association, email=f"{name}@example.org", first_name=name.title(),
                               last_name="Roy", organization="Coop")


def test_a_join_request_notifies_each_organizer_once_with_a_link_to_the_requests(open_association, organizer,
                                                                                   member, make_person):
    co = make_person(association=open_association, role="organizer", email="co@example.org")

    _ask(open_association, "lea")

    notices = Email.objects.filter(kind="join_requests")
    assert sorted(notices.values_list("to", flat=True)) == sorted([organizer.email, co.email])
    notice = notices.get(to=organizer.email)
    assert notice.status == Email.Status.QUEUED and notice.topic == "join_requests"
    assert "Lea Roy (Coop)" in notice.body_text and "Café-rencontres de Québec" in notice.subject
    assert settings.SITE_URL + "/organize/associations/cafe-rencontres/members/#demandes" in notice.body_text
    assert "/email/unsubscribe/" in notice.body_text  # the way out of this kind of email
    assert not Email.objects.filter(to=member.email).exists()


def test_the_link_in_the_notice_opens_the_requests_for_the_organizer(open_association, organizer):
    _ask(open_association, "lea")
    body = Email.objects.get(kind="join_requests").body_text
    url = body.split(settings.SITE_URL + "/organize/", 1)[1].split()[0]
    client = Client()
    client.force_login(organizer)

    html = client.get("/organize/" + url.split("#")[0]).content.decode()

    assert 'data-testid="join-request"' in html and "lea@example.org" in html


def test_a_flood_of_requests_makes_one_notice_then_one_digest_an_hour_later(open_association, organizer):
    for name in ("lea", "paul", "zoe", "max"):
        _ask(open_association, name)

    assert Email.objects.filter(kind="join_requests").count() == 1
    assert join_request_notices_due() == 0  # within the hour: nothing more

    later = timezone.now() + timedelta(minutes=61)
    assert join_request_notices_due(now=later) == 1
    assert join_request_notices_due(now=later) == 0  # told once

    digest = Email.objects.filter(kind="join_requests").order_by("-pk").first()
    assert "3\u00a0personnes demandent à devenir membres de" in digest.body_text
    assert "Paul Roy" in digest.body_text and "Max Roy" in digest.body_text and "Lea Roy" not in digest.body_text
    assert join_request_notices_due(now=later + timedelta(hours=2)) == 0  # nothing new since


def test_a_request_after_a_quiet_hour_is_told_at_once(open_association, organizer):
    _ask(open_association, "lea")
    Email.objects.filter(kind="join_requests").update(created_at=timezone.now() - timedelta(hours=2))

    _ask(open_association, "paul")

    assert Email.objects.filter(kind="join_requests").count() == 2


def test_decided_requests_are_not_told_again(open_association, organizer):
    _ask(open_association, "lea")
    JoinRequest.objects.update(status=JoinRequest.Status.DECLINED)

    assert join_request_notices_due(now=timezone.now() + timedelta(hours=2)) == 0


def test_an_organizer_who_refused_the_notices_gets_none(open_association, organizer):
    optout_set(address=organizer.email, topic="join_requests", refuse=True)

    _ask(open_association, "lea")

    assert Email.objects.get(kind="join_requests").status == Email.Status.SUPPRESSED


def test_the_notices_are_a_choice_on_the_preferences_page(organizer):
    client = Client()
    client.force_login(organizer)

    assert "adhésion à mes associations" in client.get("/account/preferences/").content.decode()


def test_an_english_organizer_reads_the_notice_in_english(open_association, organizer):
    organizer.profile.preferred_language = "en"
    organizer.profile.save()

    _ask(open_association, "lea")

    notice = Email.objects.get(kind="join_requests")
    assert "wants to join" in notice.body_text or "asks to join" in notice.body_text
    assert "Bonjour" not in notice.body_text


def test_the_worker_tick_sends_the_digests():
    assert "join_request_notices" in ticks.registered()


def test_a_member_who_organizes_nothing_is_not_offered_the_notices(member):
    client = Client()
    client.force_login(member)

    assert "adhésion à mes associations" not in client.get("/account/preferences/").content.decode()


def test_an_organizer_switches_the_notices_off_on_the_preferences_page(organizer):
    from tablee.outbox.services import opted_out

    client = Client()
    client.force_login(organizer)

    client.post("/account/preferences/", {"reminders": "on", "plan_published": "on", "suggestions": "on",
                                          "digest": "on"})

    assert opted_out(address=organizer.email, topic="join_requests")
    assert not opted_out(address=organizer.email, topic="reminders")
