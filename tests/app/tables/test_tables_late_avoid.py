"""An avoid wish saved after the plan is published. The pair it finds at one table stays there:
nothing the organizer or the table sees changes because of the wish alone (a repair that moved the
pair apart would list a move no RSVP explains, and so tell who asked). But the wish binds every
change made afterwards: a repair (a late RSVP, a re-booking, the door) seats nobody next to someone
they asked to avoid, and a manual move that would put them together is refused, with the same
neutral message as any avoid refusal, naming no one and no table."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tablee.gatherings.models import Rsvp
from tablee.tables import services
from tablee.tables.models import Seat, Wish

CSRF = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')
ELAPSED = re.compile(r'"repair_elapsed_s": [0-9.e-]+')


@pytest.fixture
def published(crowd, member, organizer, make_breakfast, planned):
    """30 people and the member at a published plan; the member's table-mate; one person not yet coming."""
    gathering = make_breakfast([*crowd[:30], member, organizer], tables=6, seats=6)
    plan = planned(gathering, publish=True)
    mine = Seat.objects.get(plan=plan, user=member).table
    mate = Seat.objects.filter(table=mine).exclude(user__in=[member, organizer]).first().user
    return gathering, plan, mate


def _organizer_sees(api, client, organizer, gathering) -> dict[str, str]:
    g = gathering.pk
    out = {}
    for path in (f"/api/gatherings/{g}/plan", f"/api/gatherings/{g}/attendees"):
        out[path] = ELAPSED.sub("…", api.get(path, user=organizer).content.decode())
    client.force_login(organizer)
    for path in (f"/organize/gatherings/{g}/tables/", f"/organize/gatherings/{g}/tables/print/",
                 f"/organize/gatherings/{g}/checkin/"):
        response = client.get(path)
        assert response.status_code == 200, path
        out[path] = CSRF.sub(r"\1…", response.content.decode())
    client.logout()
    return out


def _after(change, *, wish: tuple | None, api, client, organizer, gathering, association):
    """What the organizer sees after ``change`` (a late RSVP and its repair), with or without the
    wish saved after publication; everything is rolled back afterwards."""
    api.headers(organizer)  # the token outlives the rollback
    point = transaction.savepoint()
    try:
        if wish:
            services.wish_create(author=wish[0], association=association, kind="avoid", target=wish[1])
        change()
        seats = dict(Seat.objects.filter(plan__gathering=gathering).values_list("user_id", "table__number"))
        return _organizer_sees(api, client, organizer, gathering), seats
    finally:
        transaction.savepoint_rollback(point)


def _late_rsvp(gathering, user):
    at = timezone.now() + timedelta(hours=1)  # the same in both runs: lists are ordered by it

    def change():
        Rsvp.objects.create(gathering=gathering, user=user, status=Rsvp.Status.CONFIRMED, queued_at=at,
                            confirmed_at=at)
        assert services.plan_repair_after_rsvp(gathering=gathering).startswith("repaired")

    return change


def _door(gathering, walk_in, absent):
    at = timezone.now() + timedelta(hours=1)

    def change():
        Rsvp.objects.filter(gathering=gathering, user=absent).update(present=False)
        Rsvp.objects.create(gathering=gathering, user=walk_in, status=Rsvp.Status.CONFIRMED, queued_at=at,
                            confirmed_at=at, present=True)
        services.plan_repair(gathering=gathering)

    return change


@pytest.mark.django_db(transaction=False)
def test_a_late_rsvp_repair_moves_nobody_because_of_an_avoid_wish_saved_after_publication(
    api, client, published, crowd, member, organizer, association
):
    gathering, plan, mate = published
    late = crowd[31]

    kwargs = dict(api=api, client=client, organizer=organizer, gathering=gathering, association=association)
    change = _late_rsvp(gathering, late)
    with_wish, seats_with = _after(change, wish=(member, mate), **kwargs)
    without, seats_without = _after(change, wish=None, **kwargs)

    assert seats_with == seats_without
    assert seats_with[member.pk] == seats_with[mate.pk]  # this plan stays; the wish counts from the next
    for path, body in with_wish.items():
        assert body == without[path], f"the organizer can tell the wish exists from {path}"
    assert "confidentielle" not in with_wish[f"/organize/gatherings/{gathering.pk}/tables/"]


@pytest.mark.django_db(transaction=False)
def test_a_door_repair_moves_nobody_because_of_an_avoid_wish_saved_after_publication(
    api, client, published, crowd, member, organizer, association
):
    gathering, plan, mate = published
    absent = next(u for u in crowd[:30] if u.pk != mate.pk)

    kwargs = dict(api=api, client=client, organizer=organizer, gathering=gathering, association=association)
    change = _door(gathering, crowd[35], absent)
    with_wish, seats_with = _after(change, wish=(mate, member), **kwargs)
    without, seats_without = _after(change, wish=None, **kwargs)

    assert seats_with == seats_without
    for path, body in with_wish.items():
        assert body == without[path], f"the organizer can tell the wish exists from {path}"


def test_an_avoid_wish_saved_after_publication_separates_the_pair_in_the_next_plan(
    published, crowd, member, association, make_breakfast, planned
):
    gathering, plan, mate = published
    services.wish_create(author=member, association=association, kind="avoid", target=mate)

    following = make_breakfast([*crowd[:30], member], days=14, tables=6, seats=6)
    next_plan = planned(following, publish=True)

    seats = dict(Seat.objects.filter(plan=next_plan).values_list("user_id", "table__number"))
    assert seats[member.pk] != seats[mate.pk]


def test_a_later_avoid_wish_leaves_the_pair_seated_and_lets_the_organizer_move_them_apart(
    published, crowd, member, association
):
    gathering, plan, mate = published
    services.wish_create(author=member, association=association, kind="avoid", target=mate)
    source = Seat.objects.get(plan=plan, user=mate).table.number
    other = Seat.objects.filter(plan=plan).exclude(table__number=source).first().table.number

    services.plan_move(plan=plan, user=member, to_table=source)  # a move within the table: nothing to refuse
    services.plan_move(plan=plan, user=mate, to_table=other)

    assert Seat.objects.get(plan=plan, user=mate).table.number == other


def test_the_organizer_cannot_move_someone_back_next_to_a_person_who_since_asked_to_avoid_them(
    published, crowd, member, association
):
    gathering, plan, mate = published
    source = Seat.objects.get(plan=plan, user=mate).table.number
    other = Seat.objects.filter(plan=plan).exclude(table__number=source).first().table.number
    services.plan_move(plan=plan, user=mate, to_table=other)
    services.wish_create(author=member, association=association, kind="avoid", target=mate)

    with pytest.raises(services.PlanError) as refused:
        services.plan_move(plan=plan, user=mate, to_table=source)

    assert refused.value.message == "Ce déplacement n'est pas possible."
    assert Seat.objects.get(plan=plan, user=mate).table.number == other


def test_a_swap_that_parts_one_avoid_pair_but_seats_another_is_refused(published, crowd, member, association):
    gathering, plan, mate = published
    home = Seat.objects.get(plan=plan, user=member).table
    away = Seat.objects.filter(plan=plan).exclude(table=home).first()
    third = Seat.objects.filter(table=away.table).exclude(pk=away.pk).first().user
    # The pair already together (a wish saved after publication), and one the swap would make.
    services.wish_create(author=member, association=association, kind="avoid", target=mate)
    services.wish_create(author=third, association=association, kind="avoid", target=mate)

    with pytest.raises(services.PlanError):
        services.plan_swap(plan=plan, a=mate, b=away.user)

    assert Seat.objects.get(plan=plan, user=mate).table == home


@pytest.fixture
def two_full_tables(crowd, member, make_breakfast, planned):
    """Eight people at two tables of four, published: every seat taken."""
    gathering = make_breakfast([member, *crowd[:7]], tables=2, seats=4)
    plan = planned(gathering, publish=True)
    mate = Seat.objects.filter(plan=plan, table=Seat.objects.get(plan=plan, user=member).table).exclude(
        user=member).first().user
    return gathering, plan, mate


def test_a_member_who_rebooks_after_an_avoid_wish_is_not_seated_next_to_that_person_again(
    two_full_tables, member, association
):
    from tablee.gatherings.services import rsvp_cancel, rsvp_create
    from tablee.outbox.models import Email

    gathering, plan, mate = two_full_tables
    services.wish_create(author=member, association=association, kind="avoid", target=mate)
    rsvp_cancel(gathering=gathering, user=member)
    assert services.plan_repair_after_rsvp(gathering=gathering).startswith("repaired")
    assert not Seat.objects.filter(plan=plan, user=member).exists()  # the only free seat: next to the mate

    rsvp_create(gathering=gathering, user=member)
    services.plan_repair_after_rsvp(gathering=gathering)

    seats = dict(Seat.objects.filter(plan=plan).values_list("user_id", "table__number"))
    assert seats.get(member.pk) != seats[mate.pk]
    assert member.pk in seats  # seated at the other table: someone moved to make room
    told = Email.objects.filter(kind="plan_published", to=member.email).order_by("-pk").first()
    assert told is not None and mate.get_full_name() not in told.body_text


def test_a_late_rsvp_is_not_seated_next_to_someone_they_asked_to_avoid_after_publication(
    two_full_tables, crowd, member, association
):
    from tablee.gatherings.services import rsvp_cancel, rsvp_create

    gathering, plan, mate = two_full_tables
    late = crowd[8]
    rsvp_cancel(gathering=gathering, user=member)  # one free seat, at the mate's table
    services.plan_repair_after_rsvp(gathering=gathering)
    services.wish_create(author=late, association=association, kind="avoid", target=mate)

    rsvp_create(gathering=gathering, user=late)
    services.plan_repair_after_rsvp(gathering=gathering)

    seats = dict(Seat.objects.filter(plan=plan).values_list("user_id", "table__number"))
    assert late.pk in seats and seats[late.pk] != seats[mate.pk]


def test_saving_an_avoid_wish_after_my_table_is_published_tells_me_it_applies_from_the_next_gathering(
    client, published, member, association
):
    gathering, plan, mate = published
    client.force_login(member)

    response = client.post("/wishes/", {"association": association.pk, "kind": "avoid", "person": mate.pk},
                           follow=True)

    text = response.content.decode()
    assert Wish.objects.filter(author=member, target=mate, kind="avoid").exists()
    assert "Les tables de «\u00a0Déjeuner réseautage\u00a0»" in text
    assert "s&#x27;appliquera à partir de la prochaine rencontre" in text
    assert "vous pouvez encore annuler votre place" in text


def test_the_api_tells_an_english_speaking_member_the_same_in_english(api, published, member, association):
    gathering, plan, mate = published
    member.profile.preferred_language = "en"
    member.profile.save()

    response = api.post("/api/wishes", {"association": association.slug, "kind": "avoid", "email": mate.email},
                        user=member)

    assert response.status_code == 201
    notice = response.json()["notice"]
    assert notice.startswith("The tables for “Déjeuner réseautage”")
    assert "from the next gathering" in notice and "cancel your seat" in notice


def test_a_wish_saved_with_no_published_seat_says_nothing_more(api, client, crowd, member, association,
                                                              in_directory):
    in_directory(crowd[0])
    response = api.post("/api/wishes", {"association": association.slug, "kind": "avoid", "user_id": crowd[0].pk},
                        user=member)

    assert response.status_code == 201
    assert response.json()["notice"] == ""
