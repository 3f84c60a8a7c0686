"""Where rooms above the circle plug in, without the circle importing them.

Filled from the higher room's ``AppConfig.ready``:
- ``export_sections[room](*, owner) -> Iterator[tuple[str, Iterator[dict]]]``: what that room keeps
  of what the person wrote or did, key by key, for « Toutes mes données » (``circle.exports``). Rows
  hold the person's own data and their own rows' ids; never another member's internal id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

ExportSection = Callable[..., Iterator[tuple[str, Iterator[dict]]]]

export_sections: dict[str, ExportSection] = {}


def register_export_section(room: str, reader: ExportSection) -> None:
    """Registering twice under one name replaces."""
    export_sections[room] = reader
