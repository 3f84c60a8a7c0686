"""Mends from the phone walk of session 10: a stranger is never led to an empty list of associations;
a member sees their follow-ups to write whenever one is due; an organizer's move keeps their place in
the table plan; a few sentences say what they mean."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from django.test import Client

from tablee.members.models import Association


def _text(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("\u00a0", " ")


def test_a_stranger_sees_no_way_to_join_online_when_no_association_takes_requests(association):
    stranger = Client()

    home, login = _text(stranger.get("/")), _text(stranger.get("/accounts/login/"))

    assert "Devenir membre d'une association" not in home and 'id="rejoindre"' not in home
    assert "Aucune association n'accepte" not in home
    assert "Votre association vous inscrit : écrivez à son équipe d'organisation." in home
    assert "Voir les associations qui accueillent des demandes" not in login
    assert 'href="/#rejoindre"' not in login


def test_a_stranger_is_led_to_the_open_associations_once_one_takes_requests(association):
    Association.objects.filter(pk=association.pk).update(open_to_requests=True)
    stranger = Client()

    home, login = _text(stranger.get("/")), _text(stranger.get("/accounts/login/"))

    assert 'href="#rejoindre"' in home and 'href="/associations/cafe-rencontres/join/"' in home
    assert "Votre association vous inscrit" not in home
    assert 'href="/#rejoindre"' in login


def test_the_demo_association_takes_requests_so_the_demo_shows_the_way_in(db):
    from tablee.demo import load_demo

    load_demo(out=io.StringIO(), now=datetime(2026, 11, 20, 15, 0, tzinfo=UTC))

    assert Association.objects.get(slug="demo").open_to_requests
    assert 'href="/associations/demo/join/"' in _text(Client().get("/"))


def test_my_gatherings_show_my_follow_ups_to_write_whenever_one_is_late(client, member):
    from datetime import timedelta

    from django.utils import timezone

    from tablee.circle.models import Contact, FollowUp

    today = timezone.localdate()
    for k, due in enumerate([today - timedelta(days=21), today, today + timedelta(days=3)]):
        contact = Contact.objects.create(owner=member, name=f"Contact {k}", email=f"c{k}@example.org")
        FollowUp.objects.create(owner=member, contact=contact, due_on=due)
    FollowUp.objects.create(owner=member, contact=contact, due_on=today - timedelta(days=30),
                            status=FollowUp.Status.SENT)
    client.force_login(member)

    page = _text(client.get("/gatherings/"))

    assert 'data-testid="todo"' in page  # no gathering in the last week: shown all the same
    assert '<a href="/followups/" data-testid="todo-followups">Mes suivis à écrire (2)</a>' in page


def test_my_gatherings_show_no_to_do_when_nothing_is_due(client, member):
    from datetime import timedelta

    from django.utils import timezone

    from tablee.circle.models import Contact, FollowUp

    contact = Contact.objects.create(owner=member, name="Plus Tard", email="tard@example.org")
    FollowUp.objects.create(owner=member, contact=contact, due_on=timezone.localdate() + timedelta(days=2))
    client.force_login(member)

    assert 'data-testid="todo"' not in _text(client.get("/gatherings/"))
