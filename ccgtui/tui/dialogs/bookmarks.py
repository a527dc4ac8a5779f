"""The bookmarks (``B``, or the palette): enter opens one, delete removes it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ccgtui.safe_text import clean_id
from ccgtui.tui.errors import Guarded
from ccgtui.userdata import Bookmark


@dataclass
class BookmarksResult:
    """What the user did in the bookmarks list."""

    open: Bookmark | None = None
    removed: list[int] = field(default_factory=list)


class BookmarksScreen(Guarded, ModalScreen[BookmarksResult]):
    """The bookmarks; enter opens one, delete removes, escape closes.

    ``names`` gives each bookmark's current name, keyed by its id (as text) or by
    its target; ``None`` marks it orphaned.
    """

    CSS_PATH = "dialogs.tcss"  # shared by the dialogs here
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="bookmarks-close"),
        Binding("delete,d", "remove", "Remove", id="bookmarks-remove"),
    ]

    def __init__(
        self, bookmarks: Sequence[Bookmark], names: Mapping[str, str | None] | None = None
    ) -> None:
        super().__init__()
        self.bookmarks = list(bookmarks)
        self.names = dict(names or {})
        self.removed: list[int] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="bookmarks-dialog"):
            yield Static("Bookmarks", classes="dialog-title", markup=False)
            yield OptionList(id="bookmark-list")
            yield Static(
                "enter open · delete remove · escape close", classes="dialog-hint", markup=False
            )
            yield Footer()

    def on_mount(self) -> None:
        self._refresh()
        listing = self.query_one("#bookmark-list", OptionList)
        if self.bookmarks:
            listing.highlighted = 0
        listing.focus()

    def _label(self, bookmark: Bookmark) -> Content:
        key = str(bookmark.id)
        name = self.names.get(key, self.names.get(bookmark.target))
        known = key in self.names or bookmark.target in self.names
        shown = name or bookmark.context or bookmark.target
        if known and name is None:
            shown = f"{bookmark.context or bookmark.target} (orphaned)"
        label = f"{bookmark.label} — " if bookmark.label else ""
        return Content(clean_id(f"{bookmark.id}. {label}{shown}"))

    def _refresh(self) -> None:
        listing = self.query_one("#bookmark-list", OptionList)
        listing.clear_options()
        if self.bookmarks:
            listing.add_options([Option(self._label(b), id=str(b.id)) for b in self.bookmarks])
        else:
            listing.add_option(
                Option(Content("No bookmarks yet (b bookmarks a case)"), id="-none-", disabled=True)
            )

    def _selected(self, index: int | None) -> Bookmark | None:
        if index is None or not self.bookmarks or index >= len(self.bookmarks):
            return None
        return self.bookmarks[index]

    @on(OptionList.OptionSelected, "#bookmark-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        chosen = self._selected(event.option_index)
        if chosen is not None:
            self.dismiss(BookmarksResult(open=chosen, removed=list(self.removed)))

    def action_remove(self) -> None:
        listing = self.query_one("#bookmark-list", OptionList)
        index = listing.highlighted
        chosen = self._selected(index)
        if chosen is None or index is None:
            return
        self.removed.append(chosen.id)
        self.bookmarks = [b for b in self.bookmarks if b.id != chosen.id]
        self._refresh()
        if self.bookmarks:
            listing.highlighted = min(index, len(self.bookmarks) - 1)

    def action_close(self) -> None:
        self.dismiss(BookmarksResult(open=None, removed=list(self.removed)))
