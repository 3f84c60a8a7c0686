"""The shared frame's own pages: home and the language switch. Every other page lives in the room
it serves."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import i18n
from django.views.decorators.http import require_POST

from tablee.members.services import profile_language_set

# Associations listed on the signed-out home page; more are reached by their own page's address.
HOME_ASSOCIATIONS = 30


def home(request: HttpRequest) -> HttpResponse:
    from tablee.members.selectors import associations_open_to_requests

    open_ones = [] if request.user.is_authenticated else list(associations_open_to_requests()[:HOME_ASSOCIATIONS])
    return render(request, "web/home.html", {"open_associations": open_ones})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's switch (the cookie, back to ``next``); for a signed-in person the choice is also
    stored on their account, so the emails they receive follow it (they are written in the
    worker, where there is no cookie)."""
    response = i18n.set_language(request)
    chosen = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen is not None and request.user.is_authenticated:
        profile_language_set(user=request.user, language=chosen.value)
    return response
