"""An intention changes until its event begins; a past gathering's « Ma réflexion » opens its reflection."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tablee.journey.models import Intention, Reflection
from tablee.journey.services import intention_create


def _form(**extra):
    return {"result": "Rencontrer une personne du financement", "signal": "Un café prévu", "cards_budget": "2",
            "energy_before": "4", "leave_at": "", **extra}


@pytest.fixture
def upcoming(make_gathering):
    return make_gathering(title="Déjeuner-réseautage de novembre", starts_at=timezone.now() + timedelta(days=3))


@pytest.fixture
def past(make_gathering, member):
    from tablee.gatherings.models import Rsvp

    gathering = make_gathering(title="Souper de la rentrée", starts_at=timezone.now() - timedelta(days=2))
    Rsvp.objects.create(gathering=gathering, user=member, status=Rsvp.Status.CONFIRMED,
                        queued_at=timezone.now(), confirmed_at=timezone.now())
    return gathering


def test_my_intention_for_an_upcoming_gathering_has_an_edit_link(client, member, upcoming):
    intention = intention_create(author=member, gathering=upcoming, result="r", signal="s")
    client.force_login(member)

    page = client.get(f"/parcours/intentions/{intention.pk}/").content.decode()

    assert f'href="/parcours/intentions/{intention.pk}/edit/"' in page


def test_editing_my_intention_before_the_gathering_changes_it(client, member, upcoming):
    intention = intention_create(author=member, gathering=upcoming, result="r", signal="s")
    client.force_login(member)

    response = client.post(f"/parcours/intentions/{intention.pk}/edit/",
                           _form(question_1="Qu'est-ce qui te passionne?"))

    assert response.status_code == 302 and response.url == f"/parcours/intentions/{intention.pk}/"
    intention.refresh_from_db()
    assert intention.result == "Rencontrer une personne du financement" and intention.energy_before == 4
    assert intention.questions == ["Qu'est-ce qui te passionne?"] and intention.gathering_id == upcoming.pk


def test_after_the_gathering_began_the_intention_no_longer_changes(client, member, past):
    intention = intention_create(author=member, gathering=past, result="r", signal="s")
    client.force_login(member)

    assert 'intention-edit' not in client.get(f"/parcours/intentions/{intention.pk}/").content.decode()
    response = client.post(f"/parcours/intentions/{intention.pk}/edit/", _form())

    assert response.status_code == 302 and response.url == f"/parcours/intentions/{intention.pk}/#reflection"
    assert Intention.objects.get(pk=intention.pk).result == "r"


def test_someone_else_cannot_edit_my_intention(client, member, other_member, upcoming):
    intention = intention_create(author=member, gathering=upcoming, result="r", signal="s")
    client.force_login(other_member)

    assert client.post(f"/parcours/intentions/{intention.pk}/edit/", _form()).status_code == 404
    assert Intention.objects.get(pk=intention.pk).result == "r"


def test_for_a_known_gathering_the_form_asks_no_event_name_or_date(client, member, upcoming):
    client.force_login(member)

    page = client.get(f"/parcours/intentions/new/?gathering={upcoming.pk}").content.decode()

    assert 'name="event_title"' not in page and 'name="event_date"' not in page
    assert "Déjeuner-réseautage de novembre" in page
    response = client.post(f"/parcours/intentions/new/?gathering={upcoming.pk}", _form(gathering=upcoming.pk))
    assert response.status_code == 302
    assert Intention.objects.get(author=member).gathering_id == upcoming.pk


def test_an_outside_event_still_asks_its_name_and_date(client, member):
    client.force_login(member)

    page = client.get("/parcours/intentions/new/").content.decode()

    assert 'name="event_title"' in page and 'name="event_date"' in page


def test_the_question_bank_is_shown_with_the_questions(client, member):
    from tablee.tables import questions

    client.force_login(member)

    page = client.get("/parcours/intentions/new/").content.decode()

    assert 'data-testid="question-bank"' in page
    first = questions.bank()[0]["fr"].replace("'", "&#x27;")
    assert page.count(first) == 2  # in the list shown and in the suggestions while typing


def test_my_reflection_on_a_past_gathering_opens_the_reflection_of_my_intention(client, member, past):
    intention = intention_create(author=member, gathering=past, result="r", signal="s")
    client.force_login(member)

    hub = client.get(f"/gatherings/{past.pk}/").content.decode()
    assert f'href="/parcours/gatherings/{past.pk}/reflection/"' in hub
    response = client.get(f"/parcours/gatherings/{past.pk}/reflection/")

    assert response.status_code == 302 and response.url == f"/parcours/intentions/{intention.pk}/#reflection"
    assert 'id="reflection"' in client.get(response.url).content.decode()


def test_without_an_intention_my_reflection_on_a_past_gathering_is_written_in_one_form(client, member, past):
    client.force_login(member)

    page = client.get(f"/parcours/gatherings/{past.pk}/reflection/")
    assert page.status_code == 200 and 'data-testid="reflection-form"' in page.content.decode()
    response = client.post(f"/parcours/gatherings/{past.pk}/reflection/", {
        "result": "Trouver une mentore", "signal": "Un rendez-vous", "energy_before": "3",
        "reached": "1", "next_step": "L'appeler lundi", "energy_after": "4"})

    intention = Intention.objects.get(author=member, gathering=past)
    assert response.status_code == 302 and response.url == f"/parcours/intentions/{intention.pk}/"
    assert Reflection.objects.get(intention=intention).next_step == "L'appeler lundi"


def test_my_reflection_on_a_gathering_of_another_association_is_not_found(client, outsider, past):
    client.force_login(outsider)

    assert client.get(f"/parcours/gatherings/{past.pk}/reflection/").status_code == 404


def test_an_outside_event_can_be_renamed_and_moved_before_its_day(client, member):
    from datetime import date

    intention = intention_create(author=member, event_title="Cocktail", event_date=date.today() + timedelta(days=5),
                                 result="r", signal="s")
    client.force_login(member)
    later = date.today() + timedelta(days=9)

    page = client.get(f"/parcours/intentions/{intention.pk}/edit/").content.decode()
    response = client.post(f"/parcours/intentions/{intention.pk}/edit/",
                           _form(event_title="Cocktail de la Chambre", event_date=later.isoformat()))

    assert 'name="event_title"' in page and 'name="gathering"' not in page
    assert response.status_code == 302
    intention.refresh_from_db()
    assert (intention.event_title, intention.event_date) == ("Cocktail de la Chambre", later)


def test_the_intention_form_tells_the_breakfasts_of_a_series_apart_by_their_day(client, member, make_gathering):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.urls import reverse

    zone = ZoneInfo("America/Toronto")
    for day in (1, 15):
        make_gathering(title="Déjeuner du mois", starts_at=datetime(2027, 1, day, 7, 30, tzinfo=zone))
    client.force_login(member)

    page = client.get(reverse("journey:intention_new")).content.decode()

    assert "Déjeuner du mois — 1er\u00a0janvier 2027" in page and "Déjeuner du mois — 15\u00a0janvier 2027" in page
