"""People's names in the order a Québec reader expects: accents and case do not move a name
(Bélanger before Boucher, Émond before Fortin), as they do in a byte-wise ORDER BY.

Both databases know the collation ``tablee_names``: SQLite through each connection
(tablee.sqlite3), PostgreSQL through a migration (members 0005: ICU, French of Canada)."""

from __future__ import annotations

from django.db.models import F
from django.db.models.functions import Collate

NAMES = "tablee_names"


def by_name(field: str) -> Collate:
    return Collate(F(field), NAMES)
