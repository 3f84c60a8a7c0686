"""The organizer's members page and members API read one page of people, however big the association."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tablee.members.models import LoginLink, Membership, Profile, User

PAGE = "/organize/associations/cafe-rencontres/members/"


@pytest.fixture
def browser(organizer):
    client = Client()
    client.force_login(organizer)
    return client


def _people(association, n: int, *, start: int = 0) -> None:
    users = User.objects.bulk_create([User(email=f"p{i:03d}@example.org", first_name="Prénom", last_name=f"Nom{i:03d}")
                                      for i in range(start, start + n)])
    Profile.objects.bulk_create([Profile(user=u) for u in users])
    Membership.objects.bulk_create([Membership(association=association, user=u) for u in users])


def _emails(html: str) -> list[str]:
    return re.findall(r'data-email="([^"]+)"', html)


def test_page_two_shows_the_next_people_with_prev_and_next_links(browser, association, organizer):
    _people(association, 7)  # Nom000…Nom006, then Gagnon the organizer: sorted by last name
    first = browser.get(PAGE + "?limit=3").content.decode()
    assert _emails(first) == ["olivier@example.org", "p000@example.org", "p001@example.org"]
    assert 'rel="next"' in first and 'rel="prev"' not in first and "1 à 3 sur 8" in first
    second = browser.get(PAGE + "?limit=3&offset=3").content.decode()
    assert _emails(second) == ["p002@example.org", "p003@example.org", "p004@example.org"]
    assert 'rel="prev"' in second and 'rel="next"' in second
    assert 'href="/organize/associations/cafe-rencontres/members/?limit=3&amp;offset=6" rel="next"' in second
    last = browser.get(PAGE + "?limit=3&offset=6").content.decode()
    assert _emails(last) == ["p005@example.org", "p006@example.org"] and 'rel="next"' not in last


def test_search_pages_keep_the_search(browser, association):
    _people(association, 5)
    page = browser.get(PAGE + "?q=Nom00&limit=2").content.decode()
    assert _emails(page) == ["p000@example.org", "p001@example.org"]
    assert "q=Nom00" in re.search(r'href="([^"]+)" rel="next"', page).group(1)


def test_a_bad_limit_or_offset_never_breaks_the_page(browser, association):
    _people(association, 3)
    assert browser.get(PAGE + "?limit=abc&offset=-5").status_code == 200
    assert len(_emails(browser.get(PAGE + "?limit=100000").content.decode())) == 4


def test_the_members_page_reads_a_page_in_a_bounded_number_of_queries(browser, association, organizer,
                                                                       django_assert_max_num_queries):
    _people(association, 30)
    LoginLink.objects.bulk_create([
        LoginLink(user=u, purpose=LoginLink.Purpose.INVITATION, association=association, key_hash=f"h{u.pk}",
                  expires_at="2030-01-01T00:00:00Z") for u in User.objects.filter(email__startswith="p0")])
    browser.get(PAGE)  # warm the session and the caches
    with django_assert_max_num_queries(12):
        small = browser.get(PAGE + "?limit=10")
    _people(association, 300, start=100)
    with django_assert_max_num_queries(12):
        big = browser.get(PAGE + "?limit=10")
    assert len(_emails(small.content.decode())) == len(_emails(big.content.decode())) == 10
    assert "1 à 10 sur 331" in big.content.decode()


def test_the_members_api_pages_through_everyone(api, association, organizer, django_assert_max_num_queries):
    _people(association, 250)
    url = "/api/associations/cafe-rencontres/members"
    first = api.get(url + "?limit=100", user=organizer).json()
    api.get(url, user=organizer)
    with django_assert_max_num_queries(10):
        second = api.get(url + "?limit=100&offset=100", user=organizer).json()
    third = api.get(url + "?limit=100&offset=200", user=organizer).json()
    assert first["count"] == second["count"] == 251 and len(third["items"]) == 51
    emails = [r["email"] for page in (first, second, third) for r in page["items"]]
    assert len(emails) == len(set(emails)) == 251
    assert api.get(url + "?limit=5000", user=organizer).json()["limit"] == 200  # the maximum
