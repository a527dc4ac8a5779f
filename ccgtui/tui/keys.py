"""The vim keys every list and scrolling view shares: ``j`` ``k`` ``g`` ``G`` (and ``h`` ``l``).

One definition instead of a copy in each class.  Each class gets its own binding
ids (``list-down``, ``study-top``...) from its prefix, so a user keymap can rebind
them one view at a time (docs/config.md lists them).
"""

from __future__ import annotations

from textual.binding import Binding

# (key, action, description, id suffix)
VimKey = tuple[str, str, str, str]

LIST: tuple[VimKey, ...] = (
    ("j", "cursor_down", "Down", "down"),
    ("k", "cursor_up", "Up", "up"),
    ("g", "first", "First", "first"),
    ("G", "last", "Last", "last"),
)
"""An option list: move the highlight."""

SCROLL: tuple[VimKey, ...] = (
    ("j", "scroll('down')", "Scroll down", "down"),
    ("k", "scroll('up')", "Scroll up", "up"),
    ("g", "scroll('home')", "Top", "top"),
    ("G", "scroll('end')", "Bottom", "bottom"),
)
"""A scrolling view whose screen has ``action_scroll(where)``."""

GRID: tuple[VimKey, ...] = (
    ("h", "move(0, -1)", "Left", "left"),
    ("l", "move(0, 1)", "Right", "right"),
    ("j", "move(1, 0)", "Down", "down"),
    ("k", "move(-1, 0)", "Up", "up"),
)
"""A table whose screen has ``action_move(rows, columns)``."""


def vim_keys(
    prefix: str, keys: tuple[VimKey, ...] = LIST, only: str | None = None
) -> list[Binding]:
    """Hidden bindings for ``keys`` (those in ``only``, if given), ids ``<prefix>-<suffix>``."""
    return [
        Binding(key, action, description, show=False, id=f"{prefix}-{suffix}")
        for key, action, description, suffix in keys
        if only is None or key in only
    ]
