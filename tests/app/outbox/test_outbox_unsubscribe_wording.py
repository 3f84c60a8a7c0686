"""The unsubscribe pages speak to whoever is there (email audit C8): « après avoir ouvert une session »
only to a visitor without a session (and never the masculine « après vous être connecté »), and an
association's invitations are refused by a button that names the association."""

from __future__ import annotations

from django.test import Client

from tablee.outbox import wayback
from tablee.outbox.models import OptOut, Topic

SITE = "http://tablee.example:8123"


def _path(settings, **pair) -> str:
    settings.SITE_URL = SITE
    return wayback.unsubscribe_url(**pair).removeprefix(SITE)


def _text(response) -> str:
    return response.content.decode().replace("\u00a0", " ").replace("&#x27;", "'")


def test_after_unsubscribing_only_a_visitor_without_a_session_is_told_to_open_one(settings, member):
    path = _path(settings, address=member.email, topic=Topic.REMINDERS)
    signed_in = Client()
    signed_in.force_login(member)

    anonymous = _text(Client().post(path))
    hers = _text(signed_in.post(path))

    assert "Vous pouvez changer d'avis dans vos préférences, après avoir ouvert une session." in anonymous
    assert "Vous pouvez changer d'avis dans vos préférences." in hers and "ouvert une session" not in hers
    assert "après vous être connecté" not in anonymous + hers
    assert "ouvert une session" not in _text(signed_in.get(path))
    assert "après avoir ouvert une session" in _text(Client().get(path))


def test_the_invitations_button_names_the_association_it_refuses(settings, association):
    path = _path(settings, address="thomas@example.org", topic=Topic.INVITATIONS,
                 scope=f"association:{association.pk}")

    page = _text(Client().get(path))
    done = _text(Client().post(path))

    assert "Ne plus recevoir les invitations de Café-rencontres de Québec</button>" in page
    assert "ses invitations" not in page + done
    assert "Annuler : recevoir de nouveau les invitations de Café-rencontres de Québec" in done
    assert OptOut.objects.filter(topic=Topic.INVITATIONS, scope=f"association:{association.pk}").exists()
