"""`tablee demo`: a demo association with fictional members, two past breakfasts and an upcoming one,
plus a short meeting later today whose door is already open and whose tables are not made yet
(so check-in and « faire le plan, puis le publier » can be tried right after `make run`).

Run it as often as you like: people are matched by email and brought back to the same profile;
the demo association's gatherings are deleted and rebuilt, so two runs leave the same data.
Every name, organization and address here is invented.
"""

from __future__ import annotations

import os
import random
import unicodedata
from datetime import date, datetime, time, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from tablee.gatherings.models import Gathering, Rsvp, Series
from tablee.gatherings.services import gathering_create
from tablee.members.models import Association, Membership
from tablee.members.selectors import user_by_email
from tablee.members.services import (
    association_create,
    member_join,
    membership_set_role,
    person_create,
    profile_update,
)

SLUG = "demo"
NAME = "Réseau des gens d'affaires de Québec — Tablée démo"
DOMAIN = "demo.tablee.ca"
PASSWORD = "tablee-demo"
ORGANIZER_EMAIL = f"organisatrice@{DOMAIN}"
MEMBER_EMAIL = f"marie.tremblay@{DOMAIN}"
# Not signed up for the upcoming breakfast, so the sign-up itself can be tried.
NEWCOMER_EMAIL = f"jean-francois.gagnon@{DOMAIN}"
VENUE = "Café du Faubourg, 1025, rue Saint-Jean, Québec"
DOOR_TITLE = "Rencontre express — essai de l'accueil"
DOOR_ATTENDING = 14
LOCAL = ZoneInfo("America/Toronto")

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip

OFFERS = {
    "santé": ["physiothérapie en entreprise", "santé mentale au travail", "nutrition sportive",
              "pharmacie communautaire", "gestion de clinique", "ergonomie au bureau"],
    "techno": ["développement d'applications web", "cybersécurité pour PME",
               "intelligence artificielle appliquée", "infonuagique", "automatisation de processus",
               "analyse de données"],
    "finance": ["financement de démarrage", "comptabilité pour PME", "planification fiscale",
                "capital de risque", "assurance collective", "crédits d'impôt R-D"],
    "culture": ["design d'identité visuelle", "photographie corporative", "production vidéo",
                "rédaction et révision", "organisation d'événements culturels", "relations de presse"],
    "construction": ["rénovation commerciale", "gestion de chantier", "bâtiment durable",
                     "estimation de projets", "architecture de paysage", "efficacité énergétique"],
    "éducation": ["formation en leadership", "coaching de carrière", "francisation en entreprise",
                  "formation en ligne", "animation d'ateliers", "orientation scolaire"],
    "communautaire": ["gestion de bénévoles", "demandes de subventions", "mobilisation citoyenne",
                      "économie sociale", "intégration des personnes immigrantes", "gouvernance d'OBNL"],
    "tourisme": ["forfaits corporatifs", "hébergement de groupes", "traiteur pour événements",
                 "marketing touristique", "visites guidées du Vieux-Québec", "organisation de congrès"],
}  # fmt: skip
NEEDS = [
    "trouver un mentor", "premiers clients en santé", "partenaires en techno",
    "financement pour une expansion", "recruter un développeur", "un comptable de confiance",
    "entrer sur le marché ontarien", "exporter aux États-Unis", "un local commercial à Québec",
    "améliorer ma présence en ligne", "bénévoles pour un événement", "conseils juridiques pour une startup",
    "une relève pour mon entreprise", "commanditaires pour un festival", "fournisseurs locaux",
    "clients dans le secteur public", "trouver un associé", "recruter des stagiaires",
    "réduire mes coûts d'énergie", "traduire mon site en anglais",
]  # fmt: skip
INTERESTS = [
    "vélo", "plein air", "ski de fond", "cuisine", "jazz", "théâtre", "hockey", "lecture",
    "course à pied", "jardinage", "voyages", "photographie", "échecs", "histoire de Québec",
    "vins d'ici", "bénévolat", "randonnée", "musique classique", "cinéma québécois", "kayak",
]  # fmt: skip

# first name, last name, organization, sector, spoken languages
PEOPLE = [
    ("Marie", "Tremblay", "Clinique Physio Limoilou", "santé", ["fr"]),
    ("Jean-François", "Gagnon", "Pharmacie du Plateau", "santé", ["fr", "en"]),
    ("Isabelle", "Roy", "Centre Équilibre", "santé", ["fr"]),
    ("Kevin", "O'Neill", "Nutri-Cap", "santé", ["en", "fr"]),
    ("Nathalie", "Bouchard", "Cliniques Vitalis", "santé", ["fr"]),
    ("Amina", "Diallo", "Santé Mobile Québec", "santé", ["fr", "en"]),
    ("Maxime", "Côté", "Logiciels Boréal", "techno", ["fr", "en"]),
    ("Sophie", "Lavoie", "Cyberbouclier inc.", "techno", ["fr"]),
    ("Thomas", "Bélanger", "Données Saint-Laurent", "techno", ["fr", "en"]),
    ("Wei", "Zhang", "Nuage Nordique", "techno", ["en", "zh", "fr"]),
    ("Émilie", "Pelletier", "Atelier Numérique", "techno", ["fr"]),
    ("Carlos", "Mendoza", "Automatisa", "techno", ["es", "fr", "en"]),
    ("Louis", "Morin", "Morin Comptables", "finance", ["fr"]),
    ("Catherine", "Lévesque", "Capital Cap-Rouge", "finance", ["fr", "en"]),
    ("Patrick", "Fortin", "Fortin Fiscalité", "finance", ["fr"]),
    ("Julie", "Gauthier", "Assurances Laurentides", "finance", ["fr"]),
    ("David", "Murphy", "Fonds Horizon", "finance", ["en"]),
    ("Valérie", "Ouellet", "Ouellet CPA", "finance", ["fr"]),
    ("Gabrielle", "Simard", "Studio Tangente", "culture", ["fr"]),
    ("Olivier", "Boucher", "Boucher Photo", "culture", ["fr", "en"]),
    ("Chloé", "Girard", "Productions du Cap", "culture", ["fr"]),
    ("Antoine", "Paquette", "Mots d'ici", "culture", ["fr"]),
    ("Lucía", "Hernández", "Festival Fusión", "culture", ["es", "fr"]),
    ("Mathieu", "Caron", "Caron Communications", "culture", ["fr"]),
    ("Alexandre", "Beaulieu", "Rénovations Beaulieu", "construction", ["fr"]),
    ("Stéphanie", "Dubé", "Chantiers Dubé", "construction", ["fr"]),
    ("Marc-André", "Poulin", "Bâtir Vert", "construction", ["fr", "en"]),
    ("Karine", "Bergeron", "Estimations KB", "construction", ["fr"]),
    ("Samuel", "Nadeau", "Paysages Nadeau", "construction", ["fr"]),
    ("Jessica", "Thompson", "Énergie Plus", "construction", ["en", "fr"]),
    ("Annie", "Leclerc", "Leadership Capitale", "éducation", ["fr"]),
    ("Philippe", "Racine", "Carrières en tête", "éducation", ["fr", "en"]),
    ("Mélanie", "Cloutier", "Francisation Québec", "éducation", ["fr", "es"]),
    ("Hugo", "Desjardins", "Académie en ligne", "éducation", ["fr"]),
    ("Josée", "Giroux", "Ateliers Giroux", "éducation", ["fr"]),
    ("Fatima", "Benali", "Cap Orientation", "éducation", ["fr", "ar"]),
    ("Geneviève", "Lemieux", "Entraide Saint-Sauveur", "communautaire", ["fr"]),
    ("Éric", "Gosselin", "Subventions Solidaires", "communautaire", ["fr"]),
    ("Marie-Claude", "Bernier", "Citoyens du Vieux-Port", "communautaire", ["fr"]),
    ("Jonathan", "Lapointe", "Coop La Ruche", "communautaire", ["fr", "en"]),
    ("Ana", "Ribeiro", "Accueil Nouveaux Arrivants", "communautaire", ["pt", "fr", "en"]),
    ("Pierre", "Vachon", "Gouvernance OBNL Conseil", "communautaire", ["fr"]),
    ("Caroline", "Dufour", "Séjours Charlevoix", "tourisme", ["fr", "en"]),
    ("Vincent", "Tardif", "Auberge du Cap", "tourisme", ["fr"]),
    ("Audrey", "Lachance", "Traiteur Lachance", "tourisme", ["fr"]),
    ("Sarah", "Wilson", "Destination Capitale", "tourisme", ["en"]),
    ("Simon", "Grenier", "Québec à pied", "tourisme", ["fr", "en", "es"]),
    ("Julien", "Perron", "Congrès Laurentiens", "tourisme", ["fr"]),
]
ORGANIZER = ("Hélène", "Côté", "Réseau des gens d'affaires de Québec", "communautaire", ["fr", "en"])


def _email(first: str, last: str) -> str:
    local = f"{first}.{last}".lower().replace(" ", "-").replace("'", "")
    ascii_only = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode()
    return f"{ascii_only}@{DOMAIN}"


def _profile(rng: random.Random, organization: str, sector: str, languages: list[str]) -> dict:
    return {
        "organization": organization,
        "sector": sector,
        "languages": languages,
        "offers": rng.sample(OFFERS[sector], 2),
        # Needs are named like offers (the same topics), so the tables engine can match them.
        "needs": rng.sample([t for other, topics in OFFERS.items() if other != sector for t in topics], 2)
        + rng.sample(NEEDS, 1),
        "interests": rng.sample(INTERESTS, 3),
        "preferred_language": "en" if "fr" not in languages else "fr-ca",
    }


def _person(email: str, first: str, last: str, profile: dict, *, password: str | None, consent: bool):
    visibility = {"directory_visibility": "members" if consent else "nobody"}
    if consent:  # in the directory, and seen by table-mates: the "why" of a table can name topics
        visibility["directory_consent"] = True
        visibility["tablemates_consent"] = True
    user = user_by_email(email=email)
    if user is None:
        return person_create(email=email, password=password, first_name=first, last_name=last,
                             **profile, **visibility)
    profile_update(user=user, first_name=first, last_name=last, **profile, **visibility)
    if password and not user.check_password(password):  # unchanged: no « mot de passe changé » email
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _door_gathering(association: Association, members: list, *, now: datetime, rng: random.Random) -> Gathering:
    """A meeting starting in an hour or so (on the half hour): its door is open now, since check-in
    opens three hours before the start (``gatherings.selectors.CHECKIN_OPENS_BEFORE``), and it stays
    open until the end of that day. Registration is closed and it has no table plan yet, so the
    organizer can try the door, walk-ins included, and make and publish a plan. Marie and the
    newcomer are not in it: what the printed hint says about them stays true."""
    soon = (now.astimezone(LOCAL) + timedelta(hours=1)).replace(second=0, microsecond=0)
    soon += timedelta(minutes=-soon.minute % 30)
    gathering = gathering_create(
        association=association,
        title=DOOR_TITLE,
        starts_at=soon,
        duration_minutes=90,
        venue=VENUE,
        tables=3,
        seats_per_table=6,
        rsvp_deadline=soon - timedelta(hours=2),
        state=Gathering.State.CLOSED,
    )
    Gathering.objects.filter(pk=gathering.pk).update(reminder_sent_at=now)
    pool = [u for u in members if u.email not in (MEMBER_EMAIL, NEWCOMER_EMAIL)]
    _rsvps(gathering, rng.sample(pool, DOOR_ATTENDING), past=False, rng=rng)
    return gathering


def _clock(moment: datetime) -> str:
    """« 14 h 30 », « 9 h » as Québec writes the time; "2:30 PM" in English."""
    if not (translation.get_language() or "fr").startswith("fr"):
        return time_format(moment.time())
    return f"{moment.hour} h {moment:%M}" if moment.minute else f"{moment.hour} h"


def _tuesday_at_7_30(day: date) -> datetime:
    while day.weekday() != 1:
        day += timedelta(days=1)
    return datetime.combine(day, time(7, 30), tzinfo=LOCAL)


def _title(starts_at: datetime) -> str:
    month = MONTHS[starts_at.month - 1]
    joiner = "d'" if month[0] in "aeiou" else "de "
    return f"Déjeuner-réseautage {joiner}{month}"


def _rsvps(gathering: Gathering, people: list, *, past: bool, rng: random.Random) -> None:
    """Written directly, not through rsvp_create: that would email fictional people, and refuses past dates."""
    opened = gathering.starts_at - timedelta(days=20)
    rows = []
    for index, user in enumerate(people):
        queued = opened + timedelta(hours=3 * index)
        present = None
        if past:
            present = rng.random() > 0.1  # about one no-show in ten
        rows.append(Rsvp(gathering=gathering, user=user, status=Rsvp.Status.CONFIRMED,
                         queued_at=queued, confirmed_at=queued, present=present,
                         checked_in_at=gathering.starts_at if present else None))
    Rsvp.objects.bulk_create(rows)


@transaction.atomic
def load_demo(*, out: TextIO, now: datetime | None = None) -> Association:
    now = now or timezone.now()
    rng = random.Random(2025)  # the same "random" profiles on every run
    association = Association.objects.filter(slug=SLUG).first()
    if association is None:
        association = association_create(slug=SLUG, name=NAME)
        association.description = "Association fictive pour essayer Tablée."
        # Open to requests, so that the demo shows a stranger's way in (an organizer may close it).
        association.open_to_requests = True
        association.save(update_fields=["description", "open_to_requests"])

    organizer = _person(ORGANIZER_EMAIL, ORGANIZER[0], ORGANIZER[1], _profile(rng, *ORGANIZER[2:]),
                        password=PASSWORD, consent=True)
    member_join(association=association, user=organizer, role=Membership.Role.ORGANIZER)
    membership_set_role(association=association, user=organizer, role=Membership.Role.ORGANIZER)

    members = []
    for index, (first, last, organization, sector, languages) in enumerate(PEOPLE):
        email = MEMBER_EMAIL if (first, last) == ("Marie", "Tremblay") else _email(first, last)
        user = _person(email, first, last, _profile(rng, organization, sector, languages),
                       password=PASSWORD if email in (MEMBER_EMAIL, NEWCOMER_EMAIL) else None,
                       consent=index % 6 != 5)  # most, not all, chose to appear in the directory
        member_join(association=association, user=user)
        membership_set_role(association=association, user=user, role=Membership.Role.MEMBER)
        members.append(user)

    # Rebuilt on every run: dates follow today, and two runs must not leave two sets.
    Gathering.objects.filter(association=association).delete()
    Series.objects.filter(association=association).delete()

    upcoming_at = _tuesday_at_7_30(now.astimezone(LOCAL).date() + timedelta(days=8))
    plan = [
        (upcoming_at - timedelta(weeks=10), Gathering.State.DONE, 28),
        (upcoming_at - timedelta(weeks=5), Gathering.State.DONE, 32),
        (upcoming_at, Gathering.State.OPEN, 30),
    ]
    marie, others = members[0], members[1:]
    for starts_at, state, attending in plan:
        gathering = gathering_create(
            association=association,
            title=_title(starts_at),
            starts_at=starts_at,
            venue=VENUE,
            tables=6,
            seats_per_table=6,
            rsvp_deadline=starts_at - timedelta(hours=18),
            state=state,
        )
        # Reminders for fictional people would go to addresses nobody reads.
        Gathering.objects.filter(pk=gathering.pk).update(reminder_sent_at=now)
        past = state == Gathering.State.DONE
        # Marie goes to every breakfast (her « Ma tablée » is ready); the newcomer has not signed up
        # for the upcoming one yet.
        pool = others if past else [u for u in others if u.email != NEWCOMER_EMAIL]
        people = [marie] + rng.sample(pool, attending - 1)
        _rsvps(gathering, people, past=past, rng=rng)
        if past:
            walk_in = next(u for u in others if u not in people)
            Rsvp.objects.create(gathering=gathering, user=walk_in, status=Rsvp.Status.CONFIRMED,
                                queued_at=starts_at, confirmed_at=starts_at, present=True,
                                checked_in_at=starts_at, walk_in=True)

    # Published table plans, oldest first so each one learns from the breakfasts before it.
    from tablee.tables.demo import plan_demo

    for gathering in Gathering.objects.filter(association=association).order_by("starts_at"):
        plan_demo(gathering)

    from tablee.journey.demo import journey_demo

    journey_demo(association=association, marie=marie, now=now)

    from tablee.circle.demo import circle_demo

    circle_demo(association=association, marie=marie, now=now)

    # Last, so that the journey and circle demos above see only the three breakfasts.
    door = _door_gathering(association, members, now=now, rng=rng)
    door_at = door.starts_at.astimezone(LOCAL)

    site = os.environ.get("TABLEE_SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
    count = Membership.objects.filter(association=association).count()
    out.write(
        _(
            "Démo prête : « %(name)s » (%(count)d membres, 2 déjeuners passés, 1 à venir le "
            "%(date)s à 7 h 30).\n"
            "  Adresse :       %(site)s\n"
            "  Organisatrice : %(organizer)s / %(password)s\n"
            "  Membre :        %(member)s / %(password)s  (sa tablée est publiée)\n"
            "  Nouveau membre : %(newcomer)s / %(password)s  (pas encore inscrit)\n"
            "  À la porte :     « %(door)s », le %(door_date)s à %(door_time)s (accueil ouvert, "
            "plan de tables à faire)\n"
            "  (mot de passe de démonstration : ne l'utilisez nulle part ailleurs)\n"
        )
        % {
            "name": association.name,
            "count": count,
            "date": f"{upcoming_at:%Y-%m-%d}",
            "site": site,
            "organizer": ORGANIZER_EMAIL,
            "member": MEMBER_EMAIL,
            "newcomer": NEWCOMER_EMAIL,
            "door": door.title,
            "door_date": f"{door_at:%Y-%m-%d}",
            "door_time": _clock(door_at),
            "password": PASSWORD,
        }
    )
    return association
