"""The way in: one-time links (invitation, sign-in, activation, email change) and the first visit.

GET on a link only shows one « Continuer » button: mail scanners that pre-open links never use it.
POST uses it (once) and signs the person in.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tablee.members import invitations
from tablee.members.languages import language_names
from tablee.members.models import LoginLink, Profile
from tablee.members.onboarding_forms import SignInLinkForm, WelcomeForm
from tablee.members.selectors import in_directory
from tablee.members.services import first_visit_complete

_BACKEND = "tablee.members.backends.ModelBackend"  # the backend settings install (issue 13)


def _gone(request: HttpRequest, token: str) -> HttpResponse:
    """A link that no longer works. An invitation already accepted says so, and where to go: the
    signed-in person's gatherings, or the sign-in page."""
    found = invitations.link_found(raw=token)
    if found is not None and found.purpose == LoginLink.Purpose.INVITATION and found.used_at is not None:
        return render(request, "members/invitation_accepted.html",
                      {"link": found, "mine": request.user.is_authenticated and request.user.pk == found.user_id},
                      status=410)
    return render(request, "members/link_invalid.html", status=410)


def _next_path(request: HttpRequest) -> str:
    """Where the person was going before a sign-in by link (``?next=``): a path of this site, else ""."""
    path = request.POST.get("next") or request.GET.get("next") or ""
    if path and path.startswith("/") and url_has_allowed_host_and_scheme(
            path, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return path
    return ""


def _speak_the_owners_language(request: HttpRequest, link: LoginLink) -> None:
    """Signed out, the page speaks the language of the person the link was sent to (their email did),
    unless this browser chose one; signed in, the session's own language stands."""
    if request.user.is_authenticated or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return
    language = invitations.language_of(link.user)
    if language and translation.check_for_language(language):
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, token: str) -> HttpResponse:
    signed_in = request.user if request.user.is_authenticated else None
    if request.method == "GET" or (signed_in is not None and request.POST.get("switch") != "1"):
        found = invitations.link_valid(raw=token)
        if found is None:
            return _gone(request, token)
        _speak_the_owners_language(request, found)
        someone_else = signed_in is not None and signed_in.pk != found.user_id
        if request.method == "GET" or someone_else:
            # Signed in as someone else, a link never switches accounts unless the page said so
            # and the person chose it (``switch``): a forwarded email or a shared tablet.
            return render(request, "members/link.html", {
                "link": found, "signed_in": signed_in, "someone_else": someone_else,
                "next": _next_path(request),
            })
    next_path = _next_path(request)
    try:
        used = invitations.link_consume(raw=token)
    except ValidationError as exc:
        return render(request, "members/link_invalid.html", {"errors": exc.messages}, status=409)
    if used is None:
        return _gone(request, token)
    login(request, used.user, backend=_BACKEND)
    if used.purpose == LoginLink.Purpose.EMAIL_CHANGE:
        messages.success(request, _("Votre courriel est maintenant %(email)s.") % {"email": used.user.email})
        return redirect("members:account")
    if used.purpose == LoginLink.Purpose.EMAIL_REVERT:
        messages.success(request, _("Votre compte utilise de nouveau %(email)s. Les autres sessions sont fermées et "
                                    "les jetons d'API révoqués : choisissez maintenant un nouveau mot de passe.")
                         % {"email": used.user.email})
        return redirect(reverse("members:account") + "#mot-de-passe")
    profile = Profile.objects.filter(user=used.user).first()
    if profile is None or profile.first_visit_at is None:
        welcome = reverse("members:welcome")
        return redirect(f"{welcome}?{urlencode({'next': next_path})}" if next_path else welcome)
    return redirect(next_path or settings.LOGIN_REDIRECT_URL)


@login_required
@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest) -> HttpResponse:
    user = request.user
    profile, _created = Profile.objects.get_or_create(user=user)
    if request.method == "POST":
        form = WelcomeForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                first_visit_complete(
                    user=user, first_name=data["first_name"], last_name=data["last_name"],
                    languages=data["languages"], preferred_language=data["preferred_language"],
                    directory_consent=data["directory_consent"], tablemates_consent=data["tablemates_consent"],
                    password=data.get("password1") or "",
                )
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                if data.get("password1"):
                    from django.contrib.auth import update_session_auth_hash

                    update_session_auth_hash(request, user)
                messages.success(request, _("Bienvenue! Votre profil est prêt."))
                profile.refresh_from_db(fields=["offers", "needs"])
                if not profile.offers and not profile.needs:
                    # What the table planner reads first: asked for here, never required.
                    messages.info(request, format_html(
                        '{} <a href="{}#a-la-table">{}</a>',
                        _("Quand vous aurez un moment : dites ce que vous offrez et ce que vous cherchez. "
                          "C'est ce qui place à votre table les personnes que vous pouvez aider, et celles "
                          "qui peuvent vous aider."),
                        reverse("profile"), _("Compléter mon profil")))
                return redirect(_next_path(request) or settings.LOGIN_REDIRECT_URL)
    else:
        # What the association's file said, to confirm: the languages by their names. The two
        # consents as they stand on file (given on the profile page or by the API before a link
        # brought the person here): ticked, with their date, so sending the page unchanged never
        # withdraws them; what is sent is what counts.
        form = WelcomeForm(user=user, initial={
            "first_name": user.first_name, "last_name": user.last_name,
            "languages": language_names(profile.languages), "preferred_language": profile.preferred_language,
            "directory_consent": in_directory(profile),
            "tablemates_consent": profile.tablemates_consent_at is not None,
        })
        if profile.languages:  # not the person's own choice yet: say where it comes from
            form.fields["languages"].help_text = _("Selon votre association : corrigez-les au besoin, "
                                                   "séparées par des virgules.")
    return render(request, "members/welcome.html", {"form": form, "profile": profile,
                                                    "in_directory": in_directory(profile)})


@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest) -> HttpResponse:
    """« Recevoir un lien de connexion »: the same answer whether or not the address has an account."""
    next_path = _next_path(request)
    if request.method == "POST":
        form = SignInLinkForm(request.POST)
        if form.is_valid():
            invitations.sign_in_link_send(email=form.cleaned_data["email"], next_path=next_path)
            return render(request, "members/sign_in_link_sent.html", {"email": form.cleaned_data["email"]})
    else:
        form = SignInLinkForm()
    return render(request, "members/sign_in_link.html", {"form": form, "next": next_path})
