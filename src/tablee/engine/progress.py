"""Progress on stderr for the command line: a rich bar on a terminal, plain periodic lines otherwise.

Solvers take `progress: Callable[[float, str], None] | None`: a fraction of the time budget in 0..1
and a short message. `reporter(label)` is a context manager yielding such a callable.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

Progress = Callable[[float, str], None]


@contextmanager
def reporter(label: str, *, stream: TextIO | None = None, every_s: float = 1.0,
             rich: bool | None = None) -> Iterator[Progress]:
    stream = stream or sys.stderr
    use_rich = stream.isatty() if rich is None else rich
    if use_rich:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f} %"),
                       TimeElapsedColumn(), TextColumn("{task.fields[message]}"),
                       console=Console(file=stream), transient=False, auto_refresh=False)
        with bar:
            task = bar.add_task(label, total=1.0, message="")

            def update(fraction: float, message: str) -> None:
                # Redrawn here, not by rich's refresh thread: a thread would add to `--clock cpu`.
                bar.update(task, completed=fraction, message=message, refresh=True)

            yield update
        return

    last = [0.0]

    def line(fraction: float, message: str) -> None:
        now = time.monotonic()
        if fraction >= 1.0 or now - last[0] >= every_s:
            last[0] = now
            print(f"{label}: {fraction:4.0%} {message}", file=stream, flush=True)

    yield line
