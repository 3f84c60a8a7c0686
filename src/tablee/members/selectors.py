"""Reads for people and associations. Who may call them is decided in ``access``."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import Lower

from tablee.members.access import organized_by_id
from tablee.members.models import ApiToken, Association, JoinRequest, Membership, Profile, User
from tablee.prepared import Prepared
from tablee.sorting import by_name

# Read on every API call to /api/me and on every signed-in page (the navigation): compiled once
# per connection (tablee.prepared).
_MY_ASSOCIATIONS = Prepared(
    lambda user_id: Membership.objects.filter(user_id=user_id).order_by("association__name")
    .values_list("association__slug", "association__name", "role"),
    user_id=int,
)
_ORGANIZED = Prepared(
    lambda user_id: organized_by_id(user_id).order_by("name").values_list("slug", "name"),
    user_id=int,
)


def my_associations(*, user: User) -> list[tuple[str, str, str]]:
    """(slug, name, role) of each association the person belongs to, by name."""
    return _MY_ASSOCIATIONS(user_id=user.pk)


def organized_names(*, user: User) -> list[tuple[str, str]]:
    """(slug, name) of each association the person organizes, by name."""
    return _ORGANIZED(user_id=user.pk)


def user_by_email(*, email: str) -> User | None:
    """The account for an address, whatever its case."""
    return (
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower=email.strip().lower())
        .first()
    )


def has_account(address: str) -> bool:
    """Whether ``address`` is that of an active account (one that can sign in, by password or link)."""
    user = user_by_email(email=address)
    return user is not None and user.is_active


def association_members(*, association: Association, role: str | None = None) -> QuerySet[User]:
    """Everyone active in the association (or only those with ``role``), with their profile, by last
    then first name. One filter() call, so role and association hold on the same membership."""
    conditions = {"memberships__association": association, "memberships__deactivated_at__isnull": True}
    if role is not None:
        conditions["memberships__role"] = role
    return (
        User.objects.filter(is_active=True, **conditions)
        .select_related("profile")
        .order_by(by_name("last_name"), by_name("first_name"), "email")
    )


def association_organizers(*, association: Association) -> QuerySet[User]:
    return association_members(association=association, role=Membership.Role.ORGANIZER)


def directory(*, association: Association) -> QuerySet[User]:
    """The members who consented to appear in the directory (Law 25: consent dated, not withdrawn)."""
    return association_members(association=association).filter(
        profile__directory_visibility=Profile.Visibility.MEMBERS,
        profile__directory_consent_at__isnull=False,
    )


def in_directory(profile: Profile | None) -> bool:
    """The person chose to appear in their associations' directory (Law 25: consent dated, not withdrawn)."""
    return (profile is not None and profile.directory_visibility == Profile.Visibility.MEMBERS
            and profile.directory_consent_at is not None)


def organization_shown(person: User, *, table_mate: bool) -> str:
    """The one rule for a person's organization shown to someone else (Law 25: consent is for a stated
    purpose). With the directory consent, to the members of their associations; with the table-mates
    consent, to the people who sat at their table, ``table_mate``, which the caller sets only for
    someone seated at that person's table in a published plan; to nobody else. Empty otherwise."""
    profile = getattr(person, "profile", None)
    if profile is None:
        return ""
    if in_directory(profile) or (table_mate and profile.tablemates_consent_at is not None):
        return profile.organization
    return ""


def associations_open_to_requests() -> QuerySet[Association]:
    """The associations whose « Demander à joindre » page is open: the only ones shown to strangers."""
    return Association.objects.filter(open_to_requests=True).order_by("name")


def membership_of(*, user: User, association: Association) -> Membership | None:
    return Membership.objects.filter(user=user, association=association).first()


def api_tokens(*, user: User) -> QuerySet[ApiToken]:
    """The user's API tokens still in force, newest first (for the account page)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at", "-pk")


def join_requests_pending(*, association: Association) -> QuerySet[JoinRequest]:
    """The association's « Demander à joindre » requests still waiting for an organizer, oldest first."""
    return JoinRequest.objects.filter(association=association, status=JoinRequest.Status.PENDING).order_by(
        "created_at", "pk")


def consents_of(*, user: User) -> dict:
    """What the person consented to, and since when (Law 25: a consent is dated; None: not given)."""
    profile = Profile.objects.filter(user=user).first()
    return {
        "directory_visibility": profile.directory_visibility if profile else Profile.Visibility.NOBODY.value,
        "directory_consent_at": profile.directory_consent_at if profile else None,
        "tablemates_consent_at": profile.tablemates_consent_at if profile else None,
    }
