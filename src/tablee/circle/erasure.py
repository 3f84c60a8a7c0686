"""Account deletion, circle's part: everything the person kept about others is erased.

Contacts, notes, cards, follow-ups, promises, interactions, suggestions, settings: deleted.
Continue wishes stay only as the ghost's, so the association's count of mutual continues holds;
nothing in them names anyone. Other members' own contacts that pointed at the person are unlinked
(the account is gone); what those members wrote in their own circle is theirs, not the deleted
person's.
"""

from __future__ import annotations

from tablee.circle.models import (
    Card,
    CircleSettings,
    Contact,
    ContinueWish,
    FollowUp,
    Interaction,
    Note,
    Promise,
    Suggestion,
)


def erase(*, user, ghost) -> dict[str, int]:
    done = {
        "suggestions": Suggestion.objects.filter(owner=user).delete()[0],
        "interactions": Interaction.objects.filter(owner=user).delete()[0],
        "promises": Promise.objects.filter(owner=user).delete()[0],
        "notes": Note.objects.filter(owner=user).delete()[0],
        "followups": FollowUp.objects.filter(owner=user).delete()[0],
        "cards": Card.objects.filter(owner=user).delete()[0],
        "contacts": Contact.objects.filter(owner=user).delete()[0],
        "settings": CircleSettings.objects.filter(user=user).delete()[0],
        "links_from_others_unlinked": Contact.objects.filter(user=user).update(user=None),
    }
    done["continue_wishes_kept_anonymously"] = (
        ContinueWish.objects.filter(author=user).update(author=ghost)
        + ContinueWish.objects.filter(target=user).update(target=ghost)
    )
    return done
