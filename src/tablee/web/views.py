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


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a form older than the session it was posted in (sign-in in another tab,
    a page left open overnight). The site's frame, a plain sentence and a way back; still 403.

    The way back is the page the form came from when it is on this site, else home (signed in) or
    sign-in. A sign-in form posted by someone signed in meanwhile (the two-tab case) says so and
    leads to their home."""
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    signed_in = request.user.is_authenticated
    signed_in_meanwhile = signed_in and request.path_info in (reverse("login"), reverse("members:sign_in_link"))
    back = reverse("home") if signed_in else reverse("login")
    referer = request.META.get("HTTP_REFERER", "")
    if not signed_in_meanwhile and referer and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = referer
    return render(request, "403_csrf.html", {"signed_in_meanwhile": signed_in_meanwhile, "back": back},
                  status=403)
