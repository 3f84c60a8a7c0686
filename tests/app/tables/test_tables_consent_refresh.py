"""A member who changes their table-mates consent again and again cannot flood the worker: their
tables' why lines are blanked at once every time, and the worker keeps at most one unstarted rewrite
per (plan, person), at most a few an hour, that writes the lines from the last consent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tablee.members.services import profile_update
from tablee.tables import services
from tablee.tables.models import PlanTable, Seat
from tablee.tables.tasks import explanations_refresh

OFFER = "coaching de négociation"


@pytest.fixture
def person_and_mate(crowd, organizer, make_breakfast, planned):
    """A published plan; crowd[0] offers OFFER with consent, and a table-mate needs it."""
    gathering = make_breakfast([*crowd[:11], organizer], tables=2)
    plan = planned(gathering)
    services.plan_publish(plan=plan, notify=False)
    person = crowd[0]
    home = Seat.objects.get(plan=plan, user=person).table
    mate = Seat.objects.filter(table=home).exclude(user=person).first().user
    mate.profile.needs, mate.profile.tablemates_consent_at = [OFFER], timezone.now()
    mate.profile.save()
    profile_update(user=person, tablemates_consent=True, offers=[OFFER])
    services._refresh_explanations(plan, {home.number})
    return plan, home, person, mate


def _waiting(plan, person):
    return DBTaskResult.objects.filter(status="READY", task_path=explanations_refresh.module_path,
                                       args_kwargs__args=[plan.pk, person.pk])


def _run_waiting(plan, person) -> int:
    """Run the rewrites that wait, as the worker does (whatever their start time)."""
    ran = 0
    for result in _waiting(plan, person):
        assert result.task.call(*result.args_kwargs["args"]) == "refreshed"
        DBTaskResult.objects.filter(pk=result.pk).update(status="SUCCESSFUL", finished_at=timezone.now())
        ran += 1
    return ran


def _lines(table) -> list[str]:
    table = PlanTable.objects.get(pk=table.pk)
    return table.why_fr + table.why_en


@pytest.mark.parametrize("last", ["given", "withdrawn"])
def test_many_consent_toggles_leave_one_waiting_rewrite_that_follows_the_last_consent(
    person_and_mate, django_capture_on_commit_callbacks, last
):
    plan, home, person, _mate = person_and_mate
    assert any(OFFER in line for line in _lines(home))  # the control: with consent, the why quotes the offer

    for _ in range(25):
        with django_capture_on_commit_callbacks(execute=True):
            profile_update(user=person, tablemates_consent=False)
        assert not any(OFFER in line for line in _lines(home))  # blanked at once, every time
        with django_capture_on_commit_callbacks(execute=True):
            profile_update(user=person, tablemates_consent=True)
    if last == "withdrawn":
        with django_capture_on_commit_callbacks(execute=True):
            profile_update(user=person, tablemates_consent=False)

    assert _waiting(plan, person).count() == 1
    assert DBTaskResult.objects.filter(task_path=explanations_refresh.module_path).count() == 1
    assert _run_waiting(plan, person) == 1
    lines = _lines(home)
    assert lines  # written again
    assert any(OFFER in line for line in lines) == (last == "given")


def test_a_rewrite_already_started_does_not_stand_for_a_later_change(
    person_and_mate, django_capture_on_commit_callbacks
):
    """The started rewrite may have read the consent before the change: a new one is queued."""
    plan, home, person, _mate = person_and_mate
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=person, tablemates_consent=False)
    _waiting(plan, person).update(status="RUNNING", started_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=person, tablemates_consent=True)
        profile_update(user=person, offers=[OFFER, "mentorat"])

    assert _waiting(plan, person).count() == 1
    assert _run_waiting(plan, person) == 1
    assert any(OFFER in line for line in _lines(home))


def test_rewrites_beyond_the_hourly_quota_wait_for_the_hour_while_the_lines_stay_blank(
    person_and_mate, django_capture_on_commit_callbacks
):
    plan, home, person, _mate = person_and_mate
    for _ in range(services.EXPLANATIONS_REFRESHES_PER_HOUR):
        with django_capture_on_commit_callbacks(execute=True):
            profile_update(user=person, tablemates_consent=False)
        waiting = _waiting(plan, person).get()
        assert waiting.run_after > timezone.now() + timedelta(days=365)  # no start time: at once
        assert _run_waiting(plan, person) == 1
        profile_update(user=person, tablemates_consent=True)

    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=person, tablemates_consent=False)

    deferred = _waiting(plan, person).get()
    assert timezone.now() + timedelta(minutes=50) < deferred.run_after
    assert deferred.run_after <= timezone.now() + timedelta(hours=1)
    assert not any(OFFER in line for line in _lines(home))
    # Another change meanwhile adds nothing: the deferred rewrite reads the consent when it starts.
    profile_update(user=person, tablemates_consent=True)
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=person, offers=[OFFER, "mentorat"])
    assert _waiting(plan, person).count() == 1


def test_changing_an_offer_rewrites_a_recent_past_table_and_leaves_an_old_one_blank(
    crowd, organizer, make_breakfast, planned, django_capture_on_commit_callbacks
):
    person = crowd[0]
    profile_update(user=person, tablemates_consent=True, offers=[OFFER])
    tables = {}
    for days in (-10, -(services.PAST_TABLES_REWRITTEN_DAYS + 5)):
        gathering = make_breakfast([*crowd[:5], organizer], days=days, tables=1, title=f"Déjeuner {days}")
        plan = planned(gathering)
        services.plan_publish(plan=plan, notify=False)
        home = Seat.objects.get(plan=plan, user=person).table
        mate = Seat.objects.filter(table=home).exclude(user=person).first().user
        mate.profile.needs, mate.profile.tablemates_consent_at = [OFFER, "mentorat"], timezone.now()
        mate.profile.save()
        services._refresh_explanations(plan, {home.number})
        assert any(OFFER in line for line in _lines(home))  # the control: the offer is quoted
        tables[days] = (plan, home)

    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=person, offers=["mentorat"])  # consent kept, another offer

    (recent, recent_table), (old, old_table) = tables.values()
    assert not any(OFFER in line for line in _lines(recent_table) + _lines(old_table))
    assert _waiting(old, person).count() == 0
    assert _run_waiting(recent, person) == 1
    lines = _lines(recent_table)
    assert any("mentorat" in line for line in lines) and not any(OFFER in line for line in lines)
    assert _lines(old_table) == []
