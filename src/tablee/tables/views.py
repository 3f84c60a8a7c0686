"""Pages for table plans (organizers), Ma tablée and Mes souhaits (members). Thin: permission, one
service or selector, then render or redirect."""

from __future__ import annotations

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tablee.members import access as members_access
from tablee.members.models import GUEST_EMAIL_DOMAIN, User
from tablee.members.selectors import organization_shown
from tablee.tables import access, selectors, services
from tablee.tables.api import late_wish_notice, pending_repair_out, warning_message
from tablee.tables.emails import TABLE_EMAILS_PER_PERSON, table_emails_spent
from tablee.tables.models import Plan, Wish
from tablee.text.fold import fold

MAP_SIZE = 240  # px of one table's square drawing
TABLE_RADIUS = 46
SEAT_RADIUS = 84


def _language() -> str:
    return translation.get_language() or "fr-ca"


def _drawing(table) -> list[dict]:
    """Where each seat's name goes around the round table (SVG coordinates)."""
    count = max(len(table.people), 1)
    centre = MAP_SIZE / 2
    out = []
    for k, seat in enumerate(table.people):
        angle = -math.pi / 2 + 2 * math.pi * k / count
        x, y = centre + SEAT_RADIUS * math.cos(angle), centre + SEAT_RADIUS * math.sin(angle)
        anchor = "middle" if abs(math.cos(angle)) < 0.3 else ("start" if math.cos(angle) > 0 else "end")
        out.append({"seat": seat, "x": round(x, 1), "y": round(y, 1), "anchor": anchor,
                    "dot_x": round(centre + (TABLE_RADIUS + 10) * math.cos(angle), 1),
                    "dot_y": round(centre + (TABLE_RADIUS + 10) * math.sin(angle), 1)})
    return out


def _plan_context(gathering, plan: Plan | None) -> dict:
    tables = selectors.plan_tables(plan=plan) if plan and plan.status != Plan.Status.FAILED else []
    for table in tables:
        table.drawing = _drawing(table)
        table.why_lines = table.why(_language())
    show_warnings = plan is not None and plan.status in (Plan.Status.READY, Plan.Status.PUBLISHED)
    violations = selectors.plan_violations(plan=plan) if show_warnings and plan is not None else []
    warnings = [warning_message(v) for v in violations]
    people = sorted((s.user for t in tables for s in t.people), key=_by_name)
    seats = gathering.seats_per_table
    # Every table someone may be moved to: the plan's, then the room's tables it leaves empty.
    choices = [{"number": t.number, "full": len(t.people) >= seats} for t in tables]
    used = {t.number for t in tables}
    choices += [{"number": n, "full": False, "empty": True} for n in range(1, gathering.tables + 1) if n not in used]
    unseated = sorted(selectors.unseated(plan=plan), key=_by_name) if show_warnings else []
    return {
        "gathering": gathering,
        "plan": plan,
        "tables": tables,
        "warnings": warnings,
        "people": people,
        "confirmed": len(selectors.attendees_now(gathering=gathering)),
        "map_size": MAP_SIZE,
        "table_radius": TABLE_RADIUS,
        "move_choices": choices,
        # An avoid rule broken: the plan cannot be published (`services.plan_publish` refuses too).
        "publishable": not any(v.code == "avoid" for v in violations),
        "moved": [s.user for t in tables for s in t.people if s.moved],
        # Confirmed people without a seat, and the repair that waits for the organizer (if any).
        "unseated": unseated,
        "seated_count": len(selectors.attendees_now(gathering=gathering)) - len(unseated),
        "pending": pending_repair_out(plan) if show_warnings and plan is not None else None,
        # Moves and swaps until the gathering ends (the door), pins until it begins (`selectors.moves_open`,
        # `selectors.pins_open`): the services refuse them after, so the page does not offer them.
        "movable": plan is not None and plan.status in (Plan.Status.READY, Plan.Status.PUBLISHED)
        and selectors.moves_open(gathering=gathering),
        "pinnable": plan is not None and plan.status in (Plan.Status.READY, Plan.Status.PUBLISHED)
        and selectors.pins_open(gathering=gathering),
        "over": not selectors.moves_open(gathering=gathering),
        # A published plan may be redone until the gathering begins (`services.plan_redo`).
        "redoable": plan is not None and plan.status == Plan.Status.PUBLISHED and gathering.starts_at > timezone.now(),
        # The publish confirmation counts those the email really reaches (unsubscribed people are not).
        "audience": selectors.publish_audience(plan=plan) if plan is not None and plan.status == Plan.Status.READY
        else None,
    }


@login_required
def plan_page(request, gathering_id: int):
    gathering = access.gathering_for_planner(request.user, gathering_id)
    plan = selectors.current_plan(gathering=gathering)
    context = _plan_context(gathering, plan)
    # Back from a move or a pin (``?table=N#table-N``): the page opens at that table, its messages in it.
    focus = _number(request.GET.get("table"))
    context["focus_table"] = focus if any(t.number == focus for t in context["tables"]) else None
    return render(request, "tables/plan.html", context)


@login_required
def plan_status(request, gathering_id: int):
    """The progress fragment polled while the engine runs; once done, the page reloads itself."""
    gathering = access.gathering_for_planner(request.user, gathering_id)
    plan = selectors.current_plan(gathering=gathering)
    response = render(request, "tables/_progress.html", {"gathering": gathering, "plan": plan})
    if plan is None or plan.status != Plan.Status.RUNNING:
        response["HX-Refresh"] = "true"
    return response


def _back(gathering_id: int, *, table: int | None = None):
    """Back to the plan; at a given table (``#table-N``) after a change made from its card, so that
    the long page does not reopen at its top."""
    if table is None:
        return redirect("tables:plan", gathering_id=gathering_id)
    return redirect(f"{reverse('tables:plan', args=[gathering_id])}?table={table}#table-{table}")


def _attempt(request, fn, **kwargs):
    try:
        return fn(**kwargs)
    except services.PlanError as exc:
        messages.error(request, exc.message)
        return None


def _warn(request, violations) -> None:
    for violation in violations or []:
        messages.warning(request, warning_message(violation))


def _seated(gathering, user_id) -> User | None:
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        return None
    member = Q(memberships__association_id=gathering.association_id, memberships__deactivated_at__isnull=True)
    guest = Q(email__endswith="@" + GUEST_EMAIL_DOMAIN, rsvps__gathering_id=gathering.pk)  # let in by name
    return User.objects.filter(member | guest, pk=pk).distinct().first()


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def plan_request(request, gathering_id: int):
    gathering = access.gathering_for_planner(request.user, gathering_id)
    _attempt(request, services.plan_request, gathering=gathering, requested_by=request.user,
             time_limit_s=_number(request.POST.get("time_limit_s")))
    return _back(gathering.pk)


def _confirm_change(request, gathering, plan: Plan, moves: list[tuple[User, int]], *, action: str, fields: list,
                    back) -> object | None:
    """A move or a swap on a published plan: members see it at once and the people moved get an
    email, so the organizer confirms first (``confirm=1``). Returns the confirmation page to show,
    or None to go ahead (an unpublished plan, a gathering begun: no email then, the door moves
    people fast; confirmed; or nothing would change)."""
    if not _emails_moves(plan) or request.POST.get("confirm") == "1":
        return None
    seats = selectors.seat_numbers(plan=plan, users=[user for user, _number in moves])
    spent = table_emails_spent(plan=plan, user_ids={user.pk for user, _number in moves})
    changes = [{"name": _name(user), "source": seats[user.pk], "target": number, "emailed": user.pk not in spent}
               for user, number in moves if user.pk in seats and seats[user.pk] != number]
    if not changes:
        return None
    return render(request, "tables/move_confirm.html", {
        "gathering": gathering, "changes": changes, "swap": len(moves) > 1, "action": action, "fields": fields,
        "back": back.url, "all_emailed": all(change["emailed"] for change in changes)})


def _emails_moves(plan: Plan) -> bool:
    """Whether a move now emails the people moved (`services._notify_seats`)."""
    return plan.status == Plan.Status.PUBLISHED and plan.gathering.starts_at > timezone.now()


def _change(request, plan: Plan, people: list[User], fn, **kwargs) -> None:
    """Make a move or a swap (``fn``), then say what happened: the rules now broken; on a published
    plan, whether the new table left by email: not for someone who had ``TABLE_EMAILS_PER_PERSON``
    new tables emailed already (``emails.queue_table_changed``), who sees it in « Ma tablée »."""
    spent = table_emails_spent(plan=plan, user_ids={user.pk for user in people}) if _emails_moves(plan) else set()
    violations = _attempt(request, fn, plan=plan, **kwargs)
    if violations is None:
        return
    if _emails_moves(plan):
        if not spent:
            messages.success(request, _("C'est fait : la nouvelle table est dans « Ma tablée » et part par courriel, sauf pour qui a refusé "
                                      "les courriels de plan de tables."))
        for user in people:
            if user.pk in spent:
                messages.success(request, _(
                    "C'est fait, sans courriel : %(name)s a déjà reçu plusieurs changements de table pour ce "
                    "plan; cette personne verra sa nouvelle table dans « Ma tablée ».") % {"name": _name(user)})
            elif spent:
                messages.success(request, _("La nouvelle table de %(name)s part par courriel, si cette personne reçoit les courriels "
                                   "de plan de tables.")
                                 % {"name": _name(user)})
    _warn(request, violations)


def _name(user: User) -> str:
    return user.get_full_name() or user.email


@login_required
@require_POST
def plan_move(request, gathering_id: int):
    gathering = access.gathering_for_planner(request.user, gathering_id)
    plan, user = selectors.current_plan(gathering=gathering), _seated(gathering, request.POST.get("user"))
    table = _number(request.POST.get("table"))
    if plan and user and table:
        confirm = _confirm_change(request, gathering, plan, [(user, table)],
                                  action=reverse("tables:plan_move", args=[gathering.pk]),
                                  fields=[("user", user.pk), ("table", table)], back=_back(gathering.pk, table=table))
        if confirm is not None:
            return confirm
        _change(request, plan, [user], services.plan_move, user=user, to_table=table)
    return _back(gathering.pk, table=table)


@login_required
@require_POST
def plan_swap(request, gathering_id: int):
    gathering = access.gathering_for_planner(request.user, gathering_id)
    plan = selectors.current_plan(gathering=gathering)
    a, b = _seated(gathering, request.POST.get("a")), _seated(gathering, request.POST.get("b"))
    if plan and a and b:
        seats = selectors.seat_numbers(plan=plan, users=[a, b])
        if a.pk in seats and b.pk in seats:
            confirm = _confirm_change(request, gathering, plan, [(a, seats[b.pk]), (b, seats[a.pk])],
                                      action=reverse("tables:plan_swap", args=[gathering.pk]),
                                      fields=[("a", a.pk), ("b", b.pk)], back=_back(gathering.pk))
            if confirm is not None:
                return confirm
        _change(request, plan, [a, b], services.plan_swap, a=a, b=b)
    return _back(gathering.pk)


@login_required
@require_POST
def plan_pin(request, gathering_id: int):
    gathering = access.gathering_for_planner(request.user, gathering_id)
    plan, user = selectors.current_plan(gathering=gathering), _seated(gathering, request.POST.get("user"))
    if plan and user:
        _attempt(request, services.plan_pin, plan=plan, user=user, pinned=request.POST.get("pinned") == "1")
    return _back(gathering.pk, table=_number(request.POST.get("table")))


@login_required
@require_POST
def plan_reoptimize(request, gathering_id: int):
    gathering = access.gathering_for_planner(request.user, gathering_id)
    plan = selectors.current_plan(gathering=gathering)
    if plan:
        _attempt(request, services.plan_reoptimize, plan=plan)
    return _back(gathering.pk)


@login_required
@require_POST
def plan_publish(request, gathering_id: int):
    gathering = access.gathering_for_planner(request.user, gathering_id)
    plan = selectors.current_plan(gathering=gathering)
    if request.POST.get("confirm") != "1":  # it emails everyone: asked first, on the plan page
        messages.error(request, _("Confirmez la publication : chaque personne recevra sa table par courriel."))
        return _back(gathering.pk)
    audience = selectors.publish_audience(plan=plan) if plan else None
    if plan and audience and _attempt(request, services.plan_publish, plan=plan):
        if audience["republish"]:
            messages.success(request, ngettext(
                "Plan publié de nouveau : %(count)d personne dont la table a changé la reçoit par courriel.",
                "Plan publié de nouveau : %(count)d personnes dont la table a changé la reçoivent par courriel.",
                audience["emailed"]) % {"count": audience["emailed"]})
        else:
            messages.success(request, ngettext("Plan publié : %(count)d personne reçoit sa table par courriel.",
                                               "Plan publié : %(count)d personnes reçoivent leur table par courriel.",
                                               audience["emailed"]) % {"count": audience["emailed"]})
    return _back(gathering.pk)


@login_required
@require_POST
def plan_redo(request, gathering_id: int):
    """Redo a published plan before the gathering: asked first on its own page (what is kept, who
    will get an email), then a draft computed by the worker, to publish again."""
    gathering = access.gathering_for_planner(request.user, gathering_id)
    plan = selectors.current_plan(gathering=gathering)
    if plan is None or plan.status != Plan.Status.PUBLISHED:
        return _back(gathering.pk)
    if request.POST.get("confirm") != "1":
        return render(request, "tables/redo_confirm.html", {
            "gathering": gathering, "plan": plan, "pinned": selectors.pinned_count(plan=plan),
            "per_person": TABLE_EMAILS_PER_PERSON})
    if _attempt(request, services.plan_redo, plan=plan):
        messages.success(request, _("Le plan est en calcul : un brouillon, à publier de nouveau pour que les "
                                    "membres voient leur nouvelle table (d'ici là, ils voient celle qui leur a été "
                                    "annoncée). Personne n'a reçu de courriel."))
    return _back(gathering.pk)


@login_required
@require_POST
def plan_repair(request, gathering_id: int):
    gathering = access.gathering_for_planner(request.user, gathering_id)
    result = _attempt(request, services.plan_repair, gathering=gathering)
    if result is not None:
        _plan, moved = result
        messages.success(request, ngettext("Plan réparé : %(count)d personne déplacée.",
                                           "Plan réparé : %(count)d personnes déplacées.", len(moved))
                         % {"count": len(moved)})
    return _back(gathering.pk)


@login_required
@require_POST
def plan_repair_accept(request, gathering_id: int):
    """Accept the repair that waits because it breaks a rule (never an avoid): its people are seated
    and told their table."""
    gathering = access.gathering_for_planner(request.user, gathering_id)
    plan = selectors.current_plan(gathering=gathering)
    result = _attempt(request, services.plan_repair_accept, plan=plan) if plan else None
    if result is not None:
        _plan, moved = result
        messages.success(request, ngettext("Réparation acceptée : %(count)d personne déplacée.",
                                           "Réparation acceptée : %(count)d personnes déplacées.", len(moved))
                         % {"count": len(moved)})
    return _back(gathering.pk)


def _by_name(user) -> tuple[str, str, str]:
    """Alphabetical as a person reads it: « Bélanger » before « Bergeron » (accents folded)."""
    return fold(user.last_name), fold(user.first_name), user.email


@login_required
def plan_print(request, gathering_id: int):
    """Table cards and the seating list, laid out for paper by the print stylesheet."""
    gathering = access.gathering_for_planner(request.user, gathering_id)
    plan = selectors.current_plan(gathering=gathering)
    context = _plan_context(gathering, plan)
    # A table's card is read by the people of that table; the door list by the whole room, so an
    # organization shows there only with the directory consent (``organization_shown``).
    for table in context["tables"]:
        table.card = [(s.user, organization_shown(s.user, table_mate=True)) for s in table.people]
    context["seating"] = sorted(
        ((s.user, organization_shown(s.user, table_mate=False), t.number) for t in context["tables"] for s in t.people),
        key=lambda row: _by_name(row[0]),
    )
    return render(request, "tables/print.html", context)


@login_required
def my_table(request, gathering_id: int):
    gathering = access.gathering_for_guest(request.user, gathering_id)
    mine = selectors.my_table(gathering=gathering, user=request.user, language=_language())
    awaiting = not mine and selectors.awaiting_seat(gathering=gathering, user=request.user)
    # Tables published, but no confirmed seat: say which (a seat given up, a place in line, none).
    no_seat = None if mine or awaiting else selectors.no_seat_reason(gathering=gathering, user=request.user)
    # After it began, the page tells who was there, in the past tense, and offers no icebreakers.
    past = gathering.starts_at <= timezone.now()
    # No seat yet (tables not published, a late RSVP awaiting its table, a cancelled gathering) is a
    # normal state the page explains: 200. The API keeps its contract (404 until there is a seat).
    return render(request, "tables/my_table.html", {
        "gathering": gathering, "mine": mine, "awaiting": awaiting, "past": past, "no_seat": no_seat,
        "can_book": no_seat in ("cancelled", "none") and gathering.takes_rsvps()})


@login_required
def wishes(request):
    """« Mes souhaits »: the member picks a person by name among those they may name (the
    association's directory, the people they sat with), never by address (``access.wish_target``)."""
    associations = list(members_access.associations_of(request.user).order_by("name"))
    if request.method == "POST":
        association = members_access.association_by_id_for_member(request.user, request.POST.get("association"))
        target = access.wish_target(author=request.user, association=association,
                                    user_id=request.POST.get("person"))
        kind = request.POST.get("kind")
        if target is None:
            messages.error(request, _("Choisissez une personne dans la liste."))
        elif kind not in (Wish.Kind.MEET, Wish.Kind.AVOID):
            messages.error(request, _("Type de souhait inconnu."))
        elif _attempt(request, services.wish_create, author=request.user, association=association, kind=kind,
                      target=target):
            messages.success(request, _("Souhait enregistré. Personne d'autre que vous ne le voit."))
            notice = late_wish_notice(kind, selectors.tables_already_set(user=request.user, association=association))
            if notice:
                messages.info(request, notice)
        return redirect("tables:wishes")
    association = next((a for a in associations if str(a.pk) == request.GET.get("association")),
                       associations[0] if associations else None)
    query = request.GET.get("q", "").strip()[:100]
    candidates = (selectors.wish_candidates(author=request.user, association=association, query=query)
                  if association is not None else [])
    undo = _wish_undo(request)
    return render(request, "tables/wishes.html", {
        "wishes": selectors.wishes_of(author=request.user),
        "undo": undo, "undo_name": _undo_name(undo),
        "associations": associations,
        "association": association,
        "q": query,
        "candidates": candidates,
        "kinds": [(Wish.Kind.MEET, _("J'aimerais rencontrer")), (Wish.Kind.AVOID, _("Je préfère ne pas être à la même table que"))],
    })


def _undo_name(undo: services.DeletedWish | None) -> str:
    if undo is None:
        return ""
    person = User.objects.filter(pk=undo.target_id).first()
    return person.get_full_name() if person else ""


# The author's last deleted wish, kept in their own session for « Annuler » (never anyone else's).
_WISH_UNDO = "tables.wish_undo"


@login_required
@require_POST
def wish_delete(request, wish_id: int):
    """Asked first on the page (``confirm``); then deleted, with « Annuler » for a few minutes."""
    access.wish_for_author(request.user, wish_id)  # someone else's wish: "not found", before anything
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Confirmez la suppression du souhait."))
        return redirect("tables:wishes")
    deleted = services.wish_delete(author=request.user, wish_id=wish_id)
    request.session[_WISH_UNDO] = deleted.as_dict()  # the page says so, with « Annuler la suppression »
    return redirect("tables:wishes")


def _wish_undo(request) -> services.DeletedWish | None:
    deleted = services.DeletedWish.from_dict(request.session.get(_WISH_UNDO))
    if deleted is None or not deleted.undoable():
        request.session.pop(_WISH_UNDO, None)
        return None
    return deleted


@login_required
@require_POST
def wish_restore(request):
    deleted = _wish_undo(request)
    request.session.pop(_WISH_UNDO, None)
    if deleted is None:
        messages.error(request, _("Trop tard pour annuler : la suppression est définitive après %(minutes)s minutes.")
                       % {"minutes": services.WISH_UNDO_MINUTES})
    elif _attempt(request, services.wish_restore, author=request.user, deleted=deleted):
        messages.success(request, _("Le souhait est de retour."))
    return redirect("tables:wishes")
