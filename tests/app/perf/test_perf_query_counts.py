"""Query counts of the main pages and API reads: a page costs the same number of queries with 3 rows
as with 12, so an N+1 cannot come back unseen, and stays under a small ceiling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone


def _count(call) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    return len(captured.captured_queries), response


@pytest.fixture
def grow(association, member, organizer, make_person, make_gathering):
    """grow(n): n more gatherings (with RSVPs), contacts with notes and follow-ups, attendees, members."""
    from tablee.circle.models import Contact, FollowUp, Note
    from tablee.gatherings.models import Gathering, Rsvp

    state = {"n": 0, "big": make_gathering(title="Grand déjeuner", tables=20, seats_per_table=6)}

    def more(n: int) -> None:
        for _ in range(n):
            state["n"] += 1
            i = state["n"]
            other = make_person(
                association=association,
                email=f"grow{i}@example.org",
                first_name=f"P{i}",
                organization=f"Org {i}",
            )
            when = timezone.now() + timedelta(days=3 + i)
            gathering = make_gathering(title=f"Déjeuner {i}", starts_at=when)
            Rsvp.objects.create(
                gathering=gathering,
                user=other,
                status=Rsvp.Status.CONFIRMED,
                queued_at=timezone.now(),
                confirmed_at=timezone.now(),
            )
            past = make_gathering(title=f"Passé {i}", starts_at=timezone.now() - timedelta(days=i))
            Gathering.objects.filter(pk=past.pk).update(state=Gathering.State.DONE)
            Rsvp.objects.create(
                gathering=past,
                user=member,
                status=Rsvp.Status.CONFIRMED,
                queued_at=timezone.now(),
                confirmed_at=timezone.now(),
            )
            Rsvp.objects.create(
                gathering=state["big"],
                user=other,
                status=Rsvp.Status.CONFIRMED,
                queued_at=timezone.now(),
                confirmed_at=timezone.now(),
            )
            contact = Contact.objects.create(
                owner=member,
                name=f"Contact {i}",
                email=f"c{i}@example.org",
                tier=Contact.Tier.NETWORK if i % 2 else "",
                user=other,
            )
            Note.objects.create(owner=member, contact=contact, text=f"note {i}")
            FollowUp.objects.create(
                owner=member, contact=contact, due_on=timezone.localdate() + timedelta(days=i)
            )

    return state, more


PAGES = [
    # 7 small queries instead of 4 big ones: compiling those cost 25× their run (gatherings.selectors).
    ("/gatherings/", "member", 7),
    ("/circle/", "member", 14),
    ("/followups/", "member", 10),
    ("/organize/gatherings/{big}/attendees/", "organizer", 10),
    ("/organize/associations/cafe-rencontres/", "organizer", 10),
]

API = [
    ("/api/me", "member", 3),  # 2, and the token's last use written at most once a minute
    ("/api/contacts", "member", 4),
    ("/api/followups", "member", 6),
    ("/api/associations/cafe-rencontres/gatherings", "member", 6),
    ("/api/gatherings/{big}/attendees", "organizer", 5),
]


@pytest.mark.parametrize(("path", "who", "ceiling"), PAGES)
def test_page_queries_do_not_grow_with_rows(
    client, grow, member, organizer, path, who, ceiling, django_assert_max_num_queries
):
    state, more = grow
    client.force_login(member if who == "member" else organizer)
    url = path.format(big=state["big"].pk)
    more(3)
    client.get(url)  # first visit may create the day's suggestion, settings rows…
    small, response = _count(lambda: client.get(url))
    assert response.status_code == 200
    more(9)
    client.get(url)
    with django_assert_max_num_queries(ceiling):
        big, response = _count(lambda: client.get(url))
    assert response.status_code == 200
    # An N+1 grows with the rows; one query fewer with more rows (a cached row on PostgreSQL) is not one.
    assert big <= small, f"{url}: {small} queries with 3 rows, {big} with 12 (an N+1)"


@pytest.mark.parametrize(("path", "who", "ceiling"), API)
def test_api_reads_do_not_grow_with_rows(
    api, grow, member, organizer, path, who, ceiling, django_assert_max_num_queries
):
    state, more = grow
    user = member if who == "member" else organizer
    url = path.format(big=state["big"].pk)
    more(3)
    api.get(url, user=user)
    small, response = _count(lambda: api.get(url, user=user))
    assert response.status_code == 200, response.content
    more(9)
    api.get(url, user=user)
    with django_assert_max_num_queries(ceiling):
        big, response = _count(lambda: api.get(url, user=user))
    assert response.status_code == 200
    # An N+1 grows with the rows; one query fewer with more rows (a cached row on PostgreSQL) is not one.
    assert big <= small, f"{url}: {small} queries with 3 rows, {big} with 12 (an N+1)"


def test_a_signed_in_page_writes_nothing_to_the_session_table(client, member):
    client.force_login(member)
    client.get("/gatherings/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/gatherings/").status_code == 200
    session_sql = [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]]
    assert session_sql == [], session_sql


def test_signed_out_session_is_refused_once_the_cache_window_is_over(client, member, settings):
    """Sign-out deletes the session row; with no cached copy a replayed cookie is anonymous."""
    from django.core.cache import cache

    client.force_login(member)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/gatherings/").status_code == 200
    client.post("/accounts/logout/")
    cache.clear()  # another process: nothing cached there
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert client.get("/gatherings/").status_code == 302


def test_session_cache_timeout_is_capped(member, settings):
    from tablee.members.sessions import SessionStore

    settings.TABLEE_SESSION_CACHE_SECONDS = 60
    store = SessionStore()
    store["x"] = 1
    store.create()
    seen = {}

    class Spy:
        def set(self, key, value, timeout=None):
            seen["timeout"] = timeout

    store._cache._cache = Spy()
    store.save()
    assert seen["timeout"] == 60
