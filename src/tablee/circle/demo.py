"""The circle part of `tablee demo`: Marie's contacts outside Tablée, tiers and rhythms, notes and
promises, a dormant tie, and follow-ups still to do (one overdue). No email is queued: nothing here
goes through the outbox.

Runs after the journey demo (which writes Marie's first cards); idempotent: the rows it owns are
found by their emails and the event label, and rebuilt.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from tablee.circle import services
from tablee.circle.models import Card, Contact, FollowUp, Interaction
from tablee.gatherings.models import Gathering
from tablee.members.models import Association, User
from tablee.tables.models import Plan, Seat

EVENT = "Congrès Québec numérique"
# name, email, organization, language, tier, trusted, rhythm (ideal, max), days since last contact, note, promise
OUTSIDE = [
    ("Geneviève Paradis", "genevieve.paradis@exemple.qc.ca", "Fondation Béati", "fr-ca", "close", True, (21, 45), 10,
     "Prépare une **demande de subvention** pour un projet de cuisine collective.\n\n- aime le vélo\n- deux enfants",
     "lui présenter Hélène, de la Caisse"),
    ("David Chen", "david.chen@example.com", "Port of Montreal", "en", "circle", True, (30, 60), 52,
     "Works on *green shipping*; wants to meet Québec City co-ops.", "send him the co-op directory"),
    ("Louise Bergeron", "louise.bergeron@exemple.qc.ca", "Retraitée, ex-CDPQ", "fr-ca", "close", True, (30, 90), 430,
     "Ma mentore depuis 2019. Toujours de bon conseil sur la gouvernance.", ""),
    ("Karim Haddad", "karim.haddad@exemple.qc.ca", "Haddad Design", "fr-ca", "network", False, (60, 120), 130,
     "Designer graphique, pourrait refaire notre logo.", ""),
]


def _tablemate(gathering: Gathering, marie: User, exclude: set[int]) -> User | None:
    """The first of Marie's table-mates who came (a card is kept of someone met)."""
    seat = Seat.objects.filter(plan__gathering=gathering, plan__status=Plan.Status.PUBLISHED, user=marie).first()
    if seat is None:
        return None
    mates = Seat.objects.filter(table_id=seat.table_id).exclude(user=marie).exclude(user_id__in=exclude)
    return next((s.user for s in mates.select_related("user").order_by("pk")
                 if services.selectors.attended(user=s.user, gathering=gathering)), None)


def circle_demo(*, association: Association, marie: User, now: datetime | None = None) -> None:
    now = now or timezone.now()
    emails = [row[1] for row in OUTSIDE]
    Contact.objects.filter(owner=marie, user__isnull=True, email__in=emails).delete()
    cards = Card.objects.filter(owner=marie, gathering__isnull=True, event_label=EVENT)
    FollowUp.objects.filter(card__in=cards).delete()
    cards.delete()
    # "Met at" entries whose gathering a previous run rebuilt, or of the conference above.
    Interaction.objects.filter(owner=marie, kind=Interaction.Kind.GATHERING, gathering__isnull=True).delete()

    for name, email, organization, language, tier, trusted, (ideal, maximum), days, note, promise in OUTSIDE:
        contact = services.contact_create(owner=marie, name=name, email=email, organization=organization,
                                          language=language, tier=tier, trusted=trusted,
                                          rhythm_ideal_days=ideal, rhythm_max_days=maximum)
        Contact.objects.filter(pk=contact.pk).update(created_at=now - timedelta(days=days + 200))
        services.interaction_record(owner=marie, contact=contact, kind=Interaction.Kind.COFFEE,
                                    happened_at=now - timedelta(days=days), summary="Café au Nektar")
        services.note_add(owner=marie, contact=contact, text=note)
        if promise:
            services.promise_create(owner=marie, contact=contact, text=promise,
                                    due_on=timezone.localdate(now) + timedelta(days=5))

    # A card from a conference two days ago: its follow-up is due today.
    services.cards_keep(owner=marie, event_label=EVENT, now=now - timedelta(days=2), entries=[services.CardEntry(
        name="Nguyễn Thị Hoa", email="hoa.nguyen@example.com", organization="Mila",
        topic="l'IA pour trier les demandes de subventions", pronunciation="Nou-yen Ti Hoa")])

    # The last breakfast: a third card, with a follow-up now overdue (the first two come from the journey).
    past = Gathering.objects.filter(association=association, starts_at__lt=now).order_by("-starts_at").first()
    if past is not None:
        kept = set(Card.objects.filter(owner=marie, gathering=past).values_list("contact__user_id", flat=True))
        mate = _tablemate(past, marie, {pk for pk in kept if pk})
        if mate is not None and len(kept) < services.selectors.card_budget_for(marie, past):
            [card] = services.cards_keep(owner=marie, gathering=past, now=past.ends_at, entries=[
                # By the person, as the cards page does: their address stays theirs.
                services.CardEntry(user_id=mate.pk, topic="son projet d'épicerie zéro déchet à Limoilou",
                                   note="Rappeler avant les Fêtes.")])
            FollowUp.objects.filter(card=card).update(due_on=timezone.localdate(past.ends_at) + timedelta(days=2))

    # Rhythms follow the latest interaction, whoever wrote it.
    for contact in Contact.objects.filter(owner=marie):
        latest = Interaction.objects.filter(owner=marie, contact=contact).aggregate(m=Max("happened_at"))["m"]
        if latest != contact.last_interaction_at:
            Contact.objects.filter(pk=contact.pk).update(last_interaction_at=latest)
