"""`tablee manage circle_vectors`: store the sentence vectors of every contact, card and note written
before vectors existed (or whose text changed while no worker ran). Safe to run again: rows whose
vectors are current are skipped."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tablee.circle.models import Contact


class Command(BaseCommand):
    help = "Store missing or stale sentence vectors of the circle (contacts, cards, notes)."

    def handle(self, *args, **options):
        from tablee.circle.services import circle_vectors_store

        owners = sorted(set(Contact.objects.values_list("owner_id", flat=True)))
        total = sum(circle_vectors_store(owner_id=owner_id) for owner_id in owners)
        self.stdout.write(f"{total} vector rows stored for {len(owners)} members")
