"""Writes for people, associations, memberships, profiles and API tokens.

One function per use case, keyword-only. Each validates with ``full_clean()`` and raises
``django.core.exceptions.ValidationError`` with a translatable message on bad input.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from tablee.jobs.inserts import PreparedInsert
from tablee.jobs.models import Job
from tablee.jobs.services import WriteTimer, job_write_in_batches
from tablee.members import hooks
from tablee.members.csv_import import (
    Lines,
    WithProblems,
    parse_members_csv,
    row_changes,
    stored_values,
)
from tablee.members.models import (
    GUEST_EMAIL_DOMAIN,
    ApiToken,
    Association,
    Membership,
    Profile,
    User,
)
from tablee.members.normalize import (
    MAX_ITEM_LENGTH,
    MAX_LIST_ITEMS,
    clean_list,
    languages_normalize,
)

USER_FIELDS = frozenset({"first_name", "last_name"})
PROFILE_FIELDS = frozenset(
    {
        "organization",
        "sector",
        "languages",
        "offers",
        "needs",
        "interests",
        "bio",
        "preferred_language",
        "directory_visibility",
    }
)
LIST_FIELDS = ("languages", "offers", "needs", "interests")
def _list_errors(name: str, items: list[str]) -> list[str]:
    errors = []
    if len(items) > MAX_LIST_ITEMS:
        errors.append(
            _("%(count)d éléments dans « %(field)s » (au plus %(max)d).")
            % {"count": len(items), "field": name, "max": MAX_LIST_ITEMS}
        )
    for item in items:
        if len(item) > MAX_ITEM_LENGTH:
            errors.append(
                _("« %(item)s… » dans « %(field)s » est trop long (au plus %(max)d caractères).")
                % {"item": item[:30], "field": name, "max": MAX_ITEM_LENGTH}
            )
    return errors


def profile_language_set(*, user: User, language: str) -> Profile | None:
    """Store the interface language a signed-in person chose with the site's switch: their pages
    and every email to them use it from now on. None (and nothing stored) for a language the site
    does not offer."""
    if language not in Profile.Language.values:
        return None
    profile, _created = Profile.objects.get_or_create(user=user)
    if profile.preferred_language != language:
        profile.preferred_language = language
        profile.save(update_fields=["preferred_language"])
    return profile


@transaction.atomic
def profile_update(*, user: User, directory_consent: bool | None = None, tablemates_consent: bool | None = None,
                   **fields) -> Profile:
    """Change a person's name and profile. Creates the profile if the person has none.

    Québec's Law 25: appearing in the directory ("members") needs explicit consent, given with
    ``directory_consent=True`` and dated in ``directory_consent_at``. ``directory_consent=False``
    withdraws it, as does switching to "nobody"; both clear the date.
    """
    unknown = set(fields) - USER_FIELDS - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"profile_update() got unexpected fields: {', '.join(sorted(unknown))}")
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    errors: dict[str, list[str]] = {}

    for name in LIST_FIELDS:
        if name not in fields:
            continue
        items = clean_list(fields[name] or [])
        if name == "languages":
            items, bad = languages_normalize(items)
            if bad:
                errors.setdefault(name, []).append(
                    _("Langue inconnue : %(names)s.") % {"names": ", ".join(bad)}
                )
        errors.setdefault(name, []).extend(_list_errors(name, items))
        fields[name] = items

    Visibility = Profile.Visibility
    target = fields.get("directory_visibility", profile.directory_visibility)
    if directory_consent is False:
        if "directory_visibility" in fields and target == Visibility.MEMBERS:
            errors.setdefault("directory_visibility", []).append(
                _("On ne peut pas paraître dans le répertoire sans y consentir.")
            )
        target = Visibility.NOBODY
    if target == Visibility.MEMBERS:
        if directory_consent:
            # Keep the date consent was first given while it has not been withdrawn since.
            if profile.directory_consent_at is None or profile.directory_visibility != Visibility.MEMBERS:
                profile.directory_consent_at = timezone.now()
        elif profile.directory_consent_at is None:
            errors.setdefault("directory_visibility", []).append(
                _("Pour paraître dans le répertoire des membres, cochez la case de consentement.")
            )
    else:
        profile.directory_consent_at = None
    fields["directory_visibility"] = target
    # Table-mates see my organization, offers and needs only with this consent, dated, withdrawable.
    shown_before = _shown_to_tablemates(profile)
    if tablemates_consent is True and profile.tablemates_consent_at is None:
        profile.tablemates_consent_at = timezone.now()
    elif tablemates_consent is False:
        profile.tablemates_consent_at = None

    errors = {name: messages for name, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)

    for name, value in fields.items():
        setattr(user if name in USER_FIELDS else profile, name, value)
    if USER_FIELDS & set(fields):
        user.full_clean(exclude=["password"])
        user.save(update_fields=sorted(USER_FIELDS & set(fields)))
    profile.full_clean()
    profile.save()
    if shown_before and shown_before != _shown_to_tablemates(profile):
        for listener in hooks.shown_to_tablemates_changed:
            listener(user_id=user.pk)
    return profile


@transaction.atomic
def first_visit_complete(*, user: User, first_name: str, last_name: str, languages: list[str],
                         preferred_language: str, directory_consent: bool, tablemates_consent: bool,
                         password: str = "") -> Profile:
    """The first-visit page sent: the name, the languages and the two consents as the person left
    them (the page shows those on file ticked, so sending it unchanged keeps them), the visit dated,
    and a password when they chose one (only someone without one is offered it)."""
    profile = profile_update(
        user=user, first_name=first_name, last_name=last_name, languages=languages,
        preferred_language=preferred_language,
        directory_visibility=Profile.Visibility.MEMBERS if directory_consent else Profile.Visibility.NOBODY,
        directory_consent=directory_consent, tablemates_consent=tablemates_consent,
    )
    profile.first_visit_at = timezone.now()
    profile.save(update_fields=["first_visit_at"])
    if password and not user.has_usable_password():
        user.set_password(password)
        user.save(update_fields=["password"])
    return profile


def _shown_to_tablemates(profile: Profile) -> tuple | None:
    """What table-mates may read of a person (None: nothing but the name, no consent)."""
    if profile.tablemates_consent_at is None:
        return None
    return (list(profile.offers), list(profile.needs), list(profile.interests), profile.sector,
            profile.organization)


@transaction.atomic
def person_create(
    *,
    email: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    **profile_fields,
) -> User:
    """A new person with a profile. Without a password the account cannot sign in by password."""
    email = email.strip().lower()
    if User.objects.annotate(email_lower=Lower("email")).filter(email_lower=email).exists():
        raise ValidationError({"email": _("Un compte existe déjà avec ce courriel.")})
    user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    profile_update(user=user, **profile_fields)
    return user


@transaction.atomic
def guest_create(*, first_name: str, last_name: str = "") -> User:
    """A person let in at the door with a name only: an account that cannot sign in (inactive, no
    password), at an address nobody receives (``GUEST_EMAIL_DOMAIN``), with no membership, so no
    members page, export or email ever lists it. The caller gives them their RSVP."""
    first_name, last_name = " ".join(first_name.split()), " ".join(last_name.split())
    if not first_name:
        raise ValidationError({"first_name": _("Entrez au moins un prénom.")})
    user = User(email=f"{secrets.token_hex(12)}@{GUEST_EMAIL_DOMAIN}", first_name=first_name[:150],
                last_name=last_name[:150], is_active=False)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    Profile.objects.create(user=user)
    return user


def association_create(*, slug: str, name: str, description: str = "") -> Association:
    association = Association(slug=slug.strip(), name=name.strip(), description=description)
    association.full_clean()
    association.save()
    return association


def _check_role(role: str) -> None:
    if role not in Membership.Role.values:
        raise ValidationError(
            {"role": _("Rôle inconnu : « %(role)s » (membre ou organisateur).") % {"role": role}}
        )


def member_join(
    *, association: Association, user: User, role: str = Membership.Role.MEMBER
) -> Membership:
    """Add a person to an association. Joining again changes nothing (an organizer stays one);
    a deactivated member comes back with their role."""
    _check_role(role)
    membership, _created = Membership.all_objects.get_or_create(
        association=association, user=user, defaults={"role": role}
    )
    if membership.deactivated_at is not None:
        membership.deactivated_at = None
        membership.save(update_fields=["deactivated_at"])
    return membership


@transaction.atomic
def membership_set_role(*, association: Association, user: User, role: str) -> Membership:
    _check_role(role)
    membership = (
        Membership.objects.select_for_update().filter(association=association, user=user).first()
    )
    if membership is None:
        raise ValidationError(
            _("%(email)s n'est pas membre de « %(association)s ».")
            % {"email": user.email, "association": association.name}
        )
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


# A person's own active tokens, created from « Mon compte » (the administrator's command is not capped).
TOKENS_PER_PERSON = 10


def token_create(*, user: AbstractBaseUser, label: str = "", limit: int | None = None) -> str:
    """A new API bearer token. Returns the raw token: it is shown once, only its hash is kept.

    With ``limit``, refuses (``ValidationError``) when the user already holds that many active tokens."""
    if limit is not None and ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= limit:
        raise ValidationError(
            _("Vous avez déjà %(n)s jetons actifs : révoquez-en un avant d'en créer un autre.") % {"n": limit}
        )
    raw = ApiToken.new_raw()
    token = ApiToken(user=user, key_hash=ApiToken.hash(raw), label=label[:100])
    token.full_clean()
    token.save()
    return raw


def api_token_revoke(*, user: AbstractBaseUser, token_id: int | None = None) -> int:
    """Revoke one of the user's API tokens (``token_id``) or all of them. Returns how many were
    revoked; a token already revoked, or not this user's, counts 0."""
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if token_id is not None:
        tokens = tokens.filter(pk=token_id)
    return tokens.update(revoked_at=timezone.now())


@dataclass
class ImportResult(WithProblems):
    created: int = 0
    updated: int = 0
    # Of the updated people, those who were not yet members of the association.
    joined: int = 0
    # The file's problems by physical line, as codes (``csv_import.Problem``: a job keeps them so, to
    # be written in the language of whoever reads it; ``errors`` writes them in the current one);
    # when there is any, nothing was written.
    problems: Lines = field(default_factory=list)
    # Lines worth knowing about that did not stop the import (an ignored column, a Mac file).
    notices: Lines = field(default_factory=list)
    # Every address in the file (lowercased), created or updated.
    emails: list[str] = field(default_factory=list)
    # Values existing people had filled in that the file would have changed, left as they were.
    kept: int = 0
    # The longest write transaction of the import, and the median and 99th percentile, in milliseconds.
    longest_write_ms: float = 0.0
    write_ms_p50: int = 0
    write_ms_p99: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


# Rows per write transaction: each inserts or updates an account, a profile and a membership.
BATCH_ROWS = 100


def members_import(
    *,
    association: Association,
    data: bytes,
    progress: Callable[[int, int], None] | None = None,
    job: Job | None = None,
    overwrite: bool = False,
) -> ImportResult:
    """Create or update members from a CSV file (see ``csv_import``).

    The whole file is read and checked first: one bad line and nothing is written. Then the rows are
    written ``BATCH_ROWS`` at a time, each batch in its own short transaction (its lookups done
    before it), so other people's writes are never held up long; ``job`` (the worker's) records the
    progress after each batch. If the process stops midway, importing the same file again completes
    it: people are matched by email, nothing is doubled.

    New people get a profile (not in the directory: that consent is theirs to give) and a member
    membership. Existing people (matched by email, case-insensitively) keep what they wrote: the
    file only fills their empty values (``csv_import.row_changes``), and an empty cell keeps what is
    there. ``overwrite=True`` (the organizer chose it after the preview) lets the file's values
    replace the filled ones too, for people already members of this association only: a person
    from another association who joins through the file keeps their profile whatever the mode.
    """
    parsed = parse_members_csv(data)
    if parsed.problems:
        return ImportResult(problems=parsed.problems, notices=parsed.notices)
    rows = parsed.rows
    result = ImportResult(notices=parsed.notices, emails=[row.email for row in rows])
    member_ids = set(
        Membership.all_objects.filter(association=association).values_list("user_id", flat=True)
    )
    overwritable = frozenset(member_ids) if overwrite else frozenset()

    def write(batch, timer: WriteTimer) -> tuple[int, int]:
        return _import_batch(association=association, rows=batch, member_ids=member_ids, result=result,
                             timer=timer, overwritable=overwritable)

    totals = job_write_in_batches(job=job, rows=rows, size=BATCH_ROWS, write=write, progress=progress)
    result.created, result.updated, result.longest_write_ms = totals.created, totals.updated, totals.longest_write_ms
    result.write_ms_p50, result.write_ms_p99 = totals.write_ms_p50, totals.write_ms_p99
    return result


def _import_batch(*, association: Association, rows, member_ids: set[int], result: ImportResult,
                  timer: WriteTimer, overwritable: frozenset[int]) -> tuple[int, int]:
    """One batch: read and decide outside the transaction, then insert and update in one short one.
    ``overwritable``: the people whose filled values the file may replace."""
    existing: dict[str, User] = {
        user.email.lower(): user
        for user in User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=[row.email for row in rows]).select_related("profile")
    }
    new_users: list[User] = []
    new_profiles_for: list[tuple[User, dict]] = []
    changed_users: list[User] = []
    changed_profiles: list[Profile] = []
    created = updated = kept = 0
    for row in rows:
        values = row.profile_values()
        user = existing.get(row.email)
        if user is None:
            user = User(email=row.email, first_name=row.first_name, last_name=row.last_name)
            user.set_unusable_password()
            new_users.append(user)
            new_profiles_for.append((user, values))
            created += 1
            continue
        updated += 1
        profile = getattr(user, "profile", None)  # None: an account without a profile yet
        changes = row_changes(current=stored_values(user, profile), row=row)
        applied = {c.column: c.after for c in changes if c.applies(overwrite=user.pk in overwritable)}
        kept += len(changes) - len(applied)
        names = {k: applied.pop(k) for k in ("first_name", "last_name") if k in applied}
        if names:
            for key, value in names.items():
                setattr(user, key, value)
            changed_users.append(user)
        if profile is None:
            new_profiles_for.append((user, applied))
        elif applied:
            for key, value in applied.items():
                setattr(profile, key, value)
            changed_profiles.append(profile)
    joining = [user for user in existing.values() if user.pk not in member_ids]
    # One short transaction per batch (all or nothing for its rows): the accounts' SQL is built
    # before it; profiles and memberships need the new keys, so theirs is built inside.
    accounts = PreparedInsert(User, new_users)
    with timer.atomic():
        accounts.execute()
        PreparedInsert(Profile, [Profile(user=user, **_new_profile_values(values))
                                 for user, values in new_profiles_for]).execute()
        if changed_users:
            User.objects.bulk_update(changed_users, ["first_name", "last_name"])
        if changed_profiles:
            Profile.objects.bulk_update(
                changed_profiles, ["organization", "sector", "languages", "offers", "needs", "interests"])
        PreparedInsert(Membership, [Membership(association=association, user=user)
                                    for user in [*new_users, *joining]], ignore_conflicts=True).execute()
    member_ids.update(user.pk for user in [*new_users, *joining])
    result.joined += len(joining)
    result.kept += kept
    return created, updated


def _new_profile_values(values: dict) -> dict:
    languages = values.get("languages") or []
    # Someone who does not speak French sees the interface in English from the first email.
    if languages and "fr" not in languages and "en" in languages:
        return {**values, "preferred_language": Profile.Language.EN}
    return values
