"""A case's tags (``t``): add with enter, remove with delete, save with ctrl+s."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from ccgtui.safe_text import clean_id
from ccgtui.tui.errors import Guarded
from ccgtui.userdata import UserDataError, normalise_tag

MAX_TAG = 80  # characters in a tag typed in the explorer


class TagScreen(Guarded, ModalScreen[list[str] | None]):
    """Edit a case's tags; dismisses with the full new list, or ``None`` on escape."""

    CSS_PATH = "dialogs.tcss"  # shared by the dialogs here
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="tags-save"),
        Binding("escape", "cancel", "Cancel", priority=True, id="tags-cancel"),
        Binding("delete", "remove", "Remove tag", id="tags-remove"),
    ]

    def __init__(self, case_id: str, tags: Sequence[str] = (), *, reading: bool = False) -> None:
        super().__init__()
        self.case_id = case_id
        self.tags: list[str] = sorted(dict.fromkeys(tags))
        self.reading = reading
        self._save_pending = False
        self.finished = False

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-dialog"):
            yield Static(Content(f"Tags on {self.case_id}"), classes="dialog-title")
            yield Input(placeholder="New tag, then enter", id="tag-input", max_length=MAX_TAG)
            yield OptionList(id="tag-list")
            yield Static(
                "enter add · delete remove · ctrl+s save · escape cancel",
                classes="dialog-hint",
                markup=False,
            )
            yield Footer()

    def on_mount(self) -> None:
        entry = self.query_one("#tag-input", Input)
        entry.cursor_blink = getattr(self.app, "cursor_blink", True)
        self._refresh()
        entry.focus()

    def on_key(self, event: events.Key) -> None:
        """Keys typed in the same burst as ``t`` reach the dialog before its input has
        the focus: they are the new tag."""
        entry = self.query_one("#tag-input", Input)
        if entry.has_focus or not event.is_printable or not event.character:
            return
        entry.insert_text_at_cursor(event.character)
        event.stop()
        event.prevent_default()

    def load(self, tags: Sequence[str]) -> None:
        """The case's stored tags, read after the dialog opened (tags added meanwhile stay)."""
        if self.finished or not self.reading:
            return
        self.reading = False
        self.tags = sorted(set(tags) | set(self.tags))
        if self.is_mounted:
            self._refresh()
        if self._save_pending:
            self.action_save()

    def _refresh(self) -> None:
        listing = self.query_one("#tag-list", OptionList)
        listing.clear_options()
        if self.tags:
            listing.add_options([Option(Content(clean_id(t)), id=t) for t in self.tags])
        else:
            empty = "Reading the tags…" if self.reading else "No tags yet"
            listing.add_option(Option(Content(empty), id="-none-", disabled=True))

    @on(Input.Submitted, "#tag-input")
    def _add(self, event: Input.Submitted) -> None:
        if self.finished:
            return
        if not event.value.strip():
            self.action_save()
            return
        try:
            tag = normalise_tag(event.value)
        except UserDataError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        if tag not in self.tags:
            self.tags = sorted([*self.tags, tag])
            self._refresh()
        event.input.value = ""

    def action_remove(self) -> None:
        listing = self.query_one("#tag-list", OptionList)
        if listing.highlighted is None or not self.tags:
            return
        index = listing.highlighted
        option = listing.get_option_at_index(index)
        self.tags = [t for t in self.tags if t != option.id]
        self._refresh()
        if self.tags:
            listing.highlighted = min(index, len(self.tags) - 1)

    def action_save(self) -> None:
        if self.reading:
            self._save_pending = True  # saved as soon as the stored tags are in
            return
        # ctrl+s is a priority key, run when it is read: keys typed just before it may
        # still be waiting in the input's queue.  Save after them.
        self.query_one("#tag-input", Input).call_later(self._save_now)

    def _save_now(self) -> None:
        """Save, with the tag still being typed (not yet added with enter) included."""
        if self.finished:
            return
        entry = self.query_one("#tag-input", Input)
        if entry.value.strip():
            try:
                typed = normalise_tag(entry.value)
            except UserDataError:
                typed = ""
            if typed and typed not in self.tags:
                self.tags = sorted([*self.tags, typed])
        self.finished = True
        self.dismiss(list(self.tags))

    def action_cancel(self) -> None:
        self.finished = True
        self.dismiss(None)
