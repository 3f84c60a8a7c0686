"""Messages with a count follow the French plural rule: « 0 personne déplacée »."""

from __future__ import annotations

from django.urls import reverse


def test_a_repair_that_moves_nobody_says_so_in_the_singular(client, organizer, crowd, make_breakfast, planned):
    gathering = make_breakfast(crowd[:12], tables=2, seats=6)
    planned(gathering, publish=True)
    client.force_login(organizer)

    response = client.post(reverse("tables:plan_repair", args=[gathering.pk]), follow=True)

    assert "Plan réparé\u00a0: 0\u00a0personne déplacée." in response.content.decode()
