"""Done when, end to end: a fresh database, `tablee association create`, `tablee members import … --invite`
of three people, a real SMTP server on loopback and the worker delivering; the link works once; a reset
for a member who never had a password delivers; the API's `invite: true` delivers."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from tablee import cli
from tablee.members.models import Membership, User

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "email,first_name,last_name,organization,sector,languages,offers,needs,interests\n"
SITE = "http://tablee.example:8123"


def _link(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    [url] = re.findall(re.escape(SITE) + r"/accounts/link/[^/\s]+/", body)
    return url[len(SITE):]


def _deliver() -> None:
    assert cli.main(["-v", "0", "worker", "--batch"]) == 0


def _csv(tmp_path):
    path = tmp_path / "membres.csv"
    path.write_text(HEADER + "anne@example.org,Anne,Roy,,,fr,,,\n"
                    "bruno@example.org,Bruno,Tremblay,,,en,,,\n"
                    "chloe@example.org,Chloé,Gagnon,,,fr,,,\n")
    return path


def test_an_association_brings_its_members_in_by_email(smtp, settings, tmp_path, capsys, api):
    settings.SITE_URL = SITE
    assert cli.main(["association", "create", "rgaq", "Réseau des gens d'affaires de Québec"]) == 0
    capsys.readouterr()

    # Three imported members, one invitation each, delivered by the worker.
    assert cli.main(["members", "import", "rgaq", str(_csv(tmp_path)), "--invite"]) == 0
    assert "3\u00a0invitations mises en file d'envoi" in capsys.readouterr().out
    _deliver()
    messages = smtp.inbox.messages
    assert sorted(m["To"] for m in messages) == ["anne@example.org", "bruno@example.org", "chloe@example.org"]
    assert all("Réseau des gens d'affaires de Québec" in m["Subject"] for m in messages)
    bruno = next(m for m in messages if m["To"] == "bruno@example.org")
    assert bruno["Subject"].strip().startswith("Your invitation")  # in the member's language
    link = _link(next(m for m in messages if m["To"] == "anne@example.org"))

    # GET shows one button and signs no one in (mail scanners pre-open links); POST signs in.
    browser = Client()
    page = browser.get(link)
    html = page.content.decode()
    assert page.status_code == 200
    form = html[html.index('data-testid="link-form"'):]
    form = form[: form.index("</form>")]
    assert form.count("<button") == 1 and "Continuer" in form and form.count("<input") == 1  # the CSRF token
    assert SESSION_KEY not in browser.session
    pressed = browser.post(link)
    assert pressed.status_code == 302 and pressed["Location"] == "/welcome/"
    anne = User.objects.get(email="anne@example.org")
    assert browser.session[SESSION_KEY] == str(anne.pk)

    # The same link a second time does not.
    again = Client()
    assert again.post(link).status_code == 410
    assert SESSION_KEY not in again.session

    # « Mot de passe oublié » for a member who never had a password delivers an activation link.
    chloe = User.objects.get(email="chloe@example.org")
    assert not chloe.has_usable_password()
    assert Client().post("/accounts/password-reset/", {"email": "chloe@example.org"}).status_code == 302
    _deliver()
    [reset] = smtp.inbox.messages[3:]
    assert reset["To"] == "chloe@example.org"
    activation = Client()
    activation.post(_link(reset))
    assert activation.session[SESSION_KEY] == str(chloe.pk)

    # An organizer adds one member through the API with invite: true; the worker delivers.
    assert cli.main(["members", "promote", "rgaq", "anne@example.org", "--role", "organizer"]) == 0
    response = api.post("/api/associations/rgaq/members", {"email": "denis@example.org", "first_name": "Denis",
                                                          "last_name": "Côté", "invite": True}, user=anne)
    assert response.status_code == 201
    denis = User.objects.get(email="denis@example.org")
    assert response.json() == {"id": denis.pk, "email": "denis@example.org", "invited": True}
    _deliver()
    [invitation] = smtp.inbox.messages[4:]
    assert invitation["To"] == "denis@example.org" and "Anne Roy" in invitation.get_body(("plain",)).get_content()
    Client().post(_link(invitation))
    assert Membership.objects.get(user=denis).association.slug == "rgaq"
    print("emails delivered per step: import 3, reset 1, api 1; total", len(smtp.inbox.messages))
