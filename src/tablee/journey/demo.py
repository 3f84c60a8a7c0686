"""The journey part of `tablee demo`: Marie's intentions, reflections and the rows her charts count,
and follow-ups and mutual « poursuivre » wishes of other attendees for the association's depth page.

Idempotent: Marie's intentions and shares are rebuilt; circle rows are found again by their keys
(contact by owner and person, card by gathering and contact) before anything is created.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from tablee.circle.models import Card, Contact, ContinueWish, FollowUp, Interaction, Promise
from tablee.circle.services import attendee_contact
from tablee.gatherings.models import Gathering
from tablee.journey.models import Intention, Share
from tablee.journey.services import intention_create, pacing_update, reflection_record
from tablee.members.models import Association, Membership, User
from tablee.tables.models import Plan, Seat
from tablee.text import french

OUTSIDE_EVENT = "Sommet PME Québec"
COFFEE = "Café pour poursuivre la conversation"
PROMISES = ("le guide des subventions à l'exportation", "le nom de mon comptable", "l'article sur le télétravail")


def _contact(owner: User, person: User, gathering: Gathering | None) -> Contact:
    """As a real kept card: no address, the organization as the person's consent shows it to the owner."""
    return attendee_contact(owner=owner, member=person, gathering=gathering)


def _tablemates(gathering: Gathering, user: User) -> list[User]:
    seat = Seat.objects.filter(plan__gathering=gathering, plan__status=Plan.Status.PUBLISHED, user=user).first()
    if seat is None:
        return []
    return [s.user for s in Seat.objects.filter(table_id=seat.table_id).exclude(user=user).select_related("user__profile")]


def _talked_about(person: User) -> str:
    profile = getattr(person, "profile", None)
    topic = profile.needs[0] if profile and profile.needs else "son métier"
    return f"Nous avons parlé {french.de(topic)}."  # « d'architecture », not « de architecture »


def _card_with_followup(owner: User, person: User, gathering: Gathering | None, *, note: str, after: timedelta,
                        when: datetime, label: str = "") -> Card:
    contact = _contact(owner, person, gathering)
    card = Card.objects.filter(owner=owner, contact=contact, gathering=gathering,
                               event_label="" if gathering else label).first()
    if card is None:
        card = Card.objects.create(owner=owner, contact=contact, gathering=gathering, note=note,
                                   event_label="" if gathering else label)
        Card.objects.filter(pk=card.pk).update(created_at=when)
    if not FollowUp.objects.filter(card=card).exists():
        FollowUp.objects.create(owner=owner, contact=contact, card=card, due_on=(when + timedelta(days=2)).date(),
                                status=FollowUp.Status.MAILTO, subject="Notre conversation au déjeuner-réseautage",
                                body=f"Merci pour l'échange. {note}", sent_at=when + after)
    return card


def journey_demo(*, association: Association, marie: User, now: datetime | None = None) -> None:
    now = now or timezone.now()
    rng = random.Random(2026)
    members = {m.user_id for m in Membership.objects.filter(association=association)}
    # Cards whose gathering a previous run deleted are orphans: drop them (and their follow-ups).
    orphans = Card.objects.filter(owner_id__in=members, gathering__isnull=True, event_label="")
    FollowUp.objects.filter(card__in=orphans).delete()
    orphans.delete()
    # Earlier demos copied a member's address (and organization) into the cards kept of them, which
    # the real flow never does: those contacts are dropped and rebuilt below through its rules.
    Contact.objects.filter(owner_id__in=members, user_id__in=members, email=F("user__email")).delete()
    Intention.objects.filter(author=marie).delete()
    Share.objects.filter(author=marie).delete()
    pacing_update(user=marie, weekly_cap=2)

    gatherings = list(Gathering.objects.filter(association=association).order_by("starts_at"))
    past = [g for g in gatherings if g.starts_at < now]
    upcoming = [g for g in gatherings if g.starts_at >= now]
    results = [
        ("Rencontrer quelqu'un qui a déjà exporté en Europe", "Un café prévu avec une personne de ma table",
         True, "Café avec elle le mois prochain", 4, 3),
        ("Trouver un comptable qui comprend les coopératives", "Un nom et un courriel en poche",
         False, "Demander une recommandation à Hélène", 2, 2),
    ]
    for gathering, (result, signal, reached, next_step, before, after) in zip(past, results, strict=False):
        intention = intention_create(author=marie, gathering=gathering, result=result, signal=signal,
                                     cards_budget=3, energy_before=before,
                                     questions=["Sur quoi travailles-tu qui te passionne en ce moment?"])
        reflection_record(intention=intention, reached=reached, next_step=next_step, energy_after=after)
        mates = _tablemates(gathering, marie)[:2]
        for k, person in enumerate(mates):
            _card_with_followup(marie, person, gathering, note=_talked_about(person),
                                after=timedelta(hours=20 if k == 0 else 80), when=gathering.ends_at)
    # An outside conference last month, and Tuesday's breakfast ahead.
    outside_day = (now - timedelta(days=17)).date()
    outside = intention_create(author=marie, event_title=OUTSIDE_EVENT, event_date=outside_day,
                               result="Deux vraies conversations plutôt que vingt cartes",
                               signal="Deux suivis envoyés dans les 48 heures", cards_budget=2, energy_before=3)
    reflection_record(intention=outside, reached=True, next_step="Inviter Karine au prochain déjeuner",
                      energy_after=4)
    others = [u for u in User.objects.filter(pk__in=members).exclude(pk=marie.pk).select_related("profile")]
    outside_when = timezone.make_aware(datetime.combine(outside_day, datetime.min.time()).replace(hour=17))
    for person in rng.sample(others, 2):
        _card_with_followup(marie, person, None, note=_talked_about(person), after=timedelta(hours=30),
                            when=outside_when, label=OUTSIDE_EVENT)
    if upcoming:
        intention_create(author=marie, gathering=upcoming[0], result="Aider quelqu'un avec mon expertise en financement",
                         signal="Une personne me demande mes coordonnées", cards_budget=3, energy_before=4,
                         questions=["Qu'est-ce qui t'a amené à ton métier, au départ?"])

    # Conversations continued and promises kept over the last months.
    contacts = list(Contact.objects.filter(owner=marie).order_by("pk"))
    Interaction.objects.filter(owner=marie, summary=COFFEE).delete()
    Promise.objects.filter(owner=marie, text__in=PROMISES).delete()
    for k, contact in enumerate(contacts[:5]):
        Interaction.objects.create(owner=marie, contact=contact, kind=Interaction.Kind.COFFEE if k % 2 else
                                   Interaction.Kind.CALL, happened_at=now - timedelta(days=12 + 23 * k),
                                   summary=COFFEE)
    for k, (contact, text) in enumerate(zip(contacts, PROMISES, strict=False)):
        Promise.objects.create(owner=marie, contact=contact, text=text, status=Promise.Status.KEPT,
                               closed_at=now - timedelta(days=9 + 30 * k))

    # Other attendees follow up too (counted only on the depth page), and some pairs want to continue.
    for gathering in past:
        attendees = [s.user for s in Seat.objects.filter(plan__gathering=gathering).select_related("user")]
        for person in rng.sample(attendees, min(len(attendees) // 2, len(attendees))):
            if person == marie:
                continue
            mates = _tablemates(gathering, person)
            if mates:
                _card_with_followup(person, mates[0], gathering, note="Bonne discussion.",
                                    after=timedelta(hours=rng.choice([10, 30, 40, 90])), when=gathering.ends_at)
        for person in attendees[:: 7]:
            mates = _tablemates(gathering, person)
            if not mates:
                continue
            for author, target in ((person, mates[0]), (mates[0], person)):
                ContinueWish.objects.get_or_create(author=author, target=target, gathering=gathering,
                                                   defaults={"mutual_at": gathering.ends_at + timedelta(days=1)})
