"""gathering_create / gathering_update / series_create."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tablee.gatherings import services
from tablee.gatherings.models import Gathering, Rsvp, Series

TORONTO = ZoneInfo("America/Toronto")


def test_gathering_create_stores_capacity(association):
    gathering = services.gathering_create(
        association=association, title="Déjeuner", starts_at=timezone.now() + timedelta(days=3), tables=4,
        seats_per_table=5,
    )

    assert Gathering.objects.get(pk=gathering.pk).capacity == 20


@pytest.mark.parametrize(
    "fields",
    [
        {"tables": 0},
        {"seats_per_table": 1},
        {"duration_minutes": 10},
        {"rsvp_deadline": timezone.now() + timedelta(days=30)},
        {"title": ""},
    ],
)
def test_gathering_create_rejects_bad_values(association, fields):
    values = {"association": association, "title": "Déjeuner", "starts_at": timezone.now() + timedelta(days=3)}
    values.update(fields)

    with pytest.raises(ValidationError):
        services.gathering_create(**values)
    assert not Gathering.objects.exists()


def test_gathering_create_rejects_a_naive_start(association):
    with pytest.raises(ValidationError):
        services.gathering_create(association=association, title="Déjeuner", starts_at=datetime(2030, 1, 1, 7, 30))
    assert not Gathering.objects.exists()


def test_capacity_cannot_drop_below_confirmed(make_gathering, make_person, association):
    gathering = make_gathering(tables=1, seats_per_table=4)
    for _ in range(3):
        services.rsvp_create(gathering=gathering, user=make_person(association=association))

    with pytest.raises(ValidationError):
        services.gathering_update(gathering=gathering, seats_per_table=2)

    assert Gathering.objects.get(pk=gathering.pk).seats_per_table == 4


def test_capacity_can_drop_to_the_confirmed_count(make_gathering, make_person, association):
    gathering = make_gathering(tables=2, seats_per_table=4)
    for _ in range(4):
        services.rsvp_create(gathering=gathering, user=make_person(association=association))

    services.gathering_update(gathering=gathering, tables=1)

    assert Gathering.objects.get(pk=gathering.pk).capacity == 4


def test_more_capacity_fills_from_the_waiting_list(make_gathering, make_person, association):
    gathering = make_gathering(tables=1, seats_per_table=2)
    people = [make_person(association=association) for _ in range(5)]
    for person in people:
        services.rsvp_create(gathering=gathering, user=person)

    services.gathering_update(gathering=gathering, seats_per_table=3)

    assert list(
        Rsvp.objects.filter(gathering=gathering).order_by("queued_at", "pk").values_list("status", flat=True)
    ) == ["confirmed", "confirmed", "confirmed", "waitlisted", "waitlisted"]


def test_series_creates_first_tuesdays_at_730_local_across_dst(association):
    series, gatherings = services.series_create(
        association=association, title="Premier mardi", weekday=1, week_of_month=1, start_time=time(7, 30),
        first_date=date(2027, 1, 1), count=12, rsvp_deadline_hours=48,
    )

    assert Series.objects.get(pk=series.pk).gatherings.count() == 12
    local = [g.starts_at.astimezone(TORONTO) for g in Gathering.objects.filter(series=series).order_by("starts_at")]
    assert [d.date() for d in local] == [
        date(2027, 1, 5), date(2027, 2, 2), date(2027, 3, 2), date(2027, 4, 6), date(2027, 5, 4),
        date(2027, 6, 1), date(2027, 7, 6), date(2027, 8, 3), date(2027, 9, 7), date(2027, 10, 5),
        date(2027, 11, 2), date(2027, 12, 7),
    ]
    assert {(d.hour, d.minute) for d in local} == {(7, 30)}
    # 7:30 EST is 12:30 UTC; 7:30 EDT (14 March – 7 November 2027) is 11:30 UTC.
    utc_hours = [g.starts_at.astimezone(ZoneInfo("UTC")).hour for g in gatherings]
    assert utc_hours == [12, 12, 12, 11, 11, 11, 11, 11, 11, 11, 11, 12]
    assert all(g.starts_at - g.rsvp_deadline == timedelta(hours=48) for g in gatherings)


def test_series_last_friday_and_skips_dates_before_the_first(association):
    _, gatherings = services.series_create(
        association=association, title="Dernier vendredi", weekday=4, week_of_month=-1, start_time=time(12, 0),
        first_date=date(2027, 1, 30), count=3,
    )

    assert [g.starts_at.astimezone(TORONTO).date() for g in gatherings] == [
        date(2027, 2, 26), date(2027, 3, 26), date(2027, 4, 30),
    ]


def test_series_weekly(association):
    _, gatherings = services.series_create(
        association=association, title="Chaque jeudi", weekday=3, week_of_month=1, start_time=time(7, 0),
        first_date=date(2027, 3, 1), count=3, frequency=Series.Frequency.WEEKLY,
    )

    assert [g.starts_at.astimezone(TORONTO).date() for g in gatherings] == [
        date(2027, 3, 4), date(2027, 3, 11), date(2027, 3, 18),
    ]


def test_series_rejects_a_bad_count(association):
    with pytest.raises(ValidationError):
        services.series_create(
            association=association, title="x", weekday=1, week_of_month=1, start_time=time(7, 30),
            first_date=date(2027, 1, 1), count=0,
        )
    assert not Series.objects.exists()
