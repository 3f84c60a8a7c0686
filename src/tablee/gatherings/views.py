"""Member pages for gatherings: my gatherings, one gathering (RSVP with HTMX), its calendar file.

Views stay thin: ``tablee.gatherings.access`` decides who sees what, services write.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tablee.gatherings import hooks, selectors
from tablee.gatherings.access import gathering_for_member
from tablee.gatherings.calendar import member_calendar_download
from tablee.gatherings.models import Gathering, Rsvp
from tablee.gatherings.services import RsvpError, rsvp_cancel, rsvp_create
from tablee.members.access import is_organizer


@login_required
@require_GET
def my_gatherings(request: HttpRequest) -> HttpResponse:
    upcoming, past = selectors.my_gatherings(user=request.user)
    now = timezone.now()
    for gathering in upcoming:
        gathering.seats_left = max(gathering.capacity - gathering.confirmed_count, 0)
        # Closed by the organizer or past its deadline: no seat to take, whatever is free.
        gathering.rsvps_closed = gathering.state == Gathering.State.CLOSED or (
            gathering.rsvp_deadline is not None and gathering.rsvp_deadline <= now)
    # « À faire »: gatherings I attended in the last week, to conclude (keep my cards, write).
    # Attended: a confirmed seat, not marked absent (``my_present`` comes with the list, no query).
    recent = timezone.now() - timedelta(days=7)
    # A cancelled gathering took place for no one: nothing to conclude.
    to_conclude = [g for g in past if g.my_status == Rsvp.Status.CONFIRMED and g.my_present is not False
                   and g.starts_at >= recent and g.state != Gathering.State.CANCELLED]
    # The rooms above add what is due whatever the date (my follow-ups due or late).
    return render(request, "gatherings/mine.html", {"upcoming": upcoming, "past": past, "to_conclude": to_conclude,
                                                    "todo_links": hooks.todo_links(user=request.user)})


def _rsvp_context(request: HttpRequest, gathering: Gathering, *, error: str = "") -> dict:
    rsvp = selectors.my_rsvp(gathering=gathering, user=request.user)
    now = timezone.now()
    cancelled = gathering.state == Gathering.State.CANCELLED
    can_rsvp = gathering.takes_rsvps(now=now)
    return {
        "gathering": gathering,
        "rsvp": rsvp if rsvp is not None and rsvp.status != Rsvp.Status.CANCELLED else None,
        "position": selectors.waitlist_position(rsvp=rsvp),
        "counts": selectors.gathering_counts(gathering=gathering),
        "can_rsvp": can_rsvp,
        # A cancelled gathering holds no seat: nothing to give up, no table, no intention to write.
        "can_cancel": gathering.starts_at > now and gathering.state != Gathering.State.DONE and not cancelled,
        "cancelled": cancelled,
        "error": error,
    }


@login_required
@require_GET
def gathering_detail(request: HttpRequest, gathering_id: int) -> HttpResponse:
    gathering = gathering_for_member(request.user, gathering_id)
    context = _rsvp_context(request, gathering)
    context["confirm_cancel"] = request.GET.get("annuler") == "1"
    context["is_organizer"] = is_organizer(request.user, gathering.association_id)
    # The page is the hub, and it changes with time: before, my RSVP, intention and « Ma tablée »;
    # after, « Garder mes cartes » first, then my reflection and « poursuivre la conversation ».
    context["past"] = gathering.ends_at <= timezone.now() or gathering.state == Gathering.State.DONE
    context["attended"] = not context["cancelled"] and Rsvp.objects.filter(gathering_id=gathering.pk, user_id=request.user.pk,
                                              status=Rsvp.Status.CONFIRMED).exclude(present=False).exists()
    context["after_links"] = (hooks.hub_after_links(gathering=gathering, user=request.user)
                              if context["past"] and context["attended"] else [])
    return render(request, "gatherings/detail.html", context)


def _rsvp_response(request: HttpRequest, gathering: Gathering, *, done: str, error: str = "") -> HttpResponse:
    """The RSVP box alone for HTMX (swapped in place), else back to the page with a message."""
    if request.htmx:
        context = _rsvp_context(request, gathering, error=error)
        context["swapped"] = True
        context["done"] = "" if error else done
        return render(request, "gatherings/_rsvp.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("gatherings:detail", gathering.pk)


@login_required
@require_POST
def rsvp(request: HttpRequest, gathering_id: int) -> HttpResponse:
    gathering = gathering_for_member(request.user, gathering_id)
    try:
        result = rsvp_create(gathering=gathering, user=request.user)
    except RsvpError as exc:
        return _rsvp_response(request, gathering, done="", error=exc.message)
    if result.status == Rsvp.Status.CONFIRMED:
        done = _("C'est noté : votre place est réservée.")
    else:
        done = _("La rencontre est complète : vous êtes sur la liste d'attente.")
    return _rsvp_response(request, gathering, done=done)


@login_required
@require_POST
def rsvp_cancel_view(request: HttpRequest, gathering_id: int) -> HttpResponse:
    """Give up a seat or a place in line, once confirmed (``confirm=1``); without it, ask."""
    gathering = gathering_for_member(request.user, gathering_id)
    if request.POST.get("confirm") != "1":
        if request.htmx:
            context = _rsvp_context(request, gathering)
            context.update(swapped=True, confirm_cancel=True)
            return render(request, "gatherings/_rsvp.html", context)
        messages.warning(request, _("Confirmez l'annulation ci-dessous."))
        return redirect(reverse("gatherings:detail", args=[gathering.pk]) + "?annuler=1#rsvp-box")
    try:
        rsvp_cancel(gathering=gathering, user=request.user)
    except RsvpError as exc:
        return _rsvp_response(request, gathering, done="", error=exc.message)
    return _rsvp_response(request, gathering, done=_("C'est annulé. Merci de libérer la place!"))


@login_required
@require_GET
def gathering_calendar(request: HttpRequest, gathering_id: int) -> HttpResponse:
    gathering = gathering_for_member(request.user, gathering_id)
    response = HttpResponse(member_calendar_download(gathering=gathering, user=request.user),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tablee-{gathering.pk}.ics"'
    return response
