"""The organizer's CSV import from the browser: a preview first (what will be created, updated, and
every bad line), then all or nothing through ``services.members_import``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models.functions import Lower

from tablee.members.csv_import import parse_members_csv
from tablee.members.models import Association, Membership, User

MAX_BYTES = 2 * 1024 * 1024


@dataclass
class PreviewRow:
    line: int
    email: str
    name: str
    action: str  # "create" (a new account), "join" (an account, not yet a member), "update" (a member)


@dataclass
class ImportPreview:
    rows: list[PreviewRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("join") + self.count("update")


def import_preview(*, association: Association, data: bytes) -> ImportPreview:
    """Read the file and say what importing it would do; writes nothing."""
    parsed = parse_members_csv(data)
    preview = ImportPreview(errors=list(parsed.errors))
    emails = [row.email for row in parsed.rows]
    accounts = dict(
        User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
        .values_list("email_lower", "pk")
    )
    members = set(Membership.all_objects.filter(association=association, user_id__in=accounts.values())
                  .values_list("user_id", flat=True))
    for row in parsed.rows:
        pk = accounts.get(row.email)
        action = "create" if pk is None else ("update" if pk in members else "join")
        preview.rows.append(PreviewRow(line=row.line, email=row.email,
                                       name=f"{row.first_name} {row.last_name}".strip(), action=action))
    return preview
