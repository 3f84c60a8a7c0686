"""A published plan redone before the gathering: asked first, a draft the worker computes again with
the pins and the avoid rules kept, nobody emailed until it is published again, and then only the
people whose table changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tablee.gatherings.models import Rsvp
from tablee.outbox.models import Email
from tablee.tables import selectors, services
from tablee.tables.emails import TABLE_EMAILS_PER_PERSON
from tablee.tables.models import Plan, Seat, Wish

QUICK = 0.5


@pytest.fixture
def published(crowd, make_breakfast, planned):
    gathering = make_breakfast(crowd[:18], tables=3, seats=7)
    plan = planned(gathering, publish=True)
    Email.objects.all().delete()  # the publication's emails
    return gathering, plan


def _tables(plan) -> dict[int, int]:
    return dict(Seat.objects.filter(plan=plan).values_list("user_id", "table__number"))


def _emailed(plan) -> dict[str, str]:
    return dict(Email.objects.filter(kind="plan_published").values_list("to", "subject"))


def _late_rsvp(gathering, user) -> None:
    now = timezone.now()
    Rsvp.objects.create(gathering=gathering, user=user, status=Rsvp.Status.CONFIRMED, queued_at=now,
                        confirmed_at=now)


def _redo(plan) -> Plan:
    plan = services.plan_redo(plan=plan, time_limit_s=QUICK)
    assert plan.status == Plan.Status.RUNNING
    plan = services.plan_run(plan=plan)
    assert plan.status == Plan.Status.READY, plan.error
    return plan


def test_redoing_a_published_plan_asks_first_and_changes_nothing_until_confirmed(client, organizer, published):
    gathering, plan = published
    before = _tables(plan)
    client.force_login(organizer)

    response = client.post(reverse("tables:plan_redo", args=[gathering.pk]))

    page = response.content.decode().replace("&#x27;", "'").replace("\u00a0", " ")
    assert response.status_code == 200
    assert "Personne ne reçoit de courriel maintenant." in page
    assert "seules les personnes dont la table a changé reçoivent leur nouvelle table par courriel" in page
    assert "Les souhaits de ne pas être à la même table sont respectés" in page
    assert 'name="confirm" value="1"' in page
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PUBLISHED and _tables(plan) == before
    assert not Email.objects.exists()


def test_a_confirmed_redo_makes_a_draft_that_remembers_the_told_tables_and_emails_nobody(
    client, organizer, published
):
    gathering, plan = published
    told = _tables(plan)
    client.force_login(organizer)

    response = client.post(reverse("tables:plan_redo", args=[gathering.pk]), {"confirm": "1"})

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.RUNNING
    assert plan.told_tables == {str(uid): number for uid, number in told.items()}
    assert not Email.objects.exists()
    person = plan.seats.first().user
    seen = selectors.my_table(gathering=gathering, user=person)  # the table she was told, until published again
    assert (seen["table"], seen["revising"]) == (told[person.pk], True)


def test_the_plan_page_offers_to_redo_a_published_plan_only_before_the_gathering(client, organizer, published):
    gathering, plan = published
    client.force_login(organizer)

    before = client.get(reverse("tables:plan", args=[gathering.pk])).content.decode()
    type(gathering).objects.filter(pk=gathering.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    begun = client.get(reverse("tables:plan", args=[gathering.pk])).content.decode()

    assert 'data-testid="plan-redo"' in before
    assert 'data-testid="plan-redo"' not in begun


def test_a_published_plan_cannot_be_redone_once_the_gathering_began(published):
    gathering, plan = published
    type(gathering).objects.filter(pk=gathering.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    plan.refresh_from_db()

    with pytest.raises(services.PlanError):
        services.plan_redo(plan=plan)

    plan.refresh_from_db()
    assert plan.status == Plan.Status.PUBLISHED


def test_a_redone_plan_keeps_pinned_people_at_their_table_and_binds_avoid_wishes(crowd, published):
    gathering, plan = published
    pinned = crowd[0]
    services.plan_pin(plan=plan, user=pinned, pinned=True)
    home = _tables(plan)[pinned.pk]
    mate = Seat.objects.filter(plan=plan, table__number=home).exclude(user=pinned).first().user
    Wish.objects.create(author=pinned, association=gathering.association, target=mate, kind=Wish.Kind.AVOID)

    plan = _redo(plan)

    after = _tables(plan)
    assert after[pinned.pk] == home
    assert after[mate.pk] != home
    assert Seat.objects.get(plan=plan, user=pinned).pinned


def test_publishing_a_redone_plan_again_emails_only_the_people_whose_table_changed(crowd, published, client,
                                                                                    organizer):
    gathering, plan = published
    told = _tables(plan)
    services.plan_pin(plan=plan, user=crowd[0], pinned=True)
    late = crowd[18]
    _late_rsvp(gathering, late)  # nobody told them a table: they are told theirs

    plan = _redo(plan)
    after = _tables(plan)
    changed = {uid for uid, number in after.items() if told.get(uid) != number}
    assert late.pk in changed and crowd[0].pk not in changed
    client.force_login(organizer)
    page = client.get(reverse("tables:plan", args=[gathering.pk])).content.decode().replace("\u00a0", " ")
    response = client.post(reverse("tables:plan_publish", args=[gathering.pk]), {"confirm": "1"}, follow=True)

    plan.refresh_from_db()
    assert plan.status == Plan.Status.PUBLISHED and plan.told_tables == {}
    emails = _emailed(plan)
    people = {u.email: u.pk for u in crowd}
    assert {people[address] for address in emails} == changed
    for address, subject in emails.items():
        assert subject.endswith(f"table {after[people[address]]}")
        # Told another table before (even with no email on record, as the demo publishes): « Nouvelle
        # table »; the late sign-up hears her first table.
        assert subject.startswith("Votre table" if people[address] == late.pk else "Nouvelle table")
    assert f"{len(changed)} personne" in page and "dont la table a changé recevr" in page
    assert "Plan publié de nouveau" in response.content.decode()


def test_republishing_respects_the_per_person_cap_on_new_tables(crowd, published):
    gathering, plan = published
    person = crowd[0]
    home = _tables(plan)[person.pk]
    away = next(n for n in (1, 2, 3) if n != home)
    for k in range(TABLE_EMAILS_PER_PERSON):
        services.plan_move(plan=plan, user=person, to_table=(away, home)[k % 2])
    assert Email.objects.filter(to=person.email).count() == TABLE_EMAILS_PER_PERSON
    told = _tables(plan)[person.pk]
    plan = _redo(plan)
    if _tables(plan)[person.pk] == told:  # the organizer moves them on the draft (no email on a draft)
        services.plan_move(plan=plan, user=person, to_table=next(n for n in (1, 2, 3) if n != told))

    assert selectors.publish_audience(plan=plan)["not_emailed"] >= 1
    services.plan_publish(plan=plan)

    assert Email.objects.filter(to=person.email).count() == TABLE_EMAILS_PER_PERSON


def test_asking_for_a_new_plan_over_a_redone_draft_still_emails_only_the_changed_people(
    crowd, published, organizer
):
    gathering, plan = published
    told = _tables(plan)
    plan = _redo(plan)

    again = services.plan_request(gathering=gathering, requested_by=organizer, time_limit_s=QUICK)
    again = services.plan_run(plan=again)
    services.plan_publish(plan=again)

    after = _tables(again)
    changed = {uid for uid, number in after.items() if told.get(uid) != number}
    people = {u.email: u.pk for u in crowd}
    assert {people[address] for address in _emailed(again)} == changed
    assert len(changed) < len(after)  # the tables kept the numbers most of their people were told


def test_the_redo_page_hands_the_computation_to_the_worker_and_the_task_makes_the_draft(
    client, organizer, published, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from tablee.tables.tasks import run_plan

    gathering, plan = published
    Plan.objects.filter(pk=plan.pk).update(time_limit_s=QUICK)
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("tables:plan_redo", args=[gathering.pk]), {"confirm": "1"})

    [queued] = DBTaskResult.objects.filter(task_path__endswith="run_plan")
    assert queued.args_kwargs["args"] == [plan.pk]
    assert run_plan.call(plan.pk) == Plan.Status.READY  # what the worker runs
    page = client.get(reverse("tables:plan", args=[gathering.pk])).content.decode()
    assert 'data-testid="plan-redone"' in page and 'data-testid="plan-publish"' in page
    assert not Email.objects.exists()
