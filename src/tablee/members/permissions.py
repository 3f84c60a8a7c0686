"""Who may see and change what: the one place that answers it.

A person sees an association's gatherings when they are a member of it (any role); drafts are
visible to its organizers only. Organizers manage their association's gatherings. Staff have no
special access here: the admin site is their tool.

Things a person may not see raise ``Http404`` (so their existence does not leak); things they may
see but not change raise ``PermissionDenied``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from tablee.gatherings.models import Gathering
from tablee.members.models import Association, Membership


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def _role(user, association: Association | int) -> str | None:
    if not _authenticated(user):
        return None
    association_id = association if isinstance(association, int) else association.pk
    return (
        Membership.objects.filter(association_id=association_id, user_id=user.pk)
        .values_list("role", flat=True)
        .first()
    )


def is_member(user, association: Association | int) -> bool:
    """Any membership counts: organizers are members too."""
    return _role(user, association) is not None


def is_organizer(user, association: Association | int) -> bool:
    return _role(user, association) == Membership.Role.ORGANIZER


def associations_of(user) -> QuerySet[Association]:
    if not _authenticated(user):
        return Association.objects.none()
    return Association.objects.filter(memberships__user_id=user.pk, memberships__deactivated_at__isnull=True)


def organized_by(user) -> QuerySet[Association]:
    if not _authenticated(user):
        return Association.objects.none()
    return Association.objects.filter(
        memberships__user_id=user.pk, memberships__role=Membership.Role.ORGANIZER, memberships__deactivated_at__isnull=True
    )


def visible_gatherings(user) -> QuerySet[Gathering]:
    """Gatherings of the user's associations; drafts only where the user organizes."""
    if not _authenticated(user):
        return Gathering.objects.none()
    member_of = Membership.objects.filter(user_id=user.pk).values("association_id")
    organizer_of = Membership.objects.filter(user_id=user.pk, role=Membership.Role.ORGANIZER).values(
        "association_id"
    )
    return Gathering.objects.filter(association_id__in=member_of).filter(
        ~Q(state=Gathering.State.DRAFT) | Q(association_id__in=organizer_of)
    )


def _visible_gathering(user, gathering_id) -> tuple[Gathering, str]:
    try:
        pk = int(gathering_id)
    except (TypeError, ValueError):
        raise Http404 from None
    gathering = Gathering.objects.select_related("association").filter(pk=pk).first()
    role = _role(user, gathering.association_id) if gathering is not None else None
    if gathering is None or role is None:
        raise Http404
    if gathering.state == Gathering.State.DRAFT and role != Membership.Role.ORGANIZER:
        raise Http404
    return gathering, role


def gathering_for_member(user, gathering_id) -> Gathering:
    """The gathering if the user may see it, else ``Http404``."""
    gathering, _role_name = _visible_gathering(user, gathering_id)
    return gathering


def gathering_for_organizer(user, gathering_id) -> Gathering:
    """The gathering if the user organizes its association; ``Http404`` if not visible, else ``PermissionDenied``."""
    gathering, role = _visible_gathering(user, gathering_id)
    if role != Membership.Role.ORGANIZER:
        raise PermissionDenied
    return gathering


def association_for_member(user, slug: str) -> Association:
    association = Association.objects.filter(slug=slug).first()
    if association is None or not is_member(user, association):
        raise Http404
    return association


def association_for_organizer(user, slug: str) -> Association:
    """The association if the user organizes it; ``Http404`` if not a member, else ``PermissionDenied``."""
    association = association_for_member(user, slug)
    if not is_organizer(user, association):
        raise PermissionDenied
    return association


def intention_for_author(user, intention_id):
    """An intention (with its reflection) is its author's alone: ``Http404`` to everyone else, organizers included."""
    from tablee.journey.models import Intention

    if not _authenticated(user):
        raise Http404
    intention = Intention.objects.select_related("gathering").filter(pk=intention_id, author_id=user.pk).first()
    if intention is None:
        raise Http404
    return intention
