"""Organizer pages: gatherings of an association, create/edit, series, attendees, CSV, check-in."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from tablee.errors import add_service_errors
from tablee.gatherings import selectors
from tablee.gatherings.access import gathering_for_organizer
from tablee.gatherings.exports import attendees_csv_response
from tablee.gatherings.forms import GatheringForm, GuestForm, SeriesForm, WalkinForm
from tablee.gatherings.hooks import seat_at_the_door, table_numbers
from tablee.gatherings.models import Gathering, Rsvp
from tablee.gatherings.services import (
    RsvpError,
    checkin_mark,
    gathering_create,
    gathering_update,
    series_create,
    walkin_add,
    walkin_guest_add,
)
from tablee.members.access import association_for_organizer
from tablee.members.selectors import join_requests_pending
from tablee.pagination import page_params, page_url, window


@login_required
@require_GET
def association(request: HttpRequest, slug: str) -> HttpResponse:
    org = association_for_organizer(request.user, slug)
    gatherings = selectors.gatherings_of_association(association=org, user=request.user)
    now = timezone.now()
    return render(
        request,
        "gatherings/organizer/association.html",
        {
            "association": org,
            "upcoming": [g for g in gatherings if g.starts_at >= now],
            "past": [g for g in gatherings if g.starts_at < now][::-1],
            "join_requests": join_requests_pending(association=org).count(),
        },
    )


@login_required
def gathering_new(request: HttpRequest, slug: str) -> HttpResponse:
    org = association_for_organizer(request.user, slug)
    form = GatheringForm(request.POST or None, new=True)
    if request.method == "POST" and form.is_valid():
        try:
            gathering = gathering_create(association=org, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("La rencontre est créée."))
            return redirect("gatherings:detail", gathering.pk)
    return render(request, "gatherings/organizer/gathering_form.html", {"association": org, "form": form})


@login_required
def gathering_edit(request: HttpRequest, gathering_id: int) -> HttpResponse:
    gathering = gathering_for_organizer(request.user, gathering_id)
    initial = {name: getattr(gathering, name) for name in GatheringForm.base_fields}
    for name in ("starts_at", "rsvp_deadline"):
        if initial[name] is not None:
            initial[name] = timezone.localtime(initial[name])
    form = GatheringForm(request.POST or None, initial=initial)
    context = {"association": gathering.association, "form": form, "gathering": gathering}
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        notice = selectors.change_notice(gathering=gathering, changes=changed)
        # A change that emails people is confirmed first, on a step that says who gets what; « back »
        # shows the form again with what was typed, nothing saved.
        if request.POST.get("back") == "1":
            return render(request, "gatherings/organizer/gathering_form.html", context)
        if notice is not None and request.POST.get("confirm") != notice:
            recipients = selectors.notice_recipients(gathering=gathering)
            if recipients or notice == selectors.NOTICE_CANCELLED:  # a cancellation is asked even unheard
                context.update(notice=notice, recipients=recipients, changes=_change_lines(form, changed))
                return render(request, "gatherings/organizer/gathering_confirm.html", context)
        try:
            if changed:
                result = gathering_update(gathering=gathering, **changed)
                _say_notified(request, result.notice, result.notified)
            else:
                messages.success(request, _("La rencontre est mise à jour."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("gatherings:detail", gathering.pk)
    return render(request, "gatherings/organizer/gathering_form.html", context)


def _change_lines(form: GatheringForm, changed: dict) -> list[dict]:
    """The fields the organizer changed, with their label and new value as the form shows them."""
    lines = []
    for name in changed:
        field = form[name]
        value = changed[name]
        if name == "state":
            value = dict(Gathering.State.choices).get(value, value)
        lines.append({"label": field.label, "value": value, "is_time": isinstance(value, datetime)})
    return lines


def _say_notified(request: HttpRequest, notice: str | None, notified: int) -> None:
    if notice == selectors.NOTICE_CANCELLED:
        messages.success(request, ngettext(
            "La rencontre est annulée. %(count)d personne reçoit l'annulation par courriel.",
            "La rencontre est annulée. %(count)d personnes reçoivent l'annulation par courriel.",
            notified) % {"count": notified})
    elif notice == selectors.NOTICE_CHANGED:
        messages.success(request, ngettext(
            "La rencontre est mise à jour. %(count)d personne reçoit le changement par courriel.",
            "La rencontre est mise à jour. %(count)d personnes reçoivent le changement par courriel.",
            notified) % {"count": notified})
    else:
        messages.success(request, _("La rencontre est mise à jour."))


@login_required
def series_new(request: HttpRequest, slug: str) -> HttpResponse:
    org = association_for_organizer(request.user, slug)
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _series, gatherings = series_create(association=org, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext("La série est créée avec %(count)d rencontre.",
                         "La série est créée avec %(count)d rencontres.", len(gatherings))
                % {"count": len(gatherings)},
            )
            return redirect("organizer:association", org.slug)
    return render(request, "gatherings/organizer/series_form.html", {"association": org, "form": form})


@login_required
@require_GET
def attendees(request: HttpRequest, gathering_id: int) -> HttpResponse:
    """Confirmed people, then the waiting list, a page at a time (a gala seats hundreds)."""
    gathering = gathering_for_organizer(request.user, gathering_id)
    limit, offset = page_params(request)
    page = window(selectors.attendees(gathering=gathering), limit=limit, offset=offset)
    return render(
        request,
        "gatherings/organizer/attendees.html",
        {
            "gathering": gathering,
            "confirmed": [r for r in page.items if r.status == Rsvp.Status.CONFIRMED],
            "waiting": [r for r in page.items if r.status == Rsvp.Status.WAITLISTED],
            "counts": selectors.gathering_counts(gathering=gathering),
            "page": page,
            "previous_url": page_url(request, page.previous_offset),
            "next_url": page_url(request, page.next_offset),
        },
    )


@login_required
@require_GET
def attendees_csv(request: HttpRequest, gathering_id: int) -> HttpResponse:
    gathering = gathering_for_organizer(request.user, gathering_id)
    return attendees_csv_response(gathering=gathering)


def _with_tables(gathering, rsvps):
    """Each check-in row carries the person's table number once the plan is published, or says
    plainly that they have none yet (a walk-in, a late RSVP: the next repair seats them)."""
    numbers = table_numbers(gathering=gathering)
    for rsvp in rsvps:
        rsvp.table_number = numbers.get(rsvp.user_id)
        rsvp.no_table = bool(numbers) and rsvp.table_number is None
    return rsvps


def _checkin_context(gathering, query: str = "", member_query: str = "") -> dict:
    return {
        "gathering": gathering,
        "people": _with_tables(gathering, selectors.checkin_people(gathering=gathering, query=query)),
        "query": query,
        "tally": selectors.checkin_counts(gathering=gathering),
        "member_query": member_query,
        "candidates": selectors.walkin_candidates(gathering=gathering, query=member_query),
    }


def _midnight_ending(moment: datetime) -> date | None:
    """The day that ``moment`` ends when it is a local midnight (the door closes at the end of the
    gathering's day: « mardi 6 octobre à minuit », never « mercredi 7 octobre · 0 h »); else None."""
    local = timezone.localtime(moment)
    return (local - timedelta(days=1)).date() if local.time() == time.min else None


@login_required
@require_GET
def checkin(request: HttpRequest, gathering_id: int) -> HttpResponse:
    """The door: the confirmed people (``q`` narrows them down) and, to let someone in, the
    association's members found by name (``member_q``). With htmx, only the list that changed."""
    gathering = gathering_for_organizer(request.user, gathering_id)
    door = selectors.checkin_state(gathering=gathering)
    if door != "open":
        # Weeks ahead (or once the day is over) the page says when the door opens, with no button.
        opens, closes = selectors.checkin_window(gathering=gathering)
        context = {"gathering": gathering, "door": door, "opens": opens, "closes": closes,
                   "closes_at_midnight_of": _midnight_ending(closes),
                   "tally": selectors.checkin_counts(gathering=gathering)}
        response = render(request, "gatherings/organizer/checkin.html", context)
        if request.htmx:  # a search typed on a page left open past the day: show the whole page again
            response["HX-Refresh"] = "true"
        return response
    member_query = request.GET.get("member_q", "").strip()
    context = _checkin_context(gathering, request.GET.get("q", "").strip(), member_query)
    context["door"] = door
    if request.htmx:
        if "member_q" in request.GET:
            return render(request, "gatherings/organizer/_walkin_candidates.html", context)
        return render(request, "gatherings/organizer/_checkin_list.html", context)
    context["walkin_form"] = WalkinForm()
    context["guest_form"] = GuestForm()
    return render(request, "gatherings/organizer/checkin.html", context)


@login_required
@require_POST
def checkin_person(request: HttpRequest, gathering_id: int, user_id: int) -> HttpResponse:
    gathering = gathering_for_organizer(request.user, gathering_id)
    rsvp = get_object_or_404(Rsvp.objects.select_related("user", "user__profile"),
                             gathering=gathering, user_id=user_id)
    present = request.POST.get("present") == "1"
    error = ""
    try:
        rsvp = checkin_mark(gathering=gathering, user=rsvp.user, present=present)
    except RsvpError as exc:
        error = exc.message
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("organizer:checkin", gathering.pk)
    return render(
        request,
        "gatherings/organizer/_checkin_row.html",
        {"gathering": gathering, "rsvp": _with_tables(gathering, [rsvp])[0], "error": error,
         "tally": selectors.checkin_counts(gathering=gathering), "oob": True},
    )


def _seat_now(gathering, user_id: int) -> str:
    """Once the plan is published, a walk-in sits down at once (the tables room's repair): their
    table, or why they have none yet."""
    problem = seat_at_the_door(gathering=gathering)
    if problem is None:
        return ""
    number = table_numbers(gathering=gathering).get(user_id)
    if number is not None:
        return _("Sa place : table %(number)s.") % {"number": number}
    return problem


@login_required
@require_POST
def checkin_seat(request: HttpRequest, gathering_id: int) -> HttpResponse:
    """« Trouver une place »: seat the people present without a table now (after a no-show was marked,
    say), moving as few people as possible."""
    gathering = gathering_for_organizer(request.user, gathering_id)
    problem = seat_at_the_door(gathering=gathering)
    error = problem or ""
    status = _("Chaque personne présente a une place.") if problem == "" else ""
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif status:
            messages.success(request, status)
        return redirect("organizer:checkin", gathering.pk)
    context = _checkin_context(gathering)
    context.update({"walkin_form": WalkinForm(), "guest_form": GuestForm(), "walkin_status": status,
                    "walkin_error": error})
    return render(request, "gatherings/organizer/_walkin_result.html", context)


@login_required
@require_POST
def walkin(request: HttpRequest, gathering_id: int) -> HttpResponse:
    """Let someone in: a member picked from the name search (``user``), a member by email, or a
    guest with a name only (``first_name``, ``last_name``)."""
    gathering = gathering_for_organizer(request.user, gathering_id)
    form, guest_form = WalkinForm(), GuestForm()
    person, error = None, ""
    try:
        if "user" in request.POST:
            person = selectors.member_by_id(association=gathering.association, user_id=request.POST.get("user"))
            if person is None:
                error = _("Cette personne n'est pas membre de l'association.")
            else:
                walkin_add(gathering=gathering, user=person)
        elif "first_name" in request.POST:
            guest_form = GuestForm(request.POST)
            if guest_form.is_valid():
                person = walkin_guest_add(gathering=gathering, **guest_form.cleaned_data).user
                guest_form = GuestForm()
            else:
                error = _("Entrez au moins un prénom.")
        else:
            form = WalkinForm(request.POST)
            if not form.is_valid():
                error = _("Entrez un courriel valide.")
            else:
                person = selectors.member_by_email(association=gathering.association,
                                                   email=form.cleaned_data["email"])
                if person is None:
                    error = _("Aucun membre de l'association n'a ce courriel.")
                else:
                    walkin_add(gathering=gathering, user=person)
                    form = WalkinForm()
    except RsvpError as exc:  # the door is not open (a page left open since the day before)
        person, error = None, exc.message
    status = "" if person is None else (
        _("%(name)s est sur la liste, et sa présence est notée.") % {"name": person.get_full_name() or person.email})
    if person is not None:
        status = " ".join(filter(None, [status, _seat_now(gathering, person.pk)]))
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, status)
        return redirect("organizer:checkin", gathering.pk)
    context = _checkin_context(gathering)
    context.update({"walkin_form": form, "guest_form": guest_form, "walkin_status": status, "walkin_error": error})
    return render(request, "gatherings/organizer/_walkin_result.html", context)
