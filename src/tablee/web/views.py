"""Member pages: home, my gatherings, one gathering (RSVP with HTMX), calendar file, my profile.

Views stay thin: ``tablee.members.permissions`` decides who sees what, services write.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tablee.gatherings import selectors
from tablee.gatherings.calendar import member_calendar_ics
from tablee.gatherings.models import Gathering, Rsvp
from tablee.gatherings.services import RsvpError, rsvp_cancel, rsvp_create
from tablee.members.models import Profile
from tablee.members.permissions import gathering_for_member, is_organizer
from tablee.members.services import profile_update
from tablee.web.forms import ProfileForm, add_service_errors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@login_required
@require_GET
def my_gatherings(request: HttpRequest) -> HttpResponse:
    upcoming = list(selectors.gatherings_upcoming_for(user=request.user))
    for gathering in upcoming:
        gathering.seats_left = max(gathering.capacity - gathering.confirmed_count, 0)
    return render(
        request,
        "web/gatherings/mine.html",
        {"upcoming": upcoming, "past": selectors.gatherings_past_for(user=request.user)[:20]},
    )


def _rsvp_context(request: HttpRequest, gathering: Gathering, *, error: str = "") -> dict:
    rsvp = selectors.my_rsvp(gathering=gathering, user=request.user)
    now = timezone.now()
    can_rsvp = (
        gathering.state == Gathering.State.OPEN
        and gathering.starts_at > now
        and (gathering.rsvp_deadline is None or gathering.rsvp_deadline > now)
    )
    return {
        "gathering": gathering,
        "rsvp": rsvp if rsvp is not None and rsvp.status != Rsvp.Status.CANCELLED else None,
        "position": selectors.waitlist_position(rsvp=rsvp),
        "counts": selectors.gathering_counts(gathering=gathering),
        "can_rsvp": can_rsvp,
        "can_cancel": gathering.starts_at > now and gathering.state != Gathering.State.DONE,
        "error": error,
    }


@login_required
@require_GET
def gathering_detail(request: HttpRequest, gathering_id: int) -> HttpResponse:
    gathering = gathering_for_member(request.user, gathering_id)
    context = _rsvp_context(request, gathering)
    context["is_organizer"] = is_organizer(request.user, gathering.association_id)
    return render(request, "web/gatherings/detail.html", context)


def _rsvp_response(request: HttpRequest, gathering: Gathering, *, done: str, error: str = "") -> HttpResponse:
    """The RSVP box alone for HTMX (swapped in place), else back to the page with a message."""
    if request.htmx:
        context = _rsvp_context(request, gathering, error=error)
        context["swapped"] = True
        context["done"] = "" if error else done
        return render(request, "web/gatherings/_rsvp.html", context)
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
        done = _("C'est noté : votre place est réservée.")
    else:
        done = _("La rencontre est complète : vous êtes sur la liste d'attente.")
    return _rsvp_response(request, gathering, done=done)


@login_required
@require_POST
def rsvp_cancel_view(request: HttpRequest, gathering_id: int) -> HttpResponse:
    gathering = gathering_for_member(request.user, gathering_id)
    try:
        rsvp_cancel(gathering=gathering, user=request.user)
    except RsvpError as exc:
        return _rsvp_response(request, gathering, done="", error=exc.message)
    return _rsvp_response(request, gathering, done=_("C'est annulé. Merci de libérer la place!"))


@login_required
@require_GET
def gathering_calendar(request: HttpRequest, gathering_id: int) -> HttpResponse:
    gathering = gathering_for_member(request.user, gathering_id)
    response = HttpResponse(member_calendar_ics(gathering=gathering, user=request.user),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tablee-{gathering.pk}.ics"'
    return response


def _language_names(codes: list[str]) -> str:
    """Spoken languages shown in the reader's language ("fr" → « français »); unknown codes as is."""
    names = []
    for code in codes:
        try:
            names.append(translation.get_language_info(code)["name_translated"].lower())
        except KeyError:
            names.append(code)
    return ", ".join(names)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    current, _created = Profile.objects.get_or_create(user=user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            fields = dict(form.cleaned_data)
            consent = fields.pop("directory_consent")
            if not consent and current.directory_consent_at is None:
                consent = None  # never given: nothing to withdraw, the service asks for the box
            try:
                profile_update(user=user, directory_consent=consent, **fields)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                language = fields["preferred_language"]
                translation.activate(language)
                messages.success(request, _("Votre profil est enregistré."))
                response = redirect("profile")
                # The language chosen here is the one to use from now on, even over an earlier switch.
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600,
                                    samesite="Lax")
                return response
    else:
        form = ProfileForm(
            initial={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "organization": current.organization,
                "sector": current.sector,
                "languages": _language_names(current.languages),
                "offers": current.offers,
                "needs": current.needs,
                "interests": current.interests,
                "bio": current.bio,
                "preferred_language": current.preferred_language,
                "directory_visibility": current.directory_visibility,
                "directory_consent": current.directory_consent_at is not None,
                "tablemates_consent": current.tablemates_consent_at is not None,
            }
        )
    return render(request, "web/profile.html", {"form": form, "profile": current})
