"""The shared frame's own page: home. Every other page lives in the room it serves."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# Associations listed on the signed-out home page; more are reached by their own page's address.
HOME_ASSOCIATIONS = 30


def home(request: HttpRequest) -> HttpResponse:
    from tablee.members.selectors import associations_open_to_requests

    open_ones = [] if request.user.is_authenticated else list(associations_open_to_requests()[:HOME_ASSOCIATIONS])
    return render(request, "web/home.html", {"open_associations": open_ones})
