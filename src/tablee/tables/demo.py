"""Table plans for `tablee demo`: computed and published in process (no worker, no emails)."""

from __future__ import annotations

from tablee.gatherings.models import Gathering
from tablee.tables import services
from tablee.tables.models import Plan

DEMO_SECONDS = 3.0


def plan_demo(gathering: Gathering, *, seconds: float = DEMO_SECONDS) -> Plan:
    """Plan and publish the gathering's tables now, with a fixed seed so two runs agree."""
    Plan.objects.filter(gathering=gathering).delete()
    plan = Plan.objects.create(gathering=gathering, status=Plan.Status.RUNNING, seed=2025, time_limit_s=seconds)
    plan = services.plan_run(plan=plan)
    if plan.status == Plan.Status.READY:
        plan = services.plan_publish(plan=plan, notify=False)
    return plan
