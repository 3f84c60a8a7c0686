"""French mends from the QA walk: dates and times (« 1er », « 12 h »), the weekday in lower case
mid-sentence, decimal commas in charts, the wording of « devenir membre », a new contact's page,
the past tense on my table after the gathering, and the demo's elisions."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from tablee.circle import services as circle_services

MONTREAL = ZoneInfo("America/Montreal")


@pytest.mark.parametrize(("language", "expected"), [
    ("fr-ca", "Mardi 1er\u00a0septembre 2026 · 12\u00a0h"),
    ("en", "Tuesday, September 1, 2026"),
])
def test_a_date_on_the_first_at_noon_reads_as_quebec_writes_it(language, expected):
    when = datetime(2026, 9, 1, 12, 0, tzinfo=MONTREAL)
    with translation.override(language), timezone.override(MONTREAL):
        html = Template('{% include "web/_when.html" %}').render(Context({"when": when}))
    assert expected in html


def test_the_weekday_is_in_lower_case_after_publie(client, organizer, make_gathering):
    from tablee.tables.models import Plan

    gathering = make_gathering()
    Plan.objects.create(gathering=gathering, status=Plan.Status.PUBLISHED, published_at=timezone.now())
    client.force_login(organizer)

    page = client.get(f"/organize/gatherings/{gathering.pk}/tables/").content.decode()

    published = page[page.index('data-testid="plan-published"'):]
    published = published[:published.index("</p>")]
    weekday = published[published.index('">', published.index("<time")) + 2:].split(" ")[0]
    assert weekday == weekday.lower()


@pytest.mark.parametrize(("language", "figure", "absent"), [("fr-ca", "3,63", "3.63"), ("en", "3.63", "3,63")])
def test_chart_figures_use_the_decimal_mark_of_the_language(language, figure, absent):
    from tablee.journey import charts

    with translation.override(language):
        svg = str(charts.bar_chart(title="t", labels=["01/11"], values=[3.63]))
    assert figure in svg and absent not in svg


def test_the_home_page_says_become_a_member(client, association):
    association.open_to_requests = True
    association.save()

    page = client.get("/").content.decode().replace("&#x27;", "'")

    assert "Devenir membre d'une association" in page and "Demander à devenir membre" in page
    assert "Joindre une association" not in page and "Demander à joindre" not in page


def test_a_new_contact_was_last_seen_today_and_has_no_stray_separator(client, member):
    contact = circle_services.contact_create(owner=member, name="Lucie Roy", email="lucie@example.org")
    client.force_login(member)

    page = client.get(f"/circle/contacts/{contact.pk}/").content.decode()

    assert "il y a 0 jour" not in page
    meta = page[page.index('data-testid="contact-meta"'):]
    meta = meta[meta.index(">") + 1:meta.index("</p>")]
    assert meta.startswith('<a href="mailto:lucie@example.org"')


def test_a_contact_met_today_says_today(client, member):
    contact = circle_services.contact_create(owner=member, name="Lucie Roy")
    circle_services.interaction_record(owner=member, contact=contact, kind="coffee", summary="Café")
    client.force_login(member)

    page = client.get(f"/circle/contacts/{contact.pk}/").content.decode()

    assert "Dernier contact aujourd&#x27;hui." in page or "Dernier contact aujourd'hui." in page


def test_after_the_gathering_my_table_speaks_in_the_past_without_icebreakers(client, member, other_member,
                                                                            make_gathering):
    from tablee.tables.models import Plan, PlanTable, Seat

    gathering = make_gathering(starts_at=timezone.now() - timedelta(days=1))
    from tablee.gatherings.models import Rsvp

    for person in (member, other_member):
        Rsvp.objects.create(gathering=gathering, user=person, status=Rsvp.Status.CONFIRMED,
                            queued_at=timezone.now(), confirmed_at=timezone.now())
    plan = Plan.objects.create(gathering=gathering, status=Plan.Status.PUBLISHED, published_at=timezone.now())
    table = PlanTable.objects.create(plan=plan, number=3)
    for position, person in enumerate((member, other_member)):
        Seat.objects.create(plan=plan, table=table, user=person, position=position)
    client.force_login(member)

    page = client.get(f"/gatherings/{gathering.pk}/my-table/").content.decode()

    assert "Vous étiez à la table 3" in page and "Vous êtes à la table" not in page
    assert 'data-testid="starters"' not in page and "Pour lancer la conversation" not in page


def test_the_demo_elides_de_before_a_vowel():
    from types import SimpleNamespace

    from tablee.journey.demo import _talked_about

    person = SimpleNamespace(profile=SimpleNamespace(needs=["architecture"]))
    assert _talked_about(person) == "Nous avons parlé d'architecture."
