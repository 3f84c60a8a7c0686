"""Where rooms above the members room plug in, without members importing them.

Each is filled from the higher room's ``AppConfig.ready``:
- ``erasers[room](*, user, ghost) -> dict[str, int]``: account deletion (see ``erasure``);
- ``account_sections``: ``section(request) -> dict`` with a ``template`` to include in « Mon compte »;
- ``last_attended``: ``(*, association, user_ids) -> dict[user_id, (title, starts_at)]`` for the
  organizer's members page;
- ``shown_to_tablemates_changed``: ``(*, user_id) -> None``, called inside the transaction that
  withdrew a person's table-mates consent or changed what it shows (offers, needs, interests,
  sector, organization): texts written earlier about them for their table-mates must follow.
"""

from __future__ import annotations

from collections.abc import Callable

Eraser = Callable[..., dict[str, int]]

erasers: dict[str, Eraser] = {}
account_sections: list[Callable] = []
last_attended: list[Callable] = []
shown_to_tablemates_changed: list[Callable[..., None]] = []


def register_eraser(room: str, eraser: Eraser) -> None:
    """Registering twice under one name replaces."""
    erasers[room] = eraser


def register_account_section(section: Callable) -> None:
    if section not in account_sections:
        account_sections.append(section)


def register_last_attended(reader: Callable) -> None:
    last_attended[:] = [reader]


def register_shown_to_tablemates_changed(listener: Callable[..., None]) -> None:
    if listener not in shown_to_tablemates_changed:
        shown_to_tablemates_changed.append(listener)
