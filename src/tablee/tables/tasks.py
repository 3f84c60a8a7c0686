"""Background tasks of the tables. The logic lives in services; a task only names the work."""

from __future__ import annotations

from django_tasks import task

from tablee.tables import services
from tablee.tables.models import Plan


@task()
def run_plan(plan_id: int) -> str:
    plan = Plan.objects.select_related("gathering", "gathering__association").filter(pk=plan_id).first()
    if plan is None or plan.status != Plan.Status.RUNNING:
        return "skipped"  # replaced, deleted or already computed by a duplicate run
    return services.plan_run(plan=plan).status


@task()
def repair_after_rsvp(gathering_id: int) -> str:
    """Seat late RSVPs and free cancelled seats of a published plan (see services.plan_repair_after_rsvp)."""
    from tablee.gatherings.models import Gathering

    gathering = Gathering.objects.select_related("association").filter(pk=gathering_id).first()
    if gathering is None:
        return "skipped"
    return services.plan_repair_after_rsvp(gathering=gathering)


@task()
def explanations_refresh(plan_id: int, user_id: int) -> str:
    """The why lines of one person's table, after they withdrew or changed what table-mates see."""
    plan = Plan.objects.select_related("gathering").filter(pk=plan_id).first()
    if plan is None:
        return "skipped"
    return services.plan_explanations_refresh(plan=plan, user_id=user_id)
