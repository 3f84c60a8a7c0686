from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.utils import timezone

SECTORS = ["santé", "techno", "finance", "culture", "construction", "éducation", "communautaire"]
TOPICS = ["financement", "mentorat", "recrutement", "exportation", "comptabilité", "marketing",
          "cybersécurité", "subventions", "design", "formation", "immobilier", "juridique"]
INTERESTS = ["vélo", "jazz", "cuisine", "hockey", "lecture", "randonnée", "théâtre", "échecs"]
ENGINE_SECONDS = 1.0
SEED = 2026


@pytest.fixture
def crowd(make_person, association, organizer):
    """42 members of the association with varied profiles (a few speak English only or mostly)."""
    rng = random.Random(42)
    people = []
    for k in range(42):
        languages = ["en"] if k % 14 == 13 else (["fr", "en"] if k % 3 == 0 else ["fr"])
        people.append(make_person(
            association=association, password=None, email=f"p{k:02d}@example.org", first_name=f"Prénom{k:02d}",
            last_name=f"Nom{k:02d}", organization=f"Organisation {k:02d}", sector=SECTORS[k % len(SECTORS)],
            languages=languages, offers=rng.sample(TOPICS, 2), needs=rng.sample(TOPICS, 2),
            interests=rng.sample(INTERESTS, 2),
        ))
    return people


@pytest.fixture
def make_breakfast(association):
    """A gathering `days` ahead (or within the hour, ``at_the_door``) with these people confirmed (rows
    written directly, no emails)."""
    from tablee.gatherings.models import Rsvp
    from tablee.gatherings.services import gathering_create

    def make(people, *, days=7, tables=7, seats=6, title="Déjeuner réseautage", at_the_door=False):
        # ``at_the_door``: it starts within the hour, so check-in is open (gatherings.selectors.checkin_window).
        soon = timedelta(hours=1) if at_the_door else timedelta(days=days)
        gathering = gathering_create(association=association, title=title,
                                     starts_at=timezone.now() + soon,
                                     tables=tables, seats_per_table=seats)
        now = timezone.now()
        Rsvp.objects.bulk_create([
            Rsvp(gathering=gathering, user=u, status=Rsvp.Status.CONFIRMED, queued_at=now + timedelta(seconds=k),
                 confirmed_at=now + timedelta(seconds=k))
            for k, u in enumerate(people)
        ])
        return gathering

    return make


@pytest.fixture
def planned(organizer):
    """Request and compute a plan synchronously (the worker's job), with a short engine time."""
    from tablee.tables import services
    from tablee.tables.models import Plan

    def plan(gathering, *, publish=False, seconds=ENGINE_SECONDS):
        result = services.plan_request(gathering=gathering, requested_by=organizer, time_limit_s=seconds)
        Plan.objects.filter(pk=result.pk).update(seed=SEED)  # reproducible, up to the time limit
        result.refresh_from_db()
        result = services.plan_run(plan=result)
        assert result.status == "ready", result.error
        if publish:
            result = services.plan_publish(plan=result)
        return result

    return plan


