"""Dialogs for the researcher's own layer: a note, a case's tags, the bookmarks.

The screens do no I/O: they take the data to show and dismiss with what the
user decided; the host reads and writes through :mod:`ccgtui.userdata` in a
thread worker.  Every text from a file or from the user is shown as data
(``Content`` / ``markup=False``), never as markup.

Contract with the main app (``ccgtui/tui/screens/main.py``):

* ``n`` → ``NoteScreen(target, existing_text, title=...)``, a modal with a
  TextArea; ``ctrl+s`` dismisses with the text (stripped, never empty),
  ``escape`` with ``None`` (cancel).  ``target`` is a target id such as
  ``case:<case-id>`` or ``stage:<case-id>/<stage-id>`` (see
  :mod:`ccgtui.userdata`); when ``existing_text`` is not empty the host edits
  that note, else adds one.
* ``t`` → ``TagScreen(case_id, tags)``: add with enter in the input, remove the
  highlighted tag with ``delete``; ``ctrl+s`` (or enter on an empty input)
  dismisses with the new full list of normalised tags — store it with
  ``userdata.set_tags`` — and ``escape`` with ``None``.
* ``b`` bookmarks the current target (``userdata.add_bookmark``); the palette's
  "Bookmarks" opens ``BookmarksScreen(bookmarks, names)`` which dismisses with
  a :class:`BookmarksResult`: the bookmark to open (or ``None``) and the ids
  the user removed with ``delete`` (apply with ``userdata.remove_bookmark``).
* The Notes tab holds a container with id ``notes-pane``;
  :func:`note_widgets` builds its children (one Static per note, orphans
  flagged) from ``userdata.list_notes(store, case_target(case_id))``.

:class:`UserLayer` does all of that for a host screen (workers, callbacks,
refreshing the pane), so wiring the keys is one call per action.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ccgtui.userdata import Bookmark, Note, UserDataError, normalise_tag

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.widget import Widget

    from ccgtui.model import Dataset
    from ccgtui.store import Store

_DIALOG_CSS = """
{name} {{
    align: center middle;
    background: $background 60%;
}}
{name} > Vertical {{
    width: 76;
    max-width: 100%;
    height: auto;
    max-height: 100%;
    border: round $primary;
    background: $surface;
    padding: 0 1;
}}
{name} .dialog-title {{
    text-style: bold;
    width: 1fr;
    height: auto;
    max-height: 3;
}}
{name} .dialog-hint {{
    color: $text-muted;
    height: 1;
}}
"""


class NoteScreen(ModalScreen[str | None]):
    """Write or edit one note; dismisses with the text, or ``None`` on escape."""

    DEFAULT_CSS = (
        _DIALOG_CSS.format(name="NoteScreen")
        + """
    NoteScreen #note-text { height: 12; }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="note-save"),
        Binding("escape", "cancel", "Cancel", priority=True, id="note-cancel"),
    ]

    def __init__(self, target: str, existing_text: str = "", *, title: str | None = None) -> None:
        super().__init__(id="note-screen")
        self.target = target
        self.existing_text = existing_text
        self.heading = title or target

    def compose(self) -> ComposeResult:
        verb = "Edit note on" if self.existing_text else "New note on"
        with Vertical(id="note-dialog"):
            yield Static(Content(f"{verb} {self.heading}"), classes="dialog-title")
            yield TextArea(self.existing_text, id="note-text", soft_wrap=True)
            yield Static("ctrl+s save · escape cancel", classes="dialog-hint", markup=False)
            yield Footer()

    def on_mount(self) -> None:
        area = self.query_one("#note-text", TextArea)
        area.cursor_blink = getattr(self.app, "cursor_blink", True)
        area.move_cursor(area.document.end)
        area.focus()

    def action_save(self) -> None:
        text = self.query_one("#note-text", TextArea).text.strip()
        if not text:
            self.notify("A note needs some text (escape cancels)", severity="warning")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TagScreen(ModalScreen[list[str] | None]):
    """Edit a case's tags; dismisses with the full new list, or ``None`` on escape."""

    DEFAULT_CSS = (
        _DIALOG_CSS.format(name="TagScreen")
        + """
    TagScreen #tag-input { margin: 1 0 0 0; }
    TagScreen #tag-list { height: auto; max-height: 10; min-height: 3; }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="tags-save"),
        Binding("escape", "cancel", "Cancel", priority=True, id="tags-cancel"),
        Binding("delete", "remove", "Remove tag", id="tags-remove"),
    ]

    def __init__(self, case_id: str, tags: Sequence[str]) -> None:
        super().__init__(id="tag-screen")
        self.case_id = case_id
        self.tags: list[str] = sorted(dict.fromkeys(tags))

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-dialog"):
            yield Static(Content(f"Tags on {self.case_id}"), classes="dialog-title")
            yield Input(placeholder="New tag, then enter", id="tag-input")
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

    def _refresh(self) -> None:
        listing = self.query_one("#tag-list", OptionList)
        listing.clear_options()
        if self.tags:
            listing.add_options([Option(Content(t), id=t) for t in self.tags])
        else:
            listing.add_option(Option(Content("No tags yet"), id="-none-", disabled=True))

    @on(Input.Submitted, "#tag-input")
    def _add(self, event: Input.Submitted) -> None:
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
        self.dismiss(list(self.tags))

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass
class BookmarksResult:
    """What the user did in the bookmarks list."""

    open: Bookmark | None = None
    removed: list[int] = field(default_factory=list)


class BookmarksScreen(ModalScreen[BookmarksResult]):
    """The bookmarks; enter opens one, delete removes, escape closes.

    ``names`` gives each bookmark's current name, keyed by its id (as text) or by
    its target; ``None`` marks it orphaned.
    """

    DEFAULT_CSS = (
        _DIALOG_CSS.format(name="BookmarksScreen")
        + """
    BookmarksScreen #bookmark-list { height: auto; max-height: 16; min-height: 3; }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="bookmarks-close"),
        Binding("delete,d", "remove", "Remove", id="bookmarks-remove"),
    ]

    def __init__(
        self, bookmarks: Sequence[Bookmark], names: Mapping[str, str | None] | None = None
    ) -> None:
        super().__init__(id="bookmarks-screen")
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
        return Content(f"{bookmark.id}. {label}{shown}")

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


# -- the Notes tab ------------------------------------------------------------------


def note_widgets(notes: Sequence[Note], dataset: Dataset | None) -> list[Widget]:
    """The children of ``#notes-pane``: one Static per note, orphans flagged."""
    if not notes:
        return [Static("No notes yet (n adds one)", id="notes-empty", markup=False)]
    out: list[Widget] = []
    for note in notes:
        title = note.title(dataset)
        head = f"#{note.id} · {title} · {note.updated}"
        orphan = dataset is not None and note.name(dataset) is None
        classes = "note-item orphaned" if orphan else "note-item"
        out.append(Static(Content(f"{head}\n{note.text}\n"), classes=classes))
    return out


# -- glue for a host screen -------------------------------------------------------------


class UserLayer:
    """Runs the dialogs above for a host screen, with every read/write in a thread worker.

    ``store`` and ``dataset`` are callables so the host can swap them on reload.
    ``on_change(case_id)`` is called (on the UI thread) after any change, e.g. to
    refresh the Notes tab with :meth:`refresh_pane`.
    """

    def __init__(
        self,
        host: DOMNode,
        store: Callable[[], Store | None],
        dataset: Callable[[], Dataset | None],
        on_change: Callable[[str], Any] | None = None,
    ) -> None:
        self.host = host
        self.store = store
        self.dataset = dataset
        self.on_change = on_change

    def _run(self, job: Callable[[Store], Any], done: Callable[[Any], Any] | None = None) -> None:
        """``job(store)`` in a thread; ``done(result)`` back on the UI thread."""
        store = self.store()
        if store is None:
            self.host.app.notify("The data is still loading", severity="warning")
            return
        app = self.host.app

        def work() -> None:
            try:
                result = job(store)
            except Exception as exc:  # shown, never raised into the UI
                app.call_from_thread(app.notify, str(exc), severity="error", markup=False)
                return
            if done is not None:
                app.call_from_thread(done, result)

        self.host.run_worker(work, thread=True, group="userdata", exit_on_error=False)

    def _changed(self, case_id: str | None, message: str) -> None:
        self.host.app.notify(message, markup=False)
        if case_id and self.on_change is not None:
            self.on_change(case_id)

    def note(self, target: str) -> None:
        """Edit the newest note on ``target``, or add one if it has none."""
        from ccgtui import userdata as ud

        case_id = ud.parse_target(target).case_id
        dataset = self.dataset()
        title = ud.resolve_safe(target, dataset) if dataset else None

        def loaded(notes: list[Note]) -> None:
            # Not a note orphaned on this partner position: it is about another partner.
            mine = [
                n
                for n in notes
                if n.target == target and (dataset is None or n.name(dataset) is not None)
            ]
            existing = mine[-1] if mine else None

            def save(text: str | None) -> None:
                if text is None or (existing is not None and text == existing.text):
                    return
                if existing is None:
                    self._run(
                        lambda s: ud.add_note(s, target, text, dataset=dataset),
                        lambda n: self._changed(case_id, f"Note {n.id} saved"),
                    )
                else:
                    self._run(
                        lambda s: ud.edit_note(s, existing.id, text),
                        lambda n: self._changed(case_id, f"Note {n.id} updated"),
                    )

            self.host.app.push_screen(
                NoteScreen(target, existing.text if existing else "", title=title), save
            )

        self._run(lambda s: ud.list_notes(s, target), loaded)

    def tags(self, case_id: str) -> None:
        from ccgtui import userdata as ud

        def loaded(tags: dict[str, list[str]]) -> None:
            def save(new: list[str] | None) -> None:
                if new is None:
                    return
                self._run(
                    lambda s: ud.set_tags(s, case_id, new),
                    lambda t: self._changed(case_id, f"Tags: {', '.join(t) or 'none'}"),
                )

            self.host.app.push_screen(TagScreen(case_id, tags.get(case_id, [])), save)

        self._run(lambda s: ud.list_tags(s, case_id), loaded)

    def bookmark(self, target: str) -> None:
        from ccgtui import userdata as ud

        dataset = self.dataset()
        self._run(
            lambda s: ud.add_bookmark(s, target, dataset=dataset),
            lambda b: self._changed(None, f"Bookmarked {b.target} (bookmark {b.id})"),
        )

    def bookmarks(self, open_target: Callable[[str], Any]) -> None:
        """Show the list; ``open_target(target)`` navigates to a chosen bookmark."""
        from ccgtui import userdata as ud

        dataset = self.dataset()

        def loaded(marks: list[Bookmark]) -> None:
            # Keyed by bookmark id: two bookmarks on one partner position can differ.
            names = {str(b.id): b.name(dataset) for b in marks} if dataset else {}

            def done(result: BookmarksResult | None) -> None:
                if result is None:
                    return
                removed = list(result.removed)
                if removed:
                    self._run(lambda s: [ud.remove_bookmark(s, i) for i in removed])
                if result.open is not None:
                    open_target(result.open.target)

            self.host.app.push_screen(BookmarksScreen(marks, names), done)

        self._run(ud.list_bookmarks, loaded)

    def refresh_pane(self, pane: Widget, case_id: str) -> None:
        """Fill ``#notes-pane`` with the notes on ``case_id`` (and inside it)."""
        from ccgtui import userdata as ud

        async def loaded(notes: list[Note]) -> None:
            await pane.remove_children()  # awaited: the new children reuse ids
            await pane.mount_all(note_widgets(notes, self.dataset()))

        self._run(lambda s: ud.list_notes(s, ud.case_target(case_id)), loaded)
