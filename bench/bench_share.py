"""Share with the few over a big circle: one member with 20,000 contacts (issue 13, point 4).

    .venv/bin/python bench/bench_share.py                  # 20,000 contacts, 2,000 notes, 40 texts
    .venv/bin/python bench/bench_share.py --contacts 5000 --runs 20

A fresh SQLite database in a temporary folder; the contacts look like a LinkedIn import (organization
and position), a tenth of them with a note of mine, a few hundred are consenting Tablée members with
needs and interests. Their vectors are stored first, in batches, as the worker does
(`circle_vectors_store`). Then: the first suggestion (it builds the cached matrix), and ``--runs``
suggestions after warm-up, each timed end to end through `journey.selectors.share_suggestions`
(the stamp query, one encoding, one matrix product, the lexical index, the three drafts). Prints the
median and p95, the matrix's size, and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

COMPANIES = ["Boulangerie", "Cabinet", "Coop", "Studio", "Groupe", "Atelier", "Clinique", "Services", "Labs",
             "Solutions", "Transport", "Construction", "Consultants", "Brasserie", "Ferme", "Technologies"]
PLACES = ["Québec", "Lévis", "Limoilou", "Beauce", "Saguenay", "Laval", "Sherbrooke", "Gaspé", "Montréal",
          "Rimouski", "Trois-Rivières", "Outaouais"]
POSITIONS = ["Conseillère", "Directeur des ventes", "Comptable", "Founder", "CTO", "Designer graphique",
             "Avocate", "Recruiter", "Chargée de projet", "Software engineer", "Notaire", "Infirmière",
             "Marketing manager", "Président", "Ingénieure", "Analyste de données", "Propriétaire",
             "Operations director", "Courtier immobilier", "Chef cuisinier"]
NOTES = ["Cherche du financement pour agrandir son usine.", "Wants to hire two senior developers this year.",
         "Parle de vendre son entreprise à ses employés.", "Looking for distributors in Europe.",
         "Veut réduire la consommation d'énergie de ses bâtiments.", "Struggles with cash flow in winter.",
         "Aime le vélo d'hiver et le jazz.", "Preparing a first export to the United States.",
         "Cherche une avocate pour une convention d'actionnaires.", "Interested in AI for customer service."]
NEEDS = [["financement"], ["recrutement de développeurs"], ["clients PME"], ["export to Europe"],
         ["mentorat"], ["seed funding"], ["local commercial"], ["partenaires de distribution"]]
TEXTS = ["Un nouveau fonds aide les PME à financer l'automatisation de leurs usines.",
         "How to hire senior developers when every company in town is competing for them.",
         "Guide : vendre son entreprise à ses employés par une coopérative de travailleurs.",
         "Exporting to Europe: what the new trade agreement changes for small manufacturers.",
         "Les thermopompes deviennent rentables pour les bâtiments commerciaux.",
         "Five ways to survive a cash-flow crunch in a seasonal business.",
         "Un festival de jazz cherche des commanditaires à Québec.",
         "AI chatbots for customer service: what small retailers should know.",
         "Ce qu'il faut écrire dans une convention d'actionnaires entre deux associés.",
         "Mentoring programs pair first-time founders with retired executives."]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-share-")
    os.environ.setdefault("TABLEE_DEBUG", "1")
    os.environ["TABLEE_DATA_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tablee.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from tablee.circle import matrix
    from tablee.circle.models import Contact, Note
    from tablee.circle.services import circle_vectors_store
    from tablee.journey import selectors
    from tablee.members.models import Profile, User

    call_command("migrate", verbosity=0)
    print(f"load average at start: {os.getloadavg()[0]:.1f} (cores: {os.cpu_count()})")
    rng = random.Random(1)
    owner = User.objects.create_user(email="big@example.org", password=None, first_name="Grand", last_name="Cercle")
    Profile.objects.create(user=owner)
    members = []
    for i in range(min(300, args.contacts // 50)):
        user = User.objects.create_user(email=f"m{i}@example.org", password=None, first_name=f"M{i}", last_name="X")
        Profile.objects.create(user=user, needs=rng.choice(NEEDS), interests=["vélo"], sector="services",
                               directory_consent_at=timezone.now())
        members.append(user)
    contacts = [Contact(owner=owner, user=members[i] if i < len(members) else None, name=f"Personne {i}",
                        organization=f"{rng.choice(COMPANIES)} {rng.choice(PLACES)} {i % 997}",
                        position=rng.choice(POSITIONS), source=Contact.Source.IMPORT)
                for i in range(args.contacts)]
    Contact.objects.bulk_create(contacts, batch_size=1000)
    ids = list(Contact.objects.filter(owner=owner).values_list("pk", flat=True))
    Note.objects.bulk_create([Note(owner=owner, contact_id=pk, text=rng.choice(NOTES)) for pk in ids[::10]],
                             batch_size=1000)
    started = time.perf_counter()
    stored = circle_vectors_store(owner_id=owner.pk)
    print(f"vectors stored for {stored} rows in {time.perf_counter() - started:.1f} s (what the worker does)")

    started = time.perf_counter()
    selectors.share_suggestions(owner=owner, text=TEXTS[0])
    first = time.perf_counter() - started
    circle = matrix.for_owner(owner.pk)
    print(f"first suggestion (builds the cached matrix): {first * 1000:.0f} ms; matrix {circle.rows.shape} float32, "
          f"{circle.rows.nbytes / 2**20:.1f} MiB; cache entry about {circle.nbytes / 2**20:.0f} MiB")
    for text in TEXTS:  # warm-up: every text once
        selectors.share_suggestions(owner=owner, text=text)
    times = []
    for k in range(args.runs):
        text = TEXTS[k % len(TEXTS)] + f" ({k})"  # never the same text twice
        started = time.perf_counter()
        found = selectors.share_suggestions(owner=owner, text=text)
        times.append((time.perf_counter() - started) * 1000)
        assert found, text
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"share suggestion over {args.contacts:,} contacts after warm-up ({args.runs} runs): "
          f"median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, best {times[0]:.1f} ms")
    started = time.perf_counter()
    selectors.rank_circle(owner=owner, text=TEXTS[1], circle=matrix.build(owner.pk))
    print(f"uncached (the matrix rebuilt from the stored vectors): {(time.perf_counter() - started) * 1000:.0f} ms")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
