"""The organizer's CSV import from the browser: a preview first (what will be created, updated, and
every bad line, and for each existing member every value the file would change, before → after),
then all or nothing through ``services.members_import``, filling only empty values unless the
organizer chose to replace them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from django.db.models.functions import Lower

from tablee.members.csv_import import FieldChange, parse_members_csv, row_changes, stored_values
from tablee.members.models import Association, Membership, User

MAX_BYTES = 2 * 1024 * 1024


@dataclass
class PreviewRow:
    line: int
    email: str
    name: str
    action: Literal["create", "join", "update"]  # a new account; an account, not yet a member; a member
    # For a member ("update") only: what the file would change. A person from elsewhere who joins
    # keeps their profile (only empty values are filled) and the organizer is not shown it.
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def filled(self) -> list[FieldChange]:
        return [c for c in self.changes if c.filled]

    @property
    def conflicts(self) -> list[FieldChange]:
        """Values the member holds that the file would replace only if the organizer asks for it."""
        return [c for c in self.changes if not c.filled]


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

    @property
    def conflicts(self) -> int:
        return sum(len(row.conflicts) for row in self.rows)

    @property
    def changed_rows(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.changes]


def import_preview(*, association: Association, data: bytes) -> ImportPreview:
    """Read the file and say what importing it would do; writes nothing."""
    parsed = parse_members_csv(data)
    preview = ImportPreview(errors=list(parsed.errors))
    emails = [row.email for row in parsed.rows]
    accounts: dict[str, User] = {}
    for start in range(0, len(emails), 500):
        for found in (User.objects.annotate(email_lower=Lower("email"))
                      .filter(email_lower__in=emails[start : start + 500]).select_related("profile")):
            accounts[found.email.lower()] = found
    members = set(Membership.all_objects.filter(association=association,
                                                user_id__in=[u.pk for u in accounts.values()])
                  .values_list("user_id", flat=True))
    for row in parsed.rows:
        user = accounts.get(row.email)
        action: Literal["create", "join", "update"] = (
            "create" if user is None else ("update" if user.pk in members else "join"))
        changes = []
        if action == "update":
            changes = row_changes(current=stored_values(user, getattr(user, "profile", None)), row=row)
        preview.rows.append(PreviewRow(line=row.line, email=row.email, changes=changes,
                                       name=f"{row.first_name} {row.last_name}".strip(), action=action))
    return preview
