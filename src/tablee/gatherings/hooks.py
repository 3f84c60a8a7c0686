"""Where rooms above the gatherings room plug in, without gatherings importing them.

Filled from the higher room's ``AppConfig.ready``:
- ``seat_numbers``: ``(*, gathering) -> dict[user_id, table number]``, each person's table in the
  gathering's published plan (empty before publication), shown on the check-in rows.
- ``door_seaters``: ``(*, gathering) -> str | None``, seats whoever is present without a table in
  the gathering's published plan, now (at the door, a walk-in sits down at once); returns what to
  tell the organizer when someone could not be seated ("" when everyone is), None without a
  published plan.
- ``hub_after``: ``(*, gathering, user) -> list[dict]``, links for the « après » section of the
  gathering's hub, each ``{"label", "url", "testid"}``, for that person only (a mutual « poursuivre
  la conversation » shows to its two people alone).
- ``todo``: ``(*, user) -> list[dict]``, links for the « À faire » box of my gatherings page, each
  ``{"label", "url", "testid"}``, shown whenever there is one (follow-ups due or late), whatever the
  date of the last gathering.
"""

from __future__ import annotations

from collections.abc import Callable

seat_numbers: list[Callable[..., dict[int, int]]] = []


def register_seat_numbers(reader: Callable[..., dict[int, int]]) -> None:
    seat_numbers[:] = [reader]


hub_after: list[Callable[..., list[dict[str, str]]]] = []


def register_hub_after(reader: Callable[..., list[dict[str, str]]]) -> None:
    if reader not in hub_after:
        hub_after.append(reader)


def hub_after_links(*, gathering, user) -> list[dict[str, str]]:
    """The links the rooms above add to the hub's « après » section for this person."""
    return [link for reader in hub_after for link in reader(gathering=gathering, user=user)]


todo: list[Callable[..., list[dict[str, str]]]] = []


def register_todo(reader: Callable[..., list[dict[str, str]]]) -> None:
    if reader not in todo:
        todo.append(reader)


def todo_links(*, user) -> list[dict[str, str]]:
    """The links the rooms above add to « À faire » on my gatherings page, for this person."""
    return [link for reader in todo for link in reader(user=user)]


def table_numbers(*, gathering) -> dict[int, int]:
    """{user id: table number} in the published plan, or {} (no plan, or no tables room)."""
    return seat_numbers[0](gathering=gathering) if seat_numbers else {}


door_seaters: list[Callable[..., str | None]] = []


def register_door_seater(seater: Callable[..., str | None]) -> None:
    door_seaters[:] = [seater]


def seat_at_the_door(*, gathering) -> str | None:
    """Seat the people present without a table (walk-ins): "" when done, a message for the organizer
    when someone is left without a table, None without a published plan (or no tables room)."""
    return door_seaters[0](gathering=gathering) if door_seaters else None
