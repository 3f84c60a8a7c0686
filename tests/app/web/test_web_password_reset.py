"""Password reset: the email is stored in the outbox, never sent inside the request."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from tablee.outbox.models import Email


def test_reset_request_queues_one_email_with_a_working_link(client, member):
    response = client.post(reverse("password_reset"), {"email": "marie@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
    email = Email.objects.get(kind="password_reset")
    assert email.to == "marie@example.org" and email.user == member
    assert "/accounts/reset/" in email.body_text and "/accounts/reset/" in email.body_html
    assert "pendant 3\u00a0jours" in email.body_text and "pendant 3\u00a0jours" in email.body_html  # says how long
    link = next(line for line in email.body_text.splitlines() if "/accounts/reset/" in line).strip()
    path = link[link.index("/accounts/reset/"):]
    page = client.get(path, follow=True)
    assert "Nouveau mot de passe" in page.content.decode()
    assert "new_password1" in page.content.decode()


def test_reset_for_an_unknown_email_says_the_same_and_queues_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "personne@example.org"})
    assert response.status_code == 302
    assert not Email.objects.exists()


def test_reset_email_is_written_in_the_member_language(client, member):
    member.profile.preferred_language = "en"
    member.profile.save()
    client.post(reverse("password_reset"), {"email": "marie@example.org"})
    email = Email.objects.get(kind="password_reset")
    assert email.subject == "Tablée: choose a new password"
    assert "for 3 days" in email.body_text


def test_sign_in_with_email_and_password(client, member):
    response = client.post(reverse("login"), {"username": "marie@example.org", "password": "motdepasse-tablee-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("gatherings:mine")
    assert client.get(reverse("gatherings:mine")).status_code == 200


def test_wrong_password_is_explained(client, member):
    response = client.post(reverse("login"), {"username": "marie@example.org", "password": "non"})
    assert response.status_code == 200
    assert "ne correspondent à aucun compte" in response.content.decode()
