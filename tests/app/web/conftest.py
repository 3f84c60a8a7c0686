from __future__ import annotations

import pytest


@pytest.fixture
def login(client):
    """Sign a persona in on the test client and return the client."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


