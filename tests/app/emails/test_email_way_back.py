"""Every email to someone with an account has a way back (the product owner's decision on M1 of the
email audit): the confirmations of a person's own RSVP are a topic of their own, « Confirmations de
mes inscriptions », refused in one click like the others, and refusing it keeps the RSVP; the news
about a seat (a seat freed for them, a gathering changed or cancelled) always goes, and says so
beside the preferences link. A topic email says why it came once, not twice (A1)."""

from __future__ import annotations

import re

from django.test import Client

from tablee.gatherings import services
from tablee.gatherings.models import Gathering, Rsvp
from tablee.members.models import Profile
from tablee.outbox import services as outbox
from tablee.outbox.models import Email, OptOut, Topic

PREFERENCES = "http://127.0.0.1:8000/account/preferences/"


def _open(gathering, *, seats=10):
    gathering.state = Gathering.State.OPEN
    gathering.tables, gathering.seats_per_table = 1, seats
    gathering.save()
    return gathering


def test_an_rsvp_confirmation_is_refused_in_one_click_like_the_other_topics(gathering, member):
    _open(gathering)
    services.rsvp_create(gathering=gathering, user=member)

    email = Email.objects.get(kind="rsvp_confirmed")
    headers = outbox._headers(email)
    [path] = re.findall(r"<https?://[^/]+(/email/unsubscribe/[^/]+/)>", headers["List-Unsubscribe"])
    assert email.topic == Topic.RSVP_CONFIRMATIONS
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert PREFERENCES in email.body_text and f'href="{PREFERENCES}"' in email.body_html
    assert "Confirmations de mes inscriptions" in email.body_text

    Client().post(path, {"List-Unsubscribe": "One-Click"})  # a mail client, no session, no CSRF token

    assert list(OptOut.objects.values_list("address", "topic")) == [(member.email, Topic.RSVP_CONFIRMATIONS)]


def test_after_refusing_rsvp_confirmations_her_rsvps_still_happen_and_only_the_emails_are_held_back(
        gathering, member, other_member, organizer):
    _open(gathering, seats=2)
    outbox.optout_set(address=member.email, topic=Topic.RSVP_CONFIRMATIONS, refuse=True)

    services.rsvp_create(gathering=gathering, user=member)
    assert Rsvp.objects.get(user=member).status == Rsvp.Status.CONFIRMED
    services.rsvp_cancel(gathering=gathering, user=member)
    assert Rsvp.objects.get(user=member).status == Rsvp.Status.CANCELLED
    services.rsvp_create(gathering=gathering, user=other_member)
    services.rsvp_create(gathering=gathering, user=organizer)
    services.rsvp_create(gathering=gathering, user=member)  # the table is full now: she waits
    assert Rsvp.objects.get(user=member).status == Rsvp.Status.WAITLISTED

    mine = sorted(Email.objects.filter(user=member).values_list("kind", "status"))
    assert mine == [("rsvp_cancelled", Email.Status.SUPPRESSED), ("rsvp_confirmed", Email.Status.SUPPRESSED),
                    ("rsvp_waitlisted", Email.Status.SUPPRESSED)]
    assert Email.objects.get(user=other_member, kind="rsvp_confirmed").status == Email.Status.QUEUED


def test_a_seat_freed_for_her_reaches_her_even_after_she_refused_rsvp_confirmations(
        gathering, member, other_member, organizer):
    _open(gathering, seats=2)
    outbox.optout_set(address=member.email, topic=Topic.RSVP_CONFIRMATIONS, refuse=True)
    services.rsvp_create(gathering=gathering, user=other_member)
    services.rsvp_create(gathering=gathering, user=organizer)
    services.rsvp_create(gathering=gathering, user=member)

    services.rsvp_cancel(gathering=gathering, user=other_member)

    promoted = Email.objects.get(kind="rsvp_promoted")
    assert promoted.to == member.email and promoted.status == Email.Status.QUEUED and promoted.topic == ""
    assert "List-Unsubscribe" not in outbox._headers(promoted)
    sentence = "Ce courriel est envoyé à chaque personne inscrite, quelles que soient ses préférences."
    for body in (promoted.body_text, promoted.body_html):
        assert sentence in body and PREFERENCES in body
    assert "/email/unsubscribe/" not in promoted.body_text + promoted.body_html


def test_a_changed_or_cancelled_gathering_goes_to_everyone_and_says_so_beside_the_preferences_link(
        gathering, member):
    _open(gathering)
    services.rsvp_create(gathering=gathering, user=member)
    Profile.objects.filter(user=member).update(preferred_language="en")

    services.gathering_update(gathering=gathering, venue="Auberge Saint-Antoine")
    services.gathering_cancel(gathering=gathering)

    for kind in ("gathering_changed", "gathering_cancelled"):
        email = Email.objects.get(kind=kind)
        assert email.topic == "" and "List-Unsubscribe" not in outbox._headers(email)
        assert "This email goes to everyone signed up, whatever their email preferences." in email.body_text
        assert f"Your email preferences: {PREFERENCES}" in email.body_text
        assert f'href="{PREFERENCES}"' in email.body_html and "Your email preferences" in email.body_html
        assert "préférences" not in email.body_text + email.body_html


def test_a_topic_email_says_why_it_came_once_in_its_footer(gathering, member, other_member):
    _open(gathering)
    other_member.profile.preferred_language = "en"
    other_member.profile.save()
    services.rsvp_create(gathering=gathering, user=member)
    services.rsvp_create(gathering=gathering, user=other_member)

    french = Email.objects.get(kind="rsvp_confirmed", user=member)
    english = Email.objects.get(kind="rsvp_confirmed", user=other_member)

    assert french.body_html.count("Vous recevez ce courriel") == 1
    assert ("Vous recevez ce courriel parce que la catégorie «\u00a0Confirmations de mes inscriptions\u00a0» est "
            "activée dans vos préférences.") in french.body_html
    footer_cell = french.body_html.split("border-top")[1].split("</td></tr>")[0]
    assert "membre de" not in footer_cell  # one reason: the topic's
    assert english.body_html.count("You're getting this") == 1
    assert ("You're getting this because “Confirmations of my sign-ups” is on in your email preferences."
            in english.body_text)
    assert "You receive this email" not in english.body_text + english.body_html
    # The way back sits in the card's footer cell, not in a second block after the card.
    assert "tablee-wayback" in footer_cell and french.body_html.count("tablee-wayback") == 1


def test_account_emails_keep_no_way_back_and_show_tablee_in_their_header(member):
    from tablee.members import invitations

    invitations.sign_in_link_send(email=member.email)

    email = Email.objects.get(kind="sign_in")
    assert email.topic == "" and "/email/unsubscribe/" not in email.body_text + email.body_html
    header = email.body_html.split("<tr><td", 2)[2].split("</td></tr>")[0]
    assert header.rsplit(">", 1)[1].strip() == "Tablée"  # no empty coloured band
