"""The organizer changes a published plan: members see it at once, so the page asks first, and each
person moved gets their new table by email (the repair's path, a bounded number per person)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tablee.outbox.models import Email
from tablee.tables import selectors, services
from tablee.tables.emails import TABLE_EMAILS_PER_PERSON
from tablee.tables.models import PlanTable, Seat
from tablee.text.french import at_event

NOTICE = ("Ce plan est publié\u00a0: la personne déplacée verra sa nouvelle table dans «\u00a0Ma tablée\u00a0» et la "
          "recevra par courriel, sauf si elle a refusé les courriels de plan de tables.")


@pytest.fixture
def published(crowd, make_breakfast, planned):
    gathering = make_breakfast(crowd[:18], tables=3, seats=6)
    plan = planned(gathering, publish=True)
    Email.objects.all().delete()  # the publication's emails
    person = crowd[0]
    source = Seat.objects.get(plan=plan, user=person).table.number
    target = next(n for n in (1, 2, 3) if n != source)
    return gathering, plan, person, source, target


def _table_of(plan, user) -> int:
    return Seat.objects.get(plan=plan, user=user).table.number


def _told(user) -> list[str]:
    return list(Email.objects.filter(kind="plan_published", to=user.email).order_by("pk").values_list("subject", flat=True))


def test_a_move_on_a_published_plan_asks_first_and_changes_nothing_until_confirmed(
    client, organizer, published
):
    gathering, plan, person, source, target = published
    client.force_login(organizer)

    response = client.post(reverse("tables:plan_move", args=[gathering.pk]), {"user": person.pk, "table": target})

    page = response.content.decode()
    assert response.status_code == 200
    assert NOTICE in page.replace("&#x27;", "'")
    assert f"table {source} → table {target}" in page
    assert 'name="confirm" value="1"' in page
    assert _table_of(plan, person) == source
    assert _told(person) == []


def test_a_confirmed_move_on_a_published_plan_emails_the_person_their_new_table(client, organizer, published):
    gathering, plan, person, source, target = published
    client.force_login(organizer)

    response = client.post(reverse("tables:plan_move", args=[gathering.pk]),
                           {"user": person.pk, "table": target, "confirm": "1"})

    assert response.status_code == 302
    assert _table_of(plan, person) == target
    [subject] = _told(person)
    assert subject.endswith(f"table {target}")
    assert Email.objects.filter(kind="plan_published").count() == 1  # nobody else is told anything


def test_a_move_on_a_draft_plan_is_not_asked_twice_and_emails_nobody(client, organizer, crowd, make_breakfast,
                                                                      planned):
    gathering = make_breakfast(crowd[:18], tables=3, seats=6)
    plan = planned(gathering)
    source = _table_of(plan, crowd[0])
    target = next(n for n in (1, 2, 3) if n != source)
    client.force_login(organizer)

    response = client.post(reverse("tables:plan_move", args=[gathering.pk]), {"user": crowd[0].pk, "table": target})

    assert response.status_code == 302
    assert _table_of(plan, crowd[0]) == target
    assert not Email.objects.filter(kind="plan_published").exists()


def test_a_confirmed_swap_on_a_published_plan_emails_both_people(client, organizer, crowd, published):
    gathering, plan, person, source, target = published
    other = Seat.objects.filter(plan=plan, table__number=target).first().user
    client.force_login(organizer)

    asked = client.post(reverse("tables:plan_swap", args=[gathering.pk]), {"a": person.pk, "b": other.pk})
    assert asked.status_code == 200 and _table_of(plan, person) == source
    client.post(reverse("tables:plan_swap", args=[gathering.pk]), {"a": person.pk, "b": other.pk, "confirm": "1"})

    assert (_table_of(plan, person), _table_of(plan, other)) == (target, source)
    assert _told(person)[-1].endswith(f"table {target}") and _told(other)[-1].endswith(f"table {source}")


def test_moving_someone_back_and_forth_tells_each_new_table_but_never_floods_them(published):
    gathering, plan, person, source, target = published

    services.plan_move(plan=plan, user=person, to_table=target)
    services.plan_move(plan=plan, user=person, to_table=source)  # back: told again, not left with the wrong table
    assert [s.rsplit(" ", 1)[-1] for s in _told(person)] == [str(target), str(source)]
    for _k in range(2 * TABLE_EMAILS_PER_PERSON):
        services.plan_move(plan=plan, user=person, to_table=target)
        services.plan_move(plan=plan, user=person, to_table=source)

    assert len(_told(person)) == TABLE_EMAILS_PER_PERSON


def test_a_move_rewrites_the_why_and_the_figures_of_both_tables(published):
    gathering, plan, person, source, target = published

    services.plan_move(plan=plan, user=person, to_table=target)

    plan.refresh_from_db()
    problem = selectors.engine_problem_for(gathering=gathering, wishes_made_by=selectors.wishes_known_at(plan))
    tables = {n: list(Seat.objects.filter(plan=plan, table__number=n).order_by("position", "pk")
                      .values_list("user_id", flat=True)) for n in (source, target)}
    fresh = services._explain_both(problem, [tables[source], tables[target]])
    for number, expected in zip((source, target), fresh, strict=True):
        stored = PlanTable.objects.get(plan=plan, number=number)
        assert (stored.score, stored.why_fr, stored.why_own) == (expected["score"], expected["why_fr"],
                                                                 expected["why_own"])
    current = [list(Seat.objects.filter(table=t).values_list("user_id", flat=True)) for t in plan.tables.all()]
    assert plan.stats["need_offer_matches"] == services.seating_stats(problem, current)["need_offer_matches"]


def test_at_the_door_once_it_began_a_move_is_not_asked_and_emails_nobody(client, organizer, published):
    from datetime import timedelta

    from django.utils import timezone

    gathering, plan, person, source, target = published
    type(gathering).objects.filter(pk=gathering.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    client.force_login(organizer)

    response = client.post(reverse("tables:plan_move", args=[gathering.pk]), {"user": person.pk, "table": target})

    assert response.status_code == 302
    assert _table_of(plan, person) == target
    assert _told(person) == []


def _spend_the_table_emails(plan, person, source, target) -> None:
    """Move ``person`` back and forth until the plan's table emails for them are all spent."""
    tables = [target, source]
    for k in range(TABLE_EMAILS_PER_PERSON):
        services.plan_move(plan=plan, user=person, to_table=tables[k % 2])
    assert len(_told(person)) == TABLE_EMAILS_PER_PERSON


def test_a_move_past_the_email_cap_says_no_email_left_and_that_ma_tablee_shows_the_table(
    client, organizer, published
):
    gathering, plan, person, source, target = published
    _spend_the_table_emails(plan, person, source, target)
    now = _table_of(plan, person)
    other = source if now == target else target
    client.force_login(organizer)

    response = client.post(reverse("tables:plan_move", args=[gathering.pk]),
                           {"user": person.pk, "table": other, "confirm": "1"}, follow=True)

    page = response.content.decode().replace("&#x27;", "'").replace("\u00a0", " ")
    assert _table_of(plan, person) == other
    assert len(_told(person)) == TABLE_EMAILS_PER_PERSON  # nothing more left
    assert "et part par courriel" not in page
    assert "sans courriel" in page and "plusieurs changements de table" in page
    assert "« Ma tablée »" in page


def test_the_move_confirmation_past_the_email_cap_says_no_email_will_leave(client, organizer, published):
    gathering, plan, person, source, target = published
    _spend_the_table_emails(plan, person, source, target)
    other = source if _table_of(plan, person) == target else target
    client.force_login(organizer)

    response = client.post(reverse("tables:plan_move", args=[gathering.pk]), {"user": person.pk, "table": other})

    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert NOTICE not in page
    assert 'data-testid="move-confirm-no-email"' in page
    assert "et envoyer" not in page


def test_a_swap_with_one_person_past_the_email_cap_says_who_gets_an_email(client, organizer, published):
    gathering, plan, person, source, target = published
    _spend_the_table_emails(plan, person, source, target)
    mate = Seat.objects.filter(plan=plan).exclude(table__number=_table_of(plan, person)).first().user
    client.force_login(organizer)

    response = client.post(reverse("tables:plan_swap", args=[gathering.pk]),
                           {"a": person.pk, "b": mate.pk, "confirm": "1"}, follow=True)

    page = response.content.decode().replace("&#x27;", "'").replace("\u00a0", " ")
    assert len(_told(person)) == TABLE_EMAILS_PER_PERSON and len(_told(mate)) == 1
    assert (f"La nouvelle table de {mate.get_full_name()} part par courriel, si cette personne reçoit les courriels "
            "de plan de tables.") in page
    assert f"C'est fait, sans courriel : {person.get_full_name()} a déjà reçu" in page


def test_a_person_moved_after_being_told_a_table_hears_that_it_changed(crowd, make_breakfast, planned):
    gathering = make_breakfast(crowd[:18], tables=3, seats=6)
    plan = planned(gathering, publish=True)
    person = crowd[0]
    [first] = Email.objects.filter(kind="plan_published", to=person.email)
    source = _table_of(plan, person)
    target = next(n for n in (1, 2, 3) if n != source)

    services.plan_move(plan=plan, user=person, to_table=target)

    latest = Email.objects.filter(kind="plan_published", to=person.email).latest("pk")
    assert first.subject.startswith("Votre table") and "a changé" not in first.body_text
    assert latest.subject.startswith("Nouvelle table") and latest.subject.endswith(f"table {target}")
    assert f"Votre table {at_event(gathering.title)} a changé\u00a0: vous serez maintenant à la table {target}." \
        in latest.body_text
