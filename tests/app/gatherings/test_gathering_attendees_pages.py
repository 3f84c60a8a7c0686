"""The organizer's attendees page shows a page of people at a time: confirmed first, then the waiting
list with its ranks, and links to the pages before and after."""

from __future__ import annotations

import re

import pytest
from django.test import Client


@pytest.fixture
def browser(organizer):
    client = Client()
    client.force_login(organizer)
    return client


def _fill(gathering, association, make_person, n: int, *, start: int = 0) -> None:
    from tablee.gatherings.services import rsvp_create

    for i in range(start, start + n):
        rsvp_create(gathering=gathering, user=make_person(association=association, email=f"a{i:03d}@example.org"))


def _emails(html: str) -> list[str]:
    return re.findall(r'mailto:(a\d+@example\.org)"', html)


def test_page_two_shows_the_next_people_and_the_waiting_list_keeps_its_ranks(browser, make_gathering, association,
                                                                              make_person):
    gathering = make_gathering(tables=1, seats_per_table=4)
    _fill(gathering, association, make_person, 7)  # 4 confirmed, 3 waiting
    url = f"/organize/gatherings/{gathering.pk}/attendees/"
    first = browser.get(url + "?limit=3").content.decode()
    assert _emails(first) == ["a000@example.org", "a001@example.org", "a002@example.org"]
    assert 'rel="next"' in first and 'rel="prev"' not in first and "1 à 3 sur 7" in first
    assert "Personne n&#x27;attend" not in first  # people wait, on a later page
    second = browser.get(url + "?limit=3&offset=3").content.decode()
    assert _emails(second) == ["a003@example.org", "a004@example.org", "a005@example.org"]
    assert 'rel="prev"' in second and 'rel="next"' in second
    assert re.search(r">1</td><td>[^<]*</td><td[^>]*>[^<]*</td><td[^>]*><a href=\"mailto:a004@example.org", second)
    assert "Personne n&#x27;est encore inscrit" not in second
    last = browser.get(url + "?limit=3&offset=6").content.decode()
    assert _emails(last) == ["a006@example.org"] and 'rel="next"' not in last


def test_the_attendees_page_reads_in_a_bounded_number_of_queries(browser, make_gathering, association, make_person,
                                                                  django_assert_max_num_queries):
    gathering = make_gathering(tables=10, seats_per_table=8)
    _fill(gathering, association, make_person, 5)
    url = f"/organize/gatherings/{gathering.pk}/attendees/?limit=20"
    browser.get(url)
    with django_assert_max_num_queries(12):
        small = browser.get(url)
    _fill(gathering, association, make_person, 60, start=100)
    with django_assert_max_num_queries(12):
        big = browser.get(url)
    assert len(_emails(small.content.decode())) == 5 and len(_emails(big.content.decode())) == 20


def test_an_address_may_break_only_after_its_at_sign_or_before_a_dot(browser, make_gathering, association,
                                                                      make_person):
    from tablee.gatherings.services import rsvp_create

    gathering = make_gathering()
    rsvp_create(gathering=gathering, user=make_person(association=association, email="o'brien.jo@coop.example.org"))

    page = browser.get(f"/organize/gatherings/{gathering.pk}/attendees/").content.decode()

    assert ('<a href="mailto:o&#x27;brien.jo@coop.example.org">o&#x27;brien<wbr>.jo@<wbr>coop<wbr>.example<wbr>.org</a>'
            in page)
