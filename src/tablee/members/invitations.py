"""Writes for one-time links: invitations, sign-in links, activations, email changes.

A link carries a random secret; only its hash is stored. Opening it (GET) shows one button so that
mail scanners which pre-open links never consume it; pressing the button (POST) consumes it, once:
``link_consume`` marks it used with a conditional UPDATE, so two presses racing each other sign in
at most once.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tablee.members.models import Association, LoginLink, Membership, Profile, User
from tablee.members.selectors import user_by_email
from tablee.outbox.models import Email, OptOut, Topic
from tablee.outbox.rendering import email_render_queue
from tablee.throttle import Throttled, throttle_hit

Purpose = LoginLink.Purpose

LIFETIME = {
    Purpose.INVITATION: timedelta(days=14),
    Purpose.SIGN_IN: timedelta(minutes=30),
    Purpose.ACTIVATION: timedelta(days=2),
    Purpose.EMAIL_CHANGE: timedelta(days=2),
    Purpose.EMAIL_REVERT: timedelta(days=7),
}
# Notices « your address changed » per old address per hour: a few, so a loop cannot flood a mailbox.
EMAIL_CHANGED_NOTICES_PER_HOUR = 3
# Notices « your password changed » per account per hour, for the same reason.
PASSWORD_CHANGED_NOTICES_PER_HOUR = 3
# One link of each kind per address per this long (a double click, a loop, someone else's address).
EMAIL_LINK_WINDOW_SECONDS = 5 * 60


def link_url(raw: str) -> str:
    return settings.SITE_URL + reverse("members:link", args=[raw])


def language_of(user: User) -> str:
    profile = Profile.objects.filter(user_id=user.pk).values_list("preferred_language", flat=True).first()
    return profile or settings.LANGUAGE_CODE


def _link_create(*, user: User, purpose: str, association: Association | None = None,
                 invited_by: User | None = None, new_email: str = "") -> tuple[LoginLink, str]:
    raw = LoginLink.new_raw()
    now = timezone.now()
    link = LoginLink.objects.create(
        user=user, purpose=purpose, key_hash=LoginLink.hash(raw), association=association,
        invited_by=invited_by, new_email=new_email, created_at=now, expires_at=now + LIFETIME[purpose],
    )
    return link, raw


def recipient_language(address: str) -> str:
    """The language the account at ``address`` chose ("" without an account), for the way back."""
    user = user_by_email(email=address)
    return language_of(user) if user is not None else ""


def invitation_scope(association: Association) -> str:
    """What an invitation's way back refuses: this association's invitations (``OptOut.scope``)."""
    return f"association:{association.pk}"


def invitation_scope_name(scope: str) -> str:
    """The association an ``invitation_scope`` stands for, by name ("" if it is gone)."""
    kind, _sep, pk = scope.partition(":")
    if kind != "association" or not pk.isdigit():
        return ""
    return Association.objects.filter(pk=int(pk)).values_list("name", flat=True).first() or ""


def _queue(*, link: LoginLink, raw: str, to: str, template: str, context: dict, topic: str = "", scope: str = "",
           on_behalf_of: str = "", next_path: str = "") -> Email:
    user = link.user
    url = link_url(raw)
    if next_path:
        url = f"{url}?{urlencode({'next': next_path})}"
    return email_render_queue(
        key=f"login-link:{link.pk}", kind=template, to=to, user=user, topic=topic, scope=scope,
        on_behalf_of=on_behalf_of,
        template=f"members/email/{template}", language=language_of(user), context={
            "user": user,
            "name": user.first_name or user.email,
            "url": url,
            "expires_at": link.expires_at,
            "site_url": settings.SITE_URL,
            **context,
        })


def _throttled(*, to: str, kind: str) -> bool:
    """True if a ``kind`` link went to this address in the last five minutes (issue 12's throttle);
    otherwise counts this one."""
    try:
        throttle_hit(key=f"email-link:{kind}:{to.strip().lower()}", limit=1, window=EMAIL_LINK_WINDOW_SECONDS)
    except Throttled:
        return True
    return False


def _organizer_name(association: Association, invited_by: User | None) -> str:
    if invited_by is not None:
        return invited_by.get_full_name() or invited_by.email
    organizer = (
        User.objects.filter(memberships__association=association, memberships__role=Membership.Role.ORGANIZER,
                            memberships__deactivated_at__isnull=True, is_active=True)
        .order_by("memberships__joined_at").first()
    )
    return (organizer.get_full_name() or organizer.email) if organizer is not None else ""


@transaction.atomic
def invitation_send(*, association: Association, user: User, invited_by: User | None = None) -> Email:
    """Invite one member: a link valid 14 days that works once, in the member's language. Its way
    back refuses this association's invitations (someone who refused them is not emailed: the
    invitation is stored as suppressed)."""
    membership = Membership.objects.filter(association=association, user=user, deactivated_at__isnull=True).first()
    if membership is None or not user.is_active:
        raise ValidationError(
            _("%(email)s n'est pas membre actif de « %(association)s ».")
            % {"email": user.email, "association": association.name}
        )
    link, raw = _link_create(user=user, purpose=Purpose.INVITATION, association=association,
                             invited_by=invited_by)
    return _queue(link=link, raw=raw, to=user.email, template="invitation", context={
        "association": association,
        "organizer": _organizer_name(association, invited_by),
        # Someone who already uses Tablée gets a link to their account, not a welcome.
        "returning": account_in_use(user),
        "has_password": user.has_usable_password(),
    }, topic=Topic.INVITATIONS, scope=invitation_scope(association), on_behalf_of=association.name)


def account_in_use(user: User) -> bool:
    """Whether the person already uses Tablée: signed in before, chose a password, or went through
    the first visit."""
    return (user.last_login is not None or user.has_usable_password()
            or Profile.objects.filter(user_id=user.pk, first_visit_at__isnull=False).exists())


def never_signed_in(*, association: Association):
    """Active members of the association who have never signed in: who an invitation is for (unless
    they declined the association's invitations: ``declined``)."""
    return User.objects.filter(
        memberships__association=association, memberships__deactivated_at__isnull=True,
        is_active=True, last_login__isnull=True,
    ).order_by("pk")


def declined(*, association: Association):
    """People who declined this association's invitations (from an invitation's way back, or every
    association's): an invitation to them is never sent."""
    addresses = OptOut.objects.filter(topic=Topic.INVITATIONS, scope__in=["", invitation_scope(association)])
    return User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=addresses.values("address"))


class Invited(NamedTuple):
    """What ``invitations_send`` did: invitations queued, addresses that are not active members (then
    nothing is queued), and people skipped because they declined the association's invitations."""

    queued: int
    unknown: list[str]
    declined: int = 0


# Invitations queued per transaction: each renders three templates; a few dozen keep it short.
INVITATIONS_PER_TRANSACTION = 25


def invitations_send(*, association: Association, emails: list[str] | None = None,
                     invited_by: User | None = None) -> Invited:
    """(Re)invite the named members, or everyone who has never signed in.

    Named addresses that are not active members are returned, not invited; nothing is queued then.
    Someone who declined the association's invitations is skipped and counted apart; someone invited
    less than five minutes ago is not invited again (a double click, a loop).
    Thousands of invitations (a big import) are queued a few at a time, in short transactions.
    """
    if emails is None:
        users = list(never_signed_in(association=association))
    else:
        wanted = [email.strip().lower() for email in emails]
        found: dict[str, User] = {}
        for start in range(0, len(wanted), 500):
            for user in (User.objects.annotate(email_lower=Lower("email"))
                         .filter(email_lower__in=wanted[start : start + 500])):
                found[user.email.lower()] = user
        members = set(
            Membership.objects.filter(association=association, deactivated_at__isnull=True)
            .values_list("user_id", flat=True)
        )
        users, unknown, seen = [], [], set()
        for email, key in zip(emails, wanted, strict=True):
            user = found.get(key)
            if user is None or user.pk not in members or not user.is_active:
                unknown.append(email)
            elif user.pk not in seen:
                seen.add(user.pk)
                users.append(user)
        if unknown:
            return Invited(0, unknown)
    refused = set(declined(association=association).filter(pk__in=[user.pk for user in users])
                  .values_list("pk", flat=True)) if users else set()
    users = [user for user in users if user.pk not in refused
             and not _throttled(to=user.email, kind=f"invitation:{association.pk}")]
    for start in range(0, len(users), INVITATIONS_PER_TRANSACTION):
        with transaction.atomic():
            for user in users[start : start + INVITATIONS_PER_TRANSACTION]:
                invitation_send(association=association, user=user, invited_by=invited_by)
    return Invited(len(users), [], len(refused))


def declined_phrase(count: int) -> str:
    """« 2 personnes ont décliné les invitations de l'association : aucune ne leur est envoyée. »"""
    return ngettext("%(count)d personne a décliné les invitations de l'association : aucune ne lui est envoyée.",
                    "%(count)d personnes ont décliné les invitations de l'association : aucune ne leur est "
                    "envoyée.", count) % {"count": count}


def sign_in_link_send(*, email: str, next_path: str = "") -> Email | None:
    """« Recevoir un lien de connexion »: a link if the address has an active account.

    Says nothing to the caller about whether the account exists (the page shows the same answer),
    and sends at most one per address per five minutes. ``next_path`` (a path of this site, checked
    by the caller) is where the link leads once used: the page the person was trying to open.
    """
    user = user_by_email(email=email)
    if user is None or not user.is_active or _throttled(to=user.email, kind="sign_in"):
        return None
    with transaction.atomic():
        link, raw = _link_create(user=user, purpose=Purpose.SIGN_IN)
        return _queue(link=link, raw=raw, to=user.email, template="sign_in", context={}, next_path=next_path)


def activation_send(*, user: User) -> Email | None:
    """A reset asked by someone who never had a password: an activation link instead."""
    if not user.is_active or _throttled(to=user.email, kind="activation"):
        return None
    with transaction.atomic():
        link, raw = _link_create(user=user, purpose=Purpose.ACTIVATION)
        return _queue(link=link, raw=raw, to=user.email, template="activation", context={})


def email_change_request(*, user: User, new_email: str) -> Email | None:
    """Send a confirmation to the new address; the change happens when that link is used."""
    new_email = new_email.strip().lower()
    if user_by_email(email=new_email) is not None:
        raise ValidationError({"email": _("Un compte existe déjà avec ce courriel.")})
    if _throttled(to=new_email, kind="email_change"):
        raise ValidationError({"email": _("Un courriel de confirmation vient d'être envoyé. Réessayez dans quelques minutes.")})
    with transaction.atomic():
        link, raw = _link_create(user=user, purpose=Purpose.EMAIL_CHANGE, new_email=new_email)
        return _queue(link=link, raw=raw, to=new_email, template="email_change", context={"new_email": new_email})


def link_found(*, raw: str) -> LoginLink | None:
    """The link whatever its state (used, expired): to say what became of it."""
    return LoginLink.objects.for_raw(raw).select_related("user", "association").first()


def link_valid(*, raw: str) -> LoginLink | None:
    """The link if it can still be used (for the GET page: reads, never consumes)."""
    link = LoginLink.objects.for_raw(raw).select_related("user", "association").first()
    if link is None or link.used_at is not None or link.expires_at <= timezone.now() or not link.user.is_active:
        return None
    return link


def link_consume(*, raw: str) -> LoginLink | None:
    """Use the link: once. Returns it when this call consumed it, else None (used, expired, unknown).

    An email change is applied here, in the same transaction: the new address proved it reads its mail.
    """
    now = timezone.now()
    with transaction.atomic():
        link = link_valid(raw=raw)
        if link is None:
            return None
        # The conditional update is the guard: of two racing presses only one changes a row.
        if not LoginLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now):
            return None
        link.used_at = now
        if link.purpose == Purpose.EMAIL_CHANGE:
            _apply_email_change(link)
        elif link.purpose == Purpose.EMAIL_REVERT:
            _apply_email_revert(link)
    return link


def masked(email: str) -> str:
    """« m•••@exemple.org »: enough for the owner to recognize an address, not to hand it over."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


def _apply_email_change(link: LoginLink) -> None:
    from tablee.outbox.services import optouts_move

    user = User.objects.select_for_update().get(pk=link.user_id)
    if user_by_email(email=link.new_email) is not None:
        raise ValidationError({"email": _("Un compte existe déjà avec ce courriel.")})
    old = user.email
    user.email = link.new_email
    user.full_clean(exclude=["password"])
    user.save(update_fields=["email"])
    optouts_move(old=old, new=user.email)
    # The links still waiting in the old mailbox (sign-in, activation, invitation, another change)
    # would let whoever reads it in, and show the new address: spent. The ways back of earlier
    # changes stay, each one its owner's.
    LoginLink.objects.filter(user=user, used_at__isnull=True).exclude(pk=link.pk).exclude(
        purpose=Purpose.EMAIL_REVERT).update(used_at=timezone.now())
    link.user = user
    _email_changed_notice(user=user, old=old)


def _email_changed_notice(*, user: User, old: str) -> Email | None:
    """Tell the old address that the account moved, with a link that puts it back if it was not
    the owner (``Purpose.EMAIL_REVERT``). Through the outbox, on commit; at most a few an hour."""
    try:
        throttle_hit(key=f"email-changed:{old.lower()}", limit=EMAIL_CHANGED_NOTICES_PER_HOUR, window=3600)
    except Throttled:
        return None
    link, raw = _link_create(user=user, purpose=Purpose.EMAIL_REVERT, new_email=old)
    return _queue(link=link, raw=raw, to=old, template="email_changed",
                  context={"new_email": masked(user.email), "old_email": old})


def password_changed_notice(*, user: User) -> Email | None:
    """« Votre mot de passe a été changé », to the account's address, when a password it had is
    replaced, whatever the path (``passwords.PasswordChangeHooks``); through the outbox, at most a
    few an hour. Its way back, if it was not them: a
    new password through « Mot de passe oublié » (the link goes to this address), which closes every
    session opened with the other one and revokes the API tokens."""
    try:
        throttle_hit(key=f"password-changed:{user.pk}", limit=PASSWORD_CHANGED_NOTICES_PER_HOUR, window=3600)
    except Throttled:
        return None
    return email_render_queue(
        key=f"password-changed:{user.pk}:{uuid.uuid4().hex}", kind="password_changed", to=user.email, user=user,
        template="members/email/password_changed", language=language_of(user), context={
            "name": user.first_name or user.email,
            "url": settings.SITE_URL + reverse("password_reset"),
            "site_url": settings.SITE_URL,
        })


def _apply_email_revert(link: LoginLink) -> None:
    """« Ce n'était pas moi »: the account goes back to the old address, and whoever changed it is
    shut out: the password is cleared (every session ends with it), the API tokens are revoked and
    every other pending link is spent. The owner then signs in from here and chooses a password."""
    from tablee.members.services import api_token_revoke
    from tablee.outbox.services import optouts_move

    user = User.objects.select_for_update().get(pk=link.user_id)
    holder = user_by_email(email=link.new_email)
    if holder is not None and holder.pk != user.pk:
        raise ValidationError({"email": _("Un compte existe déjà avec ce courriel.")})
    changed = user.email
    user.email = link.new_email
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["email", "password"])
    if changed.lower() != user.email.lower():
        optouts_move(old=changed, new=user.email)
    api_token_revoke(user=user)
    LoginLink.objects.filter(user=user, used_at__isnull=True).exclude(pk=link.pk).update(used_at=timezone.now())
    link.user = user
