"""Prepared queries (tablee.prepared): the ORM's rows, compiled once per connection, never stale."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse
from django.utils import timezone

from tablee.gatherings import selectors as gathering_selectors
from tablee.gatherings.models import Rsvp
from tablee.members.models import ApiToken, Membership, User
from tablee.prepared import Prepared

pytestmark = pytest.mark.django_db


def _cards(gatherings):
    return [(g.pk, g.title, g.association.name, g.my_status, g.my_present, g.confirmed_count,
             g.waitlisted_count) for g in gatherings]


def test_the_members_gatherings_are_the_rows_the_orm_gives_for_each_person(
        make_gathering, member, organizer, other_member, outsider):
    soon = make_gathering(title="Souper des membres")
    draft = make_gathering(title="Brouillon", starts_at=timezone.now() + timedelta(days=3))
    draft.state = "draft"
    draft.save(update_fields=["state"])
    done = make_gathering(title="Déjeuner passé", starts_at=timezone.now() - timedelta(days=9))
    now = timezone.now()
    Rsvp.objects.create(gathering=soon, user=member, status="confirmed", queued_at=now, confirmed_at=now)
    Rsvp.objects.create(gathering=soon, user=other_member, status="waitlisted", queued_at=now)
    Rsvp.objects.create(gathering=done, user=member, status="confirmed", queued_at=now, confirmed_at=now)
    today = gathering_selectors._start_of_today()

    for person in (member, organizer, other_member, outsider):
        for prepared in (gathering_selectors._UPCOMING, gathering_selectors._PAST):
            assert _cards(prepared(user_id=person.pk, today=today)) == _cards(
                prepared.orm(user_id=person.pk, today=today))

    upcoming, past = gathering_selectors.my_gatherings(user=member)
    assert _cards(upcoming) == [(soon.pk, "Souper des membres", "Café-rencontres de Québec", "confirmed", None, 1, 1)]
    assert [g.title for g in past] == ["Déjeuner passé"]
    assert "Brouillon" in [g.title for g in gathering_selectors.my_gatherings(user=organizer)[0]]
    assert gathering_selectors.my_gatherings(user=outsider) == ([], [])


def test_a_prepared_query_is_built_once_per_connection_and_runs_with_each_new_value(member, organizer):
    builds = []

    def build(user_id):
        builds.append(user_id)
        return User.objects.filter(pk=user_id).values_list("email", flat=True)

    emails = Prepared(build, user_id=int)
    assert emails(user_id=member.pk) == ["marie@example.org"]
    assert emails(user_id=organizer.pk) == ["olivier@example.org"]
    assert emails(user_id=0) == []
    assert len(builds) == 1
    assert connections[DEFAULT_DB_ALIAS].__dict__["_tablee_prepared"]


def test_model_rows_come_with_their_select_related_objects_and_no_further_query(
        member, django_assert_num_queries):
    rows = Prepared(lambda user_id: User.objects.select_related("profile").filter(pk=user_id), user_id=int)
    with django_assert_num_queries(1):
        (found,) = rows(user_id=member.pk)
        assert found.profile.languages == ["fr"]
    assert found == member
    assert found._state.adding is False



def test_a_new_query_never_runs_the_sql_of_a_freed_one_that_had_its_address(member):
    # CPython gives a freed object's memory to the next object of its size, so a new prepared query
    # soon has the id() of one dropped before it, while the connection keeps what the old one
    # compiled. Same parameter, other SQL: a stale statement would run without an error.
    def emails(user_id):
        return User.objects.filter(pk=user_id).values_list("email", flat=True)

    def ids(user_id):
        return User.objects.filter(pk=user_id).values_list("pk", flat=True)

    freed: set[int] = set()
    new = None
    for _ in range(100):
        old = Prepared(emails, user_id=int)
        assert old(user_id=member.pk) == ["marie@example.org"]
        freed.add(id(old))
        del old
        candidate = Prepared(ids, user_id=int)
        if id(candidate) in freed:
            new = candidate
            break
        del candidate
    if new is None:
        pytest.fail("no new query took the address of a freed one: nothing was checked")

    assert new(user_id=member.pk) == [member.pk]


def test_an_in_list_is_compiled_per_length_and_an_empty_list_needs_no_sql(member, organizer, other_member):
    emails = Prepared(lambda ids: User.objects.filter(pk__in=ids).order_by("email").values_list("email", flat=True),
                      ids=list)
    assert emails(ids=[member.pk, organizer.pk]) == ["marie@example.org", "olivier@example.org"]
    assert emails(ids=[other_member.pk, member.pk]) == ["marie@example.org", "samuel@example.org"]
    assert emails(ids=[other_member.pk]) == ["samuel@example.org"]
    assert emails(ids=[]) == []


def test_a_date_time_parameter_is_compared_as_the_orm_compares_it(make_gathering, member):
    make_gathering(title="Demain", starts_at=timezone.now() + timedelta(days=1))
    later = Prepared(lambda since: Membership.objects.filter(user_id=member.pk)
                     .filter(association__gatherings__starts_at__gte=since)
                     .values_list("association__gatherings__title", flat=True), since=datetime)
    assert later(since=timezone.now()) == ["Demain"]
    assert later(since=timezone.now() + timedelta(days=2)) == []


def test_a_value_the_orm_would_transform_is_refused_before_any_row_is_read(member):
    # (iexact too on SQLite; PostgreSQL compares UPPER() of the value as given, which a prepared query keeps.)
    for lookup in ("email__contains", "email__startswith", "email__icontains"):
        by_address = Prepared(lambda email, lookup=lookup: User.objects.filter(**{lookup: email}), email=str)
        with pytest.raises(ValueError, match="transformed"):
            by_address(email="MARIE@example.org")


def test_values_of_the_wrong_kind_are_refused(member):
    emails = Prepared(lambda user_id: User.objects.filter(pk=user_id).values_list("email", flat=True), user_id=int)
    with pytest.raises(TypeError):
        emails(user_id=str(member.pk))
    with pytest.raises(TypeError):
        emails(user_id=True)
    with pytest.raises(TypeError):
        emails(pk=member.pk)
    with pytest.raises(TypeError):
        Prepared(lambda flag: User.objects.filter(is_active=flag), flag=bool)


def test_a_revoked_token_is_refused_on_the_next_call(api, member):
    assert api.get("/api/me", user=member).status_code == 200
    ApiToken.objects.filter(user=member).update(revoked_at=timezone.now())
    assert api.get("/api/me", user=member).status_code == 401


def test_a_deactivated_person_is_signed_out_on_the_next_page(client, member):
    client.force_login(member)
    assert client.get("/gatherings/").status_code == 200
    User.objects.filter(pk=member.pk).update(is_active=False)
    response = client.get("/gatherings/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
