"""Account deletion, journey's part: intentions, reflections, shares and pacing are erased."""

from __future__ import annotations

from tablee.journey.models import Intention, Pacing, Reflection, Share


def erase(*, user, ghost) -> dict[str, int]:
    return {
        "reflections": Reflection.objects.filter(intention__author=user).delete()[0],
        "intentions": Intention.objects.filter(author=user).delete()[0],
        "shares": Share.objects.filter(author=user).delete()[0],
        "pacing": Pacing.objects.filter(user=user).delete()[0],
    }
