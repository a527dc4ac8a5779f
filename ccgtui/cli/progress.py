"""A progress bar on stderr while a reload parses the case folder (issue 16).

Only on a terminal: piped or redirected stderr gets nothing, so scripts and
logs stay clean.  The bar appears with the first count (a re-open of a
current cache never shows one) and goes away when the command goes on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

Callback = Callable[[int, int], None]


def wanted() -> bool:
    """A bar only on an interactive stderr."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stderr
        return False


@contextmanager
def load_progress(enabled: bool | None = None) -> Iterator[Callback | None]:
    """A callback for ``Store.on_progress``, or ``None`` when stderr is not a terminal."""
    if not (wanted() if enabled is None else enabled):
        yield None
        return
    bar: list[Progress] = []
    task: list[TaskID] = []

    def update(done: int, total: int) -> None:
        if not bar:
            bar.append(_new_bar())
            bar[0].start()
            task.append(bar[0].add_task("parsing case files", total=total))
        # the last count: what is left is writing the cache and the search index
        what = "writing the cache" if done >= total else "parsing case files"
        bar[0].update(task[0], completed=done, total=total, description=what)

    try:
        yield update
    finally:
        if bar:
            bar[0].stop()


def _new_bar() -> Progress:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} files/s" if speed else "", style="dim")

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        Rate(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
