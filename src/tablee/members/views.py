"""Member pages for the person: my profile (directory consent, languages, what I offer and seek)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from tablee.errors import add_service_errors
from tablee.members.forms import ProfileForm
from tablee.members.languages import language_names
from tablee.members.models import Profile
from tablee.members.services import profile_update


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    current, _created = Profile.objects.get_or_create(user=user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            fields = dict(form.cleaned_data)
            # One box for the directory: it sets who sees me there and gives or withdraws the consent.
            consent = fields.pop("directory_consent")
            fields["directory_visibility"] = Profile.Visibility.MEMBERS if consent else Profile.Visibility.NOBODY
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
                "languages": language_names(current.languages),
                "offers": current.offers,
                "needs": current.needs,
                "interests": current.interests,
                "bio": current.bio,
                "preferred_language": current.preferred_language,
                "directory_consent": (current.directory_visibility == Profile.Visibility.MEMBERS
                                      and current.directory_consent_at is not None),
                "tablemates_consent": current.tablemates_consent_at is not None,
            }
        )
    return render(request, "members/profile.html", {"form": form, "profile": current})
