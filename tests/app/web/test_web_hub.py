"""The gathering page is the hub and changes with time; « Mes rencontres » says what is left to do."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tablee.gatherings.models import Gathering, Rsvp


def _attend(gathering, user):
    now = timezone.now()
    return Rsvp.objects.create(gathering=gathering, user=user, status=Rsvp.Status.CONFIRMED, queued_at=now,
                               confirmed_at=now)


def test_before_the_gathering_the_hub_offers_my_place_my_intention_and_my_table(client, member, make_gathering):
    gathering = make_gathering()
    _attend(gathering, member)
    client.force_login(member)
    page = client.get(f"/gatherings/{gathering.pk}/").content.decode()
    assert 'data-testid="hub-before"' in page and 'data-testid="hub-intention"' in page
    assert 'data-testid="hub-my-table"' in page and 'data-testid="hub-cards"' not in page


def test_after_the_gathering_keep_my_cards_comes_first_and_the_seat_is_no_longer_reserved(
    client, member, association
):
    gathering = Gathering.objects.create(association=association, title="Déjeuner d'hier",
                                         starts_at=timezone.now() - timedelta(days=1), state=Gathering.State.DONE)
    _attend(gathering, member)
    client.force_login(member)
    page = client.get(f"/gatherings/{gathering.pk}/").content.decode()
    after = page.index('data-testid="hub-after"')
    assert page.index('data-testid="hub-cards"') < page.index('data-testid="hub-reflection"') \
        < page.index('data-testid="hub-continue"')
    assert after < page.index('data-testid="hub-cards"')
    assert f"/gatherings/{gathering.pk}/cards/" in page
    assert "Votre place est réservée" not in page and ".ics" not in page


def test_mes_rencontres_says_what_is_left_to_do_and_badges_follow_time(client, member, association,
                                                                         make_gathering):
    upcoming = make_gathering()
    _attend(upcoming, member)
    past = Gathering.objects.create(association=association, title="Déjeuner d'hier",
                                    starts_at=timezone.now() - timedelta(days=1), state=Gathering.State.DONE)
    _attend(past, member)
    client.force_login(member)
    page = client.get("/gatherings/").content.decode()
    assert f'data-testid="todo-cards-{past.pk}"' in page
    upcoming_part = page[:page.index("Passées")]
    assert "Votre place est réservée" in upcoming_part and "Vous y aviez votre place" not in upcoming_part
    assert "Vous y aviez votre place" in page[page.index("Passées"):]


def test_mes_rencontres_asks_nothing_of_a_member_marked_absent(client, member, association):
    from tablee.gatherings.models import Rsvp

    absent = Gathering.objects.create(association=association, title="Déjeuner manqué",
                                      starts_at=timezone.now() - timedelta(days=2), state=Gathering.State.DONE)
    present = Gathering.objects.create(association=association, title="Déjeuner réussi",
                                       starts_at=timezone.now() - timedelta(days=3), state=Gathering.State.DONE)
    _attend(absent, member)
    _attend(present, member)
    Rsvp.objects.filter(gathering=absent, user=member).update(present=False)
    Rsvp.objects.filter(gathering=present, user=member).update(present=True)
    client.force_login(member)
    page = client.get("/gatherings/").content.decode()
    assert f'data-testid="todo-cards-{present.pk}"' in page
    assert f'data-testid="todo-cards-{absent.pk}"' not in page


def test_a_finished_gathering_no_longer_shows_its_signup_deadline(client, member, association, make_gathering):
    upcoming = make_gathering()
    Gathering.objects.filter(pk=upcoming.pk).update(rsvp_deadline=upcoming.starts_at - timedelta(hours=18))
    done = Gathering.objects.create(association=association, title="Déjeuner d'hier",
                                    starts_at=timezone.now() - timedelta(days=1), state=Gathering.State.DONE,
                                    rsvp_deadline=timezone.now() - timedelta(days=2))
    _attend(done, member)
    client.force_login(member)

    assert 'data-testid="rsvp-deadline"' in client.get(f"/gatherings/{upcoming.pk}/").content.decode()  # the control
    page = client.get(f"/gatherings/{done.pk}/").content.decode().replace("&#x27;", "'")
    assert "Inscriptions jusqu'au" not in page
