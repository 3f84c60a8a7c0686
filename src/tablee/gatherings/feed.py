"""Each member's private calendar feed (``webcal://…``): their gatherings in any calendar app.

The URL carries a random key, and nothing else identifies the person: anyone holding it sees the
gatherings (titles, times, places) but none of what the person wrote. Revoking deletes the key and
the old URL answers 404; asking again makes a new one.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from icalendar import Calendar, Event

from tablee.gatherings.calendar import PRODID, gathering_sequence, gathering_uid, gathering_url
from tablee.gatherings.models import CalendarFeed, Gathering, Rsvp

# What the feed shows: from this long ago onward (a calendar keeps what it already has).
PAST = timedelta(days=60)


# Reads ------------------------------------------------------------------------------------------

def feed_of(*, user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user_id=user.pk).first()


def feed_url(feed: CalendarFeed) -> str:
    """``webcal://`` for calendar apps (they subscribe and refresh), same host and path as the site."""
    parts = urlsplit(settings.SITE_URL)
    path = parts.path.rstrip("/") + reverse("gatherings_feed:ics", args=[feed.key])
    return urlunsplit(("webcal", parts.netloc, path, "", ""))


def feed_ics(*, feed: CalendarFeed, now=None) -> bytes:
    """A PUBLISH calendar: one event per gathering where the person holds a seat or waits for one."""
    now = now or timezone.now()
    rsvps = (
        Rsvp.objects.filter(user_id=feed.user_id, status__in=[Rsvp.Status.CONFIRMED, Rsvp.Status.WAITLISTED],
                            gathering__starts_at__gte=now - PAST)
        .exclude(gathering__state=Gathering.State.DRAFT)
        .select_related("gathering__association")
        .order_by("gathering__starts_at")
    )
    tz = ZoneInfo(settings.TIME_ZONE)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Tablée")
    cal.add("x-published-ttl", "PT1H")
    for rsvp in rsvps:
        gathering = rsvp.gathering
        event = Event()
        event.add("uid", gathering_uid(gathering))
        event.add("dtstamp", now)
        event.add("dtstart", gathering.starts_at.astimezone(tz))
        event.add("dtend", gathering.ends_at.astimezone(tz))
        event.add("sequence", gathering_sequence(gathering))
        event.add("summary", gathering.title)
        if gathering.venue:
            event.add("location", gathering.venue)
        event.add("url", gathering_url(gathering))
        event.add("description", f"{gathering.association.name}\n{gathering_url(gathering)}")
        if gathering.state == Gathering.State.CANCELLED:
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED" if rsvp.status == Rsvp.Status.CONFIRMED else "TENTATIVE")
        cal.add_component(event)
    return cal.to_ical()


# Writes -----------------------------------------------------------------------------------------

def feed_create(*, user) -> CalendarFeed:
    """The person's feed, with a new key (an old URL stops working)."""
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user, defaults={"key": secrets.token_urlsafe(24), "created_at": timezone.now()}
    )
    return feed


def feed_revoke(*, user) -> int:
    return CalendarFeed.objects.filter(user_id=user.pk).delete()[0]


# Pages ------------------------------------------------------------------------------------------

@require_GET
def ics(request: HttpRequest, key: str) -> HttpResponse:
    feed = CalendarFeed.objects.filter(key=key).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404
    response = HttpResponse(feed_ics(feed=feed), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    feed_create(user=request.user)
    messages.success(request, _("Votre lien de calendrier est prêt. Ajoutez-le à votre application de calendrier."))
    return redirect(reverse("members:account") + "#calendrier")


@login_required
@require_POST
def revoke(request: HttpRequest) -> HttpResponse:
    if request.POST.get("confirm") != "1":  # asked first on the page
        messages.error(request, _("Confirmez la révocation du lien de calendrier."))
        return redirect(reverse("members:account") + "#calendrier")
    feed_revoke(user=request.user)
    messages.success(request, _("Le lien de calendrier est révoqué : il ne fonctionne plus."))
    return redirect(reverse("members:account") + "#calendrier")


def account_section(request: HttpRequest) -> dict:
    """The « Mon compte » section (registered in the members room's account registry)."""
    feed = feed_of(user=request.user)
    return {"template": "gatherings/_calendar_feed.html", "feed_url": feed_url(feed) if feed else ""}
