"""Reads for operations: what /api/health reports."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from tablee.outbox.models import Email, Heartbeat

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
