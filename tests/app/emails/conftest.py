from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

TORONTO = ZoneInfo("America/Toronto")


@pytest.fixture
def make_gathering(association):
    from tablee.gatherings.models import Gathering

    def make(*, starts_at=None, **fields):
        if starts_at is None:
            today = datetime.now(TORONTO).replace(hour=7, minute=30, second=0, microsecond=0)
            starts_at = today + timedelta(days=10)
        fields.setdefault("title", "Déjeuner de la Saint-Roch")
        fields.setdefault("venue", "Café Saint-Roch, Québec")
        return Gathering.objects.create(association=association, starts_at=starts_at, **fields)

    return make


@pytest.fixture
def gathering(make_gathering):
    return make_gathering(starts_at=datetime(2031, 11, 4, 7, 30, tzinfo=TORONTO))


@pytest.fixture
def make_rsvp():
    from django.utils import timezone

    from tablee.gatherings.models import Rsvp

    def make(gathering, user, *, status=Rsvp.Status.CONFIRMED, at=None):
        at = at or timezone.now()
        return Rsvp.objects.create(gathering=gathering, user=user, status=status, queued_at=at,
                                   confirmed_at=at if status == Rsvp.Status.CONFIRMED else None)

    return make
