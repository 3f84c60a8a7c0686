"""A count in a sentence takes the noun's number: « 1 table », « 1 inscription », « 1 ligne », never
« 1 tables » (blocktranslate count, so French and English each pick their own form)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tablee.gatherings.services import rsvp_create
from tablee.jobs.models import Job
from tablee.jobs.services import job_queue

NBSP = "\u00a0"


@pytest.fixture
def browser(organizer):
    client = Client()
    client.force_login(organizer)
    return client


def test_a_plan_for_one_table_says_one_table(browser, make_gathering):
    gathering = make_gathering(tables=1, seats_per_table=6)

    page = browser.get(reverse("tables:plan", args=[gathering.pk])).content.decode()

    assert f"1{NBSP}table de 6{NBSP}places" in page and "1 tables" not in page.replace(NBSP, " ")


def test_a_gathering_card_with_one_registration_says_one_registration(browser, make_gathering, member):
    gathering = make_gathering(tables=2, seats_per_table=6)
    rsvp_create(gathering=gathering, user=member)

    page = browser.get("/organize/associations/cafe-rencontres/").content.decode()

    assert f"1{NBSP}inscription sur 12{NBSP}places" in page
    assert "1 inscriptions" not in page.replace(NBSP, " ")


def test_a_members_preview_checking_its_first_line_says_one_line(browser, organizer, association):
    job = job_queue(owner=organizer, kind=Job.Kind.MEMBERS_PREVIEW, data=b"email\n", enqueue=False,
                    params={"association": association.pk})
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=1, total=900)

    page = browser.get(reverse("members:import_preview", args=[association.slug, job.pk])).content.decode()

    assert f"Vérification en cours{NBSP}: 1{NBSP}ligne sur 900." in page


def test_a_contacts_preview_checking_its_first_entry_says_one_entry(member):
    client = Client()
    client.force_login(member)
    job = job_queue(owner=member, kind=Job.Kind.CONTACTS_PREVIEW, data=b"BEGIN:VCARD\n", enqueue=False)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=1, total=900)

    page = client.get(f"/circle/import/preview/{job.pk}/").content.decode()

    assert f"Vérification en cours{NBSP}: 1{NBSP}entrée sur 900." in page


def test_english_takes_its_own_forms(browser, organizer, make_gathering, member):
    from tablee.members.models import Profile

    Profile.objects.filter(user=organizer).update(preferred_language="en")
    one = make_gathering(tables=1, seats_per_table=6)
    rsvp_create(gathering=one, user=member)

    plan = browser.get(reverse("tables:plan", args=[one.pk])).content.decode()
    card = browser.get("/organize/associations/cafe-rencontres/").content.decode()

    assert "1 table of 6 seats" in plan.replace(NBSP, " ")
    assert "1 registration for 6 seats" in card.replace(NBSP, " ")
