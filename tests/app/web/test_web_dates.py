"""One date style per language, on every page and in every email: templates and code name Django's
formats (``DATE_FORMAT``, ``MONTH_DAY_FORMAT``) or a pattern the catalogs translate, never a pattern
spelled out in French order. English writes months in full, month first (“November 12, 2026”)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

SRC = Path(__file__).resolve().parents[3] / "src" / "tablee"


@pytest.mark.parametrize(("language", "full", "month_day"), [
    ("en", "November 12, 2026", "November 12"),
    ("fr-ca", "12 novembre 2026", "12 novembre"),
])
def test_each_language_writes_its_dates_one_way(language, full, month_day):
    with translation.override(language):
        assert date_format(date(2026, 11, 12), "DATE_FORMAT") == full
        assert date_format(date(2026, 11, 12), "MONTH_DAY_FORMAT") == month_day


@pytest.mark.parametrize(("language", "morning", "afternoon"), [
    ("en", "7:30 AM", "1:05 PM"),
    ("fr-ca", "7\xa0h\xa030", "13\xa0h\xa005"),
])
def test_each_language_writes_the_time_as_its_readers_do(language, morning, afternoon):
    from datetime import datetime, time

    from django.utils.formats import time_format

    with translation.override(language):
        assert time_format(time(7, 30)) == morning
        assert time_format(time(13, 5)) == afternoon
        assert date_format(datetime(2026, 11, 12, 7, 30), "DATETIME_FORMAT").endswith(morning)


# A |date: or date_format(…) argument that spells out a pattern with a day in it ("j F Y": French
# order in English too), not a format's name ("DATE_FORMAT") nor a translated pattern (_("l j F")).
_LITERAL_PATTERN = re.compile(r"""(?:\|date:|date_format\((?:[^()]|\([^()]*\))*?,\s*)(["'])(?![A-Z_]+_FORMAT\1)[^"']*[jd][^"']*\1""")


def test_no_page_or_email_spells_a_date_pattern_out():
    found = []
    for path in sorted(SRC.glob("**/*")):
        if path.suffix not in (".html", ".txt", ".py") or "engine" in path.parts or "formats" in path.parts:
            continue
        found += [f"{path.relative_to(SRC)}: {m.group(0)}" for m in _LITERAL_PATTERN.finditer(path.read_text())]
    # CSV exports keep a machine-readable stamp on purpose.
    found = [line for line in found if '"Y-m-d H:i"' not in line]
    assert found == []


def test_an_english_invitation_gives_its_expiry_month_first(make_person, association):
    from tablee.members.invitations import invitation_send
    from tablee.members.models import LoginLink

    person = make_person(association=association, email="sam@example.org", preferred_language="en")
    email = invitation_send(association=association, user=person)

    expires = timezone.localtime(LoginLink.objects.get(user=person).expires_at)
    assert f"until {expires:%B} {expires.day}, {expires.year}" in email.body_text
    assert f"until {expires.day} {expires:%B}" not in email.body_text
