"""An invitation speaks to a member as a member: every invited address already belongs to the
association. Someone who already uses Tablée gets a link to their account (« Ouvrir mon compte »),
not a welcome; someone the association registered who never came in is told they are a member."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tablee.members.invitations import invitation_send
from tablee.members.models import Association, Membership


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("&#x27;", "'")


@pytest.fixture
def network(db):
    return Association.objects.create(slug="rgaq", name="Réseau des gens d'affaires de Québec")


def test_a_member_who_already_uses_tablee_gets_a_link_to_her_account(make_person, network, organizer):
    karine = make_person(association=network, email="karine@example.org", first_name="Karine")
    karine.last_login = timezone.now()
    karine.save(update_fields=["last_login"])

    email = invitation_send(association=network, user=karine, invited_by=organizer)

    text, html = _plain(email.body_text), _plain(email.body_html)
    assert email.subject == "Votre accès au Réseau des gens d'affaires de Québec sur Tablée"
    assert "vous envoie un lien vers votre compte Tablée, où vous retrouvez le Réseau des gens d'affaires" in text
    assert "vous invite à rejoindre" not in text and "vous invite à rejoindre" not in html
    assert "Ouvrir mon compte" in html and "Accepter l'invitation" not in html
    assert "Votre mot de passe ne change pas" in text
    assert "parce que vous êtes membre du Réseau des gens d'affaires de Québec sur Tablée" in html


def test_a_member_registered_by_the_association_is_told_she_is_a_member(make_person, network, organizer):
    nadia = make_person(association=network, email="nadia@example.org", first_name="Nadia", password=None)

    email = invitation_send(association=network, user=nadia, invited_by=organizer)

    text = _plain(email.body_text)
    assert "vous invite à entrer sur Tablée, où vous êtes membre du Réseau des gens d'affaires de Québec" in text
    assert "vous invite à rejoindre" not in text
    assert "Aucun mot de passe n'est nécessaire" in text
    assert email.subject == "Votre invitation au Réseau des gens d'affaires de Québec sur Tablée"


def test_without_an_organizer_the_registered_member_still_hears_she_is_a_member(make_person, network):
    nadia = make_person(association=network, email="nadia@example.org", first_name="Nadia", password=None)
    Membership.objects.filter(association=network, role="organizer").delete()

    email = invitation_send(association=network, user=nadia)

    text = _plain(email.body_text)
    assert "Vous êtes membre du Réseau des gens d'affaires de Québec sur Tablée" in text
    assert "rejoindre" not in text


def test_an_english_member_who_already_uses_tablee_reads_it_in_english(make_person, network, organizer):
    karine = make_person(association=network, email="karine@example.org", first_name="Karine",
                         preferred_language="en")
    karine.last_login = timezone.now()
    karine.save(update_fields=["last_login"])

    email = invitation_send(association=network, user=karine, invited_by=organizer)

    assert email.subject == "Your access to Réseau des gens d'affaires de Québec on Tablée"
    assert "is sending you a link to your Tablée account" in email.body_text
    assert "Open my account" in email.body_html
