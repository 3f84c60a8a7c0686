"""The why lines show each member's topics as they wrote them (« IA », « Financement »), while the
engine still matches them folded: « IA » meets « ia »."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tablee.tables import services
from tablee.tables.models import PlanTable

NBSP = "\u00a0"


@pytest.fixture
def one_table(make_person, association, organizer, make_breakfast, planned):
    """Marie looks for « IA », Jean offers « ia »; both like jazz, as « Jazz » and « jazz »."""
    now = timezone.now()
    marie = make_person(association=association, email="marie@example.org", first_name="Marie",
                        last_name="Tremblay", languages=["fr"], needs=["IA"], offers=["Financement"],
                        interests=["Jazz"], sector="santé", tablemates_consent_at=now)
    jean = make_person(association=association, email="jean@example.org", first_name="Jean",
                       last_name="Roy", languages=["fr"], offers=["ia"], needs=["financement"],
                       interests=["jazz"], sector="techno", tablemates_consent_at=now)
    gathering = make_breakfast([marie, jean, organizer], tables=1, seats=6)
    plan = planned(gathering)
    services.plan_publish(plan=plan, notify=False)
    return plan, marie, jean


def test_a_need_line_shows_the_need_as_its_member_wrote_it_while_matching_folded(one_table):
    plan, marie, jean = one_table
    table = PlanTable.objects.get(plan=plan)

    # « IA » met « ia », « financement » met « Financement »: the engine matched them folded.
    assert f"Marie Tremblay cherche «{NBSP}IA{NBSP}»{NBSP}: Jean Roy peut l'aider." in table.why_fr
    assert f"Jean Roy cherche «{NBSP}financement{NBSP}»{NBSP}: Marie Tremblay peut l'aider." in table.why_fr
    assert f"Vous cherchez «{NBSP}IA{NBSP}»{NBSP}: Jean Roy peut vous aider." in table.why("fr", reader=marie.pk)
    assert "Marie Tremblay is looking for “IA”: Jean Roy can help." in table.why("en")
    assert not any("«\u00a0ia\u00a0»" in line for line in table.why_fr)


def test_a_shared_interest_reads_as_each_reader_wrote_it(one_table):
    plan, marie, jean = one_table
    table = PlanTable.objects.get(plan=plan)

    assert f"Vous partagez un intérêt avec Jean Roy{NBSP}: Jazz." in table.why("fr", reader=marie.pk)
    assert f"Vous partagez un intérêt avec Marie Tremblay{NBSP}: jazz." in table.why("fr", reader=jean.pk)
