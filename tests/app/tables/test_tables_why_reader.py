"""« Ma tablée » speaks to the person who reads it: a why line about Marie reads « Vous cherchez … »
on her page and in her email, never « Marie Tremblay cherche … »; her table-mates and the organizer
read it as before, and nobody's own lines say more than the table's lines."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tablee.tables import services
from tablee.tables.emails import queue_plan_published
from tablee.tables.models import PlanTable, Seat

NBSP = "\u00a0"


@pytest.fixture
def one_table(make_person, association, organizer, make_breakfast, planned):
    """Marie looks for « mentorat », Jean offers it; both like jazz; Luc (no consent) likes jazz too
    and looks for what Marie offers. One table of four, published."""
    now = timezone.now()
    marie = make_person(association=association, email="marie@example.org", first_name="Marie",
                        last_name="Tremblay", languages=["fr"], offers=["financement"], needs=["mentorat"],
                        interests=["jazz"], sector="santé", tablemates_consent_at=now)
    jean = make_person(association=association, email="jean@example.org", first_name="Jean",
                       last_name="Roy", languages=["fr"], offers=["mentorat"], interests=["jazz"],
                       sector="techno", tablemates_consent_at=now)
    luc = make_person(association=association, email="luc@example.org", first_name="Luc",
                      last_name="Côté", languages=["fr"], needs=["financement"], interests=["jazz"],
                      sector="culture")
    gathering = make_breakfast([marie, jean, luc, organizer], tables=1, seats=6)
    plan = planned(gathering)
    services.plan_publish(plan=plan, notify=False)
    return gathering, plan, marie, jean, luc


def _my_why(api, gathering, user) -> list[str]:
    response = api.get(f"/api/gatherings/{gathering.pk}/my-table", user=user)
    assert response.status_code == 200
    return response.json()["why"]


def test_my_table_speaks_to_me_about_myself_and_names_me_to_no_one_else_differently(
    api, client, organizer, one_table
):
    gathering, plan, marie, jean, _luc = one_table
    table = PlanTable.objects.get(plan=plan)
    # The control: the table's own lines name Marie in the third person.
    assert f"Marie Tremblay cherche «{NBSP}mentorat{NBSP}»{NBSP}: Jean Roy peut l'aider." in table.why_fr

    mine = _my_why(api, gathering, marie)
    assert f"Vous cherchez «{NBSP}mentorat{NBSP}»{NBSP}: Jean Roy peut vous aider." in mine
    assert not any("Marie Tremblay" in line for line in mine), mine
    client.force_login(marie)
    page = client.get(f"/gatherings/{gathering.pk}/my-table/").content.decode()
    assert "Vous cherchez" in page and "Marie Tremblay cherche" not in page

    jeans = _my_why(api, gathering, jean)
    assert f"Marie Tremblay cherche «{NBSP}mentorat{NBSP}»{NBSP}: vous pouvez l'aider." in jeans
    assert not any("Jean Roy" in line for line in jeans), jeans
    # The organizer's plan keeps the table's lines as they are.
    plan_why = api.get(f"/api/gatherings/{gathering.pk}/plan", user=organizer).json()["tables"][0]["why"]
    assert plan_why == table.why_fr


def test_a_shared_interest_reads_as_mine_with_the_others(api, one_table):
    gathering, plan, marie, jean, luc = one_table
    luc.profile.tablemates_consent_at = timezone.now()
    luc.profile.save()
    table = PlanTable.objects.get(plan=plan)
    services._refresh_explanations(plan, {table.number})
    # Everyone but the organizer likes jazz.
    assert f"Marie Tremblay, Jean Roy et Luc Côté partagent un intérêt{NBSP}: jazz." in \
        PlanTable.objects.get(pk=table.pk).why_fr
    assert f"Vous partagez un intérêt avec Jean Roy et Luc Côté{NBSP}: jazz." in _my_why(api, gathering, marie)


def test_my_own_lines_in_english_and_in_my_email(one_table):
    gathering, plan, marie, _jean, _luc = one_table
    table = PlanTable.objects.get(plan=plan)
    assert "You are looking for “mentorat”: Jean Roy can help." in table.why("en", reader=marie.pk)
    assert "Marie Tremblay is looking for “mentorat”: Jean Roy can help." in table.why("en")

    email = queue_plan_published(plan=plan, seat=Seat.objects.select_related("user", "user__profile", "table")
                                 .get(plan=plan, user=marie))
    assert "Vous cherchez" in email.body_text and "Marie Tremblay cherche" not in email.body_text


def test_my_own_lines_tell_nothing_a_table_mate_keeps_private(api, one_table):
    """Luc did not consent: his need (what Marie offers) and his interest stay out of her lines."""
    gathering, plan, marie, _jean, _luc = one_table
    mine = _my_why(api, gathering, marie)
    assert mine  # the control: she has lines
    assert not any("Luc" in line or "financement" in line for line in mine), mine
    lines = PlanTable.objects.get(plan=plan).why_own
    assert not any("Luc" in line or "financement" in line
                   for own in lines.values() for language in own.values() for line in language)


def test_withdrawing_consent_blanks_the_lines_each_person_reads_too(
    api, one_table, django_capture_on_commit_callbacks
):
    from tablee.members.services import profile_update

    gathering, plan, marie, jean, _luc = one_table
    assert any("mentorat" in line for line in _my_why(api, gathering, marie))  # the control
    profile_update(user=jean, tablemates_consent=False)  # his offer of mentorat is no longer shown
    table = PlanTable.objects.get(plan=plan)
    assert table.why_own == {} and table.why_fr == []
    assert not any("mentorat" in line for line in _my_why(api, gathering, marie))
