"""`next=` goes through Django's safe-redirect check."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)",
                                    "http:\\\\evil.example", " javascript:alert(1)"])
def test_the_card_budget_form_never_redirects_off_site(client, member, target):
    client.force_login(member)
    response = client.post(reverse("circle:budget"), {"card_budget": "3", "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("circle:circle")


def test_a_local_next_is_followed(client, member):
    client.force_login(member)
    response = client.post(reverse("circle:budget"), {"card_budget": "3", "next": "/gatherings/"})
    assert response["Location"] == "/gatherings/"
