"""The organizer's members page: list and search, invitation state, invite/resend, roles, deactivation,
adding one member, the browser CSV import (preview, then all or nothing), and « Demander à joindre »."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from tablee.gatherings.models import Gathering, Rsvp
from tablee.members.models import Association, JoinRequest, Membership, User
from tablee.outbox.models import Email

PAGE = "/organize/associations/cafe-rencontres/members/"
HEADER = "email,first_name,last_name,organization,sector,languages,offers,needs,interests\n"


@pytest.fixture
def browser(organizer):
    client = Client()
    client.force_login(organizer)
    return client


def _row(html: str, email: str) -> str:
    start = html.index(f'data-email="{email}"')
    return html[start: html.index("</tr>", start)]


@pytest.mark.parametrize("who,status", [("member", 403), ("outsider", 404)])
def test_only_organizers_see_or_change_the_members(who, status, request, association, organizer, member):
    client = Client()
    client.force_login(request.getfixturevalue(who))

    assert client.get(PAGE).status_code == status
    assert client.post(PAGE + "add/", {"email": "x@example.org", "first_name": "X", "last_name": "Y"}).status_code == status
    assert client.post(PAGE + f"{member.pk}/deactivate/").status_code == status
    assert not User.objects.filter(email="x@example.org").exists()
    assert Membership.objects.filter(user=member).exists()


def test_anonymous_is_sent_to_sign_in(db, association):
    assert Client().get(PAGE).status_code == 302


def test_the_list_shows_role_invitation_state_and_last_gathering(browser, organizer, member, other_member, association):
    from tablee.members.invitations import invitation_send

    User.objects.filter(pk=organizer.pk).update(last_login=timezone.now())
    invitation_send(association=association, user=member)
    past = Gathering.objects.create(association=association, title="Déjeuner de septembre",
                                    starts_at=timezone.now() - timezone.timedelta(days=30))
    Rsvp.objects.create(gathering=past, user=member, status=Rsvp.Status.CONFIRMED, queued_at=past.starts_at)

    html = browser.get(PAGE).content.decode()

    assert "compte actif" in _row(html, organizer.email)
    assert "invitation le" in _row(html, member.email) and "Déjeuner de septembre" in _row(html, member.email)
    assert "aucune invitation" in _row(html, other_member.email)


def test_search_finds_by_name_email_or_organization(browser, member, other_member):
    html = browser.get(PAGE + "?q=coop").content.decode()  # Marie's organization is Coop Laval

    assert member.email in html and other_member.email not in html


def test_invite_one_then_everyone_pending(browser, organizer, member, other_member, association):
    User.objects.filter(pk=organizer.pk).update(last_login=timezone.now())

    browser.post(PAGE + f"{member.pk}/invite/")
    assert list(Email.objects.values_list("to", flat=True)) == [member.email]
    browser.post(PAGE + "invite/")  # without the confirmation: nothing sent
    assert list(Email.objects.values_list("to", flat=True)) == [member.email]
    browser.post(PAGE + "invite/", {"confirm": "1"})  # Marie was just invited: only Samuel now

    assert sorted(Email.objects.values_list("to", flat=True)) == [member.email, other_member.email]
    assert "Olivier Gagnon" in Email.objects.get(to=other_member.email).body_text


def test_change_a_role_but_not_ones_own(browser, organizer, member, association):
    browser.post(PAGE + f"{member.pk}/role/", {"role": "organizer", "confirm": "1"})
    browser.post(PAGE + f"{organizer.pk}/role/", {"role": "member", "confirm": "1"})

    assert Membership.objects.get(user=member).role == "organizer"
    assert Membership.objects.get(user=organizer).role == "organizer"


def test_promoting_a_member_asks_first_on_a_page_saying_what_the_role_gives(browser, member, association):
    page = browser.post(PAGE + f"{member.pk}/role/", {"role": "organizer"})

    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="role-confirm"' in html
    assert "Marie Tremblay fera partie de l'équipe d'organisation" in html
    assert 'name="confirm" value="1"' in html and 'name="role" value="organizer"' in html
    assert Membership.objects.get(user=member).role == "member"  # nothing changed yet

    browser.post(PAGE + f"{member.pk}/role/", {"role": "organizer", "confirm": "1"})

    assert Membership.objects.get(user=member).role == "organizer"


def test_demoting_an_organizer_asks_first_too(browser, make_person, association):
    co = make_person(association=association, role="organizer", email="co@example.org", first_name="Coralie",
                     last_name="Roy")

    html = browser.post(PAGE + f"{co.pk}/role/", {"role": "member"}).content.decode()

    assert "n'aura plus accès aux pages d'organisation" in html
    assert Membership.objects.get(user=co).role == "organizer"


def test_choosing_the_same_role_changes_nothing_and_asks_nothing(browser, member, association):
    response = browser.post(PAGE + f"{member.pk}/role/", {"role": "member"})

    assert response.status_code == 302 and Membership.objects.get(user=member).role == "member"


def test_a_deactivated_member_loses_access_and_can_come_back(browser, member, association):
    from tablee.members.access import is_member

    assert 'data-testid="deactivate-confirm"' in browser.get(PAGE).content.decode()
    browser.post(PAGE + f"{member.pk}/deactivate/")  # not confirmed: nothing happens
    assert is_member(member, association)
    browser.post(PAGE + f"{member.pk}/deactivate/", {"confirm": "1"})

    assert not is_member(member, association)
    assert Membership.all_objects.get(user=member).deactivated_at is not None
    marie = Client()
    marie.force_login(member)
    gathering = Gathering.objects.create(association=association, title="Souper", starts_at=timezone.now()
                                         + timezone.timedelta(days=3), state=Gathering.State.OPEN)
    assert marie.get(f"/gatherings/{gathering.pk}/").status_code == 404
    browser.post(PAGE + f"{member.pk}/reactivate/")
    assert is_member(member, association)


def test_add_one_member_with_an_invitation(browser, association):
    response = browser.post(PAGE + "add/", {"email": "nadia@example.org", "first_name": "Nadia", "last_name": "Roy",
                                            "organization": "Coop", "invite": "on"})

    assert response.status_code == 302
    nadia = User.objects.get(email="nadia@example.org")
    assert Membership.objects.get(user=nadia).association == association
    assert Email.objects.get().to == "nadia@example.org"


def test_adding_a_bad_address_shows_the_field_error(browser):
    response = browser.post(PAGE + "add/", {"email": "pas-une-adresse", "first_name": "N", "last_name": "R"})

    assert response.status_code == 400 and "errorlist" in response.content.decode()
    assert User.objects.count() == 1


def _upload(browser, text: str):
    """Send the file: the preview keeps it and the page shows what importing it would do."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    sent = browser.post(PAGE + "import/", {"file": SimpleUploadedFile("membres.csv", text.encode())})
    assert sent.status_code == 302
    return browser.get(sent["Location"])


def _confirm_url(html: str) -> str:
    [url] = re.findall(r'action="(/organize/[^"]+/import/preview/\d+/import/)"', html)
    return url


def test_the_import_preview_says_what_will_be_created_and_updated_and_writes_nothing(browser, member):
    User.objects.filter(pk=member.pk).update(last_login=timezone.now())  # Marie came already: no invitation
    response = _upload(browser, HEADER + "nadia@example.org,Nadia,Roy,,,fr,,,\nmarie@example.org,Marie,Tremblay,,,fr,,,\n")

    html = response.content.decode()
    assert "1\u00a0membre sera créé et 1\u00a0membre est déjà à jour." in html
    assert 'data-testid="import-confirm"' in html and 'name="data"' not in html  # the file stays on the server
    assert not User.objects.filter(email="nadia@example.org").exists()

    done = browser.post(_confirm_url(html), {"invite": "on"})
    assert done.status_code == 302
    nadia = User.objects.get(email="nadia@example.org")
    assert Membership.objects.filter(user=nadia).exists()
    assert list(Email.objects.values_list("to", flat=True)) == ["nadia@example.org"]


def _changes(html: str, email: str) -> str:
    start = html.index('class="import-change" id="changes-')
    start = html.index(f'data-email="{email}"', start)
    return html[start: html.index("</dl>", start)]


def test_the_preview_shows_each_members_values_before_and_after_and_keeps_them_by_default(browser, member):
    html = _upload(browser, HEADER + "marie@example.org,Marie,Tremblay,Autre Coop,,fr,,,vélo\n").content.decode()

    changes = _changes(html, member.email)
    assert "Coop Laval</strong> → Autre Coop" in changes and "gardé, sauf si vous remplacez" in changes
    assert "→ <strong>vélo</strong>" in changes and "sera rempli" in changes
    assert 'name="mode" value="fill"' in html and 'value="replace"' in html

    assert browser.post(_confirm_url(html), {}).status_code == 302

    member.profile.refresh_from_db()
    assert (member.profile.organization, member.profile.interests) == ("Coop Laval", ["vélo"])


def test_the_organizer_may_choose_to_replace_what_members_filled_in(browser, member):
    html = _upload(browser, HEADER + "marie@example.org,Marie,Tremblay,Autre Coop,,fr,,,\n").content.decode()

    browser.post(_confirm_url(html), {"mode": "replace"})

    member.profile.refresh_from_db()
    assert member.profile.organization == "Autre Coop"


def test_the_preview_shows_nothing_of_the_profile_of_someone_from_another_association(browser, outsider):
    from tablee.members.models import Profile

    Profile.objects.filter(user=outsider).update(organization="Cabinet Discret")
    html = _upload(browser, HEADER + "alex@example.org,Alexandra,Smith,Autre,,fr,,,\n").content.decode()

    assert "Cabinet Discret" not in html and 'data-testid="import-changes"' not in html
    assert 'name="mode"' not in html  # nothing of theirs can be replaced


def test_the_preview_lists_every_bad_line_and_offers_no_import(browser):
    response = _upload(browser, HEADER + "ok@example.org,Ok,Bon,,,fr,,,\nmauvais,A,B,,,fr,,,\nc@example.org,,C,,,fr,,,\n")

    html = response.content.decode()
    assert "ligne 3" in html and "ligne 4" in html
    assert 'data-testid="import-confirm"' not in html
    assert not User.objects.filter(email="ok@example.org").exists()


def test_a_preview_with_bad_lines_keeps_no_file_and_its_confirmation_imports_nothing(browser):
    from tablee.jobs.models import Job

    html = _upload(browser, HEADER + "ok@example.org,Ok,Bon,,,fr,,,\nmauvais,A,B,,,fr,,,\n").content.decode()
    job = Job.objects.get(kind=Job.Kind.MEMBERS_PREVIEW)

    response = browser.post(PAGE + f"import/preview/{job.pk}/import/", {"invite": "on"}, follow=True)

    assert 'data-testid="import-confirm"' not in html and bytes(job.data) == b""
    assert "ne peut pas être importé tel quel" in response.content.decode()
    assert not User.objects.filter(email="ok@example.org").exists() and not Email.objects.exists()


def test_the_confirmation_imports_the_kept_file_once_for_any_organizer_of_the_association(
        browser, association, make_person, member):
    html = _upload(browser, HEADER + "nadia@example.org,Nadia,Roy,,,fr,,,\n").content.decode()
    co_organizer = Client()
    co_organizer.force_login(make_person(association=association, role="organizer", email="co@example.org"))
    member_client = Client()
    member_client.force_login(member)

    assert member_client.post(_confirm_url(html), {}).status_code == 403
    assert co_organizer.post(_confirm_url(html), {}).status_code == 302
    again = browser.post(_confirm_url(html), {}, follow=True).content.decode()

    assert User.objects.filter(email="nadia@example.org").count() == 1
    assert "déjà été importé" in again and 'data-testid="import-confirm"' not in again and "Recommencer" in again


def test_an_expired_members_preview_says_so_and_imports_nothing(browser):
    from datetime import timedelta

    from tablee.jobs.models import Job

    html = _upload(browser, HEADER + "nadia@example.org,Nadia,Roy,,,fr,,,\n").content.decode()
    Job.objects.filter(kind=Job.Kind.MEMBERS_PREVIEW).update(expires_at=timezone.now() - timedelta(minutes=1))

    response = browser.post(_confirm_url(html), {"invite": "on"}, follow=True).content.decode()

    assert "Cet aperçu a expiré" in response and 'data-testid="import-confirm"' not in response
    assert not User.objects.filter(email="nadia@example.org").exists() and not Email.objects.exists()


def test_join_requests_wait_for_approval_which_sends_the_invitation(browser, association):
    assert Client().get("/associations/cafe-rencontres/join/").status_code == 404  # closed by default
    browser.post("/organize/associations/cafe-rencontres/requests/open/", {"open": "1"})
    assert Association.objects.get(pk=association.pk).open_to_requests

    page = Client().post("/associations/cafe-rencontres/join/", {"first_name": "Léa", "last_name": "Roy",
                                                                 "email": "lea@example.org", "message": "Bonjour"})
    assert page.status_code == 200
    join_request = JoinRequest.objects.get()
    assert not User.objects.filter(email="lea@example.org").exists()
    assert not Email.objects.exclude(kind="join_requests").exists()  # only the organizers' notice
    assert "lea@example.org" in browser.get(PAGE).content.decode()

    browser.post(f"/organize/associations/cafe-rencontres/requests/{join_request.pk}/", {"decision": "approve"})

    lea = User.objects.get(email="lea@example.org")
    assert Membership.objects.get(user=lea).association == association
    assert Email.objects.get(kind="invitation").to == "lea@example.org"
    join_request.refresh_from_db()
    assert join_request.status == "approved"


def test_a_declined_request_creates_nobody(browser, association):
    Association.objects.filter(pk=association.pk).update(open_to_requests=True)
    Client().post("/associations/cafe-rencontres/join/", {"first_name": "Léa", "last_name": "Roy",
                                                          "email": "lea@example.org"})

    browser.post(f"/organize/associations/cafe-rencontres/requests/{JoinRequest.objects.get().pk}/",
                 {"decision": "decline"})  # not confirmed: nothing happens
    assert JoinRequest.objects.get().status == "pending"

    browser.post(f"/organize/associations/cafe-rencontres/requests/{JoinRequest.objects.get().pk}/",
                 {"decision": "decline", "confirm": "1"})

    assert not User.objects.filter(email="lea@example.org").exists()
    assert not Email.objects.filter(to="lea@example.org").exists()  # the requester is told nothing
    assert JoinRequest.objects.get().status == "declined"
    assert 'data-testid="join-request"' not in browser.get(PAGE).content.decode()


def test_refusing_a_request_is_asked_first_on_the_page_and_says_nobody_is_told(browser, association):
    JoinRequest.objects.create(association=association, email="lea@example.org", first_name="Léa", last_name="Roy")

    html = browser.get(PAGE).content.decode()

    box = html[html.index('data-testid="join-decline-box"'):]
    assert "Aucun courriel ne lui est envoyé" in box[:box.index("</details>")]
    assert 'name="confirm" value="1"' in box[:box.index("</details>")]


def test_pending_requests_come_first_on_the_members_page_with_jump_links(browser, association, make_person):
    for n in range(30):
        make_person(association=association, email=f"m{n}@example.org")
    JoinRequest.objects.create(association=association, email="lea@example.org", first_name="Léa", last_name="Roy")

    html = browser.get(PAGE).content.decode()

    jump = html[html.index('data-testid="roster-jump"'):]
    jump = jump[:jump.index("</nav>")]
    assert 'href="#demandes"' in jump and "1\u00a0demande en attente" in jump
    assert 'href="#ajouter"' in jump and 'href="#importer"' in jump
    assert html.index('data-testid="join-request"') < html.index('data-testid="roster"')
    assert html.index('data-testid="roster-jump"') < html.index('data-testid="roster"')
    assert 'id="ajouter"' in html and 'id="importer"' in html and 'id="demandes"' in html


def test_the_association_page_tells_organizers_how_many_requests_wait(browser, association):
    assert 'data-testid="join-requests-waiting"' not in browser.get(
        "/organize/associations/cafe-rencontres/").content.decode()
    for name in ("lea", "paul"):
        JoinRequest.objects.create(association=association, email=f"{name}@example.org", first_name=name,
                                   last_name="Roy")

    html = browser.get("/organize/associations/cafe-rencontres/").content.decode()

    assert "2\u00a0demandes d'adhésion attendent votre réponse" in html
    assert 'href="/organize/associations/cafe-rencontres/members/#demandes"' in html


def test_a_stranger_finds_the_join_page_from_the_home_page_and_the_associations_page(db, association,
                                                                                     other_association):
    stranger = Client()
    assert "cafe-rencontres" not in stranger.get("/").content.decode()  # closed: not listed
    assert stranger.get("/associations/cafe-rencontres/").status_code == 404
    Association.objects.filter(pk=association.pk).update(open_to_requests=True, description="Des déjeuners à Québec.")

    home = stranger.get("/").content.decode()
    assert 'href="/associations/cafe-rencontres/join/"' in home and "Café-rencontres de Québec" in home
    assert "Une autre association" not in home  # still closed
    page = stranger.get("/associations/cafe-rencontres/").content.decode()
    assert "Des déjeuners à Québec." in page and 'href="/associations/cafe-rencontres/join/"' in page
    assert 'href="/#rejoindre"' in stranger.get("/accounts/login/").content.decode()


def test_a_member_on_the_associations_page_is_led_to_their_gatherings(client, member, association):
    Association.objects.filter(pk=association.pk).update(open_to_requests=True)
    client.force_login(member)

    page = client.get("/associations/cafe-rencontres/").content.decode()

    assert "Vous êtes membre" in page and "/associations/cafe-rencontres/join/" not in page
    assert 'data-testid="open-associations"' not in client.get("/").content.decode()


def test_the_list_orders_names_as_french_does_accents_and_case_second(browser, association, make_person):
    for k, last in enumerate(["Boucher", "émond", "Bélanger", "Fortin", "Éthier", "bergeron"]):
        make_person(association=association, email=f"ordre{k}@example.org", first_name="Zoé", last_name=last)

    html = browser.get(PAGE + "?q=Zoé").content.decode()

    shown = list(dict.fromkeys(re.findall(r"Zoé (\w+)", html)))  # a row names its person twice
    assert shown == ["Bélanger", "bergeron", "Boucher", "émond", "Éthier", "Fortin"], shown


def _decline_invitations(person, association):
    """What the invitation's way back records when the person refuses this association's invitations."""
    from tablee.members.invitations import invitation_scope
    from tablee.outbox.models import Topic
    from tablee.outbox.services import optout_set

    optout_set(address=person.email, topic=Topic.INVITATIONS, scope=invitation_scope(association), refuse=True)


def test_an_invitation_someone_declined_shows_as_declined_and_is_counted_apart(browser, organizer, member,
                                                                               other_member, association):
    from tablee.members.invitations import invitation_send

    User.objects.filter(pk=organizer.pk).update(last_login=timezone.now())
    invitation_send(association=association, user=member)
    invitation_send(association=association, user=other_member)
    _decline_invitations(member, association)

    html = browser.get(PAGE).content.decode()

    assert "invitation déclinée" in _row(html, member.email) and "invitation le" not in _row(html, member.email)
    assert "Relancer" not in _row(html, member.email)  # nothing would leave
    assert "invitation le" in _row(html, other_member.email)
    assert "1\u00a0membre n'a pas encore ouvert de session" in html  # Samuel only
    assert "Oui, envoyer 1\u00a0courriel" in html
    assert "1\u00a0personne a décliné les invitations de l&#x27;association" in html


def test_inviting_everyone_pending_sends_nothing_to_who_declined_and_says_so_apart(browser, organizer, member,
                                                                                   other_member, association):
    User.objects.filter(pk=organizer.pk).update(last_login=timezone.now())
    _decline_invitations(member, association)

    page = browser.post(PAGE + "invite/", {"confirm": "1"}, follow=True).content.decode()

    assert list(Email.objects.values_list("to", flat=True)) == [other_member.email]  # no row for Marie
    assert "1\u00a0invitation envoyée." in page
    assert "1\u00a0personne a décliné les invitations de l&#x27;association" in page
