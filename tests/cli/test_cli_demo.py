"""`tablee demo`: a usable demo, the same after two runs."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from tablee.cli import main
from tablee.demo import (
    DOOR_TITLE,
    MEMBER_EMAIL,
    NEWCOMER_EMAIL,
    ORGANIZER_EMAIL,
    PASSWORD,
    load_demo,
)


def _snapshot():
    from tablee.gatherings.models import Gathering, Rsvp
    from tablee.members.models import Membership, Profile, User

    return {
        "users": User.objects.count(),
        "profiles": sorted(Profile.objects.values_list("user__email", "offers", "needs", "languages")),
        "memberships": sorted(Membership.objects.values_list("user__email", "role")),
        "gatherings": list(Gathering.objects.order_by("starts_at").values_list("title", "starts_at", "state")),
        "rsvps": sorted(Rsvp.objects.values_list("gathering__title", "user__email", "status", "present", "walk_in")),
    }


def test_demo_twice_gives_the_same_data(db):
    now = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    load_demo(out=io.StringIO(), now=now)
    first = _snapshot()

    load_demo(out=io.StringIO(), now=now)

    assert _snapshot() == first


def test_demo_twice_tells_nobody_their_password_changed(db):
    from tablee.outbox.models import Email

    now = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    load_demo(out=io.StringIO(), now=now)

    load_demo(out=io.StringIO(), now=now)

    assert not Email.objects.filter(kind="password_changed").exists()


def test_demo_has_members_past_breakfasts_and_an_upcoming_one(db):
    from tablee.gatherings.models import Gathering, Rsvp
    from tablee.members.models import Membership, User
    from tablee.outbox.models import Email

    load_demo(out=io.StringIO(), now=datetime(2026, 11, 20, 15, 0, tzinfo=UTC))

    assert Membership.objects.filter(association__slug="demo", role="member").count() == 48
    assert Membership.objects.get(user__email=ORGANIZER_EMAIL).role == "organizer"
    assert User.objects.get(email=ORGANIZER_EMAIL).check_password(PASSWORD)
    assert User.objects.get(email=MEMBER_EMAIL).check_password(PASSWORD)
    past = Gathering.objects.filter(state="done")
    assert past.count() == 2
    for gathering in past:
        rsvps = Rsvp.objects.filter(gathering=gathering)
        assert rsvps.filter(present=True).exists() and rsvps.filter(present=False).exists()
        assert rsvps.filter(walk_in=True).count() == 1
    upcoming = Gathering.objects.get(state="open")
    assert upcoming.title == "Déjeuner-réseautage de décembre"
    assert upcoming.starts_at == datetime(2026, 12, 1, 12, 30, tzinfo=UTC)  # 7:30 in Québec
    assert upcoming.capacity == 36
    assert Rsvp.objects.filter(gathering=upcoming, status="confirmed").count() == 30
    assert not Email.objects.exists()


def test_demo_command_prints_how_to_sign_in(db, capsys, monkeypatch, settings):
    monkeypatch.setenv("TABLEE_SITE_URL", "https://tablee.example.org")
    settings.DEBUG = True  # pytest-django runs with DEBUG off; the demo refuses that

    assert main(["demo"]) == 0

    out = capsys.readouterr().out
    assert "https://tablee.example.org" in out
    assert ORGANIZER_EMAIL in out and MEMBER_EMAIL in out and PASSWORD in out
    assert f"«\u00a0{DOOR_TITLE}\u00a0»" in out


def test_the_demo_has_a_meeting_whose_door_is_open_and_whose_tables_are_to_make(db):
    """Check-in opens three hours before the start: a meeting an hour or so away can be tried at the
    door right after `make run`, and its plan made and published (the breakfast's is already)."""
    from tablee.gatherings.models import Gathering, Rsvp
    from tablee.gatherings.selectors import checkin_state
    from tablee.tables.models import Plan

    now = datetime(2026, 11, 20, 15, 10, tzinfo=UTC)  # 10 h 10 in Québec
    out = io.StringIO()
    load_demo(out=out, now=now)

    door = Gathering.objects.get(title=DOOR_TITLE)
    assert door.starts_at == datetime(2026, 11, 20, 16, 30, tzinfo=UTC)  # 11 h 30, on the half hour
    assert door.state == "closed" and checkin_state(gathering=door, now=now) == "open"
    assert not Plan.objects.filter(gathering=door).exists()
    attending = set(Rsvp.objects.filter(gathering=door, status="confirmed").values_list("user__email", flat=True))
    assert len(attending) == 14 and not attending & {ORGANIZER_EMAIL, MEMBER_EMAIL, NEWCOMER_EMAIL}
    assert "le 2026-11-20 à 11\u00a0h\u00a030" in out.getvalue()
    # What the printed hint says still holds: Marie's table at the breakfast is published, and the
    # newcomer has signed up for nothing to come.
    breakfast = Gathering.objects.get(state="open")
    assert Plan.objects.filter(gathering=breakfast, status="published", seats__user__email=MEMBER_EMAIL).exists()
    assert not Rsvp.objects.filter(user__email=NEWCOMER_EMAIL, gathering__starts_at__gt=now).exists()


def test_the_demo_tables_say_why_they_were_formed(db):
    """Demo members who share their profile consent to table-mates too: a table's "why" names what
    they have in common, not only « Personne ici ne s'est encore rencontré »."""
    from tablee.members.models import Profile
    from tablee.tables.models import PlanTable

    load_demo(out=io.StringIO(), now=datetime(2026, 11, 20, 15, 0, tzinfo=UTC))

    sharing = Profile.objects.exclude(directory_consent_at=None)
    assert sharing.exists() and not sharing.filter(tablemates_consent_at=None).exists()
    lines = [line for table in PlanTable.objects.all() for line in table.why_fr]
    assert lines and any("rencontré" not in line for line in lines), lines[:5]


def test_the_demo_circles_hold_nothing_the_real_cards_flow_would_not(db):
    """A card kept of a member holds their name and the organization their consent shows the keeper
    (``organization_shown``), never their address: Carlos Mendoza and Pierre Vachon consented to
    nothing, so no circle shows their organization or their address."""
    from tablee.circle.models import Contact
    from tablee.circle.selectors import table_mates_of
    from tablee.gatherings.models import Gathering
    from tablee.members.selectors import organization_shown

    load_demo(out=io.StringIO(), now=datetime(2026, 11, 20, 15, 0, tzinfo=UTC))

    linked = list(Contact.objects.filter(user__isnull=False).select_related("user__profile", "owner"))
    assert linked
    for contact in linked:
        sat_together = any(contact.user_id in table_mates_of(gathering=g, user=contact.owner)
                           for g in Gathering.objects.filter(association__slug="demo"))
        assert contact.email == "", contact
        assert contact.organization in ("", organization_shown(contact.user, table_mate=sat_together)), contact
    shy = [c for c in linked if c.user.get_full_name() in ("Carlos Mendoza", "Pierre Vachon")]
    assert shy and all(c.organization == "" for c in shy)
