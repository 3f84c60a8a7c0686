"""Who may see and change an intention, its reflection and a share: their author, and no one else.

What a person writes about their own journey is theirs alone: organizers see none of it.
Anything else is ``Http404``, so its existence does not leak.
"""

from __future__ import annotations

from django.http import Http404

from tablee.journey.models import Intention
from tablee.members.access import Viewer, authenticated


def intention_for_author(user: Viewer, intention_id: int | str) -> Intention:
    """An intention (with its reflection) is its author's alone: ``Http404`` to everyone else, organizers included."""
    if not authenticated(user):
        raise Http404
    intention = Intention.objects.select_related("gathering").filter(pk=intention_id, author_id=user.pk).first()
    if intention is None:
        raise Http404
    return intention
