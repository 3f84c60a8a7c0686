"""Schemathesis against /api/openapi.json for each persona: no server error, answers match the schema.

A bounded number of examples per operation (TABLEE_SCHEMATHESIS_EXAMPLES, default 4) keeps the run
to a few minutes on two cores. Each persona sends its own bearer token; "anonymous" sends none.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tablee.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
EXAMPLES = int(os.environ.get("TABLEE_SCHEMATHESIS_EXAMPLES", "4"))
PERSONAS = ["anonymous", "member", "organizer", "outsider"]


@pytest.fixture(autouse=True)
def _fast_password_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(association, organizer, member, outsider, settings):
    """Objects the generated ids may land on: a gathering with an RSVP, a contact."""
    from tablee.circle.services import contact_create
    from tablee.gatherings.services import gathering_create
    from tablee.members.services import token_create

    settings.TABLEE_API_RATE_PER_MINUTE = 100_000
    gathering_create(association=association, title="Déjeuner", starts_at=timezone.now() + timedelta(days=3))
    contact_create(owner=member, name="Sophie Lavoie", email="sophie@example.org", tier="network")
    return {
        "anonymous": {},
        "member": {"Authorization": f"Bearer {token_create(user=member)}"},
        "organizer": {"Authorization": f"Bearer {token_create(user=organizer)}"},
        "outsider": {"Authorization": f"Bearer {token_create(user=outsider)}"},
    }


@pytest.mark.schemathesis
@pytest.mark.parametrize("persona", PERSONAS)
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_never_errs_and_answers_match_the_schema(case, persona, world, db):
    case.call_and_validate(headers=world[persona], checks=[not_a_server_error, response_schema_conformance])
