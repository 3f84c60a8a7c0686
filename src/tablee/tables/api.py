"""JSON API for table plans, Ma tablée and wishes. Thin: access, then one service or selector.

Check-in and walk-ins are in gatherings/api.py; repair here reads what they recorded.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpResponse
from django.utils import translation
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from tablee.gatherings.selectors import member_by_email
from tablee.members import access as members_access
from tablee.pagination import PageIn, api_page
from tablee.schemas import Error
from tablee.tables import access, selectors, services
from tablee.tables.models import Plan, Wish

router = Router(tags=["tables"])


class PlanIn(Schema):
    time_limit_s: float | None = Field(None, gt=0, le=services.MAX_TIME_LIMIT_S)


class MemberOut(Schema):
    email: str
    name: str
    pinned: bool = False
    moved: bool = False


class TableOut(Schema):
    number: int
    members: list[MemberOut]
    why: list[str]
    score: float


class WarningOut(Schema):
    code: str
    table: int | None  # None for a confidential constraint: it never points to a table
    message: str


class PendingRepairOut(Schema):
    """A repair that breaks a rule, waiting for the organizer: who it would seat, move and free."""

    broken: list[str]
    messages: list[str]
    seated: list[str]
    moved: list[str]
    freed: int
    can_accept: bool


class PlanOut(Schema):
    status: Literal["running", "ready", "published", "failed"]
    progress: float
    message: str
    error: str
    tables: list[TableOut]
    stats: dict
    warnings: list[WarningOut]
    published_at: str | None
    pending_repair: PendingRepairOut | None = None
    # Confirmed people (not marked absent) without a seat in this plan: seat them (repair, accept
    # the pending repair, or compute the plan again). Empty when everyone has a seat.
    unseated: list[MemberOut] = []


class RepairOut(PlanOut):
    moved: list[str]


class MoveIn(Schema):
    email: str
    table: int = Field(..., ge=1)


class SwapIn(Schema):
    a: str
    b: str


class PinIn(Schema):
    email: str
    pinned: bool = True


class CompanionOut(Schema):
    name: str
    organization: str
    offers: list[str]
    needs: list[str]
    why: list[str]


class MyTableOut(Schema):
    table: int
    why: list[str]
    companions: list[CompanionOut]
    conversation_starters: list[str]
    # The organizer is redoing the published plan: `table` is the one the member was told, and
    # `why` is empty; an email comes if it changes when the plan is published again.
    revising: bool = False


class WishIn(Schema):
    association: str
    kind: Literal["meet", "avoid"]
    # The person, by account id (`GET /api/associations/{slug}/wishes/people`); `email` is still read for older clients.
    # Either way only someone the member may name is found: the answer for anyone else, an unknown
    # address included, is the same 404.
    user_id: int | None = None
    email: str = ""


class WishOut(Schema):
    id: int
    association: str
    kind: str
    user_id: int
    # Kept for older clients, always empty: a wish never hands over the other person's address.
    email: str
    name: str


class WishPersonOut(Schema):
    id: int
    name: str
    organization: str


class WishCreatedOut(WishOut):
    # Set when the member's seat at a coming gathering is already published: that plan stays as
    # it is, the wish counts from the next one (`late_wish_notice`); empty otherwise.
    notice: str


def _language(request) -> str:
    """The member's chosen language: API calls carry no session or cookie."""
    profile = getattr(request.auth, "profile", None)
    return (profile.preferred_language if profile else None) or translation.get_language() or "fr-ca"


def warning_message(violation) -> str:
    from django.utils.translation import gettext as _

    messages = {
        "size_min": _("Table %(table)s : moins de personnes que le minimum."),
        "size_max": _("Table %(table)s : plus de personnes que de places."),
        "language": _("Table %(table)s : une personne n'a personne avec qui partager une langue."),
        # Never a table, never a person: the pair could be found by elimination otherwise.
        "avoid": _("Une contrainte confidentielle n'est pas respectée : deux personnes qui ne doivent pas être "
                   "assises ensemble partagent une table. Ce plan ne peut pas être publié; refaites-le, ou "
                   "ajoutez une table à la rencontre puis refaites-le."),
    }
    return messages[violation.code] % {"table": violation.table}


def late_wish_notice(kind: str, gatherings) -> str:
    """What a member reads on saving a wish while their seat at a coming gathering is already
    published: that plan stays as it is (an avoid acted on now would show as an unexplained move),
    the wish counts from the next plan, and they may still give up their seat. Empty otherwise."""
    from django.utils import timezone
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    if not gatherings:
        return ""
    first = gatherings[0]
    names = {"title": first.title, "date": date_format(timezone.localtime(first.starts_at), "MONTH_DAY_FORMAT")}
    text = _("Les tables de « %(title)s » (%(date)s) sont déjà publiées : ce souhait s'appliquera à partir "
             "de la prochaine rencontre.") % names
    if kind == Wish.Kind.AVOID:
        text += " " + _("Si vous préférez ne pas y aller, vous pouvez encore annuler votre place.")
    return text


def broken_rule_message(code: str) -> str:
    from django.utils.translation import gettext as _

    return {
        "repeat": _("Des personnes qui se sont déjà rencontrées seraient de nouveau à la même table."),
        "language": _("Une personne n'aurait personne avec qui partager une langue."),
        "avoid": _("Une contrainte confidentielle ne serait pas respectée : cette réparation ne peut pas être acceptée."),
    }[code]


def pending_repair_out(plan: Plan) -> dict | None:
    pending = plan.pending_repair or {}
    if not pending:
        return None
    from tablee.members.models import User

    emails = dict(User.objects.filter(pk__in=pending["seated"] + pending["moved"]).values_list("pk", "email"))
    return {
        "broken": pending["broken"],
        "messages": [broken_rule_message(code) for code in pending["broken"]],
        "seated": [emails[uid] for uid in pending["seated"] if uid in emails],
        "moved": [emails[uid] for uid in pending["moved"] if uid in emails],
        "freed": len(pending["removed"]),
        "can_accept": "avoid" not in pending["broken"],
    }


def plan_out(plan: Plan, language: str) -> dict:
    tables = selectors.plan_tables(plan=plan) if plan.status != Plan.Status.FAILED else []
    warnings = selectors.plan_violations(plan=plan) if plan.status in (Plan.Status.READY, Plan.Status.PUBLISHED) else []
    return {
        "status": plan.status,
        "progress": round(plan.progress, 3),
        "message": plan.progress_message,
        "error": plan.error,
        "tables": [
            {
                "number": t.number,
                # A guest let in by name only has no address to give, nor a deleted account.
                "members": [{"email": s.user.address_shown, "name": s.user.get_full_name() or s.user.email,
                             "pinned": s.pinned, "moved": s.moved} for s in t.people],
                "why": t.why(language),
                "score": t.score,
            }
            for t in tables
        ],
        "stats": plan.stats,
        "warnings": [{"code": v.code, "table": v.table or None, "message": warning_message(v)} for v in warnings],
        "published_at": plan.published_at.isoformat() if plan.published_at else None,
        "pending_repair": pending_repair_out(plan),
        "unseated": [{"email": u.address_shown, "name": u.get_full_name() or u.email}
                     for u in selectors.unseated(plan=plan)],
    }


def _plan_or_404(gathering) -> Plan:
    plan = selectors.current_plan(gathering=gathering)
    if plan is None:
        raise HttpError(404, "No plan yet.")
    return plan


def _person(gathering, email: str):
    user = member_by_email(association=gathering.association, email=email)
    if user is None:
        raise HttpError(404, "No member of this association has this email.")
    return user


def _run(fn, **kwargs):
    try:
        return fn(**kwargs)
    except services.PlanError as exc:
        raise HttpError(409, exc.message) from None


@router.post("/gatherings/{gathering_id}/plan", response={202: PlanOut, 409: Error})
def plan_request(request, gathering_id: int, payload: PlanIn | None = None):
    gathering = access.gathering_for_planner(request.auth, gathering_id)
    plan = _run(services.plan_request, gathering=gathering, requested_by=request.auth,
                time_limit_s=payload.time_limit_s if payload else None)
    return Status(202, plan_out(plan, _language(request)))


@router.get("/gatherings/{gathering_id}/plan", response={200: PlanOut, 404: Error})
def plan_detail(request, gathering_id: int):
    gathering = access.gathering_for_planner(request.auth, gathering_id)
    return plan_out(_plan_or_404(gathering), _language(request))


@router.post("/gatherings/{gathering_id}/plan/publish", response={200: PlanOut, 404: Error, 409: Error})
def plan_publish(request, gathering_id: int):
    gathering = access.gathering_for_planner(request.auth, gathering_id)
    plan = _run(services.plan_publish, plan=_plan_or_404(gathering))
    return plan_out(plan, _language(request))


@router.post("/gatherings/{gathering_id}/plan/move", response={200: PlanOut, 404: Error, 409: Error})
def plan_move(request, gathering_id: int, payload: MoveIn):
    gathering = access.gathering_for_planner(request.auth, gathering_id)
    plan = _plan_or_404(gathering)
    _run(services.plan_move, plan=plan, user=_person(gathering, payload.email), to_table=payload.table)
    return plan_out(_plan_or_404(gathering), _language(request))


@router.post("/gatherings/{gathering_id}/plan/swap", response={200: PlanOut, 404: Error, 409: Error})
def plan_swap(request, gathering_id: int, payload: SwapIn):
    gathering = access.gathering_for_planner(request.auth, gathering_id)
    plan = _plan_or_404(gathering)
    _run(services.plan_swap, plan=plan, a=_person(gathering, payload.a), b=_person(gathering, payload.b))
    return plan_out(_plan_or_404(gathering), _language(request))


@router.post("/gatherings/{gathering_id}/plan/pin", response={200: PlanOut, 404: Error, 409: Error})
def plan_pin(request, gathering_id: int, payload: PinIn):
    gathering = access.gathering_for_planner(request.auth, gathering_id)
    plan = _plan_or_404(gathering)
    _run(services.plan_pin, plan=plan, user=_person(gathering, payload.email), pinned=payload.pinned)
    return plan_out(_plan_or_404(gathering), _language(request))


@router.post("/gatherings/{gathering_id}/plan/reoptimize", response={202: PlanOut, 404: Error, 409: Error})
def plan_reoptimize(request, gathering_id: int, payload: PlanIn | None = None):
    gathering = access.gathering_for_planner(request.auth, gathering_id)
    plan = _run(services.plan_reoptimize, plan=_plan_or_404(gathering),
                time_limit_s=payload.time_limit_s if payload else None)
    return Status(202, plan_out(plan, _language(request)))


@router.post("/gatherings/{gathering_id}/plan/repair", response={200: RepairOut, 404: Error, 409: Error})
def plan_repair(request, gathering_id: int):
    gathering = access.gathering_for_planner(request.auth, gathering_id)
    plan, moved = _run(services.plan_repair, gathering=gathering)
    return {**plan_out(plan, _language(request)), "moved": [u.email for u in moved]}


@router.post("/gatherings/{gathering_id}/plan/repair/accept", response={200: RepairOut, 404: Error, 409: Error})
def plan_repair_accept(request, gathering_id: int):
    """Accept the pending repair that breaks a rule (a repeat, a language); never one that breaks an avoid."""
    gathering = access.gathering_for_planner(request.auth, gathering_id)
    plan, moved = _run(services.plan_repair_accept, plan=_plan_or_404(gathering))
    return {**plan_out(plan, _language(request)), "moved": [u.email for u in moved]}


@router.get("/gatherings/{gathering_id}/my-table", response={200: MyTableOut, 404: Error})
def my_table(request, gathering_id: int):
    gathering = access.gathering_for_guest(request.auth, gathering_id)
    mine = selectors.my_table(gathering=gathering, user=request.auth, language=_language(request))
    if mine is None:
        raise HttpError(404, "No published table for you at this gathering.")
    return mine


def _wish_out(wish: Wish) -> dict:
    return {"id": wish.pk, "association": wish.association.slug, "kind": wish.kind, "user_id": wish.target_id,
            "email": "", "name": wish.target.get_full_name()}


@router.get("/associations/{slug}/wishes/people", response=list[WishPersonOut])
def wish_people(request, slug: str, q: str = ""):
    """The people the member may name in a wish for this association, by name (every word of `q`,
    accents and case aside; without `q`, the people they sat with); at most 20. Pass one's `id` as
    `user_id` to `POST /api/wishes`."""
    found = members_access.association_for_member(request.auth, slug)
    return [WishPersonOut(id=c.id, name=c.name, organization=c.organization)
            for c in selectors.wish_candidates(author=request.auth, association=found, query=q[:100])]


@router.get("/wishes", response=list[WishOut])
def wish_list(request, response: HttpResponse, page: Query[PageIn]):
    """My own wishes, latest first; paginated."""
    return [_wish_out(w) for w in api_page(request, response, selectors.wishes_of(author=request.auth), page)]


@router.post("/wishes", response={201: WishCreatedOut, 404: Error, 409: Error})
def wish_create(request, payload: WishIn):
    association = members_access.association_for_member(request.auth, payload.association)
    target = access.wish_target(author=request.auth, association=association, user_id=payload.user_id,
                                email=payload.email)
    if target is None:
        raise HttpError(404, "No one you may name in this association matches.")
    wish = _run(services.wish_create, author=request.auth, association=association, kind=payload.kind, target=target)
    with translation.override(_language(request)):
        notice = late_wish_notice(wish.kind, selectors.tables_already_set(user=request.auth, association=association))
    return Status(201, {**_wish_out(wish), "notice": notice})


@router.delete("/wishes/{wish_id}", response={204: None, 404: Error})
def wish_delete(request, wish_id: int):
    services.wish_delete(author=request.auth, wish_id=wish_id)
    return Status(204, None)
