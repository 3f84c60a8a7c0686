"""Who runs which kind of job: the room that owns the work registers its runner (in its AppConfig.ready),
so the jobs floor never imports a room above it."""

from __future__ import annotations

from collections.abc import Callable

runners: dict[str, Callable] = {}


def register_runner(kind: str, runner: Callable) -> None:
    """``runner(*, job) -> Job``: does the work of one job of this kind (claims it first)."""
    runners[kind] = runner


# How a kind's stored error and warning lines read, in the current language. A room that keeps each
# reason as codes and values (so that a job speaks the language of whoever opens it, not the one of
# the upload) registers its reader; a reason stored as text is shown as it is.
line_readers: dict[str, Callable[[list], list[tuple[int, str]]]] = {}


def register_line_reader(kind: str, reader: Callable[[list], list[tuple[int, str]]]) -> None:
    """``reader(stored) -> [(line, reason), …]``: ``stored`` is ``Job.errors`` or ``Job.warnings``."""
    line_readers[kind] = reader


def read_lines(kind: str, stored: list) -> list[tuple[int, str]]:
    reader = line_readers.get(kind)
    return reader(stored) if reader is not None else [(line, reason) for line, reason in stored]
