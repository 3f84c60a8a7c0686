"""Who may see and change a gathering: the one place that answers it.

A person sees an association's gatherings when they are a member of it (any role); drafts are
visible to its organizers only. Organizers manage their association's gatherings, their
attendees and their check-in.

Things a person may not see raise ``Http404`` (so their existence does not leak); things they may
see but not change raise ``PermissionDenied``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from tablee.gatherings.models import Gathering
from tablee.members.access import Viewer, authenticated, role_in
from tablee.members.models import Membership


def visible_gatherings(user: Viewer) -> QuerySet[Gathering]:
    """Gatherings of the user's associations; drafts only where the user organizes.

    The memberships are read first (one small query) and named by id: the same rule written with
    two subqueries costs more to compile than the memberships query costs to run."""
    if not authenticated(user):
        return Gathering.objects.none()
    roles = list(Membership.objects.filter(user_id=user.pk).values_list("association_id", "role"))
    member_of = [association_id for association_id, _role in roles]
    organizer_of = [association_id for association_id, role in roles if role == Membership.Role.ORGANIZER]
    visible = Gathering.objects.filter(association_id__in=member_of)
    # Named states rather than "not a draft": a negation compiles to more SQL for the same rows.
    published = [state for state in Gathering.State.values if state != Gathering.State.DRAFT]
    if not organizer_of:
        return visible.filter(state__in=published)
    return visible.filter(Q(state__in=published) | Q(association_id__in=organizer_of))


def _visible_gathering(user: Viewer, gathering_id: object) -> tuple[Gathering, str]:
    try:
        pk = int(gathering_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise Http404 from None
    gathering = Gathering.objects.select_related("association").filter(pk=pk).first()
    role = role_in(user, gathering.association_id) if gathering is not None else None
    if gathering is None or role is None:
        raise Http404
    if gathering.state == Gathering.State.DRAFT and role != Membership.Role.ORGANIZER:
        raise Http404
    return gathering, role


def gathering_for_member(user: Viewer, gathering_id: object) -> Gathering:
    """The gathering if the user may see it, else ``Http404``."""
    gathering, _role_name = _visible_gathering(user, gathering_id)
    return gathering


def gathering_for_organizer(user: Viewer, gathering_id: object) -> Gathering:
    """The gathering if the user organizes its association; ``Http404`` if not visible, else ``PermissionDenied``."""
    gathering, role = _visible_gathering(user, gathering_id)
    if role != Membership.Role.ORGANIZER:
        raise PermissionDenied
    return gathering
