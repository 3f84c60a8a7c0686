"""My profile: lists typed with commas or semicolons, and directory consent recorded with its date (Law 25)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tablee.members.models import Profile


def _data(**changes) -> dict:
    data = {"first_name": "Marie", "last_name": "Tremblay", "organization": "Coop Laval", "sector": "santé",
            "languages": "français, English", "offers": "financement; mentorat", "needs": "clients, ",
            "interests": "vélo", "bio": "", "preferred_language": "fr-ca", "directory_visibility": "nobody"}
    return {**data, **changes}


def test_profile_saves_lists_from_commas_and_semicolons(login, member):
    response = login(member).post(reverse("profile"), _data())
    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert profile.languages == ["fr", "en"]
    assert profile.offers == ["financement", "mentorat"]
    assert profile.needs == ["clients"]


def test_profile_page_shows_the_spoken_languages_by_name(login, member):
    page = login(member).get(reverse("profile")).content.decode()
    assert 'value="français"' in page


def test_the_directory_is_never_entered_without_the_consent_box(login, member):
    # A form sent by an older page (or by hand) that still says « members » without the box.
    response = login(member).post(reverse("profile"), _data(directory_visibility="members"))
    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert profile.directory_visibility == "nobody" and profile.directory_consent_at is None


def test_the_profile_page_has_one_control_for_the_directory(login, member):
    page = login(member).get(reverse("profile")).content.decode()

    assert 'name="directory_visibility"' not in page
    assert page.count('name="directory_consent"') == 1


def test_ticking_the_one_box_puts_me_in_the_directory_with_the_date_of_consent(login, member):
    response = login(member).post(reverse("profile"), _data(directory_consent="on"))

    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert profile.directory_visibility == "members" and profile.directory_consent_at is not None
    assert 'id="id_directory_consent" checked' in login(member).get(reverse("profile")).content.decode()


def test_unticking_the_one_box_leaves_the_directory_and_withdraws_the_consent(login, member):
    client = login(member)
    client.post(reverse("profile"), _data(directory_consent="on"))

    # The walk's case: the page of before still sent « members » from its radio; only the box was unticked.
    response = client.post(reverse("profile"), _data(directory_visibility="members"))

    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert profile.directory_visibility == "nobody" and profile.directory_consent_at is None
    assert 'id="id_directory_consent" checked' not in client.get(reverse("profile")).content.decode()


def test_saving_the_profile_again_keeps_the_date_consent_was_first_given(login, member):
    client = login(member)
    client.post(reverse("profile"), _data(directory_consent="on"))
    first = timezone.now() - timedelta(days=90)
    Profile.objects.filter(user=member).update(directory_consent_at=first)

    client.post(reverse("profile"), _data(directory_consent="on", organization="Coop Lévis"))

    assert Profile.objects.get(user=member).directory_consent_at == first


def test_consent_is_recorded_with_its_date_then_withdrawn(login, member):
    client = login(member)
    client.post(reverse("profile"), _data(directory_visibility="members", directory_consent="on"))
    profile = Profile.objects.get(user=member)
    assert profile.directory_visibility == "members" and profile.directory_consent_at is not None
    assert "Consentement donné le" in client.get(reverse("profile")).content.decode()

    client.post(reverse("profile"), _data(directory_visibility="nobody"))
    profile.refresh_from_db()
    assert profile.directory_visibility == "nobody" and profile.directory_consent_at is None


def test_unknown_language_is_shown_as_an_error_on_the_field(login, member):
    response = login(member).post(reverse("profile"), _data(languages="klingon"))
    assert "Langue inconnue" in response.content.decode()
    assert Profile.objects.get(user=member).languages == ["fr"]


def test_choosing_english_sets_the_interface_language(login, member):
    response = login(member).post(reverse("profile"), _data(preferred_language="en"))
    assert Profile.objects.get(user=member).preferred_language == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_profile_intro_says_table_mates_may_see_it_too(login, member):
    page = login(member).get(reverse("profile")).content.decode().replace("&#x27;", "'").replace("\u00a0", " ")

    intro = page.split('<p class="muted">', 1)[1].split("</p>", 1)[0]
    assert "vos voisins de table" in intro and "répertoire" in intro
    assert "votre organisation, vos offres et vos besoins" in intro
