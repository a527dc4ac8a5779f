"""Keys reserved for screens other engineers build, imported only when used.

Each reserved screen lives in its own module; when the module (or the class)
is not there yet, the key says so instead of failing.  The contracts:

* ``ccgtui.tui.screens.search``  ``SearchScreen()``
* ``ccgtui.tui.screens.matrix``  ``MatrixScreen()``
* ``ccgtui.tui.screens.compare`` ``CompareScreen(case_ids: list[str])``
* ``ccgtui.tui.screens.notes``   ``NoteScreen(case_id)``, ``TagScreen(case_id)``,
  ``BookmarkScreen(case_id)``
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from textual.app import App
from textual.screen import Screen


def load_screen_class(module: str, name: str) -> type[Screen[Any]] | None:
    """The screen class, or ``None`` if its module or class does not exist (yet)."""
    try:
        if importlib.util.find_spec(module) is None:
            return None
        cls = getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None
    return cls if isinstance(cls, type) and issubclass(cls, Screen) else None


def push_reserved(
    app: App[Any], module: str, name: str, *args: Any, missing: str = "not available yet"
) -> bool:
    """Push ``module.name(*args)`` if it exists, else notify ``missing``."""
    cls = load_screen_class(module, name)
    if cls is None:
        app.notify(missing, severity="warning", markup=False)
        return False
    app.push_screen(cls(*args))
    return True
