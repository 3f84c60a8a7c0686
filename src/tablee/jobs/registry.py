"""Who runs which kind of job: the room that owns the work registers its runner (in its AppConfig.ready),
so the jobs floor never imports a room above it."""

from __future__ import annotations

from collections.abc import Callable

runners: dict[str, Callable] = {}


def register_runner(kind: str, runner: Callable) -> None:
    """``runner(*, job) -> Job``: does the work of one job of this kind (claims it first)."""
    runners[kind] = runner
