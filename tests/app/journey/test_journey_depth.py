"""The association's depth page: counts over the season, anonymous, organizers only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from tablee.gatherings.models import Rsvp
from tablee.tables.models import Plan, PlanTable, Seat


@pytest.fixture
def people(make_person, association):
    return [make_person(association=association, email=f"p{k}@example.org", first_name=f"Prénom{k}",
                        last_name=f"Nom{k}") for k in range(8)]


@pytest.fixture
def seated(make_gathering, organizer):
    def make(tables: list[list], *, days_ago: int):
        gathering = make_gathering(starts_at=timezone.now() - timedelta(days=days_ago))
        plan = Plan.objects.create(gathering=gathering, status=Plan.Status.PUBLISHED, published_at=timezone.now())
        now = timezone.now()
        for number, users in enumerate(tables, start=1):
            table = PlanTable.objects.create(plan=plan, number=number)
            for position, user in enumerate(users):
                Rsvp.objects.create(gathering=gathering, user=user, status=Rsvp.Status.CONFIRMED, queued_at=now,
                                    present=True)
                Seat.objects.create(plan=plan, table=table, user=user, position=position)
        return gathering

    return make


def test_new_pairs_and_repeats_are_counted_per_gathering(people, seated, association):
    from tablee.journey.selectors import association_depth

    a, b, c, d, e, f, g, h = people
    seated([[a, b, c, d], [e, f, g, h]], days_ago=20)
    # a and b meet again; everybody else is new to each other.
    seated([[a, b, e, f], [c, d, g, h]], days_ago=5)
    first, second = association_depth(association=association)
    assert first.attendees == 8 and first.new_pairs_per_member == 3.0 and first.repeat_rate == 0.0
    # 12 pairs, 2 already met (a-b, c-d, e-f, g-h → 4 repeats): 8 new pairs over 8 people.
    assert second.repeat_rate == round(4 / 12, 3)
    assert second.new_pairs_per_member == 2.0


def test_follow_up_share_counts_people_not_emails_and_hides_small_groups(people, seated, association, make_contact):
    from tablee.circle.models import Card, FollowUp
    from tablee.journey.selectors import association_depth

    big = seated([people[:6]], days_ago=10)
    small = seated([people[6:]], days_ago=4)
    for author in people[:3]:
        contact = make_contact(author, "Quelqu'un")
        card = Card.objects.create(owner=author, contact=contact, gathering=big)
        FollowUp.objects.create(owner=author, contact=contact, card=card, due_on=timezone.localdate(),
                                status=FollowUp.Status.SENT, sent_at=big.ends_at + timedelta(hours=20))
    late = make_contact(people[3], "Plus tard")
    late_card = Card.objects.create(owner=people[3], contact=late, gathering=big)
    FollowUp.objects.create(owner=people[3], contact=late, card=late_card, due_on=timezone.localdate(),
                            status=FollowUp.Status.SENT, sent_at=big.ends_at + timedelta(days=5))
    rows = {r.gathering_id: r for r in association_depth(association=association)}
    assert rows[big.pk].followed_up_share == 0.5
    assert rows[small.pk].followed_up_share is None


def test_mutual_continue_wishes_are_counted_as_pairs(people, seated, association):
    from tablee.circle.models import ContinueWish
    from tablee.journey.selectors import association_depth

    gathering = seated([people[:4]], days_ago=3)
    now = timezone.now()
    ContinueWish.objects.create(author=people[0], target=people[1], gathering=gathering, mutual_at=now)
    ContinueWish.objects.create(author=people[1], target=people[0], gathering=gathering, mutual_at=now)
    ContinueWish.objects.create(author=people[2], target=people[3], gathering=gathering)  # not mutual
    assert association_depth(association=association)[0].mutual_continues == 1


def test_the_depth_page_and_csv_name_nobody(client, organizer, people, seated):
    seated([people[:4], people[4:]], days_ago=6)
    client.force_login(organizer)
    page = client.get("/organize/associations/cafe-rencontres/depth/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "<title>" in html
    exported = client.get("/organize/associations/cafe-rencontres/depth.csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Date" and len(rows) == 2 and rows[1][2] == "8"
    for person in people:
        assert person.last_name not in html and person.last_name not in exported.content.decode()


def _csv(response, delimiter: str) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # the byte-order mark: Excel reads the accents right
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def test_the_depth_csv_opens_in_columns_in_a_french_excel_with_french_headers_and_decimal_commas(
        client, organizer, people, seated):
    a, b, c, d, e, f, g, h = people
    seated([[a, b, c, d], [e, f, g, h]], days_ago=20)
    seated([[a, b, e, f], [c, d, g, h]], days_ago=5)  # 4 of 12 pairs met before
    client.force_login(organizer)

    header, first, second = _csv(client.get("/organize/associations/cafe-rencontres/depth.csv"), ";")

    assert header == ["Date", "Rencontre", "Présents", "Nouvelles rencontres par membre", "Taux de répétition",
                      "Suivi en 48\u00a0h", "«\u00a0Poursuivre\u00a0» réciproques"]
    assert second[2:5] == ["8", "2,0", "0,333"]


def test_the_depth_csv_is_all_english_with_commas_for_an_english_speaking_organizer(client, organizer, people,
                                                                                     seated):
    from tablee.members.models import Profile

    a, b, c, d, e, f, g, h = people
    seated([[a, b, c, d], [e, f, g, h]], days_ago=20)
    seated([[a, b, e, f], [c, d, g, h]], days_ago=5)
    Profile.objects.filter(user=organizer).update(preferred_language="en")
    client.force_login(organizer)

    header, first, second = _csv(client.get("/organize/associations/cafe-rencontres/depth.csv"), ",")

    assert header == ["Date", "Gathering", "Attendees", "New people met per member", "Repeat rate",
                      "Followed up within 48 h", "Mutual “continue”"]
    assert second[2:5] == ["8", "2.0", "0.333"]


def test_depth_is_for_organizers_only(api, client, member, outsider, organizer):
    assert api.get("/api/associations/cafe-rencontres/depth", user=member).status_code == 403
    assert api.get("/api/associations/cafe-rencontres/depth", user=outsider).status_code == 404
    assert api.get("/api/associations/cafe-rencontres/depth", user=organizer).status_code == 200
    client.force_login(member)
    assert client.get("/organize/associations/cafe-rencontres/depth/").status_code == 403


def test_the_depth_api_returns_the_season(api, organizer, people, seated):
    seated([people[:4], people[4:]], days_ago=6)
    body = api.get("/api/associations/cafe-rencontres/depth", user=organizer).json()
    assert body["association"] == "cafe-rencontres"
    assert [g["attendees"] for g in body["gatherings"]] == [8]
    assert body["gatherings"][0]["followed_up_share"] == 0.0


FRENCH_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre"]


def test_the_depth_charts_write_their_days_as_quebec_does_and_english_its_way(client, organizer, people, seated):
    import calendar
    import re

    from tablee.members.models import Profile

    gathering = seated([people[:4], people[4:]], days_ago=6)
    day = timezone.localtime(gathering.starts_at)
    client.force_login(organizer)

    french = client.get("/organize/associations/cafe-rencontres/depth/").content.decode()
    Profile.objects.filter(user=organizer).update(preferred_language="en")
    english = client.get("/organize/associations/cafe-rencontres/depth/").content.decode()

    number = "1er" if day.day == 1 else str(day.day)
    assert f">{number}\u00a0{FRENCH_MONTHS[day.month - 1]}</text>" in french
    assert f">{calendar.month_name[day.month]} {day.day}</text>" in english
    assert not re.search(r">\d\d/\d\d</text>", french + english)  # never « 27/11 »


@pytest.mark.parametrize("language,name", [("fr-ca", "profondeur"), ("en", "depth")])
def test_the_depth_file_is_named_in_the_organizers_language(client, organizer, language, name):
    from tablee.members.models import Profile

    Profile.objects.filter(user=organizer).update(preferred_language=language)
    client.force_login(organizer)

    response = client.get("/organize/associations/cafe-rencontres/depth.csv")

    assert response["Content-Disposition"] == f'attachment; filename="{name}-cafe-rencontres.csv"'
