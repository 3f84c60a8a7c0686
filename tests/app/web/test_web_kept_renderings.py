"""Pieces of pages kept rendered per process (the header and its navigation, the gathering cards): as in
production (DEBUG off), each must still show what is true for this person, now, in their language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from tablee.gatherings.models import Rsvp
from tablee.web.templatetags import tablee_web


@pytest.fixture(autouse=True)
def _kept_as_in_production(settings):
    settings.DEBUG = False
    tablee_web._render_pure.cache_clear()
    tablee_web._render_header.cache_clear()
    yield
    tablee_web._render_pure.cache_clear()
    tablee_web._render_header.cache_clear()


def _card(page: str, title: str) -> str:
    start = page.index(title)
    return page[page.rindex('<li class="card">', 0, start):page.index("</li>", start)]


def test_two_members_see_their_own_status_on_the_same_gathering(client, gathering, member, other_member):
    now = timezone.now()
    Rsvp.objects.create(gathering=gathering, user=member, status="confirmed", queued_at=now, confirmed_at=now)
    client.force_login(member)
    mine = _card(client.get("/gatherings/").content.decode(), gathering.title)
    client.force_login(other_member)
    theirs = _card(client.get("/gatherings/").content.decode(), gathering.title)
    assert "Votre place est réservée" in mine and "places libres" not in mine
    assert "Votre place est réservée" not in theirs and "places libres" in theirs
    assert tablee_web._render_pure.cache_info().currsize == 2


def test_a_card_shows_a_changed_title_time_and_seat_count_on_the_next_visit(client, gathering, member, other_member):
    client.force_login(member)
    before = _card(client.get("/gatherings/").content.decode(), gathering.title)
    now = timezone.now()
    Rsvp.objects.create(gathering=gathering, user=other_member, status="confirmed", queued_at=now, confirmed_at=now)
    gathering.title = "Souper de la rentrée"
    gathering.starts_at += timedelta(days=1)
    gathering.save(update_fields=["title", "starts_at"])
    after = _card(client.get("/gatherings/").content.decode(), "Souper de la rentrée")
    assert before != after
    seats = gathering.capacity
    assert f"{seats}\u00a0places libres" in before and f"{seats - 1}\u00a0places libres" in after
    assert timezone.localtime(gathering.starts_at).strftime("%Y-%m-%d") in after


def test_cards_and_navigation_follow_the_language_switch(client, gathering, member):
    client.force_login(member)
    page = client.get("/gatherings/").content.decode()
    assert "places libres" in _card(page, gathering.title) and "Mon cercle" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/gatherings/").content.decode()
    assert "seats left" in _card(page, gathering.title) and "My circle" in page and "Mon cercle" not in page


def test_a_value_that_cannot_be_part_of_the_key_is_refused():
    with pytest.raises(TypeError):
        tablee_web.pure_include("gatherings/_card.html", title=["une", "liste"])


def test_each_response_carries_its_own_csrf_token_and_a_form_posted_with_it_works(client, member):
    import re

    client = type(client)(enforce_csrf_checks=True)
    client.force_login(member)
    first = client.get("/gatherings/").content.decode()
    second = client.get("/gatherings/").content.decode()
    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page) for page in (first, second)]
    assert tokens[0] and tokens[1] and tokens[0] != tokens[1]
    assert tablee_web._TOKEN_MARK not in first + second
    assert tablee_web._render_header.cache_info().hits >= 1
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/gatherings/",
                                               "csrfmiddlewaretoken": tokens[1][-1]})
    assert response.status_code == 302


def test_the_language_switch_returns_to_the_page_with_its_query(client, member):
    client.force_login(member)
    page = client.get("/circle/?page=2").content.decode()
    assert 'name="next" value="/circle/?page=2"' in page
    page = client.get("/circle/").content.decode()
    assert 'name="next" value="/circle/"' in page
