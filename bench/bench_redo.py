"""How many people a redo of the demo's December breakfast moves, without and with the told-pair bonus
(« Refaire le plan… », session 13). Every trial runs in a transaction that is rolled back.

    TABLEE_DEBUG=1 TABLEE_DATA_DIR=$(mktemp -d) sh -c 'tablee migrate && tablee demo && python bench/bench_redo.py'
    SEEDS=1,2,3 LIMIT=3 SCENARIOS=same,rsvps,changes python bench/bench_redo.py
"""
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tablee.settings")
django.setup()
from django.db import transaction  # noqa: E402 (after django.setup())
from django.utils import timezone  # noqa: E402 (after django.setup())

from tablee.gatherings.models import Gathering, Rsvp  # noqa: E402 (after django.setup())
from tablee.tables import services  # noqa: E402 (after django.setup())
from tablee.tables.models import Plan, Seat, Wish  # noqa: E402 (after django.setup())

SEEDS = [int(x) for x in os.environ.get("SEEDS", "1,2,3,4,5").split(",")]
LIMIT = float(os.environ.get("LIMIT", "3"))
g = Gathering.objects.filter(state=Gathering.State.OPEN, plans__status="published").order_by("starts_at").first()
plan0 = Plan.objects.get(gathering=g)
print(g.title, g.starts_at.date(), "confirmed:", Rsvp.objects.filter(gathering=g, status="confirmed").count(), "limit", LIMIT)
keep = services._keep_told

class Rollback(Exception):
    pass

def trial(seed, bonus, scenario):
    services._keep_told = keep if bonus else (lambda problem, told, **kw: problem)
    out = {}
    try:
        with transaction.atomic():
            told = dict(Seat.objects.filter(plan=plan0).values_list("user_id", "table__number"))
            if scenario in ("changes", "rsvps"):
                people = sorted(told)
                gone = people[3], people[17]
                Rsvp.objects.filter(gathering=g, user_id__in=gone).update(status="cancelled")
                from tablee.members.models import User
                fresh = list(User.objects.filter(memberships__association_id=g.association_id).exclude(pk__in=people)
                             .exclude(rsvps__gathering=g).order_by("pk")[:2])
                now = timezone.now()
                for u in fresh:
                    Rsvp.objects.create(gathering=g, user=u, status="confirmed", queued_at=now, confirmed_at=now)
            if scenario == "changes":
                a, b = people[0], next(uid for uid in people if told[uid] != told[people[0]])
                Wish.objects.filter(author_id=a, target_id=b).delete()
                Wish.objects.create(author_id=a, target_id=b, association_id=g.association_id, kind="meet")
            plan = services.plan_redo(plan=Plan.objects.get(pk=plan0.pk), time_limit_s=LIMIT)
            Plan.objects.filter(pk=plan.pk).update(seed=seed)
            plan.refresh_from_db()
            plan = services.plan_run(plan=plan)
            assert plan.status == "ready", plan.error
            after = dict(Seat.objects.filter(plan=plan).values_list("user_id", "table__number"))
            kept = [uid for uid in after if uid in told]
            out = {"changed": sum(after[uid] != told[uid] for uid in kept), "told_still_coming": len(kept),
                   "repeat": plan.stats.get("repeat_pairs"), "needs": plan.stats.get("need_offer_matches"),
                   "meet": f'{plan.stats.get("meet_satisfied")}/{plan.stats.get("meet_total")}',
                   "ok": plan.stats.get("constraints_ok")}
            raise Rollback
    except Rollback:
        pass
    return out

base = {"repeat": plan0.stats.get("repeat_pairs"), "needs": plan0.stats.get("need_offer_matches"),
        "meet": f'{plan0.stats.get("meet_satisfied")}/{plan0.stats.get("meet_total")}'}
print("published plan:", base)
for scenario in os.environ.get("SCENARIOS", "same,rsvps,changes").split(","):
    for bonus in (False, True):
        rows = [trial(seed, bonus, scenario) for seed in SEEDS]
        print(scenario, "bonus" if bonus else "before", [r["changed"] for r in rows], "of", rows[0]["told_still_coming"],
              "| repeat", [r["repeat"] for r in rows], "| needs", [r["needs"] for r in rows],
              "| meet", [r["meet"] for r in rows], "| ok", all(r["ok"] for r in rows), flush=True)
