"""Rules that live in one place: whether a date is written as Québec writes it (``french.dates_in``),
and how a name folds (``tablee.text.fold``), which the SQLite collation that orders names uses too."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.template import Context, Template

from tablee.text import french
from tablee.text.fold import fold


@pytest.fixture
def marked(monkeypatch):
    """``french.dates_in`` replaced by one that marks what it was given: who asks it shows."""
    real = french.dates_in
    monkeypatch.setattr(french, "dates_in", lambda language, text: "⟦" + real(language, text) + "⟧")


def test_the_date_filter_the_door_and_the_journey_form_all_ask_the_one_helper(marked, gathering):
    from tablee.gatherings.models import Gathering
    from tablee.gatherings.services import RsvpError, check_door_open
    from tablee.journey.forms import GatheringChoiceField

    rendered = Template('{{ day|date:"MONTH_DAY_FORMAT"|frdate }}').render(
        Context({"day": datetime(2027, 1, 1, 12, tzinfo=ZoneInfo("America/Toronto"))}))
    with pytest.raises(RsvpError) as door:
        check_door_open(gathering)  # a week ahead: the door opens later
    label = GatheringChoiceField(queryset=Gathering.objects.all()).label_from_instance(gathering)

    assert rendered == "⟦1er\u00a0janvier⟧"
    assert door.value.message.count("⟦") == 2  # its date and its time
    assert "⟦" in label


def test_the_sqlite_collation_folds_names_with_the_search_folding(db):
    from tablee.sqlite3 import base

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL orders names with ICU (members 0005)")
    assert base.fold is fold  # one source: tablee.text.fold
    for name in ("Émond", "ÉMOND", "Bélanger", "Œuvre", "Straße"):
        assert base._name_key(name) == (fold(name), name)
