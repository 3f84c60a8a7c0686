"""Profiles (Law 25 consent), associations, memberships, tokens."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tablee.members.models import ApiToken, Association, Membership, Profile
from tablee.members.services import (
    association_create,
    member_join,
    membership_set_role,
    person_create,
    profile_update,
    token_create,
)


def test_appearing_in_the_directory_with_consent_records_the_date(member):
    profile = profile_update(user=member, directory_visibility="members", directory_consent=True)

    profile.refresh_from_db()
    assert profile.directory_visibility == "members"
    assert profile.directory_consent_at is not None


def test_appearing_in_the_directory_without_consent_is_refused(member):
    with pytest.raises(ValidationError) as exc:
        profile_update(user=member, directory_visibility="members")

    assert "directory_visibility" in exc.value.message_dict
    profile = Profile.objects.get(user=member)
    assert profile.directory_visibility == "nobody"
    assert profile.directory_consent_at is None


def test_switching_to_nobody_clears_the_consent_date(member):
    profile_update(user=member, directory_visibility="members", directory_consent=True)

    profile_update(user=member, directory_visibility="nobody")

    profile = Profile.objects.get(user=member)
    assert (profile.directory_visibility, profile.directory_consent_at) == ("nobody", None)


def test_withdrawing_consent_hides_the_profile(member):
    profile_update(user=member, directory_visibility="members", directory_consent=True)

    profile_update(user=member, directory_consent=False)

    profile = Profile.objects.get(user=member)
    assert (profile.directory_visibility, profile.directory_consent_at) == ("nobody", None)


def test_editing_a_visible_profile_keeps_the_original_consent_date(member):
    first = profile_update(user=member, directory_visibility="members", directory_consent=True)
    consented_at = first.directory_consent_at

    profile_update(user=member, offers=["comptabilité pour PME"])

    profile = Profile.objects.get(user=member)
    assert profile.directory_consent_at == consented_at
    assert profile.offers == ["comptabilité pour PME"]


def test_profile_update_normalises_languages_and_lists(member):
    profile_update(
        user=member,
        first_name="Marie-Ève",
        languages=["Français", "fr-CA", " English "],
        offers=["  design  d'identité visuelle ", "Design d'identité visuelle", ""],
    )

    member.refresh_from_db()
    profile = Profile.objects.get(user=member)
    assert member.first_name == "Marie-Ève"
    assert profile.languages == ["fr", "en"]
    assert profile.offers == ["design d'identité visuelle"]


def test_profile_update_refuses_an_unknown_language(member):
    with pytest.raises(ValidationError) as exc:
        profile_update(user=member, languages=["fr", "elfique"])

    assert "elfique" in str(exc.value)
    assert Profile.objects.get(user=member).languages == ["fr"]


def test_profile_update_creates_a_missing_profile(db):
    from tablee.members.models import User

    user = User.objects.create_user(email="sans@example.org")

    profile_update(user=user, sector="tourisme")

    assert Profile.objects.get(user=user).sector == "tourisme"


def test_person_create_refuses_an_existing_email_whatever_its_case(member):
    with pytest.raises(ValidationError):
        person_create(email="MARIE@example.org", first_name="Autre")


def test_association_create_validates_the_slug(db):
    with pytest.raises(ValidationError):
        association_create(slug="pas un slug!", name="X")

    association = association_create(slug="rgaq", name="  Réseau des gens d'affaires  ")

    assert Association.objects.get(slug="rgaq").name == association.name == "Réseau des gens d'affaires"


def test_member_join_is_idempotent_and_does_not_demote(organizer, association):
    membership = member_join(association=association, user=organizer)

    assert membership.role == "organizer"
    assert Membership.objects.filter(user=organizer).count() == 1


def test_membership_set_role_promotes_a_member(member, association):
    membership_set_role(association=association, user=member, role="organizer")

    assert Membership.objects.get(user=member, association=association).role == "organizer"


def test_membership_set_role_refuses_someone_who_is_not_a_member(outsider, association):
    with pytest.raises(ValidationError):
        membership_set_role(association=association, user=outsider, role="organizer")

    assert not Membership.objects.filter(user=outsider, association=association).exists()


def test_membership_set_role_refuses_an_unknown_role(member, association):
    with pytest.raises(ValidationError):
        membership_set_role(association=association, user=member, role="president")


def test_token_create_stores_only_the_hash(member):
    raw = token_create(user=member, label="script")

    token = ApiToken.objects.get(user=member)
    assert raw.startswith("tbl_")
    assert token.key_hash == ApiToken.hash(raw) != raw
    assert ApiToken.objects.for_raw(raw).get() == token


@pytest.mark.parametrize(
    ("written", "code"),
    [("fr", "fr"), ("FR-ca", "fr"), ("Français", "fr"), ("francais", "fr"), ("anglais", "en"),
     ("English", "en"), ("en_US", "en"), ("espagnol", "es"), ("Español", "es"), ("arabe", "ar"),
     ("klingon", None), ("", None), ("xx-fr", None)],
)
def test_language_names_and_codes_become_short_codes(written, code):
    from tablee.members.languages import language_code

    assert language_code(written) == code


def test_the_first_visit_keeps_the_consents_sent_as_they_were_and_never_replaces_a_password(member, in_directory):
    from django.utils import timezone

    from tablee.members.services import first_visit_complete

    in_directory(member)
    Profile.objects.filter(user=member).update(tablemates_consent_at=timezone.now())
    before = Profile.objects.get(user=member)

    first_visit_complete(user=member, first_name="Marie", last_name="Tremblay", languages=["fr"],
                         preferred_language="fr-ca", directory_consent=True, tablemates_consent=True,
                         password="un-autre-mot-de-passe")

    after = Profile.objects.get(user=member)
    assert (after.directory_consent_at, after.tablemates_consent_at) == (
        before.directory_consent_at, before.tablemates_consent_at)
    assert after.first_visit_at is not None
    member.refresh_from_db()
    assert member.check_password("motdepasse-tablee-123")
