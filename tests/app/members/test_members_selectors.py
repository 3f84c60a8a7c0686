"""Reads: the directory shows only members who consented."""

from __future__ import annotations

from tablee.members.selectors import association_members, directory, user_by_email
from tablee.members.services import profile_update


def test_directory_lists_only_members_who_consented(member, other_member, outsider, association):
    profile_update(user=member, directory_visibility="members", directory_consent=True)
    profile_update(user=outsider, directory_visibility="members", directory_consent=True)

    assert list(directory(association=association)) == [member]
    assert set(association_members(association=association)) == {member, other_member}


def test_user_by_email_ignores_case(member):
    assert user_by_email(email=" Marie@Example.ORG ") == member
    assert user_by_email(email="personne@example.org") is None
