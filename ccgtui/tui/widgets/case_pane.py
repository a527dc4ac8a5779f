"""The left of the main screen: the case filter (``f``), the case list and its count.

Typing in the filter refilters the list (after a pause in typing above
:data:`DEBOUNCE_ABOVE` cases); a ``tag:`` filter reads the user's tags in a
worker first.  The main screen owns which case is shown; this pane owns what
the list shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Static

from ccgtui.tui.errors import Guarded
from ccgtui.tui.widgets.case_list import CaseList
from ccgtui.wording import plural

if TYPE_CHECKING:
    from ccgtui.model import Dataset
    from ccgtui.store import Store
    from ccgtui.tui.case_entry import Listing

DEBOUNCE_ABOVE = 2000  # cases; below this the filter follows every key press
DEBOUNCE_S = 0.15
MAX_QUERY = 200  # characters in the case filter


class CasePane(Guarded, Vertical):
    """The filter input, the case list and the "n of m cases" line under it."""

    def __init__(
        self,
        store: Callable[[], Store | None],
        *,
        cursor_blink: bool = True,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._store = store  # read when a tag: filter needs the user's tags
        self._cursor_blink = cursor_blink
        self._filter_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="Filter cases (f)",
            id="case-filter",
            max_length=MAX_QUERY,  # a 100 kB paste must not refilter per key
            select_on_focus=False,
        )
        yield CaseList(id="case-list")
        yield Static("", id="case-count", markup=False)

    def on_mount(self) -> None:
        self.filter_input.cursor_blink = self._cursor_blink

    @property
    def case_list(self) -> CaseList:
        return self.query_one("#case-list", CaseList)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#case-filter", Input)

    def show_listing(self, listing: Listing) -> None:
        """The first frame: the cases as the table of contents lists them."""
        self.case_list.show_listing(listing)
        self.update_count()

    def set_dataset(self, dataset: Dataset) -> None:
        self.case_list.set_dataset(dataset)
        self.update_count()

    def reveal(self, case_id: str) -> None:
        """Clear the filter so that ``case_id``, which it hid, is listed and selected."""
        self.filter_input.value = ""
        self.case_list.refilter("", keep=case_id)
        self.update_count()

    def update_count(self) -> None:
        listing = self.case_list
        shown = listing.match_count
        total = listing.total
        text = f"{shown} of {plural(total, 'case')}" if shown != total else plural(total, "case")
        if listing.filter_error:
            text = listing.filter_error  # e.g. "filter sector: needs a value"
        self.query_one("#case-count", Static).update(text)

    @on(Input.Changed, "#case-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        if self.case_list.total > DEBOUNCE_ABOVE:
            # Many cases: wait for a pause in typing instead of refiltering per key.
            value = event.value
            self._filter_timer = self.set_timer(DEBOUNCE_S, lambda: self._apply_filter(value))
        else:
            self._apply_filter(event.value)

    def _apply_filter(self, text: str) -> None:
        self._filter_timer = None
        self.case_list.refilter(text)
        self.update_count()
        if "tag:" in text:
            self._load_tags_for_filter(text)

    @work(thread=True, exclusive=True, group="filter-tags", exit_on_error=False)
    def _load_tags_for_filter(self, text: str) -> None:
        """``tag:`` filters need the user's tags, read off the UI thread."""
        from ccgtui.userdata import list_tags

        store = self._store()
        if store is not None:
            tags = list_tags(store)
            self.app.call_from_thread(self._tags_loaded, tags, text)

    def _tags_loaded(self, tags: dict[str, list[str]], text: str) -> None:
        self.case_list.tags = tags
        if self.case_list.filter_text == text:
            self.case_list.refilter(text)
            self.update_count()

    @on(Input.Submitted, "#case-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.case_list.focus()
