from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def make_gathering(association):
    from tablee.gatherings.services import gathering_create

    def make(**fields):
        fields.setdefault("association", association)
        fields.setdefault("title", "Déjeuner réseautage")
        fields.setdefault("starts_at", timezone.now() + timedelta(days=7))
        return gathering_create(**fields)

    return make


@pytest.fixture
def gathering(make_gathering):
    return make_gathering()


@pytest.fixture
def login(client):
    """Sign a persona in on the test client and return the client."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


