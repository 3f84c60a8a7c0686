"""Organizers hear of « Demander à devenir membre » requests by email, without a flood.

Each active organizer of the association gets at most one notice per association every
``NOTICE_WINDOW``: the first request of a quiet hour is told at once; requests arriving within the
hour after a notice wait, and the worker's tick sends them as one digest when the hour is over.
The notice is a ``join_requests`` topic email (the organizer may refuse it in their preferences; the
footer unsubscribes in one click), written in the organizer's language and stored in the outbox.

The last notice is the outbox row itself: its key ``join-requests:<association>:<organizer>:<newest
request>`` says which requests it told of, so nothing else is stored and a retry stores nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tablee.members.models import Association, JoinRequest, Membership, User
from tablee.members.selectors import join_requests_pending
from tablee.outbox.models import Email, Topic
from tablee.outbox.rendering import email_render_queue

NOTICE_WINDOW = timedelta(hours=1)
KIND = "join_requests"
# Names listed in one notice; the page shows them all.
LISTED = 10
# The tick looks at associations with a request at most this old (a worker stopped for a while
# still catches up; older requests were told of long ago).
TICK_HORIZON = timedelta(days=2)


def _organizers(association: Association) -> list[User]:
    return list(
        User.objects.filter(memberships__association=association, memberships__role=Membership.Role.ORGANIZER,
                            memberships__deactivated_at__isnull=True, is_active=True)
        .select_related("profile").order_by("pk")
    )


def _prefix(association: Association, organizer: User) -> str:
    return f"{KIND}:{association.pk}:{organizer.pk}:"


def _due(association: Association, now: datetime) -> tuple[list[tuple[User, list[JoinRequest]]], int, int]:
    """(organizer, requests not yet told) for each organizer owed a notice now; the number of pending
    requests; the newest pending request's id. Reads only."""
    pending = list(join_requests_pending(association=association))
    if not pending:
        return [], 0, 0
    newest = max(row.pk for row in pending)
    due = []
    for organizer in _organizers(association):
        last = (Email.objects.filter(user=organizer, kind=KIND, key__startswith=_prefix(association, organizer))
                .order_by("-created_at", "-pk").values_list("key", "created_at").first())
        told_up_to = 0
        if last is not None:
            if last[1] > now - NOTICE_WINDOW:
                continue  # told within the hour: the tick sends the rest when the hour is over
            told_up_to = int(last[0].rsplit(":", 1)[1])
        fresh = [row for row in pending if row.pk > told_up_to]
        if fresh:
            due.append((organizer, fresh))
    return due, len(pending), newest


def join_request_notices_queue(*, association: Association, now: datetime | None = None) -> int:
    """Queue a notice to each organizer who has not heard of the newest pending requests and had no
    notice for this association within ``NOTICE_WINDOW``. Returns how many were queued."""
    now = now or timezone.now()
    if not _due(association, now)[0]:
        return 0  # the worker's tick asks often: nothing is locked when nothing is owed
    with transaction.atomic():
        # Lock, then look again: two requests at once make one notice, not two.
        Association.objects.select_for_update().filter(pk=association.pk).first()
        due, waiting, newest = _due(association, now)
        for organizer, fresh in due:
            _queue(association=association, organizer=organizer, fresh=fresh, waiting=waiting,
                   key=f"{_prefix(association, organizer)}{newest}")
    return len(due)


def join_request_notices_due(*, now: datetime | None = None) -> int:
    """The worker's tick: the digests whose hour is over."""
    now = now or timezone.now()
    ids = (JoinRequest.objects.filter(status=JoinRequest.Status.PENDING, created_at__gte=now - TICK_HORIZON)
           .values_list("association_id", flat=True).distinct())
    return sum(join_request_notices_queue(association=association, now=now)
               for association in Association.objects.filter(pk__in=list(ids)))


def _queue(*, association: Association, organizer: User, fresh: list[JoinRequest], waiting: int,
           key: str) -> Email:
    from tablee.members.invitations import language_of

    return email_render_queue(
        key=key, kind=KIND, to=organizer.email, user=organizer, topic=Topic.JOIN_REQUESTS,
        template=f"members/email/{KIND}", language=language_of(organizer), context={
            "association": association,
            "name": organizer.first_name or organizer.email,
            "fresh": fresh[:LISTED],
            "more": max(len(fresh) - LISTED, 0),
            "count": len(fresh),
            "waiting": waiting,
            "url": settings.SITE_URL + reverse("members:roster", args=[association.slug]) + "#demandes",
            "site_url": settings.SITE_URL,
        })
