"""Issue 11 point 3: a cancellation frees the seat, and the person leaves her table-mates' « Ma
tablée » at once (page and API), even before the worker's repair frees her seat row. Publishing
tells only the people still coming, and its confirmation counts only those the email reaches."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from tablee.gatherings.services import rsvp_cancel
from tablee.outbox.models import Email, OptOut, Topic
from tablee.tables import services
from tablee.tables.models import Seat


@pytest.fixture
def table_of_three(crowd, organizer, make_breakfast, planned):
    """A published plan of 12 (no emails); ``home`` is crowd[0]'s table, ``mates`` two others at it."""
    gathering = make_breakfast([*crowd[:11], organizer], tables=2)
    plan = planned(gathering)
    services.plan_publish(plan=plan, notify=False)
    home = Seat.objects.get(plan=plan, user=crowd[0]).table
    mates = [s.user for s in Seat.objects.filter(plan=plan, table=home).exclude(user=crowd[0])][:2]
    return gathering, plan, crowd[0], mates


def _names(api, gathering, user) -> list[str]:
    return [c["name"] for c in api.get(f"/api/gatherings/{gathering.pk}/my-table", user=user).json()["companions"]]


def test_a_table_mate_who_cancelled_is_gone_from_my_table_before_any_repair(api, table_of_three):
    gathering, plan, me, (leaving, staying) = table_of_three
    assert leaving.get_full_name() in _names(api, gathering, me)  # the control

    rsvp_cancel(gathering=gathering, user=leaving)

    assert Seat.objects.filter(plan=plan, user=leaving).exists()  # the repair has not run (the worker's job)
    names = _names(api, gathering, me)
    assert leaving.get_full_name() not in names and staying.get_full_name() in names
    client = Client()
    client.force_login(me)
    page = client.get(f"/gatherings/{gathering.pk}/my-table/").content.decode()
    assert leaving.get_full_name() not in page and staying.get_full_name() in page


def test_the_repair_then_frees_the_seat(api, table_of_three):
    gathering, plan, me, (leaving, _staying) = table_of_three
    rsvp_cancel(gathering=gathering, user=leaving)

    services.plan_repair_after_rsvp(gathering=gathering)

    assert not Seat.objects.filter(plan=plan, user=leaving).exists()
    assert leaving.get_full_name() not in _names(api, gathering, me)


def test_publishing_tells_no_one_who_cancelled_since_the_plan_was_made(crowd, organizer, make_breakfast, planned):
    gathering = make_breakfast([*crowd[:11], organizer], tables=2)
    plan = planned(gathering)
    rsvp_cancel(gathering=gathering, user=crowd[3])
    Email.objects.all().delete()

    services.plan_publish(plan=plan)

    told = set(Email.objects.filter(kind="plan_published").values_list("to", flat=True))
    assert crowd[3].email not in told and crowd[4].email in told and len(told) == 11


def test_the_publish_confirmation_counts_only_those_the_email_reaches(crowd, organizer, make_breakfast, planned):
    gathering = make_breakfast([*crowd[:11], organizer], tables=2)
    planned(gathering)
    OptOut.objects.create(address=crowd[0].email, topic=Topic.PLAN_PUBLISHED)
    OptOut.objects.create(address=crowd[1].email, topic=Topic.REMINDERS)  # another topic: still emailed
    client = Client()
    client.force_login(organizer)

    page = client.get(f"/organize/gatherings/{gathering.pk}/tables/").content.decode()

    audience = re.sub(r"\s+", " ", re.search(r'data-testid="publish-audience">(.*?)</p>', page, re.S).group(1))
    assert "11 personnes recevront leur table par courriel." in audience  # white space normalized above
    assert "1 autre personne assise ne la recevra pas" in audience

    response = client.post(f"/organize/gatherings/{gathering.pk}/tables/publish/", {"confirm": "1"})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == ["Plan publié\u00a0: 11\u00a0personnes reçoivent leur table par courriel."]
    sent = Email.objects.filter(kind="plan_published").exclude(status=Email.Status.SUPPRESSED)
    assert sent.count() == 11 and not sent.filter(to=crowd[0].email).exists()


def test_with_nobody_unsubscribed_the_confirmation_names_everyone(crowd, organizer, make_breakfast, planned):
    gathering = make_breakfast([*crowd[:3], organizer], tables=1)
    planned(gathering)
    client = Client()
    client.force_login(organizer)
    page = client.get(f"/organize/gatherings/{gathering.pk}/tables/").content.decode()
    assert "4\u00a0personnes recevront leur table par courriel." in page and "ne la recevra pas" not in page
