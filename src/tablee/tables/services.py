"""Writes for table plans and wishes.

A plan is computed by the worker (`tasks.run_plan` → `plan_run`): requests only create the row and
enqueue. Manual edits (move, swap, pin) apply at once and return the hard rules the seating now
breaks; an avoid wish shows up there only as "a confidential constraint", never with names.
"""

from __future__ import annotations

import functools
import itertools
import random
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tablee.gatherings.models import Gathering, Rsvp
from tablee.members.models import Association, User
from tablee.sorting import by_name
from tablee.tables import access, selectors
from tablee.tables.explain import explain
from tablee.tables.models import Plan, PlanTable, Seat, Wish
from tablee.throttle import throttle_hit, throttle_wait

DEFAULT_TIME_LIMIT_S = 5.0
MAX_TIME_LIMIT_S = 120.0
PROGRESS_EVERY_S = 0.5
# A running plan older than this is considered lost (worker stopped) and may be asked for again.
STALE_AFTER = timedelta(minutes=10)


class PlanError(Exception):
    """The plan cannot change this way now. The message is translated and shown as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------------
# Computing a plan


def plan_request(*, gathering: Gathering, requested_by: User | None, time_limit_s: float | None = None) -> Plan:
    """Replace the unpublished plan of the gathering with a new running one, computed by the worker."""
    time_limit = min(max(float(time_limit_s or DEFAULT_TIME_LIMIT_S), 0.2), MAX_TIME_LIMIT_S)
    with transaction.atomic():
        Gathering.objects.select_for_update().filter(pk=gathering.pk).first()
        existing = selectors.current_plan(gathering=gathering)
        if existing is not None:
            if existing.status == Plan.Status.PUBLISHED:
                raise PlanError(_("Le plan est déjà publié : utilisez « Réparer » pour l'ajuster."))
            if existing.status == Plan.Status.RUNNING and existing.updated_at > timezone.now() - STALE_AFTER:
                return existing
            # A redone plan replaced: its people were told their tables, when it was published.
            told, published_at = existing.told_tables, existing.published_at if existing.told_tables else None
            existing.delete()
        else:
            told, published_at = {}, None
        if len(selectors.attendees_now(gathering=gathering)) < 2:
            raise PlanError(_("Il faut au moins deux personnes confirmées pour faire un plan de tables."))
        plan = Plan.objects.create(
            gathering=gathering,
            created_by=requested_by,
            status=Plan.Status.RUNNING,
            progress_message=_("En attente du calcul…"),
            seed=random.SystemRandom().randint(1, 2**31 - 1),
            time_limit_s=time_limit,
            told_tables=told,
            published_at=published_at,
        )
        _enqueue(plan)
    return plan


def plan_redo(*, plan: Plan, time_limit_s: float | None = None) -> Plan:
    """Compute a published plan again before the gathering, in the worker, as a draft to publish
    again: pinned people keep their table, avoid wishes bind as ever, the latest RSVPs, profiles and
    wishes count. Nobody is emailed now; the draft remembers the tables its people were told
    (``told_tables``), and publishing it again emails only those whose table changed."""
    with transaction.atomic():
        plan = _editable(plan)
        if plan.status != Plan.Status.PUBLISHED:
            raise PlanError(_("Ce plan n'est pas publié : refaites-le ou réoptimisez-le directement."))
        if plan.gathering.starts_at <= timezone.now():
            raise PlanError(_("La rencontre a commencé : utilisez « Réparer » pour ajuster le plan."))
        if len(selectors.attendees_now(gathering=plan.gathering)) < 2:
            raise PlanError(_("Il faut au moins deux personnes confirmées pour faire un plan de tables."))
        plan.told_tables = {str(uid): number for uid, number in
                            Seat.objects.filter(plan=plan).values_list("user_id", "table__number")}
        plan.pending_repair = {}
        _compute_again(plan, time_limit_s)
    return plan


def _compute_again(plan: Plan, time_limit_s: float | None) -> None:
    """Hand a plan back to the worker with a fresh seed (a redo, a re-optimization), in the caller's
    transaction."""
    plan.status = Plan.Status.RUNNING
    plan.progress = 0.0
    plan.progress_message = _("En attente du calcul…")
    if time_limit_s:
        plan.time_limit_s = min(max(float(time_limit_s), 0.2), MAX_TIME_LIMIT_S)
    plan.seed = random.SystemRandom().randint(1, 2**31 - 1)
    plan.save()
    _enqueue(plan)


def _enqueue(plan: Plan) -> None:
    from tablee.tables.tasks import run_plan

    plan_id = plan.pk
    transaction.on_commit(lambda: run_plan.enqueue(plan_id))


def _progress_writer(plan: Plan):
    last = {"at": 0.0}

    def progress(fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - last["at"] < PROGRESS_EVERY_S and fraction < 1.0:
            return
        last["at"] = now
        Plan.objects.filter(pk=plan.pk, status=Plan.Status.RUNNING).update(
            progress=max(0.0, min(1.0, float(fraction))), progress_message=message[:200], updated_at=timezone.now()
        )

    return progress


def _pins(plan: Plan) -> dict[int, int]:
    return dict(Seat.objects.filter(plan=plan, pinned=True).values_list("user_id", "table__number"))


@functools.cache
def _engine_kernels() -> float:
    from tablee import engine

    return engine.warm_up()


_engine_lock = threading.Lock()


def _engine_warm_up() -> float:
    """Compile the engine's kernels once per process, so a plan's time limit goes to the search.
    The worker's warm-up thread and an early plan: one compiles, the other waits for it."""
    with _engine_lock:
        return _engine_kernels()


def worker_warm_up() -> None:
    """When the worker or a web process starts (``tablee.outbox.ticks.register_warm_up``): the
    engine's kernels and the sentence encoder that lines needs up with offers (about 2 s), so the
    first plan or door repair of the process waits for neither."""
    from tablee.tables import topics

    _engine_warm_up()
    topics.encoder_warm_up()


def plan_run(*, plan: Plan) -> Plan:
    """Compute the plan with the engine (in the worker) and store its tables; pinned people stay put."""
    if _engine_kernels.cache_info().currsize == 0:
        Plan.objects.filter(pk=plan.pk).update(progress_message=_("Préparation du moteur…"))
    _engine_warm_up()
    gathering = plan.gathering
    pins = _pins(plan)  # table numbers, 1-based
    tables_before = plan.tables.count() or None
    problem = selectors.engine_problem_for(
        gathering=gathering,
        pinned={uid: number - 1 for uid, number in pins.items()},
        tables=tables_before if pins else None,
    )
    progress = _progress_writer(plan)
    # A redo keeps people with those they were told (unless a wish was saved since: `_keep_told`).
    told = plan.told_tables if plan.told_tables and not _wished_since(plan, problem) else {}
    try:
        result = _solve(_keep_told(problem, told), gathering=gathering, plan=plan, progress=progress)
        # An avoid rule binds: when the tables chosen cannot keep it (three people, one table), the
        # room's other tables are used, even if someone then sits alone.
        while result["stats"]["avoid_violations"] and not pins and problem["tables"] < gathering.tables:
            problem = selectors.engine_problem_for(gathering=gathering, tables=problem["tables"] + 1)
            result = _solve(_keep_told(problem, told), gathering=gathering, plan=plan, progress=progress)
    except ValueError as exc:  # the engine's ProblemError included: its message says what is wrong
        Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.FAILED, error=str(exc), progress=1.0)
        plan.refresh_from_db()
        return plan
    real = {p["id"] for p in problem["people"]}
    tables = [people for people in ([uid for uid in t["people"] if uid in real] for t in result["rounds"][0])
              if people]
    explained = _explain_both(problem, tables)
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if locked.status != Plan.Status.RUNNING:
            return locked  # replaced or deleted meanwhile: nothing to store
        # A redone plan: its tables keep the numbers their people were told, as far as they can.
        numbers = _numbers_kept(tables, told=locked.told_tables, pins=pins) if locked.told_tables else None
        _store(locked, tables, explained=explained, pinned=set(pins), numbers=numbers)
        locked.stats = {**_public_stats(result["stats"], people=len(problem["people"])),
                        **seating_stats(problem, tables)}
        locked.status = Plan.Status.READY
        locked.progress = 1.0
        locked.progress_message = ""
        locked.error = ""
        locked.save()
    return locked


def _keep_told(problem: dict, told: dict[str, int]) -> dict:
    """The engine's problem for a redone plan (``plan_redo``), which should move as few people as it
    can: each pair told the same table who are both still coming becomes a meet wish for the
    engine, rewarded once (``engine.model.Weights.meet``), never a rule. An avoid pair is left out
    (an avoid binds, and the engine refuses a pair that is both), and the history penalty of a pair
    who met before stays whole (a meet wish, unlike a continue wish, does not lift it). Only the
    search reads it: the why lines and the figures read ``problem`` as it is, so no table or figure
    counts a wish nobody made. ``problem`` as is without told tables."""
    if not told:
        return problem
    here = {p["id"] for p in problem["people"]}
    tables: dict[int, list[int]] = {}
    for uid, number in told.items():
        if int(uid) in here:
            tables.setdefault(number, []).append(int(uid))
    taken = {frozenset(pair) for key in ("avoid", "meet", "continue") for pair in problem.get(key, [])}
    kept = [[a, b] for people in tables.values() for a, b in itertools.combinations(sorted(people), 2)
            if frozenset((a, b)) not in taken]
    return dict(problem, meet=[*problem.get("meet", []), *kept])


def _wished_since(plan: Plan, problem: dict) -> bool:
    """Whether a wish between people of ``problem`` (avoid, meet or continue) was saved since ``plan``
    was published. A redo then computes the plan from scratch, as it always did (no `_keep_told`):
    with everyone else kept, the few people it would move, to grant a meet wish or keep an avoid
    one, would point at the wish and at who made it. A change of RSVPs or profiles shows no one's."""
    if plan.published_at is None:
        return True
    people = {p["id"] for p in problem["people"]}
    then = selectors.wish_pairs(association=plan.gathering.association_id, people=people,
                                made_by=plan.published_at)
    return any({tuple(pair) for pair in problem.get(key, [])} - {tuple(pair) for pair in then[key]}
               for key in ("avoid", "meet", "continue"))


def _numbers_kept(tables: list[list[int]], *, told: dict[str, int], pins: dict[int, int]) -> list[int]:
    """The numbers of a redone plan's tables (``plan_redo``): a table where someone is pinned keeps
    their number; each other table takes the number most of its people were told, the largest
    groups first, so publishing again emails as few people as possible; the rest take the smallest
    numbers left."""
    numbers: list[int | None] = [None] * len(tables)
    used: set[int] = set()
    for k, people in enumerate(tables):
        pinned = sorted({pins[uid] for uid in people if uid in pins} - used)
        if pinned:
            numbers[k] = pinned[0]
            used.add(pinned[0])
    overlaps = sorted(((sum(told.get(str(uid)) == n for uid in people), -k, n)
                       for k, people in enumerate(tables) for n in {told.get(str(uid)) for uid in people} - {None}),
                      reverse=True)
    for _count, minus_k, n in overlaps:
        if numbers[-minus_k] is None and n not in used:
            numbers[-minus_k] = n
            used.add(n)
    free = (n for n in itertools.count(1) if n not in used)
    return [n if n is not None else next(free) for n in numbers]


def _solve(problem: dict, *, gathering: Gathering, plan: Plan, progress) -> dict:
    """The engine's plan, its tables balanced (`_balanced`) unless the balance cannot keep the hard
    rules (an avoid pair, a common language, pins): then within the looser bounds."""
    from tablee import engine

    alone = selectors.table_layout(attendees=len(problem["people"]), gathering=gathering,
                                   tables=problem["tables"])["alone"]
    balanced = None if alone else _balanced(problem)
    if balanced is not None:
        try:
            result = engine.plan(balanced, time_limit=plan.time_limit_s, seed=plan.seed, progress=progress, lang="fr")
        except ValueError:  # pins that the balanced sizes cannot hold
            result = None
        if result is not None and not (result["stats"]["avoid_violations"] or result["stats"]["language_violations"]):
            return result
    return engine.plan(_with_empty_chairs(problem, alone), time_limit=plan.time_limit_s, seed=plan.seed,
                       progress=progress, lang="fr")


def _balanced(problem: dict) -> dict | None:
    """The problem with table sizes that differ by one at most (30 people at 6 tables: 5 each);
    None when its bounds are that tight already. The engine's objective sums what each pair at a
    table brings, so a table of six counts fifteen pairs and two tables of four twelve: within
    loose bounds (four to six) it fills some tables and leaves others short, and one move then
    puts a short table under the minimum. A person expects even tables unless a rule forbids them."""
    size, count, people = problem["table_size"], problem["tables"], len(problem["people"])
    low, high = max(size["min"], people // count), min(size["max"], -(-people // count))
    if low > high or (low, high) == (size["min"], size["max"]):
        return None
    return dict(problem, table_size={"min": low, "target": min(max(size.get("target", high), low), high),
                                     "max": high})


def _with_empty_chairs(problem: dict, count: int) -> dict:
    """The engine seats two people at least per table. When the seats hold everyone only if someone
    sits alone (tables of two, an odd attendance), the engine plans with ``count`` empty chairs: a
    stand-in who talks with anyone, has no wish, no history, and is worth nothing to sit with. The
    person next to an empty chair sits alone; the avoid rule and the seats hold."""
    if count <= 0:
        return problem
    chairs = [{"id": f"empty-chair-{k}", "name": "", "languages": []} for k in range(count)]
    data = dict(problem, people=[*problem["people"], *chairs])
    size = problem["table_size"]
    data["table_size"] = {"min": 2, "target": max(2, size.get("target", 2)), "max": max(2, size["max"])}
    if data.get("need_offer_matrix") is not None:
        n = len(problem["people"])
        data["need_offer_matrix"] = [[*row, *([0.0] * count)] for row in data["need_offer_matrix"]] + [
            [0.0] * (n + count) for _k in range(count)]
    return data


def _explain_both(problem: dict, tables: list[list[int]]) -> list[dict]:
    """The fields of each table's explanation: why in French and English, each person's own lines
    (`PlanTable.why_own`) and the score; offers and needs of people without consent left out."""
    hidden = selectors.hidden_profiles(p["id"] for p in problem["people"])
    french = explain(problem, tables, lang="fr", hidden=hidden)
    english = explain(problem, tables, lang="en", hidden=hidden)
    return [
        {"why_fr": fr.why, "why_en": en.why, "score": fr.score,
         "why_own": {str(uid): {"fr": fr.own.get(uid, fr.why), "en": en.own.get(uid, en.why)}
                     for uid in sorted(fr.own.keys() | en.own.keys())}}
        for fr, en in zip(french, english, strict=True)
    ]


def seating_stats(problem: dict, tables: list[list[int]]) -> dict:
    """The engine's statistics of one seating, from scratch (after a move or a repair): repeat pairs,
    wishes granted, needs met, hard rules; the same figures as a fresh plan, never stale."""
    from tablee.engine.model import evaluate, parse_problem, score_matrices

    everyone = sum(len(t) for t in tables)
    # Someone alone at a table (tables of two, an odd attendance) meets nobody: no pair, no figure.
    tables = [t for t in tables if len(t) >= 2]
    seated = {uid for t in tables for uid in t}
    if not tables:
        return {"repeat_pairs": 0, "meet_satisfied": 0, "meet_total": 0, "need_offer_matches": 0,
                "language_violations": 0, "size_violations": 0, "attendees": everyone, "constraints_ok": True}
    data = dict(problem, people=[p for p in problem["people"] if p["id"] in seated], pinned=None, tables=None,
                attendance=None)
    sizes = [len(t) for t in tables]
    size_min = max(2, min(problem["table_size"]["min"], min(sizes)))
    size_max = max(problem["table_size"]["max"], max(sizes))
    data["table_size"] = {"min": size_min, "max": size_max,
                          "target": min(max(problem["table_size"].get("target", size_max), size_min), size_max)}
    for key in ("avoid", "meet"):
        data[key] = [p for p in problem.get(key, []) if p[0] in seated and p[1] in seated]
    # A continue wish stays between its two people: no figure an organizer reads may move with it
    # (a continue pair who sat together before counts as a repeat, like anyone else).
    data["continue"] = []
    data["history"] = [[[uid for uid in t if uid in seated] for t in rnd] for rnd in problem.get("history", [])]
    try:
        parsed = parse_problem(data)
    except ValueError:
        parsed = parse_problem(dict(data, people=[dict(p, languages=[]) for p in data["people"]]))
    scores = score_matrices(parsed)
    rows = [[parsed.index[uid] for uid in t if uid in parsed.index] for t in tables if t]
    stats = evaluate(parsed, scores, [rows])
    out = _public_stats(stats, people=everyone)
    # Size bounds after a repair are those of the repair, not of a fresh plan: not a broken rule here.
    out["constraints_ok"] = not (stats.get("avoid_violations") or stats.get("language_violations"))
    return out


def _public_stats(stats: dict, *, people: int) -> dict:
    """What organizers may see of the engine's statistics: no count of avoid wishes, only whether
    every hard constraint holds."""
    keep = ("repeat_pairs", "meet_satisfied", "meet_total", "need_offer_matches", "objective", "elapsed_s",
            "iterations", "language_violations", "size_violations")
    out = {k: stats[k] for k in keep if k in stats}
    out["attendees"] = people
    out["constraints_ok"] = not (stats.get("avoid_violations") or stats.get("language_violations")
                                 or stats.get("size_violations"))
    return out


def _store(plan: Plan, tables: list[list[int]], *, explained: list[dict], pinned: set[int],
           moved: set[int] = frozenset(), numbers: list[int] | None = None) -> None:
    PlanTable.objects.filter(plan=plan).delete()
    seats = []
    for k, people in enumerate(tables):
        number = numbers[k] if numbers else k + 1
        table = PlanTable.objects.create(plan=plan, number=number, **explained[k])
        for position, user_id in enumerate(people):
            seats.append(Seat(plan=plan, table=table, user_id=user_id, position=position,
                              pinned=user_id in pinned, moved=user_id in moved))
    Seat.objects.bulk_create(seats)


# ---------------------------------------------------------------------------------------------
# Reviewing


def _editable(plan: Plan) -> Plan:
    locked = Plan.objects.select_for_update().select_related("gathering").get(pk=plan.pk)
    if locked.status in (Plan.Status.RUNNING, Plan.Status.FAILED):
        raise PlanError(_("Le plan n'est pas prêt : attendez la fin du calcul."))
    return locked


def _seat_of(plan: Plan, user: User) -> Seat:
    seat = Seat.objects.select_for_update().filter(plan=plan, user_id=user.pk).first()
    if seat is None:
        raise PlanError(_("Cette personne n'est pas dans le plan."))
    return seat


def _table(plan: Plan, number: int) -> PlanTable:
    """A table of the plan, or one of the room's tables the plan left empty (set up when first used)."""
    table = PlanTable.objects.filter(plan=plan, number=number).first()
    if table is None and 1 <= number <= plan.gathering.tables:
        table = PlanTable.objects.create(plan=plan, number=number)
    if table is None:
        raise PlanError(_("Il n'y a pas de table %(number)s.") % {"number": number})
    return table


def _refresh_explanations(plan: Plan, numbers: set[int]) -> None:
    """Recompute why and score of the tables a manual change touched."""
    problem = selectors.engine_problem_for(gathering=plan.gathering, wishes_made_by=selectors.wishes_known_at(plan))
    tables = {t.number: t for t in plan.tables.all()}
    ids = {n: list(Seat.objects.filter(table=tables[n]).order_by("position", "pk").values_list("user_id", flat=True))
           for n in numbers}
    order = sorted(ids)
    for n, fields in zip(order, _explain_both(problem, [ids[n] for n in order]), strict=True):
        PlanTable.objects.filter(pk=tables[n].pk).update(**fields)
    _refresh_stats(plan, problem)


# A past table is still read for a while (« Ma tablée » beside the cards to keep and the follow-ups
# to write): after a consent change, the worker writes again the lines of the tables of this many
# days back, as well as those to come; older ones stay blank. It bounds the rewrites one change asks.
PAST_TABLES_REWRITTEN_DAYS = 30


def explanations_forget(*, user_id: int) -> list[int]:
    """A person withdrew their table-mates consent or changed what it shows: the why lines of every
    published table they sit at are blanked at once (in the caller's transaction), so no page or
    email quotes them from now on. Returns the plans whose lines the worker recomputes from today's
    consents (`plan_explanations_refresh`): those of the gatherings to come and of the last
    ``PAST_TABLES_REWRITTEN_DAYS`` days; an older table keeps none."""
    tables = PlanTable.objects.filter(plan__status=Plan.Status.PUBLISHED, seats__user_id=user_id)
    since = timezone.now() - timedelta(days=PAST_TABLES_REWRITTEN_DAYS)
    rewritten = sorted(set(tables.filter(plan__gathering__starts_at__gt=since).values_list("plan_id", flat=True)))
    PlanTable.objects.filter(pk__in=list(tables.values_list("pk", flat=True))).update(
        why_fr=[], why_en=[], why_own={})
    return rewritten


# One person's consent changes (withdraw, give, withdraw…) each blank their tables' why lines at once
# (privacy never waits), but the worker rewrites the lines of one (plan, person) at most this many
# times an hour; a change beyond that is rewritten once the hour allows it.
EXPLANATIONS_REFRESHES_PER_HOUR = 6


def explanations_refresh_queue(*, plan_id: int, user_id: int) -> str:
    """Hand the rewrite of ``user_id``'s table in ``plan_id`` to the worker, after the commit that
    blanked it (`explanations_forget`). Returns "pending" when a rewrite of the same (plan, person)
    waits unstarted already: it reads the consents when it starts, so it writes the latest; "queued";
    or "deferred" (queued to start when the hourly quota allows). Call it once the change committed:
    a rewrite that started before could have read the consents the change replaced."""
    from tablee.tables.tasks import explanations_refresh

    if _explanations_refresh_waiting(explanations_refresh, plan_id=plan_id, user_id=user_id):
        return "pending"
    key = f"explanations-refresh:{plan_id}:{user_id}"
    wait = throttle_wait(key=key, limit=EXPLANATIONS_REFRESHES_PER_HOUR, window=3600)
    if wait:
        explanations_refresh.using(run_after=timezone.now() + timedelta(seconds=wait)).enqueue(plan_id, user_id)
        return "deferred"
    throttle_hit(key=key, limit=EXPLANATIONS_REFRESHES_PER_HOUR, window=3600)
    explanations_refresh.enqueue(plan_id, user_id)
    return "queued"


def _explanations_refresh_waiting(task, *, plan_id: int, user_id: int) -> bool:
    """Whether the task queue holds a rewrite of this (plan, person) not yet started (a deferred one
    included). Only the database queue can tell; another backend answers False."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, backend_name=backend.alias, task_path=task.module_path,
        args_kwargs__args__0=plan_id, args_kwargs__args__1=user_id,
    ).exists()


@transaction.atomic
def plan_explanations_refresh(*, plan: Plan, user_id: int) -> str:
    """Recompute the why lines of the table where ``user_id`` sits, from today's consents and profiles."""
    locked = Plan.objects.select_for_update().select_related("gathering").get(pk=plan.pk)
    if locked.status != Plan.Status.PUBLISHED:
        return "skipped"
    numbers = set(Seat.objects.filter(plan=locked, user_id=user_id).values_list("table__number", flat=True))
    if not numbers:
        return "skipped"
    _refresh_explanations(locked, numbers)
    return "refreshed"


def _current_tables(plan: Plan) -> list[list[int]]:
    return [list(Seat.objects.filter(table=t).order_by("position", "pk").values_list("user_id", flat=True))
            for t in plan.tables.all()]


def _refresh_stats(plan: Plan, problem: dict) -> None:
    """Keep the figures organizers read in step with the seating (repeat pairs, wishes, needs met)."""
    stats = dict(plan.stats)
    stats.update(seating_stats(problem, _current_tables(plan)))
    Plan.objects.filter(pk=plan.pk).update(stats=stats)
    plan.stats = stats


def _refuse_if_avoid_broken(plan: Plan, before: set[frozenset[int]]) -> None:
    """A manual change that seats an avoid pair together is refused, with a message that names
    neither a person nor a table nor a rule (inside the caller's transaction: raising rolls the
    change back). Every avoid wish counts, whenever it was saved; ``before``: the pairs at one
    table before the change (a wish saved after publication may find its pair seated together:
    they stay, and only a change that puts them together again is refused)."""
    if selectors.avoid_pairs_together(plan=plan) - before:
        raise PlanError(_("Ce déplacement n'est pas possible."))


def _refuse_if_over(plan: Plan) -> None:
    """A gathering that ended keeps the plan it had: no move, no swap (``selectors.moves_open``)."""
    if not selectors.moves_open(gathering=plan.gathering):
        raise PlanError(_("La rencontre est terminée : son plan de tables ne change plus."))


def plan_move(*, plan: Plan, user: User, to_table: int) -> list:
    """Move one person to another table (last seat). Returns the hard rules now broken. On a
    published plan, the person moved gets their new table by email (as after a repair). Refused
    once the gathering is over."""
    with transaction.atomic():
        plan = _editable(plan)
        _refuse_if_over(plan)
        seat = _seat_of(plan, user)
        target = _table(plan, to_table)
        source = seat.table.number
        if target.pk != seat.table_id:
            before = selectors.avoid_pairs_together(plan=plan)
            seat.table = target
            seat.position = (Seat.objects.filter(table=target).order_by("-position").values_list("position", flat=True)
                             .first() or 0) + 1
            seat.save(update_fields=["table", "position"])
            _refuse_if_avoid_broken(plan, before)
            _refresh_explanations(plan, {source, to_table})
            _notify_seats(plan, {user.pk})
    return selectors.plan_violations(plan=plan)


def plan_swap(*, plan: Plan, a: User, b: User) -> list:
    """Swap the seats of two people. Returns the hard rules now broken. On a published plan, both
    get their new table by email. Refused once the gathering is over."""
    with transaction.atomic():
        plan = _editable(plan)
        _refuse_if_over(plan)
        seat_a, seat_b = _seat_of(plan, a), _seat_of(plan, b)
        numbers = {seat_a.table.number, seat_b.table.number}
        before = selectors.avoid_pairs_together(plan=plan)
        (seat_a.table_id, seat_a.position), (seat_b.table_id, seat_b.position) = (
            (seat_b.table_id, seat_b.position), (seat_a.table_id, seat_a.position))
        seat_a.save(update_fields=["table", "position"])
        seat_b.save(update_fields=["table", "position"])
        _refuse_if_avoid_broken(plan, before)
        if len(numbers) > 1:
            _refresh_explanations(plan, numbers)
            _notify_seats(plan, {a.pk, b.pk})
    return selectors.plan_violations(plan=plan)


def plan_pin(*, plan: Plan, user: User, pinned: bool) -> Seat:
    """Pin a person to their table: re-optimising (or redoing) keeps them there. Refused once the
    gathering began (``selectors.pins_open``): nothing computes its plan again then."""
    with transaction.atomic():
        plan = _editable(plan)
        if not selectors.pins_open(gathering=plan.gathering):
            raise PlanError(_("La rencontre a commencé : une place ne s'épingle plus. "
                              "Utilisez « Réparer » pour ajuster le plan."))
        seat = _seat_of(plan, user)
        seat.pinned = pinned
        seat.save(update_fields=["pinned"])
    return seat


def plan_reoptimize(*, plan: Plan, time_limit_s: float | None = None) -> Plan:
    """Compute the unpinned seats again, in the worker; pinned people keep their table."""
    with transaction.atomic():
        plan = _editable(plan)
        if plan.status == Plan.Status.PUBLISHED:
            raise PlanError(_("Le plan est déjà publié : utilisez « Réparer » pour l'ajuster."))
        _compute_again(plan, time_limit_s)
    return plan


# ---------------------------------------------------------------------------------------------
# Publishing and the door


def plan_publish(*, plan: Plan, notify: bool = True) -> Plan:
    """Publish: every seated person sees Ma tablée and gets one email (queued, sent by the worker).
    A redone plan published again (``plan_redo``) emails only those whose table changed, with the
    bound of a move (``emails.queue_table_changed``); the others keep their table and hear nothing.

    The emails are rendered inside the transaction, once the plan is published: « Ma tablée » only
    shows a published plan, so an email rendered before would name no table and no table-mates.
    """
    from tablee.outbox.models import Topic
    from tablee.outbox.services import email_queue
    from tablee.outbox.wayback import unsubscribe_keys_known
    from tablee.tables.emails import queue_table_changed, render_plan_published

    with transaction.atomic():
        plan = _editable(plan)
        if plan.status == Plan.Status.PUBLISHED:
            return plan
        if any(v.code == "avoid" for v in selectors.plan_violations(plan=plan)):
            raise PlanError(_("Une contrainte confidentielle n'est pas respectée : déplacez quelqu'un avant de publier."))
        told = plan.told_tables
        plan.status = Plan.Status.PUBLISHED
        plan.published_at = timezone.now()
        plan.told_tables = {}
        plan.save(update_fields=["status", "published_at", "told_tables", "updated_at"])
        if notify:
            # Only those still coming: a person who cancelled since the plan was computed is not told a table.
            seats = list(selectors.seats_held(plan=plan).select_related("user", "user__profile", "table"))
            if told:
                seats = [seat for seat in seats if told.get(str(seat.user_id)) != seat.table.number]
            with unsubscribe_keys_known(pairs=[(seat.user.email, Topic.PLAN_PUBLISHED) for seat in seats]):
                for seat in seats:
                    if told:
                        queue_table_changed(plan=plan, seat=seat, moved=str(seat.user_id) in told)
                    else:
                        email_queue(**render_plan_published(plan=plan, seat=seat))
            # Someone who confirmed after the plan was computed (during a redo, say) is seated by the
            # worker's repair, as a late RSVP after publication is, and gets their table by email.
            if plan.gathering.starts_at > timezone.now() and selectors.unseated(plan=plan):
                _repair_in_the_worker(plan.gathering_id)
    return plan


def _repair_in_the_worker(gathering_id: int) -> None:
    from tablee.tables.tasks import repair_after_rsvp

    transaction.on_commit(lambda: repair_after_rsvp.enqueue(gathering_id))


def _seating(plan: Plan) -> list[tuple[int, int, int]]:
    return list(Seat.objects.filter(plan_id=plan.pk).order_by("user_id").values_list("user_id", "table_id", "position"))


def _separate_avoid_pairs(problem: dict, tables: list[list[int]], moved: set[int]) -> list[list[int]]:
    """A second guard after the engine's repair: an avoid pair must never be published together."""
    from tablee.tables import rules

    languages = {p["id"]: set(p["languages"]) for p in problem["people"]}
    avoid = {frozenset(pair) for pair in problem["avoid"]}
    size = problem["table_size"]
    return rules.resolve_avoid(tables, size_min=size["min"], size_max=size["max"], languages=languages,
                               avoid=avoid, already_moved=moved)


@dataclass
class _Repair:
    """A repair computed but not yet stored: the new tables and what it costs."""

    tables: list[list[int]]
    numbers: list[int]
    moved: set[int]  # seated before, at another table now
    seated: set[int]  # new at the tables (late RSVPs, promotions, walk-ins)
    removed: set[int]  # cancelled or absent: their seat is freed
    broken: list[str]  # rules the repair could not keep: "repeat", "avoid", "language"
    problem: dict
    elapsed: float


def _repair_compute(plan: Plan, gathering: Gathering) -> _Repair | None:
    """Seat the people confirmed now in ``plan``, moving as few as possible; None when nothing changed."""
    from tablee import engine
    from tablee.tables import rules

    tables = _current_tables(plan)
    seated = {uid for t in tables for uid in t}
    rsvps = Rsvp.objects.filter(gathering_id=gathering.pk, user_id__in=seated)
    absent = set(seated) - set(
        rsvps.filter(status=Rsvp.Status.CONFIRMED).exclude(present=False).values_list("user_id", flat=True))
    present = [u.pk for u in selectors.attendees_now(gathering=gathering)]
    walk_ins = [uid for uid in present if uid not in seated]
    if not absent and not walk_ins:
        return None
    # The engine needs everyone it is told about, the absent included, to read the old tables.
    # The why lines and figures of a published plan read the wishes known when it was published;
    # the avoid wishes bind as they are now: nobody seated or moved here (a late RSVP, a re-booking,
    # a walk-in) sits next to someone they asked to avoid, whenever they asked. A pair a later wish
    # finds at one table stays put (`selectors.avoid_binding`).
    problem = selectors.engine_problem_for(gathering=gathering, tables=len(tables),
                                           wishes_made_by=selectors.wishes_known_at(plan))
    known = {p["id"] for p in problem["people"]}
    missing = [uid for uid in seated if uid not in known]
    if missing:
        problem["people"] += [selectors.person_input(u) for u in User.objects.filter(pk__in=missing).select_related("profile")]
    problem["avoid"] = selectors.avoid_binding(
        plan=plan, people={p["id"] for p in problem["people"]},
        tables=[[uid for uid in t if uid not in absent] for t in tables])
    numbers = list(plan.tables.values_list("number", flat=True))
    started = time.perf_counter()
    try:
        result = engine.repair(problem, tables, absent=sorted(absent), walk_ins=walk_ins, lang="fr")
    except ValueError as exc:
        raise PlanError(str(exc)) from None
    new_tables = [t["people"] for t in result["tables"]]
    new_tables = _separate_avoid_pairs(problem, new_tables, set(result["moved"]) | set(walk_ins))
    # Tables keep their number at the door (cards are printed); a new table takes the next one.
    fresh = iter(range(max(numbers) + 1, max(numbers) + 1 + len(new_tables)))
    new_numbers = [numbers[t["index_before"]] if t["index_before"] is not None else next(fresh)
                   for t in result["tables"]]
    previous = {uid: numbers[k] for k, t in enumerate(tables) for uid in t}
    moved = {uid for k, t in enumerate(new_tables) for uid in t if uid in previous and previous[uid] != new_numbers[k]}
    # What the repair broke that the tables kept before: a new pair who already met, an avoid pair,
    # someone with no common language. Said plainly to the organizer, who must accept it.
    broken = []
    met = {frozenset(pair) for rnd in problem["history"] for t in rnd
           for pair in ((a, b) for i, a in enumerate(t) for b in t[i + 1:])}
    before_pairs = {frozenset((a, b)) for t in tables for i, a in enumerate(t) for b in t[i + 1:]}
    after_pairs = {frozenset((a, b)) for t in new_tables for i, a in enumerate(t) for b in t[i + 1:]}
    if (after_pairs - before_pairs) & met:
        broken.append("repeat")
    languages = {p["id"]: set(p["languages"]) for p in problem["people"]}
    avoid = {frozenset(pair) for pair in problem["avoid"]}
    size = problem["table_size"]
    found = rules.violations(dict(enumerate(new_tables, 1)), size_min=min(2, size["min"]), size_max=10**6,
                             languages=languages, avoid=avoid)
    broken += sorted({v.code for v in found} & {"avoid", "language"})
    return _Repair(tables=new_tables, numbers=new_numbers, moved=moved, seated=set(walk_ins), removed=absent,
                   broken=broken, problem=problem, elapsed=time.perf_counter() - started)


def _repair_store(plan: Plan, repair: _Repair, *, present: int) -> None:
    _store(plan, repair.tables, explained=_explain_both(repair.problem, repair.tables),
           pinned=set(_pins(plan)), moved=repair.moved | repair.seated, numbers=repair.numbers)
    stats = dict(plan.stats)
    stats.update(seating_stats(repair.problem, repair.tables))
    stats.update(attendees=present, moved=len(repair.moved), walk_ins=len(repair.seated), absent=len(repair.removed),
                 repair_elapsed_s=round(repair.elapsed, 4),
                 constraints_ok=not selectors.plan_violations(plan=plan))
    plan.stats = stats
    plan.pending_repair = {}
    plan.repaired_at = timezone.now()
    plan.save(update_fields=["stats", "pending_repair", "repaired_at", "updated_at"])


def _repair_propose(plan: Plan, repair: _Repair) -> None:
    """Keep a repair that breaks a rule aside: the organizer reads why, and accepts it (or not)."""
    plan.pending_repair = {
        "tables": repair.tables, "numbers": repair.numbers, "moved": sorted(repair.moved),
        "seated": sorted(repair.seated), "removed": sorted(repair.removed), "broken": repair.broken,
        "at": timezone.now().isoformat(),
    }
    plan.save(update_fields=["pending_repair", "updated_at"])


def plan_repair(*, gathering: Gathering) -> tuple[Plan, list[User]]:
    """Seat the people present now (no-shows out, walk-ins in), moving as few people as possible.

    A repair that must break a rule (seat people who met before together, an avoid pair, someone
    with no common language) is not applied: it waits in ``pending_repair`` for the organizer."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().filter(gathering_id=gathering.pk).first()
        if plan is None or plan.status not in (Plan.Status.READY, Plan.Status.PUBLISHED):
            raise PlanError(_("Il n'y a pas encore de plan prêt à réparer."))
        repair = _repair_compute(plan, gathering)
        if repair is None:
            Seat.objects.filter(plan=plan).update(moved=False)
            if plan.pending_repair:
                plan.pending_repair = {}
                plan.save(update_fields=["pending_repair", "updated_at"])
            return plan, []
        if repair.broken:
            _repair_propose(plan, repair)
            return plan, []
        _repair_store(plan, repair, present=len(selectors.attendees_now(gathering=gathering)))
        # Before the gathering, whoever is seated or moved learns their table (as after a late RSVP).
        _notify_seats(plan, repair.moved | repair.seated, first=repair.seated)
        moved = list(User.objects.filter(pk__in=repair.moved).order_by(by_name("last_name"), by_name("first_name"), "email"))
    return plan, moved


def plan_seat_at_the_door(*, gathering: Gathering) -> str | None:
    """At the door, once the plan is published: seat the walk-ins now, with the repair (as few moves
    as possible). Returns "" when everyone present has a seat, a message for the organizer when
    someone is left without one (the repair waits for their accord on the plan page, or failed),
    None without a published plan."""
    if not Plan.objects.filter(gathering_id=gathering.pk, status=Plan.Status.PUBLISHED).exists():
        return None
    try:
        plan, _moved = plan_repair(gathering=gathering)
    except PlanError as exc:
        return exc.message
    if selectors.unseated(plan=plan):
        if plan.pending_repair:
            return _("Pas de place qui respecte toutes les règles : la réparation attend votre accord "
                     "sur la page du plan de tables.")
        return _("Pas de place libre pour l'instant : voyez la page du plan de tables.")
    return ""


def plan_repair_accept(*, plan: Plan) -> tuple[Plan, list[User]]:
    """The organizer accepts the pending repair that breaks a rule. Never one that seats an avoid
    pair together: that rule is binding, and the refusal names no one."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().select_related("gathering").get(pk=plan.pk)
        pending = plan.pending_repair or {}
        if not pending:
            raise PlanError(_("Aucune réparation n'attend votre accord."))
        if "avoid" in pending.get("broken", []):
            raise PlanError(_("Cette réparation n'est pas possible : ajoutez une table ou refaites le plan."))
        current = _repair_compute(plan, plan.gathering)
        if current is None or current.tables != pending["tables"]:
            # Someone else changed their RSVP meanwhile: what was accepted is no longer what would apply.
            if current is not None and current.broken:
                _repair_propose(plan, current)
            raise PlanError(_("Les inscriptions ont changé : relisez la nouvelle proposition."))
        _repair_store(plan, current, present=len(selectors.attendees_now(gathering=plan.gathering)))
        _notify_seats(plan, current.moved | current.seated, first=current.seated)
        moved = list(User.objects.filter(pk__in=current.moved).order_by(by_name("last_name"), by_name("first_name"), "email"))
    return plan, moved


def _notify_seats(plan: Plan, user_ids: set[int], *, first: set[int] | frozenset[int] = frozenset()) -> None:
    """Everyone newly seated or moved (by a repair or by the organizer) gets their table by email,
    before the gathering only, and only while the plan is published (``emails.queue_table_changed``
    bounds how many one person gets). ``first``: those seated for the first time (told their table,
    not a change)."""
    if plan.status != Plan.Status.PUBLISHED or plan.gathering.starts_at <= timezone.now():
        return
    from tablee.tables.emails import queue_table_changed

    for seat in Seat.objects.filter(plan=plan, user_id__in=user_ids).select_related(
            "user", "user__profile", "table"):
        queue_table_changed(plan=plan, seat=seat, moved=seat.user_id not in first)


def plan_repair_after_rsvp(*, gathering: Gathering) -> str:
    """In the worker, after an RSVP changed a published plan's gathering before it starts: late
    confirmations and promotions are seated, cancellations free their seat, with as few moves as
    possible; each person seated or moved gets their table by email. Returns what happened.

    Whoever it cannot seat (the repair waits for the organizer, or fails) stays unseated, never
    dropped in silence: the plan page names them (``selectors.unseated``), Ma tablée tells them
    their table is coming."""
    try:
        return _repair_after_rsvp(gathering=gathering)
    except PlanError as exc:
        return f"failed: {exc.message}"


def _repair_after_rsvp(*, gathering: Gathering) -> str:
    with transaction.atomic():
        plan = Plan.objects.select_for_update().select_related("gathering").filter(gathering_id=gathering.pk).first()
        if plan is None or plan.status != Plan.Status.PUBLISHED:
            return "no published plan"
        if plan.gathering.starts_at <= timezone.now():
            return "started: the door repairs"
        if len(selectors.attendees_now(gathering=gathering)) < 2:
            return "too few"
        repair = _repair_compute(plan, gathering)
        if repair is None:
            return "unchanged"
        if repair.broken:
            _repair_propose(plan, repair)
            return "proposed: " + ", ".join(repair.broken)
        _repair_store(plan, repair, present=len(selectors.attendees_now(gathering=gathering)))
        _notify_seats(plan, repair.moved | repair.seated, first=repair.seated)
    return f"repaired: {len(repair.seated)} seated, {len(repair.moved)} moved, {len(repair.removed)} freed"


# ---------------------------------------------------------------------------------------------
# Wishes


def wish_create(*, author: User, association: Association, kind: str, target: User) -> Wish:
    """Record a private wish about the coming gatherings of an association (idempotent)."""
    if kind not in Wish.Kind.values:
        raise PlanError(_("Type de souhait inconnu."))
    if author.pk == target.pk:
        raise PlanError(_("Un souhait porte sur une autre personne que soi."))
    if not access.may_wish(author=author, target=target, association=association):
        raise PlanError(_("Cette personne n'est pas membre de l'association."))
    with transaction.atomic():
        wish, _created = Wish.objects.get_or_create(author=author, association=association, kind=kind, target=target)
        # Wanting to meet and to avoid the same person makes no sense: the latest wish wins.
        opposite = [Wish.Kind.AVOID] if kind != Wish.Kind.AVOID else [Wish.Kind.MEET, Wish.Kind.CONTINUE]
        Wish.objects.filter(author=author, association=association, target=target, kind__in=opposite).delete()
    return wish


# A deleted wish can be brought back this long (the contacts' and notes' undo window).
WISH_UNDO_MINUTES = 10


@dataclass(frozen=True)
class DeletedWish:
    """What « Annuler » needs to bring a wish back as it was; plain values, kept in its author's
    session (``as_dict``/``from_dict``), never shown to anyone else."""

    association_id: int
    target_id: int
    kind: str
    created_at: str  # ISO 8601: a restored wish binds the plans it bound before
    deleted_at: str

    def as_dict(self) -> dict:
        return {"association_id": self.association_id, "target_id": self.target_id, "kind": self.kind,
                "created_at": self.created_at, "deleted_at": self.deleted_at}

    @classmethod
    def from_dict(cls, data: object) -> DeletedWish | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(association_id=int(data["association_id"]), target_id=int(data["target_id"]),
                       kind=str(data["kind"]), created_at=str(data["created_at"]),
                       deleted_at=str(data["deleted_at"]))
        except (KeyError, TypeError, ValueError):
            return None

    def undoable(self, now=None) -> bool:
        from django.utils.dateparse import parse_datetime

        deleted = parse_datetime(self.deleted_at)
        return deleted is not None and (now or timezone.now()) - deleted <= timedelta(minutes=WISH_UNDO_MINUTES)


def wish_delete(*, author: User, wish_id: int) -> DeletedWish:
    """Delete one of the author's wishes; someone else's wish is "not found", never "forbidden".
    Returns what ``wish_restore`` needs to undo it."""
    wish = access.wish_for_author(author, wish_id)
    deleted = DeletedWish(association_id=wish.association_id, target_id=wish.target_id, kind=wish.kind,
                          created_at=wish.created_at.isoformat(), deleted_at=timezone.now().isoformat())
    wish.delete()
    return deleted


def wish_restore(*, author: User, deleted: DeletedWish) -> Wish:
    """Undo ``wish_delete`` within ``WISH_UNDO_MINUTES``: the wish is back with its first date (it
    binds the plans it bound), on the same rules as a new one (both still members; the latest wish
    about a person wins over an opposite one made since)."""
    from django.utils.dateparse import parse_datetime

    if not deleted.undoable():
        raise PlanError(_("Trop tard pour annuler : la suppression est définitive après %(minutes)s minutes.")
                        % {"minutes": WISH_UNDO_MINUTES})
    association = Association.objects.filter(pk=deleted.association_id).first()
    target = User.objects.filter(pk=deleted.target_id).first()
    if association is None or target is None:
        raise PlanError(_("Ce souhait ne peut pas être rétabli."))
    with transaction.atomic():
        wish = wish_create(author=author, association=association, kind=deleted.kind, target=target)
        created_at = parse_datetime(deleted.created_at)
        if created_at is not None and created_at < wish.created_at:
            Wish.objects.filter(pk=wish.pk).update(created_at=created_at)
            wish.created_at = created_at
    return wish
