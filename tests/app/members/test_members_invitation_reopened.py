"""An invitation link opened again, by someone signed in or not, says plainly what happened and where
to go: the invitation of the account already open here has nothing left to do; someone else's
invitation never switches accounts without saying so; one already accepted says so (not « ce lien ne
fonctionne plus, demandez-en un nouveau »)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tablee.members.invitations import invitation_send
from tablee.members.models import LoginLink

MINE = reverse("gatherings:mine")


@pytest.fixture
def invitation(member, association, organizer):
    """The path of Marie's invitation to the association."""
    email = invitation_send(association=association, user=member, invited_by=organizer)
    [path] = re.findall(r"https?://[^/\s]+(/accounts/link/[^/\s]+/)", email.body_text)
    return path


def _signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _who(client: Client):
    return client.session.get("_auth_user_id")


def test_my_own_invitation_opened_while_signed_in_says_there_is_nothing_left_to_do(member, invitation):
    client = _signed_in(member)

    response = client.get(invitation)
    page = response.content.decode()

    assert response.status_code == 200
    assert "Votre session est déjà ouverte" in page and "marie@example.org" in page
    assert "vous êtes membre de Café-rencontres de Québec" in page
    assert f'href="{MINE}"' in page and 'data-testid="link-form"' not in page


def test_someone_elses_invitation_says_whose_it_is_and_keeps_my_session_unless_i_choose(other_member, invitation):
    client = _signed_in(other_member)

    page = client.get(invitation).content.decode()

    assert "Cette invitation est pour un autre compte" in page
    assert "Elle invite marie@example.org à rejoindre Café-rencontres de Québec." in page
    assert "Vous utilisez le compte samuel@example.org." in page
    assert f'href="{MINE}"' in page and "Continuer avec cette adresse" in page
    assert _who(client) == str(other_member.pk)  # opening it changed nothing

    client.post(invitation)  # a form sent without the choice (a page opened before signing in) switches nothing
    assert _who(client) == str(other_member.pk)

    client.post(invitation, {"switch": "1"})  # « Continuer avec cette adresse », under the sentence that says what it does

    assert _who(client) != str(other_member.pk)


def test_my_invitation_already_accepted_says_so_and_leads_to_my_gatherings(member, invitation):
    client = Client()
    assert client.post(invitation).status_code == 302  # accepted: Marie is signed in

    response = client.get(invitation)
    page = response.content.decode()

    assert response.status_code == 410
    assert "Vous avez déjà accepté cette invitation" in page
    assert "Vous êtes membre de Café-rencontres de Québec" in page and f'href="{MINE}"' in page
    assert "Demandez-en un nouveau" not in page


def test_someone_elses_accepted_invitation_says_it_was_accepted_and_leads_to_my_gatherings(
        member, other_member, invitation):
    assert Client().post(invitation).status_code == 302  # Marie accepted it
    client = _signed_in(other_member)

    page = client.get(invitation).content.decode()

    assert "Cette invitation a déjà été acceptée" in page and "pour un autre compte que le vôtre" in page
    assert "samuel@example.org" in page and "marie@example.org" not in page and f'href="{MINE}"' in page


def test_an_accepted_invitation_opened_signed_out_leads_to_sign_in(member, invitation):
    assert Client().post(invitation).status_code == 302

    response = Client().get(invitation)
    page = response.content.decode()

    assert response.status_code == 410
    assert "Cette invitation a déjà été acceptée" in page and f'href="{reverse("login")}"' in page
    assert LoginLink.objects.get(purpose=LoginLink.Purpose.INVITATION).used_at is not None
