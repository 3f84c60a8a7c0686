"""Organizer pages: gatherings of an association, create/edit, series, attendees, CSV, check-in."""

from __future__ import annotations

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
from tablee.gatherings.forms import GatheringForm, SeriesForm, WalkinForm
from tablee.gatherings.models import Rsvp
from tablee.gatherings.services import (
    RsvpError,
    checkin_mark,
    gathering_create,
    gathering_update,
    series_create,
    walkin_add,
)
from tablee.members.access import association_for_organizer
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
        },
    )


@login_required
def gathering_new(request: HttpRequest, slug: str) -> HttpResponse:
    org = association_for_organizer(request.user, slug)
    form = GatheringForm(request.POST or None)
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
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            if changed:
                gathering_update(gathering=gathering, **changed)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("La rencontre est mise à jour."))
            return redirect("gatherings:detail", gathering.pk)
    return render(
        request,
        "gatherings/organizer/gathering_form.html",
        {"association": gathering.association, "form": form, "gathering": gathering},
    )


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
                ngettext("La série est créée avec %(count)d rencontre.",
                         "La série est créée avec %(count)d rencontres.", len(gatherings))
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


def _checkin_context(gathering, query: str = "") -> dict:
    return {
        "gathering": gathering,
        "people": selectors.checkin_people(gathering=gathering, query=query),
        "query": query,
        "tally": selectors.checkin_counts(gathering=gathering),
    }


@login_required
@require_GET
def checkin(request: HttpRequest, gathering_id: int) -> HttpResponse:
    gathering = gathering_for_organizer(request.user, gathering_id)
    context = _checkin_context(gathering, request.GET.get("q", "").strip())
    if request.htmx:
        return render(request, "gatherings/organizer/_checkin_list.html", context)
    context["walkin_form"] = WalkinForm()
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
        {"gathering": gathering, "rsvp": rsvp, "error": error, "tally": selectors.checkin_counts(gathering=gathering),
         "oob": True},
    )


@login_required
@require_POST
def walkin(request: HttpRequest, gathering_id: int) -> HttpResponse:
    gathering = gathering_for_organizer(request.user, gathering_id)
    form = WalkinForm(request.POST)
    status, error = "", ""
    if form.is_valid():
        person = selectors.member_by_email(association=gathering.association, email=form.cleaned_data["email"])
        if person is None:
            error = _("Aucun membre de l'association n'a ce courriel.")
        else:
            walkin_add(gathering=gathering, user=person)
            status = _("%(name)s est ajouté·e et marqué·e présent·e.") % {"name": person.get_full_name() or person.email}
            form = WalkinForm()
    else:
        error = _("Entrez un courriel valide.")
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, status)
        return redirect("organizer:checkin", gathering.pk)
    context = _checkin_context(gathering)
    context.update({"walkin_form": form, "walkin_status": status, "walkin_error": error})
    return render(request, "gatherings/organizer/_walkin_result.html", context)
