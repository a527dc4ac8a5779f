"""Opening a screen from anywhere: one screen of each kind, never two stacked.

A palette command can run on any screen, including the one it opens (``m`` then
"Open matrix by arenas").  Pushing a second screen of the kind already open stacked
two of them (and, while screens had fixed ids, crashed with ``DuplicateIds``: a popped
screen stays registered until its removal finishes, which a burst of keys outruns).
Here the open one, and whatever covers it, is closed first and the new one takes its
place; screens carry no fixed id, so a screen still being removed cannot collide.
"""

from __future__ import annotations

from typing import Any, TypeVar

from textual.app import App
from textual.screen import Screen, ScreenResultCallbackType

R = TypeVar("R")


def open_screen(
    app: App[Any], screen: Screen[R], callback: ScreenResultCallbackType[R] | None = None
) -> None:
    """Show ``screen`` on top, replacing an open screen of the same kind."""
    stack = app.screen_stack
    same = next((s for s in stack[1:] if type(s) is type(screen)), None)
    if same is not None:
        while len(app.screen_stack) > 1 and same in app.screen_stack:
            app.pop_screen()
    app.push_screen(screen, callback)
