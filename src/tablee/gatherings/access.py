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
    """Gatherings of the user's associations; drafts only where the user organizes."""
    if not authenticated(user):
        return Gathering.objects.none()
    return visible_to(user.pk)


def visible_to(user_id: int) -> QuerySet[Gathering]:
    """The rule of ``visible_gatherings`` for a signed-in person named by id.

    Written with subqueries on the id alone, so that a prepared query (tablee.prepared) can hold
    it: the hot pages build it once per connection, not on every visit."""
    mine = Membership.objects.filter(user_id=user_id)  # active memberships only (the manager)
    # Named states rather than "not a draft": the same rows, and an index SQLite can use.
    published = [state for state in Gathering.State.values if state != Gathering.State.DRAFT]
    return Gathering.objects.filter(association_id__in=mine.values("association_id")).filter(
        Q(state__in=published) | Q(association_id__in=mine.filter(role=Membership.Role.ORGANIZER)
                                   .values("association_id"))
    )


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
