"""A follow-up received outside Tablée names its sender and their association (CASL) and offers a
one-click « ne plus recevoir de courriels via Tablée »; after that click, nothing more is sent there."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tablee.circle import services
from tablee.circle.models import FollowUp
from tablee.outbox.models import Email, Topic
from tablee.outbox.services import opted_out


@pytest.fixture
def outside_followup(member):
    contact = services.contact_create(owner=member, name="Paul Dehors", email="paul@ailleurs.example")
    return services.followup_create(owner=member, contact=contact, subject="Suite", body="Bonjour Paul")


def test_a_follow_up_to_someone_outside_identifies_the_sender_and_association(member, outside_followup):
    email = services.followup_send(owner=member, followup=outside_followup, subject="Suite", body="Bonjour Paul")

    assert email.topic == Topic.PERSONAL
    assert "Marie Tremblay (marie@example.org)" in email.body_text
    assert "Café-rencontres de Québec" in email.body_text
    assert "Ne plus recevoir de courriels via Tablée" in email.body_text


def test_after_the_one_click_refusal_no_personal_email_goes_there(member, outside_followup):
    email = services.followup_send(owner=member, followup=outside_followup, subject="Suite", body="Bonjour Paul")
    [path] = re.findall(r"https?://[^/\s]+(/email/unsubscribe/[^\s/]+/)", email.body_text)

    Client().post(path)

    assert opted_out(address="paul@ailleurs.example", topic=Topic.PERSONAL)
    again = services.followup_create(owner=member, contact=outside_followup.contact, subject="Re", body="Encore")
    with pytest.raises(services.CircleError, match="ne plus recevoir"):
        services.followup_send(owner=member, followup=again, subject="Re", body="Encore")
    assert Email.objects.count() == 1
    assert FollowUp.objects.get(pk=again.pk).status == FollowUp.Status.PENDING


def test_a_personal_email_offers_the_preferences_page_only_to_an_address_with_an_account(
        member, other_member, outside_followup):
    outside = services.followup_send(owner=member, followup=outside_followup, subject="Suite", body="Bonjour Paul")
    contact = services.contact_create(owner=member, name="Samuel Roy", email=other_member.email)
    inside = services.followup_send(
        owner=member, followup=services.followup_create(owner=member, contact=contact, subject="Suite", body="Bonjour"),
        subject="Suite", body="Bonjour Samuel")

    assert "/account/preferences/" not in outside.body_text
    assert "/account/preferences/" in inside.body_text
    assert "Ne plus recevoir de courriels via Tablée" in inside.body_text
