"""What the explorer's load worker sends the app (issue 16: the first frame first).

On the first load the worker opens the store and sends :class:`Listed` (the table
of contents' rows: the case list is drawn from them), waits for that frame, then
builds the dataset and sends :class:`DataLoaded` (the case detail, the filter and
every other screen read it).  A reload sends only :class:`DataLoaded`.  Handled by
:class:`ccgtui.tui.app.CcgApp` as ``on_ccg_app_*``, as when these were its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from textual.screen import Screen

    from ccgtui.model import Dataset
    from ccgtui.store import OpenReport, Store
    from ccgtui.tui.case_entry import Listing

FIRST_FRAME_WAIT_S = 2.0
"""The load worker waits for the case list's first frame (at most this long) before it
builds the dataset: the two would share one core's worth of Python (the GIL)."""


@dataclass
class Loaded:
    store: Store
    dataset: Dataset
    report: OpenReport


class DataLoaded(Message, namespace="ccg_app"):
    def __init__(self, loaded: Loaded) -> None:
        super().__init__()
        self.loaded = loaded


class Listed(Message, namespace="ccg_app"):
    """The store is open: the case list's first frame can be drawn (the dataset follows)."""

    def __init__(self, store: Store, listing: Listing) -> None:
        super().__init__()
        self.store = store
        self.listing = listing


class Progress(Message, namespace="ccg_app"):
    """Case files checked so far, of all of them, while a reload parses the folder."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class LoadFailed(Message, namespace="ccg_app"):
    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


def show_spinner(screen: Screen[object]) -> None:
    """The loading screen's spinner and keys: mounted only once the data is slow to come
    (the folder is parsed, or SPINNER_AFTER_S has passed), since this screen is drawn
    before the case list and a current store is listed sooner (issue 16: first paint)."""
    from textual.widgets import Footer, LoadingIndicator

    if not screen.query("#loading"):
        screen.mount(LoadingIndicator(id="loading"), before="#loading-count")
        screen.mount(Footer(id="loading-keys"))


def hide_loading(screen: Screen[object]) -> None:
    """The loading screen's spinner and count, hidden under the main screen."""
    for widget in screen.query("#loading, #loading-count"):
        widget.display = False
