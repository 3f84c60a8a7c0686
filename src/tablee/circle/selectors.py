"""Reads for the circle. Every query is filtered by ``owner``: these rows belong to their author alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tablee.circle.models import (
    CARD_BUDGET_DEFAULT,
    Card,
    CircleSettings,
    Contact,
    ContinueWish,
    FollowUp,
    Interaction,
    Promise,
)
from tablee.gatherings.models import Gathering, Rsvp
from tablee.members.models import GHOST_EMAIL_DOMAIN, GUEST_EMAIL_DOMAIN, User

# Soft sizes of the tiers (Dunbar-like): beyond them, adding someone asks who moves out.
TIER_SIZES = {Contact.Tier.CLOSE: 5, Contact.Tier.CIRCLE: 15, Contact.Tier.NETWORK: 50}
DORMANT_AFTER = timedelta(days=365)
SUGGESTIONS_PER_WEEK = 3


def contacts_for_owner(*, owner) -> QuerySet[Contact]:
    if not getattr(owner, "is_authenticated", False):
        return Contact.objects.none()
    return Contact.objects.filter(owner_id=owner.pk)


def followups_queue(*, owner) -> QuerySet[FollowUp]:
    """Follow-ups still to do, oldest due first (overdue ones lead)."""
    return (
        FollowUp.objects.filter(owner_id=owner.pk, status=FollowUp.Status.PENDING)
        .select_related("owner", "contact__user__profile", "card__gathering", "email")
        .prefetch_related(_open_promises(owner))
        .order_by("due_on", "pk")
    )


def followups_due_links(*, user) -> list[dict[str, str]]:
    """« Mes suivis à écrire (n) » for « À faire » while a follow-up is due today or late, else nothing."""
    due = FollowUp.objects.filter(owner_id=user.pk, status=FollowUp.Status.PENDING, due_on__lte=today()).count()
    if not due:
        return []
    return [{"label": _("Mes suivis à écrire (%(count)s)") % {"count": due}, "url": reverse("circle:followups"),
             "testid": "todo-followups"}]


def _open_promises(owner) -> Prefetch:
    """The contact's open promises, read once for a whole list of drafts (``drafts.followup_draft``)."""
    return Prefetch(
        "contact__promises",
        queryset=Promise.objects.filter(owner_id=owner.pk, status=Promise.Status.OPEN),
        to_attr="open_promises",
    )


def followups_all(*, owner) -> QuerySet[FollowUp]:
    """Every follow-up of the owner for the API list: those to do first (oldest due first), then the
    ones already handled (latest first). One query per page, drafts included."""
    pending = Q(status=FollowUp.Status.PENDING)
    return (
        FollowUp.objects.filter(owner_id=owner.pk)
        .select_related("owner", "contact__user__profile", "card__gathering", "email")
        .prefetch_related(_open_promises(owner))
        .annotate(
            rank=Case(When(pending, then=Value(0)), default=Value(1)),
            pending_due=Case(When(pending, then=F("due_on"))),
            pending_pk=Case(When(pending, then=F("pk"))),
        )
        .order_by("rank", "pending_due", "pending_pk", F("sent_at").desc(nulls_last=True), "-pk")
    )


def followups_recent(*, owner, limit: int = 20) -> QuerySet[FollowUp]:
    """Follow-ups done: sent, handed to a mail program or let go, the latest first, with their outbox status."""
    return (
        FollowUp.objects.filter(owner_id=owner.pk)
        .exclude(status=FollowUp.Status.PENDING)
        .select_related("contact", "email")
        .annotate(done_at=Coalesce("sent_at", "dismissed_at", "created_at"))
        .order_by("-done_at", "-pk")[:limit]
    )


def followup_delivery(followup: FollowUp) -> str:
    """What the sender sees: to do, queued, sending, sent, failed, opened in a mail program, dismissed."""
    if followup.email_id is not None:
        return followup.email.status
    return followup.status


def delivery_label(followup: FollowUp) -> str:
    labels = {
        "pending": _("à faire"), "queued": _("en file d'envoi"), "sending": _("en cours d'envoi"),
        "sent": _("envoyé"), "failed": _("échec de l'envoi"),
        "mailto": _("envoyé depuis mon logiciel de courriel"), "dismissed": _("laissé tomber"),
    }
    status = followup_delivery(followup)
    return labels.get(status, status)


def card_budget_for(user, event: Gathering | str | None = None) -> int:
    """How many cards this user keeps from one event (their setting, 1..5; default 3).

    ``event`` is a gathering or the label of an outside event; the journey may narrow it per event.
    """
    setting = CircleSettings.objects.filter(user_id=user.pk).values_list("card_budget", flat=True).first()
    return setting or CARD_BUDGET_DEFAULT


def cards_for_event(*, owner, gathering: Gathering | None = None, event_label: str = "") -> QuerySet[Card]:
    cards = Card.objects.filter(owner_id=owner.pk).select_related("contact")
    if gathering is not None:
        return cards.filter(gathering_id=gathering.pk)
    return cards.filter(gathering__isnull=True, event_label=event_label)


def attended(*, user, gathering: Gathering) -> bool:
    return (
        Rsvp.objects.filter(gathering_id=gathering.pk, user_id=user.pk, status=Rsvp.Status.CONFIRMED)
        .exclude(present=False)
        .exists()
    )


def table_mates_of(*, gathering: Gathering, user) -> set[int]:
    """Ids of the people at my table in the published plan (empty without one)."""
    from tablee.tables.models import Plan, Seat

    seat = Seat.objects.filter(plan__gathering_id=gathering.pk, plan__status=Plan.Status.PUBLISHED,
                               user_id=user.pk).first()
    if seat is None:
        return set()
    # A guest let in by name only has no account to keep in touch with, nor has a deleted account:
    # not offered as a card.
    return set(Seat.objects.filter(table_id=seat.table_id).exclude(user_id=user.pk)
               .exclude(user__email__endswith="@" + GUEST_EMAIL_DOMAIN)
               .exclude(user__email__endswith="@" + GHOST_EMAIL_DOMAIN).values_list("user_id", flat=True))


def attendees_for_cards(*, gathering: Gathering, user) -> list[User]:
    """The other people of the gathering, the user's own table first when a plan was published. A
    deleted account (« Compte supprimé ») is nobody to keep in touch with."""
    from tablee.tables.selectors import attendees_now, my_table

    people = [u for u in attendees_now(gathering=gathering) if u.pk != user.pk and not u.is_ghost]
    table = my_table(gathering=gathering, user=user)
    if table is not None:
        names = {c["name"] for c in table["companions"]}
        people.sort(key=lambda u: (u.get_full_name() not in names, u.get_full_name()))
    return people


@dataclass(frozen=True)
class Rhythm:
    color: str  # "green", "yellow", "red", or "" when no rhythm is set
    days_since: int | None

    @property
    def label(self) -> str:
        """What the colour says, in words (the colour is never the only clue)."""
        return {"green": _("à jour"), "yellow": _("bientôt un petit mot"), "red": _("rythme dépassé")}.get(
            self.color, _("pas de rythme choisi"))


def rhythm_of(contact: Contact, *, now: datetime | None = None) -> Rhythm:
    """Green before the ideal number of days without contact, yellow up to the maximum, red after."""
    now = now or timezone.now()
    since = contact.last_interaction_at or contact.created_at
    days = (now - since).days if since else None
    if contact.rhythm_ideal_days is None and contact.rhythm_max_days is None or days is None:
        return Rhythm("", days)
    ideal = contact.rhythm_ideal_days if contact.rhythm_ideal_days is not None else contact.rhythm_max_days
    maximum = contact.rhythm_max_days if contact.rhythm_max_days is not None else ideal
    if days <= ideal:
        return Rhythm("green", days)
    if days <= maximum:
        return Rhythm("yellow", days)
    return Rhythm("red", days)


def dormant_ties(*, owner, now: datetime | None = None) -> QuerySet[Contact]:
    """Trusted contacts with no interaction for over a year: worth a gentle word."""
    now = now or timezone.now()
    limit = now - DORMANT_AFTER
    return (
        contacts_for_owner(owner=owner)
        .filter(trusted=True)
        .filter(last_interaction_at__lt=limit)
        .order_by("last_interaction_at", "pk")
    )


def tier_counts(*, owner) -> dict[str, int]:
    counts = {tier: 0 for tier in TIER_SIZES}
    for tier in contacts_for_owner(owner=owner).exclude(tier="").values_list("tier", flat=True):
        counts[tier] = counts.get(tier, 0) + 1
    return counts


def timeline(*, contact: Contact) -> QuerySet[Interaction]:
    return Interaction.objects.filter(owner_id=contact.owner_id, contact_id=contact.pk).select_related("gathering")


def open_promises(*, owner, contact: Contact | None = None) -> QuerySet[Promise]:
    promises = Promise.objects.filter(owner_id=owner.pk, status=Promise.Status.OPEN)
    if contact is not None:
        promises = promises.filter(contact_id=contact.pk)
    return promises


def my_continue_targets(*, user, gathering: Gathering) -> set[int]:
    """Whom I said I'd like to continue with after this gathering (my own wishes, seen only by me)."""
    return set(ContinueWish.objects.filter(author_id=user.pk, gathering_id=gathering.pk).values_list("target_id",
                                                                                                     flat=True))


def mutual_continues(*, user, gathering: Gathering | None = None) -> QuerySet[ContinueWish]:
    """Only mutual wishes are ever shown, and only to the two people who made them."""
    wishes = ContinueWish.objects.filter(author_id=user.pk, mutual_at__isnull=False).select_related("target", "gathering")
    if gathering is not None:
        wishes = wishes.filter(gathering_id=gathering.pk)
    return wishes


def hub_continue_links(*, gathering: Gathering, user) -> list[dict[str, str]]:
    """For the gathering's hub: « Écrire à X » for each mutual « poursuivre la conversation » of ``user``
    at that gathering. Only the author's own wishes are read: nobody else sees the pair."""
    return [{"label": _("Écrire à %(name)s") % {"name": wish.target.first_name or wish.target.get_full_name()},
             "url": reverse("circle:continue", args=[gathering.pk, wish.target_id]),
             "testid": f"hub-continue-write-{wish.target_id}"}
            for wish in mutual_continues(user=user, gathering=gathering)]


def duplicate_groups(*, owner, limit: int = 20) -> list[list[Contact]]:
    """Contacts sharing an email address (case-insensitive), oldest first in each group.

    The shared addresses are found in the database (GROUP BY), so a circle of 20,000 contacts
    loads only the duplicates; at most ``limit`` groups at a time.
    """
    mine = contacts_for_owner(owner=owner).exclude(email="").annotate(address=Lower("email"))
    shared = list(
        mine.order_by().values("address").annotate(n=Count("pk")).filter(n__gt=1)
        .order_by("address").values_list("address", flat=True)[:limit]
    )
    if not shared:
        return []
    groups: dict[str, list[Contact]] = {}
    for contact in mine.filter(address__in=shared).order_by("created_at", "pk"):
        groups.setdefault(contact.email.lower(), []).append(contact)
    return [group for group in groups.values() if len(group) > 1]


def today() -> date:
    return timezone.localdate()
