"""« Mon compte » and the way in: sign-in links, the first visit, preferences, email change, tokens."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone

from tablee.members import invitations
from tablee.members.models import ApiToken, LoginLink, Profile
from tablee.outbox.models import Email, OptOut, Topic
from tablee.outbox.services import optout_set


def _link_path(email: Email) -> str:
    [path] = re.findall(r"https?://[^/\s]+(/accounts/link/[^/\s]+/)", email.body_text)
    return path


# Sign-in by email link ------------------------------------------------------------------------

def test_a_sign_in_link_is_sent_for_an_account_and_works_once(member):
    response = Client().post("/accounts/sign-in-link/", {"email": "MARIE@example.org"})

    assert response.status_code == 200
    [email] = Email.objects.filter(kind="sign_in")
    assert email.to == member.email and email.topic == ""  # transactional: no unsubscribe
    browser = Client()
    assert browser.post(_link_path(email)).status_code == 302
    assert browser.session[SESSION_KEY] == str(member.pk)
    assert Client().post(_link_path(email)).status_code == 410


def test_an_unknown_address_gets_the_same_answer_and_no_email(db):
    known_page = Client().post("/accounts/sign-in-link/", {"email": "nobody@example.org"})

    assert known_page.status_code == 200 and "nobody@example.org" in known_page.content.decode()
    assert not Email.objects.exists()


def test_a_second_request_within_five_minutes_sends_nothing_more(member):
    for _ in range(3):
        Client().post("/accounts/sign-in-link/", {"email": member.email})

    assert Email.objects.filter(kind="sign_in").count() == 1


def test_an_expired_link_does_not_sign_in(member):
    from datetime import timedelta

    invitations.sign_in_link_send(email=member.email)
    LoginLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    browser = Client()

    assert browser.get(_link_path(Email.objects.get())).status_code == 410
    assert browser.post(_link_path(Email.objects.get())).status_code == 410
    assert SESSION_KEY not in browser.session


def test_the_sign_in_page_offers_the_link(db):
    assert "Recevoir un lien de connexion" in Client().get("/accounts/login/").content.decode()


# First visit -------------------------------------------------------------------------------------

def test_the_first_visit_confirms_name_languages_consents_and_an_optional_password(association, make_person):
    newcomer = make_person(association=association, email="nadia@example.org", password=None)
    assert not newcomer.has_usable_password()
    browser = Client()
    browser.force_login(newcomer)

    page = browser.post("/welcome/", {"first_name": "Nadia", "last_name": "Roy", "languages": "fr, en",
                                      "preferred_language": "en", "directory_consent": "on",
                                      "tablemates_consent": "on", "password1": "", "password2": ""})

    assert page.status_code == 302, page.content.decode()[:3000]
    assert page["Location"] == "/gatherings/"
    newcomer.refresh_from_db()
    profile = Profile.objects.get(user=newcomer)
    assert (newcomer.first_name, newcomer.last_name) == ("Nadia", "Roy")
    assert profile.languages == ["fr", "en"] and profile.preferred_language == "en"
    assert profile.directory_consent_at is not None and profile.tablemates_consent_at is not None
    assert profile.first_visit_at is not None
    assert not newcomer.has_usable_password()


def test_a_newcomer_with_no_offers_or_needs_is_pointed_to_them_after_the_first_visit(association, make_person):
    newcomer = make_person(association=association, email="nadia@example.org", password=None, offers=[], needs=[])
    browser = Client()
    browser.force_login(newcomer)
    form = {"first_name": "Nadia", "last_name": "Roy", "languages": "fr", "preferred_language": "fr-ca",
            "password1": "", "password2": ""}

    landed = browser.post("/welcome/", form, follow=True).content.decode()

    assert 'href="/profile/#a-la-table"' in landed and "ce que vous offrez" in landed
    assert 'id="a-la-table"' in browser.get("/profile/").content.decode()
    # The control: someone who already said what they offer is not asked again.
    Profile.objects.filter(user=newcomer).update(offers=["comptabilité"])
    assert 'href="/profile/#a-la-table"' not in browser.post("/welcome/", form, follow=True).content.decode()


def test_the_first_visit_sets_a_password_when_given_twice_alike(association, make_person):
    newcomer = make_person(association=association, email="nadia@example.org", password=None)
    browser = Client()
    browser.force_login(newcomer)
    base = {"first_name": "Nadia", "last_name": "Roy", "languages": "fr", "preferred_language": "fr-ca"}

    assert 'name="password1"' in browser.get("/welcome/").content.decode()
    mismatch = browser.post("/welcome/", {**base, "password1": "un-mot-de-passe-long", "password2": "autre"})
    assert mismatch.status_code == 200 and "identiques" in mismatch.content.decode()
    browser.post("/welcome/", {**base, "password1": "un-mot-de-passe-long", "password2": "un-mot-de-passe-long"})

    newcomer.refresh_from_db()
    assert newcomer.check_password("un-mot-de-passe-long")
    assert Profile.objects.get(user=newcomer).directory_consent_at is None  # unchecked box: no consent


def test_the_first_visit_offers_no_optional_password_to_someone_who_has_one(member):
    browser = Client()
    browser.force_login(member)

    html = browser.get("/welcome/").content.decode()
    browser.post("/welcome/", {"first_name": "Marie", "last_name": "Tremblay", "languages": "fr",
                               "preferred_language": "fr-ca", "password1": "un-autre-mot-de-passe",
                               "password2": "un-autre-mot-de-passe"})

    assert 'name="password1"' not in html and "Mot de passe (facultatif)" not in html
    member.refresh_from_db()
    assert member.check_password("motdepasse-tablee-123")  # changed on the account page, not here


def _checkbox(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def _as_shown(html: str) -> dict[str, str]:
    """What the browser sends for the first-visit form left as it is: the text fields' values and
    the boxes ticked."""
    sent = {name: value for name, value in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', html)}
    sent["preferred_language"] = re.search(r'<option value="([^"]*)"[^>]*selected', html).group(1)
    for name in ("directory_consent", "tablemates_consent"):
        if "checked" in _checkbox(html, name):
            sent[name] = "on"
    return sent


def test_a_member_who_arrives_by_a_link_and_sends_the_first_visit_unchanged_keeps_her_consents(
    member, in_directory
):
    """A sign-in link brings someone with consents on file to the first-visit page: the boxes show
    what is on file, with its date, and « C'est parti » unchanged withdraws nothing."""
    in_directory(member)
    Profile.objects.filter(user=member).update(tablemates_consent_at=timezone.now())
    before = Profile.objects.get(user=member)
    browser = Client()
    browser.force_login(member)

    html = browser.get("/welcome/").content.decode()
    sent = browser.post("/welcome/", _as_shown(html))

    assert "checked" in _checkbox(html, "directory_consent") and "checked" in _checkbox(html, "tablemates_consent")
    assert html.count('data-testid="consent-date"') == 2
    assert sent.status_code == 302, sent.content.decode()[:3000]
    after = Profile.objects.get(user=member)
    assert after.directory_visibility == Profile.Visibility.MEMBERS
    assert (after.directory_consent_at, after.tablemates_consent_at) == (
        before.directory_consent_at, before.tablemates_consent_at)
    assert after.first_visit_at is not None


def test_the_first_visit_of_someone_with_no_consent_on_file_starts_with_both_boxes_empty(member):
    browser = Client()
    browser.force_login(member)

    html = browser.get("/welcome/").content.decode()

    assert "checked" not in _checkbox(html, "directory_consent")
    assert "checked" not in _checkbox(html, "tablemates_consent")


def test_the_first_visit_shows_the_spoken_languages_by_name_not_code(member):
    Profile.objects.filter(user=member).update(languages=["fr", "en", "ht"])
    browser = Client()
    browser.force_login(member)

    french = browser.get("/welcome/").content.decode()
    browser.post("/i18n/setlang/", {"language": "en", "next": "/welcome/"})
    english = browser.get("/welcome/").content.decode()

    assert 'value="français, anglais, créole"' in french
    assert "Selon votre association" in french  # a default the person did not choose, said as such
    assert 'value="french, english, créole"' in english


# Preferences -------------------------------------------------------------------------------------

def test_preferences_switch_topics_off_and_on(member):
    browser = Client()
    browser.force_login(member)

    browser.post("/account/preferences/", {"reminders": "on", "plan_published": "on", "personal": "on"})
    assert set(OptOut.objects.filter(address=member.email).values_list("topic", flat=True)) == {
        Topic.SUGGESTIONS, Topic.RSVP_CONFIRMATIONS}
    browser.post("/account/preferences/", {"reminders": "on", "plan_published": "on", "suggestions": "on",
                                           "rsvp_confirmations": "on", "personal": "on"})
    assert not OptOut.objects.exists()


def test_preferences_offer_the_rsvp_confirmations_and_no_longer_the_weekly_digest_nothing_sends(member):
    optout_set(address=member.email, topic=Topic.DIGEST, refuse=True)  # refused before the box went away
    browser = Client()
    browser.force_login(member)

    page = browser.get("/account/preferences/").content.decode()
    browser.post("/account/preferences/", {"rsvp_confirmations": "on", "reminders": "on", "plan_published": "on",
                                           "suggestions": "on", "personal": "on"})

    assert 'name="rsvp_confirmations"' in page and "Confirmations de mes inscriptions" in page
    assert 'name="digest"' not in page and "Résumé de la semaine" not in page
    # Saving the page neither shows nor touches the old refusal: it stays, harmless.
    assert list(OptOut.objects.filter(address=member.email).values_list("topic", flat=True)) == [Topic.DIGEST]


def test_personal_emails_refused_from_a_follow_up_show_in_my_preferences_and_can_be_taken_back(member, other_member):
    from tablee.circle.services import attendee_contact, followup_create, followup_send

    kept = attendee_contact(owner=member, member=other_member, gathering=None)
    email = followup_send(owner=member, followup=followup_create(owner=member, contact=kept),
                          subject="Suite", body="Bonjour Samuel")
    [link] = re.findall(r"https?://[^/\s]+(/email/unsubscribe/[^/\s]+/)", email.body_text)
    browser = Client()
    page = browser.get(link).content.decode().replace("\u00a0", " ")
    assert "Ou choisissez vos courriels un à un dans vos préférences" in page
    done = browser.post(link).content.decode().replace("\u00a0", " ")
    assert "Vous pouvez changer d'avis dans vos préférences, case « Courriels personnels envoyés via Tablée »" \
        in done.replace("&#x27;", "'")
    assert OptOut.objects.filter(address="samuel@example.org", topic=Topic.PERSONAL).exists()

    browser.force_login(other_member)
    html = browser.get("/account/preferences/").content.decode()
    box = re.search(r'<input type="checkbox" name="personal"[^>]*>', html)
    assert box is not None and "checked" not in box.group(0)
    assert "Courriels personnels envoyés via Tablée" in html
    browser.post("/account/preferences/", {"reminders": "on", "plan_published": "on", "suggestions": "on",
                                           "rsvp_confirmations": "on", "personal": "on"})
    assert not OptOut.objects.exists()
    again = followup_send(owner=member, followup=followup_create(owner=member, contact=kept),
                          subject="Encore", body="Bonjour Samuel")
    assert again.status == Email.Status.QUEUED


def test_the_preferences_page_needs_a_session(db):
    assert Client().get("/account/preferences/").status_code == 302


# Email change ----------------------------------------------------------------------------------

def test_an_email_change_waits_for_the_new_address_to_confirm(member):
    optout_set(address=member.email, topic=Topic.DIGEST, refuse=True)
    browser = Client()
    browser.force_login(member)

    browser.post("/account/email/", {"email": "marie.t@nouveau.example"})
    member.refresh_from_db()
    assert member.email == "marie@example.org"  # not yet
    [confirmation] = Email.objects.filter(kind="email_change")
    assert confirmation.to == "marie.t@nouveau.example"

    Client().post(_link_path(confirmation))
    member.refresh_from_db()
    assert member.email == "marie.t@nouveau.example"
    assert list(OptOut.objects.values_list("address", flat=True)) == ["marie.t@nouveau.example"]


def _change_email(browser, member, new: str) -> None:
    browser.post("/account/email/", {"email": new})
    confirmation = Email.objects.filter(kind="email_change", to=new).latest("pk")
    assert Client().post(_link_path(confirmation)).status_code == 302


def test_the_old_address_is_told_of_the_change_with_a_way_back(member):
    browser = Client()
    browser.force_login(member)

    _change_email(browser, member, "marie.t@nouveau.example")

    [notice] = Email.objects.filter(kind="email_changed")
    assert notice.to == "marie@example.org" and notice.user_id == member.pk
    assert notice.topic == ""  # about the account itself: sent whatever the preferences
    assert "m•••@nouveau.example" in notice.body_text and "marie.t@nouveau.example" not in notice.body_text
    assert "Ce n'était pas vous?" in notice.body_text and _link_path(notice)
    assert "Ce n'était pas moi" in notice.body_html


def test_the_way_back_restores_the_old_address_and_shuts_out_whoever_changed_it(member):
    intruder = Client()
    intruder.force_login(member)
    token = ApiToken.objects.create(user=member, key_hash=ApiToken.hash(ApiToken.new_raw()), label="intrus")
    _change_email(intruder, member, "intrus@ailleurs.example")
    intruder.post("/account/email/", {"email": "encore@ailleurs.example"})  # a pending link, spent below
    [notice] = Email.objects.filter(kind="email_changed")

    owner = Client()
    page = owner.get(_link_path(notice)).content.decode()
    assert "marie@example.org" in page  # GET shows one button and changes nothing
    response = owner.post(_link_path(notice))

    assert response.status_code == 302 and response["Location"] == "/account/#mot-de-passe"
    member.refresh_from_db()
    assert member.email == "marie@example.org" and not member.has_usable_password()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert intruder.get("/account/").status_code == 302  # the intruder's session is over
    assert owner.session[SESSION_KEY] == str(member.pk)
    assert not LoginLink.objects.filter(user=member, used_at__isnull=True).exists()
    assert Client().post(_link_path(notice)).status_code == 410  # once


def test_a_loop_of_changes_sends_the_old_address_a_few_notices_an_hour_at_most(member):
    for _ in range(invitations.EMAIL_CHANGED_NOTICES_PER_HOUR + 2):
        invitations._email_changed_notice(user=member, old="marie@example.org")

    assert Email.objects.filter(kind="email_changed").count() == invitations.EMAIL_CHANGED_NOTICES_PER_HOUR


def test_an_email_change_to_a_taken_address_is_refused(member, other_member):
    browser = Client()
    browser.force_login(member)

    page = browser.post("/account/email/", {"email": other_member.email})

    assert page.status_code == 200 and "existe déjà" in page.content.decode()
    assert not Email.objects.exists()


# Password ----------------------------------------------------------------------------------------

def test_a_member_without_password_sets_one_without_an_old_one(member):
    member.set_unusable_password()
    member.save()
    browser = Client()
    browser.force_login(member)

    browser.post("/account/password/", {"new_password1": "un-mot-de-passe-long", "new_password2": "un-mot-de-passe-long"})

    member.refresh_from_db()
    assert member.check_password("un-mot-de-passe-long")


def test_changing_a_password_needs_the_old_one(member):
    browser = Client()
    browser.force_login(member)

    page = browser.post("/account/password/", {"old_password": "faux", "new_password1": "un-mot-de-passe-long",
                                               "new_password2": "un-mot-de-passe-long"})

    assert page.status_code == 200
    member.refresh_from_db()
    assert member.check_password("motdepasse-tablee-123")


# Tokens --------------------------------------------------------------------------------------------

def test_my_tokens_are_listed_and_revocable_but_not_anyone_elses(member, other_member):
    mine = ApiToken.objects.create(user=member, key_hash=ApiToken.hash(ApiToken.new_raw()), label="mon script")
    theirs = ApiToken.objects.create(user=other_member, key_hash=ApiToken.hash(ApiToken.new_raw()),
                                    label="script de Samuel")
    browser = Client()
    browser.force_login(member)

    page = browser.get("/account/").content.decode()
    assert "mon script" in page and "script de Samuel" not in page
    assert 'data-testid="revoke-confirm"' in page and 'name="confirm" value="1"' in page
    browser.post(f"/account/tokens/{mine.pk}/revoke/")  # not confirmed: nothing happens
    mine.refresh_from_db()
    assert mine.revoked_at is None
    browser.post(f"/account/tokens/{theirs.pk}/revoke/", {"confirm": "1"})
    browser.post(f"/account/tokens/{mine.pk}/revoke/", {"confirm": "1"})

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None


@pytest.mark.parametrize("path", ["/account/", "/welcome/", "/account/delete/"])
def test_account_pages_need_a_session(db, path):
    assert Client().get(path).status_code == 302


# Table-mates consent ------------------------------------------------------------------------------

def test_table_mates_see_organization_offers_and_needs_only_with_consent(member, other_member, association):
    from tablee.gatherings.models import Gathering, Rsvp
    from tablee.members.services import profile_update
    from tablee.tables.models import Plan, PlanTable, Seat
    from tablee.tables.selectors import my_table

    gathering = Gathering.objects.create(association=association, title="Souper", starts_at=timezone.now())
    plan = Plan.objects.create(gathering=gathering, status=Plan.Status.PUBLISHED)
    table = PlanTable.objects.create(plan=plan, number=1)
    for user in (member, other_member):  # only a confirmed place shows a table (issue 11)
        Rsvp.objects.create(gathering=gathering, user=user, status=Rsvp.Status.CONFIRMED,
                            queued_at=timezone.now(), confirmed_at=timezone.now())
        Seat.objects.create(plan=plan, table=table, user=user)

    [samuel_seen] = my_table(gathering=gathering, user=other_member)["companions"]
    [hidden] = [samuel_seen]
    assert (hidden["organization"], hidden["offers"], hidden["needs"], hidden["why"]) == ("", [], [], [])

    profile_update(user=member, tablemates_consent=True)
    [shown] = my_table(gathering=gathering, user=other_member)["companions"]
    assert shown["organization"] == "Coop Laval" and shown["offers"] == ["financement"]

    profile_update(user=member, tablemates_consent=False)
    [withdrawn] = my_table(gathering=gathering, user=other_member)["companions"]
    assert withdrawn["offers"] == []


def test_i_create_a_token_from_my_account_it_is_shown_once_and_works(member, client):
    client.force_login(member)

    response = client.post("/account/tokens/new/", {"label": "mon agenda"})
    assert response.status_code == 302 and response["Location"] == "/account/#jetons"
    page = client.get("/account/")

    assert page["Cache-Control"] == "no-store"
    [raw] = re.findall(r'>(tbl_[^<]+)</textarea>', page.content.decode())
    token = ApiToken.objects.get(user=member)
    assert token.label == "mon agenda" and token.key_hash == ApiToken.hash(raw) and raw not in token.key_hash
    assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["email"] == member.email
    assert raw not in client.get("/account/").content.decode()  # never shown again


def test_a_new_token_shows_whole_with_a_copy_button_and_the_page_links_to_the_api_docs(member, client):
    client.force_login(member)
    client.post("/account/tokens/new/", {"label": "mon agenda"})

    html = client.get("/account/").content.decode()

    field = re.search(r'<textarea id="new-token" readonly[^>]*>(tbl_[^<]+)</textarea>', html)
    assert field is not None  # whole, wrapped, selectable by hand without the script
    button = re.search(r'<button type="button"[^>]*data-copy-target="new-token"[^>]*>Copier</button>', html,
                       re.DOTALL)
    assert button is not None and " hidden " in button.group(0)  # shown by js/copy.js only
    assert "js/copy" in html and 'role="status"' in html
    assert 'href="/api/docs"' in html


def test_the_api_docs_are_linked_even_before_any_token(member, client):
    client.force_login(member)

    html = client.get("/account/").content.decode()

    assert 'href="/api/docs"' in html and 'data-copy-target' not in html


def test_a_token_needs_a_name_and_a_person_holds_at_most_ten(member, client):
    from tablee.members.services import TOKENS_PER_PERSON, token_create

    client.force_login(member)
    assert client.post("/account/tokens/new/", {"label": ""}).status_code == 422
    for n in range(TOKENS_PER_PERSON):
        token_create(user=member, label=f"n{n}")

    response = client.post("/account/tokens/new/", {"label": "un de trop"})

    assert response.status_code == 422 and "révoquez-en un" in response.content.decode()
    assert ApiToken.objects.filter(user=member).count() == TOKENS_PER_PERSON
