"""Account deletion, tables' part: wishes by or about the person go; seats stay, as the ghost's."""

from __future__ import annotations

from django.db.models import Q

from tablee.tables.models import Seat, Wish


def erase(*, user, ghost) -> dict[str, int]:
    return {
        "wishes": Wish.objects.filter(Q(author=user) | Q(target=user)).delete()[0],
        "seats_kept_anonymously": Seat.objects.filter(user=user).update(user=ghost),
    }
