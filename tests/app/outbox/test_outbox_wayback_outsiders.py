"""The way-back pages offer « Mes préférences de courriel » (behind a sign-in) only to an address with
an account: someone outside Tablée who received a share or a follow-up has no session to open."""

from __future__ import annotations

import pytest
from django.test import Client

from tablee.outbox import wayback
from tablee.outbox.models import OptOut, Topic

SITE = "http://tablee.example:8123"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _path(address: str, topic: str = Topic.PERSONAL) -> str:
    return wayback.unsubscribe_url(address=address, topic=topic).removeprefix(SITE)


def _text(response) -> str:
    return response.content.decode().replace("\u00a0", " ").replace("&#x27;", "'")


def test_an_outsider_is_not_sent_to_sign_in_for_preferences(db):
    path = _path("hoa.nguyen@ailleurs.example")
    visitor = Client()

    asked, done, undone = (_text(visitor.get(path)), _text(visitor.post(path)),
                           _text(visitor.post(path, {"undo": "1"})))

    for page in (asked, done, undone):
        assert "/account/preferences/" not in page
        assert "ouvert une session" not in page and "après vous être connecté" not in page
    assert 'data-testid="unsubscribe-confirm"' in asked and 'data-testid="unsubscribe-undo"' in done


def test_an_outsider_can_still_refuse_in_one_click(db):
    Client().post(_path("hoa.nguyen@ailleurs.example"))

    assert OptOut.objects.filter(address="hoa.nguyen@ailleurs.example", topic=Topic.PERSONAL).exists()


def test_a_member_is_still_offered_the_preferences(member):
    page = _text(Client().get(_path(member.email.upper())))

    assert 'href="/account/preferences/"' in page


def test_a_deactivated_account_is_not_offered_a_sign_in(member):
    member.is_active = False
    member.save()

    page = _text(Client().get(_path(member.email, Topic.REMINDERS)))

    assert "/account/preferences/" not in page
