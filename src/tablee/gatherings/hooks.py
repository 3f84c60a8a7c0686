"""Where rooms above the gatherings room plug in, without gatherings importing them.

Filled from the higher room's ``AppConfig.ready``:
- ``seat_numbers``: ``(*, gathering) -> dict[user_id, table number]``, each person's table in the
  gathering's published plan (empty before publication), shown on the check-in rows.
"""

from __future__ import annotations

from collections.abc import Callable

seat_numbers: list[Callable[..., dict[int, int]]] = []


def register_seat_numbers(reader: Callable[..., dict[int, int]]) -> None:
    seat_numbers[:] = [reader]


def table_numbers(*, gathering) -> dict[int, int]:
    """{user id: table number} in the published plan, or {} (no plan, or no tables room)."""
    return seat_numbers[0](gathering=gathering) if seat_numbers else {}
