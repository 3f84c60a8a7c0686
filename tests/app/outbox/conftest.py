"""A real SMTP server on loopback, and Django pointed at it."""

from __future__ import annotations

import pytest


@pytest.fixture
def gathering(association):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from tablee.gatherings.models import Gathering

    starts = datetime.now(ZoneInfo("America/Toronto")).replace(hour=7, minute=30, second=0, microsecond=0)
    return Gathering.objects.create(
        association=association, title="Déjeuner de la Saint-Roch", starts_at=starts + timedelta(days=10),
        venue="Café Saint-Roch, Québec",
    )
