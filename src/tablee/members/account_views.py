"""« Mon compte »: password, email (confirmed from the new address), email preferences, API tokens,
and deleting the account (Law 25)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tablee.members import invitations
from tablee.members.account_forms import (
    DeleteAccountForm,
    EmailChangeForm,
    NewPasswordForm,
    PasswordChangeForm,
    PreferencesForm,
    TokenCreateForm,
)
from tablee.members.erasure import account_delete
from tablee.members.selectors import api_tokens, organized_names
from tablee.outbox.models import MEMBER_TOPICS, ORGANIZER_TOPICS
from tablee.outbox.services import optout_set, optouts_of


def _topics(user) -> tuple:
    """The topics a person may refuse: an organizer also hears of join requests."""
    return MEMBER_TOPICS + (ORGANIZER_TOPICS if organized_names(user=user) else ())


def _preferences_form(user, data=None) -> PreferencesForm:
    topics = _topics(user)
    if data is not None:
        return PreferencesForm(data, topics=topics)
    refused = optouts_of(address=user.email)
    return PreferencesForm(topics=topics, initial={topic.value: topic.value not in refused for topic in topics})


def _password_form(user, data=None):
    return PasswordChangeForm(user, data) if user.has_usable_password() else NewPasswordForm(user, data)


def _context(request: HttpRequest, **forms) -> dict:
    user = request.user
    return {
        "email_form": forms.get("email_form") or EmailChangeForm(),
        "password_form": forms.get("password_form") or _password_form(user),
        "preferences_form": forms.get("preferences_form") or _preferences_form(user),
        "token_form": forms.get("token_form") or TokenCreateForm(),
        "tokens": api_tokens(user=user),
        "has_password": user.has_usable_password(),
        **_extra_sections(request),
    }


def _extra_sections(request: HttpRequest) -> dict:
    """Sections higher rooms add to the page (the calendar feed), through the account registry."""
    from tablee.members.hooks import account_sections

    return {"sections": [section(request) for section in account_sections]}


_NEW_TOKEN = "tablee_new_token"


@login_required
def account(request: HttpRequest) -> HttpResponse:
    new = request.session.pop(_NEW_TOKEN, None)
    extra = {"new_token": new["raw"], "new_token_label": new["label"]} if new else {}
    response = render(request, "members/account.html", {**_context(request), **extra})
    if new:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = _preferences_form(user, request.POST)
        if form.is_valid():
            for topic in _topics(user):
                optout_set(address=user.email, topic=topic, refuse=not form.cleaned_data[topic.value])
            messages.success(request, _("Vos préférences de courriel sont enregistrées."))
            return redirect("members:account")
        return render(request, "members/account.html", _context(request, preferences_form=form))
    return render(request, "members/preferences.html",
                  {"preferences_form": _preferences_form(user)})


@login_required
@require_POST
def email_change(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST)
    if form.is_valid():
        try:
            invitations.email_change_request(user=request.user, new_email=form.cleaned_data["email"])
        except ValidationError as exc:
            form.add_error("email", exc.message_dict.get("email", exc.messages))
        else:
            messages.success(request, _("Un lien de confirmation a été envoyé à %(email)s. Votre courriel changera quand vous l'ouvrirez.")
                             % {"email": form.cleaned_data["email"]})
            return redirect("members:account")
    return render(request, "members/account.html", _context(request, email_form=form))


@login_required
@require_POST
def password_change(request: HttpRequest) -> HttpResponse:
    form = _password_form(request.user, request.POST)
    if form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)  # the address is told (``passwords.PasswordChangeHooks``)
        messages.success(request, _("Votre mot de passe est changé."))
        return redirect("members:account")
    return render(request, "members/account.html", _context(request, password_form=form))


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """A new token, kept in the session only until the next page shows it once."""
    from tablee.members.services import TOKENS_PER_PERSON
    from tablee.members.services import token_create as create

    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            raw = create(user=request.user, label=form.cleaned_data["label"], limit=TOKENS_PER_PERSON)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            # Shown once, on the page the redirect lands on: a refresh then creates nothing more.
            request.session[_NEW_TOKEN] = {"raw": raw, "label": form.cleaned_data["label"]}
            return redirect(reverse("members:account") + "#jetons")
    return render(request, "members/account.html", _context(request, token_form=form), status=422)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    from tablee.members.services import api_token_revoke

    if request.POST.get("confirm") != "1":  # asked first on the page
        messages.error(request, _("Confirmez la révocation du jeton."))
        return redirect(reverse("members:account") + "#jetons")
    if api_token_revoke(user=request.user, token_id=token_id):
        messages.success(request, _("Le jeton est révoqué."))
    return redirect("members:account")


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = DeleteAccountForm(request.POST, user=user)
        if form.is_valid():
            account_delete(user=user)
            logout(request)
            messages.success(request, _("Votre compte est supprimé. Un courriel vous le confirme."))
            return redirect("home")
    else:
        form = DeleteAccountForm(user=user)
    return render(request, "members/delete.html", {"form": form})
