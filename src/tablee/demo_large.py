"""`tablee demo --size large`: a federation for the benchmarks, in its own association.

50 chapters (one breakfast series each), 20,000 members, two years of monthly breakfasts with
published plans (tables of 6), and one member with 20,000 contacts in her circle. Everything is
written with ``bulk_create`` in a few large batches: it builds in well under a minute on a laptop.
Running it again deletes the federation (and its people) and builds it again. Every name here is
invented.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

SLUG = "federation"
NAME = "Fédération des gens d'affaires du Québec — démo à grande échelle"
DOMAIN = "federation.tablee.ca"
MEMBER_EMAIL = f"grand.cercle@{DOMAIN}"
PASSWORD = "tablee-demo"
CHAPTERS = 50
MEMBERS = 20_000
CONTACTS = 20_000
MONTHS = 24
ATTENDEES = 30  # per breakfast: 5 tables of 6
LOCAL = ZoneInfo("America/Toronto")

FIRST = ["Marie", "Jean", "Sophie", "Luc", "Julie", "Marc", "Isabelle", "Pierre", "Nathalie", "François",
         "Catherine", "Louis", "Émilie", "Mathieu", "Geneviève", "Alexandre", "Annie", "Simon", "Chloé", "Olivier"]
LAST = ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
        "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette", "Girard", "Simard", "Boucher"]
SECTORS = ["santé", "techno", "finance", "culture", "construction", "commerce", "éducation", "tourisme"]
CITIES = ["Québec", "Lévis", "Montréal", "Laval", "Gatineau", "Sherbrooke", "Trois-Rivières", "Saguenay",
          "Rimouski", "Drummondville"]


def _delete_previous() -> None:
    from tablee.members.models import Association, User

    User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
    Association.objects.filter(slug=SLUG).delete()


def load_large_demo(*, out: TextIO, now: datetime | None = None, members: int = MEMBERS, contacts: int = CONTACTS,
                    chapters: int = CHAPTERS, months: int = MONTHS) -> dict:
    from tablee.circle.models import Contact
    from tablee.gatherings.models import Gathering, Rsvp, Series
    from tablee.members.models import Association, Membership, Profile, User
    from tablee.tables.models import Plan, PlanTable, Seat

    rng = random.Random(13)
    now = now or timezone.now()
    batch = 2000
    with transaction.atomic():
        _delete_previous()
        association = Association.objects.create(slug=SLUG, name=NAME)
        unusable = make_password(None)
        users = [User(email=MEMBER_EMAIL, first_name="Gabrielle", last_name="Grand-Cercle",
                      password=make_password(PASSWORD))]
        users += [
            User(email=f"membre{i:05d}@{DOMAIN}", first_name=rng.choice(FIRST), last_name=rng.choice(LAST),
                 password=unusable)
            for i in range(1, members)
        ]
        users = User.objects.bulk_create(users, batch_size=batch)
        Profile.objects.bulk_create(
            [Profile(user=u, organization=f"Entreprise {i % 997}", sector=SECTORS[i % len(SECTORS)],
                     languages=["fr"] if i % 5 else ["fr", "en"]) for i, u in enumerate(users)],
            batch_size=batch,
        )
        Membership.objects.bulk_create(
            [Membership(association=association, user=u, role="organizer" if i % 400 == 1 else "member")
             for i, u in enumerate(users)],
            batch_size=batch,
        )
        per_chapter = max(len(users) // chapters, ATTENDEES)
        series = Series.objects.bulk_create([
            Series(association=association, title=f"Déjeuner de {CITIES[c % len(CITIES)]} ({c + 1})", weekday=1,
                   start_time=time(7, 30), tables=ATTENDEES // 6, seats_per_table=6,
                   venue=f"Salle {c + 1}, {CITIES[c % len(CITIES)]}")
            for c in range(chapters)
        ])
        first_month = (now - timedelta(days=30 * (months - 1))).date().replace(day=1)
        gatherings = []
        for c, chapter in enumerate(series):
            for m in range(months + 1):  # two years back, and next month's
                year, month = divmod(first_month.month - 1 + m, 12)
                day = first_month.replace(year=first_month.year + year, month=month + 1, day=1 + c % 20)
                starts = datetime.combine(day, time(7, 30), tzinfo=LOCAL)
                past = starts < now
                gatherings.append(Gathering(
                    association=association, series=chapter, title=f"{chapter.title} — {day:%Y-%m}",
                    starts_at=starts, venue=chapter.venue, tables=ATTENDEES // 6, seats_per_table=6,
                    state=Gathering.State.DONE if past else Gathering.State.OPEN,
                ))
        gatherings = Gathering.objects.bulk_create(gatherings, batch_size=batch)
        rsvps, plans, chapter_of = [], [], {}
        member = users[0]
        for index, gathering in enumerate(gatherings):
            c = index // (months + 1)
            pool = users[c * per_chapter:(c + 1) * per_chapter] or users
            people = rng.sample(pool, min(ATTENDEES, len(pool)))
            if c == 0 and member not in people:
                people[0] = member  # the benchmark's member goes to her chapter's breakfasts
            chapter_of[gathering.pk] = people
            for person in people:
                rsvps.append(Rsvp(gathering=gathering, user=person, status=Rsvp.Status.CONFIRMED,
                                  queued_at=gathering.starts_at - timedelta(days=10),
                                  confirmed_at=gathering.starts_at - timedelta(days=10),
                                  present=True if gathering.state == Gathering.State.DONE else None))
            if gathering.state == Gathering.State.DONE:
                plans.append(Plan(gathering=gathering, status=Plan.Status.PUBLISHED, progress=1.0,
                                  published_at=gathering.starts_at - timedelta(days=1)))
        Rsvp.objects.bulk_create(rsvps, batch_size=batch)
        plans = Plan.objects.bulk_create(plans, batch_size=batch)
        tables = PlanTable.objects.bulk_create(
            [PlanTable(plan=plan, number=n + 1) for plan in plans for n in range(ATTENDEES // 6)], batch_size=batch)
        seats = []
        tables_of: dict[int, list] = {}
        for table in tables:
            tables_of.setdefault(table.plan_id, []).append(table)
        for plan in plans:
            people = chapter_of[plan.gathering_id]
            for position, person in enumerate(people):
                table = tables_of[plan.pk][position // 6]
                seats.append(Seat(plan=plan, table=table, user=person, position=position % 6))
        Seat.objects.bulk_create(seats, batch_size=batch)
        Contact.objects.bulk_create(
            [Contact(owner=member, name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
                     email=f"contact{i:05d}@exemple.ca", organization=f"Entreprise {i % 1500}",
                     position=rng.choice(["Présidente", "Directeur", "Conseillère", "Associé", ""]),
                     source=Contact.Source.IMPORT)
             for i in range(contacts)],
            batch_size=batch,
        )
    summary = {"association": SLUG, "chapters": len(series), "members": len(users), "gatherings": len(gatherings),
               "published_plans": len(plans), "rsvps": len(rsvps), "seats": len(seats), "contacts": contacts,
               "member": MEMBER_EMAIL}
    out.write(
        f"Large demo: {summary['chapters']} chapters, {summary['members']} members, {summary['gatherings']} "
        f"gatherings ({summary['published_plans']} published plans), {contacts} contacts for {MEMBER_EMAIL} "
        f"(password: {PASSWORD}).\n"
    )
    return summary
