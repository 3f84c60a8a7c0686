"""The organizer's roster: who is in, their invitation state; adding one member; the web import.

``roster_page`` reads (a page of people, however big the association); ``member_add``,
``membership_deactivate``, ``join_request_*`` write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tablee.members import hooks
from tablee.members.invitations import declined, invitation_send
from tablee.members.join_notices import join_request_notices_queue
from tablee.members.models import Association, JoinRequest, LoginLink, Membership, User
from tablee.members.selectors import user_by_email
from tablee.members.services import member_join, person_create
from tablee.pagination import Window, window
from tablee.sorting import by_name


@dataclass
class RosterRow:
    user: User
    role: str
    active_membership: bool
    invited_at: datetime | None
    last_attended: tuple[str, datetime] | None = None
    declined: bool = False  # declined the association's invitations: none is sent any more

    @property
    def state(self) -> str:
        if self.user.last_login is not None:
            return "active"
        if self.declined:
            return "declined"
        return "invited" if self.invited_at is not None else "never_invited"


def _memberships(*, association: Association, search: str = "", include_deactivated: bool = False):
    manager = Membership.all_objects if include_deactivated else Membership.objects
    memberships = manager.filter(association=association).select_related("user")
    if search:
        words = search.split()
        for word in words:
            memberships = memberships.filter(
                Q(user__email__icontains=word) | Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word) | Q(user__profile__organization__icontains=word)
            )
    return memberships.order_by(by_name("user__last_name"), by_name("user__first_name"), "user__email")


def _rows(*, association: Association, memberships) -> list[RosterRow]:
    """Roster rows for these memberships: their invitation dates, refusals and last gathering, in
    three queries."""
    user_ids = [m.user_id for m in memberships]
    invited = dict(
        LoginLink.objects.filter(association=association, purpose=LoginLink.Purpose.INVITATION, user_id__in=user_ids)
        .values("user_id").annotate(last=Max("created_at")).values_list("user_id", "last")
    )
    refused = set(declined(association=association).filter(pk__in=user_ids).values_list("pk", flat=True))
    rows = [RosterRow(user=m.user, role=m.role, active_membership=m.deactivated_at is None,
                      invited_at=invited.get(m.user_id), declined=m.user_id in refused) for m in memberships]
    for reader in hooks.last_attended:
        found = reader(association=association, user_ids=user_ids)
        for row in rows:
            row.last_attended = found.get(row.user.pk)
    return rows


def roster_page(*, association: Association, limit: int, offset: int, search: str = "",
                include_deactivated: bool = False) -> Window:
    """One page of the roster: a count and the page's people, whatever the association's size."""
    page = window(_memberships(association=association, search=search, include_deactivated=include_deactivated),
                  limit=limit, offset=offset)
    return Window(_rows(association=association, memberships=page.items), page.total, page.limit, page.offset)


def member_add(*, association: Association, email: str, first_name: str, last_name: str,
               invite: bool = True, invited_by: User | None = None, **profile) -> tuple[User, bool]:
    """Add one person to the association (creating the account if needed); invite them if asked.

    Returns (user, invited). An existing active member is an error; a deactivated one comes back.
    """
    with transaction.atomic():
        user = user_by_email(email=email)
        if user is None:
            user = person_create(email=email, first_name=first_name, last_name=last_name,
                                 **{k: v for k, v in profile.items() if v})
        elif Membership.objects.filter(association=association, user=user).exists():
            raise ValidationError({"email": _("%(email)s est déjà membre.") % {"email": user.email}})
        member_join(association=association, user=user)
        invited = False
        if invite and user.last_login is None:
            invitation_send(association=association, user=user, invited_by=invited_by)
            invited = True
    return user, invited


@transaction.atomic
def membership_deactivate(*, association: Association, user: User, by: User) -> Membership:
    membership = Membership.all_objects.select_for_update().filter(association=association, user=user).first()
    if membership is None:
        raise ValidationError(_("Cette personne n'est pas membre."))
    if user.pk == by.pk:
        raise ValidationError(_("Vous ne pouvez pas vous désactiver vous-même."))
    if membership.deactivated_at is None:
        membership.deactivated_at = timezone.now()
        membership.save(update_fields=["deactivated_at"])
    return membership


@transaction.atomic
def membership_reactivate(*, association: Association, user: User) -> Membership:
    membership = Membership.all_objects.select_for_update().get(association=association, user=user)
    membership.deactivated_at = None
    membership.save(update_fields=["deactivated_at"])
    return membership


def association_open_to_requests(*, association: Association, open: bool) -> Association:
    """Open or close the association's « Demander à joindre » page."""
    Association.objects.filter(pk=association.pk).update(open_to_requests=open)
    association.open_to_requests = open
    return association


def join_request_create(*, association: Association, email: str, first_name: str, last_name: str,
                        organization: str = "", message: str = "") -> JoinRequest | None:
    """« Demander à joindre ». Returns None (and stores nothing new) for an address already waiting
    or already a member: the page gives the same answer either way."""
    if not association.open_to_requests:
        raise ValidationError(_("Cette association n'accepte pas de demandes en ligne."))
    email = email.strip().lower()
    user = user_by_email(email=email)
    if user is not None and Membership.all_objects.filter(association=association, user=user).exists():
        return None
    if JoinRequest.objects.filter(association=association, email=email, status=JoinRequest.Status.PENDING).exists():
        return None
    request = JoinRequest(association=association, email=email, first_name=first_name.strip(),
                          last_name=last_name.strip(), organization=organization.strip(), message=message.strip())
    request.full_clean()
    with transaction.atomic():
        request.save()
        # The organizers hear of it through the outbox, at most once an hour each (join_notices).
        join_request_notices_queue(association=association)
    return request


def join_request_decide(*, join_request: JoinRequest, approve: bool, by: User) -> User | None:
    """Approve (creates the member and sends the invitation) or decline. Returns the member if approved."""
    with transaction.atomic():
        row = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if row.status != JoinRequest.Status.PENDING:
            raise ValidationError(_("Cette demande a déjà été traitée."))
        row.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
        row.decided_at, row.decided_by = timezone.now(), by
        row.save(update_fields=["status", "decided_at", "decided_by"])
        if not approve:
            return None
        user, _invited = member_add(association=row.association, email=row.email, first_name=row.first_name,
                                    last_name=row.last_name, organization=row.organization, invited_by=by)
    return user
