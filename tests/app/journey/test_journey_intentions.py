"""Intentions and reflections: the flows through the API and the pages, privacy, pacing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tablee.journey.models import Intention, Reflection


def _intention_body(**extra):
    return {"result": "Rencontrer une personne qui a exporté en Europe", "signal": "Un café prévu",
            "cards_budget": 2, "energy_before": 4, **extra}


def test_an_intention_for_a_gathering_takes_its_date(api, member, make_gathering):
    gathering = make_gathering()
    response = api.post("/api/intentions", _intention_body(event=gathering.pk), user=member)
    assert response.status_code == 201, response.content
    intention = Intention.objects.get()
    assert intention.author == member
    assert intention.gathering == gathering
    assert intention.event_date == timezone.localtime(gathering.starts_at).date()
    assert intention.cards_budget == 2 and intention.energy_before == 4


def test_an_intention_for_an_outside_event_needs_a_title_and_a_date(api, member):
    missing = api.post("/api/intentions", _intention_body(date="2026-12-03"), user=member)
    assert missing.status_code == 422
    assert not Intention.objects.exists()
    ok = api.post("/api/intentions", _intention_body(title="Congrès de la FCCQ", date="2026-12-03",
                                                     questions=["Qu'est-ce qui t'a amené ici ?"]), user=member)
    assert ok.status_code == 201
    intention = Intention.objects.get()
    assert intention.gathering is None and intention.event_title == "Congrès de la FCCQ"
    assert intention.questions == ["Qu'est-ce qui t'a amené ici ?"]


def test_an_intention_for_a_gathering_of_another_association_is_refused(api, outsider, make_gathering):
    response = api.post("/api/intentions", _intention_body(event=make_gathering().pk), user=outsider)
    assert response.status_code == 404
    assert not Intention.objects.exists()


def test_energy_outside_one_to_five_is_refused(api, member):
    response = api.post("/api/intentions", _intention_body(title="X", date="2026-12-03", energy_before=6), user=member)
    assert response.status_code == 422
    assert not Intention.objects.exists()


def test_a_reflection_is_recorded_then_replaced(api, member):
    intention_id = api.post("/api/intentions", _intention_body(title="Salon", date="2026-11-20"), user=member).json()["id"]
    first = api.post(f"/api/intentions/{intention_id}/reflection",
                     {"reached": False, "next": "Relancer Julie", "energy_after": 2}, user=member)
    assert first.status_code == 200
    second = api.post(f"/api/intentions/{intention_id}/reflection",
                      {"reached": True, "next": "Café avec Julie", "energy_after": 3}, user=member)
    assert second.json()["reflection"] == {"reached": True, "next": "Café avec Julie", "energy_after": 3}
    reflection = Reflection.objects.get()
    assert reflection.reached is True and reflection.next_step == "Café avec Julie"


@pytest.fixture
def marie_intention(member):
    from tablee.journey.services import intention_create, reflection_record

    intention = intention_create(author=member, event_title="Salon", event_date=date(2026, 11, 20),
                                 result="Un partenaire", signal="Un rendez-vous")
    reflection_record(intention=intention, reached=True, energy_after=3, next_step="Écrire à Paul")
    return intention


@pytest.mark.parametrize("who", ["other_member", "organizer", "outsider"])
def test_intentions_and_reflections_are_visible_to_their_author_only(api, client, request, marie_intention, who):
    intruder = request.getfixturevalue(who)
    assert api.get(f"/api/intentions/{marie_intention.pk}", user=intruder).status_code == 404
    assert api.get("/api/intentions", user=intruder).json() == []
    refused = api.post(f"/api/intentions/{marie_intention.pk}/reflection",
                       {"reached": False, "energy_after": 1}, user=intruder)
    assert refused.status_code == 404
    assert Reflection.objects.get().reached is True
    client.force_login(intruder)
    assert client.get(f"/parcours/intentions/{marie_intention.pk}/").status_code == 404
    assert "Un partenaire" not in client.get("/parcours/").content.decode()


def test_the_author_lists_and_reads_her_intentions(api, member, marie_intention):
    listed = api.get("/api/intentions", user=member).json()
    assert [i["id"] for i in listed] == [marie_intention.pk]
    assert listed[0]["reflection"]["next"] == "Écrire à Paul"


def test_anonymous_callers_get_401(api):
    assert api.get("/api/intentions").status_code == 401


def test_going_past_the_weekly_cap_warns_but_does_not_block(api, member):
    from tablee.journey.services import pacing_update

    pacing_update(user=member, weekly_cap=1)
    monday = date(2026, 12, 7)
    first = api.post("/api/intentions", _intention_body(title="A", date=monday.isoformat()), user=member)
    assert first.json()["pacing_warning"] == ""
    second = api.post("/api/intentions", _intention_body(title="B", date=(monday + timedelta(days=2)).isoformat()),
                      user=member)
    assert second.status_code == 201
    assert "2" in second.json()["pacing_warning"]
    assert Intention.objects.filter(author=member).count() == 2


def test_the_intention_page_warns_about_pacing_and_shows_my_table(client, member, make_gathering):
    from tablee.journey.services import intention_create, pacing_update

    gathering = make_gathering()
    pacing_update(user=member, weekly_cap=1)
    intention_create(author=member, event_title="Autre", event_date=timezone.localtime(gathering.starts_at).date(),
                     result="r", signal="s")
    client.force_login(member)
    page = client.get(f"/parcours/intentions/new/?gathering={gathering.pk}")
    assert page.status_code == 200
    assert 'data-testid="pacing-warning"' in page.content.decode()


def test_the_intention_form_creates_an_intention(client, member):
    client.force_login(member)
    response = client.post("/parcours/intentions/new/", {
        "event_title": "Cocktail de la Chambre", "event_date": "2026-12-10", "result": "Deux vraies conversations",
        "signal": "Un suivi prévu", "cards_budget": "3", "energy_before": "2", "leave_at": "19:30",
        "question_1": "Sur quoi travailles-tu qui te passionne ?",
    })
    intention = Intention.objects.get(author=member)
    assert response.status_code == 302 and response.url == f"/parcours/intentions/{intention.pk}/"
    assert intention.leave_at.hour == 19 and intention.questions == ["Sur quoi travailles-tu qui te passionne ?"]


def test_the_reflection_form_records_the_reflection(client, member):
    from tablee.journey.services import intention_create

    intention = intention_create(author=member, event_title="Salon", event_date=date(2026, 11, 1),
                                 result="r", signal="s")
    client.force_login(member)
    response = client.post(f"/parcours/intentions/{intention.pk}/",
                           {"reached": "1", "next_step": "Envoyer le rapport", "energy_after": "4"})
    assert response.status_code == 302
    assert Reflection.objects.get(intention=intention).energy_after == 4


def test_the_day_after_an_event_the_parcours_reminds_to_recover(client, member):
    from tablee.journey.services import intention_create

    intention_create(author=member, event_title="Gala", event_date=timezone.localdate() - timedelta(days=1),
                     result="r", signal="s")
    client.force_login(member)
    assert 'data-testid="recovery"' in client.get("/parcours/").content.decode()


def test_a_gathering_i_am_confirmed_at_is_not_counted_twice(api, member, make_gathering):
    from tablee.gatherings.models import Rsvp
    from tablee.journey.services import pacing_update

    pacing_update(user=member, weekly_cap=1)
    gathering = make_gathering()
    Rsvp.objects.create(gathering=gathering, user=member, status=Rsvp.Status.CONFIRMED, queued_at=timezone.now())
    response = api.post("/api/intentions", _intention_body(event=gathering.pk), user=member)
    assert response.json()["pacing_warning"] == ""
    day = timezone.localtime(gathering.starts_at).date()
    other = api.post("/api/intentions", _intention_body(title="Cocktail", date=day.isoformat()), user=member)
    assert other.json()["pacing_warning"] != ""


def test_the_parcours_invites_to_prepare_a_gathering_i_am_confirmed_at(client, member, make_gathering):
    from tablee.gatherings.models import Rsvp
    from tablee.journey.services import intention_create

    gathering = make_gathering(title="Déjeuner de décembre")
    Rsvp.objects.create(gathering=gathering, user=member, status=Rsvp.Status.CONFIRMED, queued_at=timezone.now())
    client.force_login(member)
    assert f"?gathering={gathering.pk}" in client.get("/parcours/").content.decode()
    intention_create(author=member, gathering=gathering, result="r", signal="s")
    assert f"?gathering={gathering.pk}" not in client.get("/parcours/").content.decode()


@pytest.mark.parametrize(("language", "expected"), [("fr-ca", "je pars à 9\u00a0h\u00a030"), ("en", "I leave at 9:30 AM")])
def test_the_intention_page_says_when_i_leave_in_words(client, member, language, expected):
    from datetime import time

    from tablee.journey.services import intention_create

    intention = intention_create(author=member, event_title="Cocktail", event_date=date(2026, 12, 10), result="r",
                                 signal="s", leave_at=time(9, 30))
    member.profile.preferred_language = language
    member.profile.save()
    client.force_login(member)
    response = client.get(f"/parcours/intentions/{intention.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert expected in page
    assert "09 09 30" not in page


def test_one_intention_per_gathering_the_hub_link_opens_the_one_i_wrote(client, api, member, make_gathering):
    from tablee.journey.services import intention_create

    gathering = make_gathering()
    mine = intention_create(author=member, gathering=gathering, result="r", signal="s")
    client.force_login(member)

    response = client.get(f"/parcours/intentions/new/?gathering={gathering.pk}")

    assert response.status_code == 302 and response.url == f"/parcours/intentions/{mine.pk}/"
    again = api.post("/api/intentions", _intention_body(event=gathering.pk), user=member)
    assert again.status_code in (400, 409, 422) and Intention.objects.filter(author=member).count() == 1
