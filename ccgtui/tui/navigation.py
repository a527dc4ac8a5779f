"""Navigation between screens: the app's public API, typed for the screens that use it.

:class:`Navigator` is what a screen may ask of the explorer app
(:class:`ccgtui.tui.app.CcgApp` implements it): the data it holds and where to go
next (a case and its tab, a source, the study, a note's or bookmark's target, back to
the main screen).  Screens are handed a ``Navigator`` when they are made, so no screen
imports the app or looks it up (the import graph stays one way: app > palette
commands > screens > dialogs > widgets).

A palette command can run on any screen, including the one it opens (``m`` then
"Open matrix by arenas").  Pushing a second screen of the kind already open stacked
two of them (and, while screens had fixed ids, crashed with ``DuplicateIds``: a popped
screen stays registered until its removal finishes, which a burst of keys outruns).
:func:`open_screen` closes the open one, and whatever covers it, first; screens carry
no fixed id, so a screen still being removed cannot collide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

from textual.app import App
from textual.screen import Screen, ScreenResultCallbackType

from ccgtui import case_tabs

if TYPE_CHECKING:
    from ccgtui.model import Dataset
    from ccgtui.query import Hit
    from ccgtui.store import Store
    from ccgtui.tui.remember import Remembered
    from ccgtui.tui.search_cache import SearchIndexes

R = TypeVar("R")

# The case tab that shows each kind of target inside a case (from the registry).
TAB_FOR_KIND = case_tabs.tab_for_kind()


@runtime_checkable
class Navigator(Protocol):
    """What screens may ask of the explorer app."""

    store: Store | None
    dataset: Dataset | None
    cursor_blink: bool
    remembered: Remembered
    search_indexes: SearchIndexes

    @property
    def current_case(self) -> str | None:
        """The case the main screen shows (``None`` before there is one)."""

    def back_to_main(self) -> Screen[Any]:
        """Close every screen above the main screen, and return it."""

    def jump_to_case(self, case_id: str, tab: str | None = None, mark: str | None = None) -> bool:
        """Show a case on the main screen (on ``tab``, with the statement at ``mark``
        highlighted); ``False`` if there is no such case."""

    def open_source(self, source_id: str) -> None:
        """Show one source's full reference."""

    def open_study(self, study_id: str | None = None, mark: str | None = None) -> None:
        """Show a study (the first if ``None``) above the main screen."""

    def open_target(self, target: str, case_tab: str | None = None) -> bool:
        """Go to what a note or bookmark is about (``case_tab``: the tab for a case
        target); ``False`` if it is no longer in the case files."""

    def show_hit(self, hit: Hit | None) -> None:
        """Go to where a search result lives: its case, tab and statement, the study
        or the source (``None``: the search was closed)."""


def navigator(app: App[Any]) -> Navigator:
    """``app`` as the navigation API, for what Textual makes (palette providers) and so
    cannot be handed it."""
    if not isinstance(app, Navigator):
        raise TypeError(f"{type(app).__name__} is not the explorer app")
    return app


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
