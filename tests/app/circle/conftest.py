"""Circle fixtures: a past gathering Marie and Samuel attended, a JSON client, a loopback SMTP server."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def past_gathering(association):
    from tablee.gatherings.models import Gathering

    return Gathering.objects.create(
        association=association, title="Déjeuner de la Saint-Roch", starts_at=timezone.now() - timedelta(days=1),
        venue="Café Saint-Roch, Québec", state=Gathering.State.DONE,
    )


@pytest.fixture
def attend():
    from tablee.gatherings.models import Rsvp

    def attend(gathering, *users):
        for user in users:
            Rsvp.objects.create(gathering=gathering, user=user, status=Rsvp.Status.CONFIRMED,
                                queued_at=timezone.now(), confirmed_at=timezone.now())

    return attend


@pytest.fixture
def table_mates(make_person, association, past_gathering, attend, member, other_member, organizer):
    """Marie, Samuel, Olivier and four more members at the same past gathering."""
    more = [make_person(association=association, email=f"convive{n}@example.org", first_name=f"Convive{n}",
                        last_name="Lapointe") for n in range(1, 5)]
    attend(past_gathering, member, other_member, organizer, *more)
    return [other_member, organizer, *more]
