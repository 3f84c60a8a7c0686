"""Deleting an account (Québec's Law 25), without the members room knowing the rooms above it.

Rooms above (gatherings, tables, circle, journey) hold what a person wrote or did. Each registers,
in its ``AppConfig.ready``, an eraser: ``eraser(*, user, ghost) -> dict[str, int]`` that deletes the
person's private data in that room and hands attendance over to ``ghost``. The ghost is a fresh,
inactive account with no name, no address of theirs, no profile, one per deleted account: the
association's figures (who came, how many new pairs met) stay true, and nothing says who it was.

The registry lives in ``tablee.members.hooks``.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.db import transaction

from tablee.members.hooks import erasers
from tablee.members.models import (
    GHOST_EMAIL_DOMAIN,
    JoinRequest,
    LoginLink,
    Membership,
    Profile,
    User,
)
from tablee.outbox.models import Email, Topic
from tablee.outbox.rendering import email_render_queue
from tablee.outbox.services import optouts_forget
from tablee.outbox.wayback import unsubscribe_keys_forget

logger = logging.getLogger(__name__)

GHOST_DOMAIN = GHOST_EMAIL_DOMAIN


def ghost_create() -> User:
    ghost = User(email=f"ghost-{uuid.uuid4().hex}@{GHOST_DOMAIN}", is_active=False)
    ghost.set_unusable_password()
    ghost.save()
    return ghost


def account_delete(*, user: User) -> dict[str, int]:
    """Erase the account and everything private it holds; attendance goes to an anonymous ghost.

    Returns what was erased, per room and kind. Queues one confirmation email to the old address;
    the outbox forgets that email's address and text once sent.
    """
    address = user.email
    language = getattr(Profile.objects.filter(user_id=user.pk).first(), "preferred_language", "") or settings.LANGUAGE_CODE
    erased: dict[str, int] = {}
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        ghost = ghost_create()
        for room, eraser in sorted(erasers.items()):
            for kind, count in eraser(user=user, ghost=ghost).items():
                erased[f"{room}.{kind}"] = count
        erased["members.login_links"] = LoginLink.objects.filter(user=user).delete()[0]
        erased["members.memberships"] = Membership.all_objects.filter(user=user).delete()[0]
        erased["members.join_requests"] = JoinRequest.objects.filter(email__iexact=address).delete()[0]
        # The outbox kept copies of what was sent to them (their name, their table, their links).
        erased["outbox.emails"] = Email.objects.filter(user=user).delete()[0] + Email.objects.filter(
            to__iexact=address).delete()[0]
        # Their email choices go with them; a refusal of personal emails, or of an association's
        # invitations, protects the address: kept.
        erased["outbox.optouts"] = optouts_forget(address=address, keep=(Topic.PERSONAL, Topic.INVITATIONS))
        # The keys of her unsubscribe links go too (a refusal above keeps protecting the address).
        erased["outbox.unsubscribe_keys"] = unsubscribe_keys_forget(address=address)
        erased["members.profile"] = Profile.objects.filter(user=user).delete()[0]
        erased["members.account"] = User.objects.filter(pk=user.pk).delete()[1].get("members.User", 0)
        _queue_confirmation(address=address, language=language)
    logger.info("account deleted: %s", {k: v for k, v in erased.items() if v})
    return erased


def _queue_confirmation(*, address: str, language: str) -> Email:
    return email_render_queue(
        key=f"account-deleted:{uuid.uuid4().hex}", kind="account_deleted", to=address, forget_after_send=True,
        template="members/email/account_deleted", language=language,
        context={"association": {"name": "Tablée"}, "site_url": settings.SITE_URL})
