"""A new gathering starts as a draft: members see nothing until the organizer opens it, and a
gathering that does not exist yet cannot be created « terminée » or « annulée »."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tablee.gatherings.models import Gathering


def _new(association) -> str:
    return reverse("organizer:gathering_new", args=[association.slug])


def _data(**changes) -> dict:
    starts = timezone.localtime(timezone.now() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    return {"title": "Déjeuner de janvier", "starts_at": starts, "duration_minutes": 90, "venue": "",
            "tables": 4, "seats_per_table": 6, "rsvp_deadline": "", **changes}


def _state_options(html: str) -> list[tuple[str, bool]]:
    select = re.search(r'<select name="state".*?</select>', html, re.S).group(0)
    return [(value, "selected" in attrs) for value, attrs in re.findall(r'<option value="(\w*)"([^>]*)>', select)]


def test_the_new_gathering_form_offers_draft_first_and_open_only(login, organizer, association):
    html = login(organizer).get(_new(association)).content.decode()

    assert _state_options(html) == [("draft", True), ("open", False)]


@pytest.mark.parametrize("state", ["done", "cancelled", "closed"])
def test_a_gathering_cannot_be_created_finished_cancelled_or_closed(login, organizer, association, state):
    response = login(organizer).post(_new(association), _data(state=state))

    assert response.status_code == 200
    assert not Gathering.objects.filter(title="Déjeuner de janvier").exists()


def test_a_new_gathering_can_still_be_opened_at_once(login, organizer, association):
    login(organizer).post(_new(association), _data(state="open"))

    assert Gathering.objects.get(title="Déjeuner de janvier").state == "open"


def test_editing_a_gathering_still_offers_every_state(login, organizer, gathering):
    html = login(organizer).get(reverse("organizer:gathering_edit", args=[gathering.pk])).content.decode()

    assert [value for value, _selected in _state_options(html)] == ["draft", "open", "closed", "done", "cancelled"]
