"""Reads for operations (what /api/health reports) and for the pages that say who an email reaches."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.utils import timezone

from tablee.outbox.models import Email, Heartbeat, OptOut

# The worker ticks every minute: five minutes without a heartbeat means it is gone.
WORKER_SILENT_AFTER = timedelta(minutes=5)


def health(*, now: datetime | None = None) -> dict:
    """Database, worker heartbeat and outbox backlog; ``ok`` False when the worker is silent.

    A worker never seen is silent only once mail has been waiting longer than the same 5 minutes
    (a fresh install with nothing to send is healthy)."""
    now = now or timezone.now()
    beat = Heartbeat.objects.filter(name="worker").values_list("seen_at", flat=True).first()
    waiting = Email.objects.filter(status__in=(Email.Status.QUEUED, Email.Status.SENDING))
    oldest = waiting.order_by("created_at").values_list("created_at", flat=True).first()
    backlog = {"queued": waiting.count(), "oldest_seconds": int((now - oldest).total_seconds()) if oldest else 0}
    if beat is not None:
        silent = now - beat > WORKER_SILENT_AFTER
    else:
        silent = oldest is not None and now - oldest > WORKER_SILENT_AFTER
    worker = {
        "status": "silent" if silent else ("ok" if beat is not None else "not seen yet"),
        "last_seen": beat.isoformat() if beat else None,
        "seconds_ago": int((now - beat).total_seconds()) if beat else None,
    }
    return {"ok": not silent, "worker": worker, "outbox": backlog}


def undeliverable(address: str) -> bool:
    """RFC 2606: nobody receives mail at a ``.invalid`` address (a guest let in at the door by name
    has one). ``email_queue`` stores such an email as suppressed."""
    return address.rstrip().lower().endswith(".invalid")


def reachable(*, addresses: Iterable[str], topic: str = "") -> set[str]:
    """The addresses among ``addresses`` that an email of ``topic`` would really reach: not an
    undeliverable address, and (for a topic) not one that refused it. The others are stored as
    suppressed by ``email_queue``, so a page that says how many people get an email counts these."""
    candidates = {a for a in addresses if a and not undeliverable(a)}
    if not topic or not candidates:
        return candidates
    refused = set(OptOut.objects.filter(address__in={a.strip().lower() for a in candidates}, topic=topic)
                  .values_list("address", flat=True))
    return {a for a in candidates if a.strip().lower() not in refused}


def refused_topics(*, address: str):
    """The topics an address refused (« Mes préférences de courriel », an unsubscribe link), oldest first."""
    return OptOut.objects.filter(address=address.strip().lower()).order_by("created_at", "pk")
