"""What the gatherings room tells the rooms above it, without importing them.

``seats_changed`` is sent once a transaction that changed who holds a seat has committed (a
confirmation, a promotion from the waiting list, a cancellation). The tables room listens, to repair
a published plan in the worker.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

seats_changed = Signal()  # sender: Gathering class; keyword: gathering_id


def announce_seats_changed(gathering_id: int) -> None:
    """Send ``seats_changed`` after the current transaction commits (never for a rolled-back write)."""
    from tablee.gatherings.models import Gathering

    transaction.on_commit(lambda: seats_changed.send(sender=Gathering, gathering_id=gathering_id))
