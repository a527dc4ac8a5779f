"""The explorer's side of :mod:`ccgtui.prefs`: apply them at start, keep them current.

Changes (theme, case, tab, case list shown or hidden) are written a moment after the
last one, in a thread, and once more when the app exits; nothing is read or written
when the app has no config path (the tests' default, so no test reads a real user's
file).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App

from ccgtui import prefs
from ccgtui.prefs import Prefs
from ccgtui.safe_text import clean_id

if TYPE_CHECKING:
    from textual.binding import BindingType
    from textual.timer import Timer

SAVE_AFTER_S = 1.0  # quiet time before a change is written (a burst of j/k writes once)


def binding_ids(classes: list[type]) -> set[str]:
    """Every binding id the explorer's app and screens declare (a keymap names these)."""
    ids: set[str] = set()
    for cls in classes:
        bindings: list[BindingType] = getattr(cls, "BINDINGS", [])
        for binding in bindings:
            binding_id = getattr(binding, "id", None)
            if binding_id:
                ids.add(binding_id)
    return ids


def known_binding_ids() -> set[str]:
    """The ids of every screen's and widget's bindings (the help screen lists the same)."""
    from ccgtui.tui.screens.help import explorer_classes

    return binding_ids(list(explorer_classes()))


class Remembered:
    """The preferences of one run: loaded once, updated by the app, saved quietly."""

    def __init__(self, app: App[Any], path: Path | None) -> None:
        self.app = app
        self.path = path
        loaded = prefs.load(path) if path is not None else prefs.Loaded(Prefs(), [])
        self.prefs = loaded.prefs
        self.at_start = loaded.prefs
        """As read: where to reopen (``prefs`` follows the reader from the first screen on)."""
        self.warnings = loaded.warnings
        self._timer: Timer | None = None
        self._dirty = False
        self.frozen: set[str] = set()
        """Preferences not recorded now (big-screen mode's theme and hidden list)."""

    def apply_at_start(self) -> None:
        """Theme and keymap (before the main screen, so its footer shows the user's keys)."""
        where = f"ccgtui: config {self.path}"
        if self.prefs.theme is not None:
            if self.prefs.theme in self.app.available_themes:
                self.app.theme = self.prefs.theme
            else:
                self.warnings.append(
                    f"{where}: theme {clean_id(self.prefs.theme)!r} is not a theme here; "
                    "default used"
                )
        if self.prefs.keymap:
            known = known_binding_ids()
            unknown = sorted(set(self.prefs.keymap) - known)
            for binding_id in unknown:
                self.warnings.append(f"{where}: keymap.{binding_id} is not a binding id; ignored")
            self.app.set_keymap({k: v for k, v in self.prefs.keymap.items() if k in known})
        for warning in self.warnings:
            self.app.notify(warning, severity="warning", markup=False, timeout=20)
        # The theme now, not the one signalled: signals arrive late, after big-screen mode
        # may have been left again.
        self.app.theme_changed_signal.subscribe(
            self.app, lambda _theme: self.update(theme=self.app.theme)
        )

    def update(self, **changes: object) -> None:
        """Note a change; it is written after a quiet moment (and at exit)."""
        changes = {k: v for k, v in changes.items() if k not in self.frozen}
        new = self.prefs.changed(**changes)
        if new == self.prefs or self.path is None:
            return
        self.prefs = new
        self._dirty = True
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.app.set_timer(SAVE_AFTER_S, self._save_soon)

    def _save_soon(self) -> None:
        self._timer = None
        self.app.run_worker(self.flush, thread=True, group="prefs", exit_on_error=False)

    def flush(self) -> None:
        """Write now if anything changed (from any thread; the write is atomic)."""
        if not self._dirty or self.path is None:
            return
        self._dirty = False
        # Preferences are a convenience: never a reason to fail or to nag at exit.
        with contextlib.suppress(OSError, ValueError):
            prefs.save(self.path, self.prefs)
