"""The rich console the CLI prints tables with."""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich exits 1 here; 1 means "not found", so hand it to the CLI's one handler,
        # which exits 0 quietly (see ccgtui.cli.main.quiet_broken_pipe).
        raise BrokenPipeError


def stdout_console(**kwargs: Any) -> Console:
    """A rich console on stdout whose closed pipe ends the CLI quietly (exit 0)."""
    return _Console(file=sys.stdout, **kwargs)
