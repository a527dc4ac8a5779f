"""Dialogs for the researcher's own layer: a note, a case's tags, the bookmarks.

The screens do no I/O: they take the data to show and dismiss with what the
user decided; the host reads and writes through :mod:`ccgtui.userdata` in a
thread worker.  Every text from a file or from the user is shown as data
(``Content`` / ``markup=False``), never as markup.

Contract with the hosts (the main screen, the study screen, All notes):

* ``n`` → ``NoteScreen(target, existing_text, title=..., note_id=...)``, a
  modal with a TextArea; ``ctrl+s`` dismisses with the text (stripped),
  ``ctrl+d`` (or saving an emptied note) asks :class:`ConfirmScreen` and then
  dismisses with :data:`DELETE`, ``escape`` with ``None`` (cancel).  ``target``
  is a target id such as ``case:<case-id>`` or ``stage:<case-id>/<stage-id>``
  (see :mod:`ccgtui.userdata`).
* The dialogs open at once, before the stored data is read, so keys typed
  straight after ``n`` / ``t`` land in them (not on the screen below, where
  ``q`` quits): ``NoteScreen(..., reading=True)`` / ``TagScreen(..., reading=True)``
  take the stored note or tags later through ``load(...)``, keep what was typed
  meanwhile, and hold back a save until then.
* ``t`` → ``TagScreen(case_id, tags)``: add with enter in the input, remove the
  highlighted tag with ``delete``; ``ctrl+s`` (or enter on an empty input)
  dismisses with the new full list of normalised tags — store it with
  ``userdata.set_tags`` — and ``escape`` with ``None``.
* ``b`` bookmarks the current target (``userdata.add_bookmark``); the palette's
  "Bookmarks" opens ``BookmarksScreen(bookmarks, names)`` which dismisses with
  a :class:`BookmarksResult`: the bookmark to open (or ``None``) and the ids
  the user removed with ``delete`` (apply with ``userdata.remove_bookmark``).
* Lists of notes are :class:`ccgtui.tui.widgets.note_list.NoteList` widgets;
  their ``Edit`` / ``Delete`` messages go to :meth:`UserLayer.edit` and
  :meth:`UserLayer.delete`.  A deleted note can still be recovered from the
  store's rotating backups (``ccgtui db restore``).

:class:`UserLayer` does all of that for a host screen (workers, callbacks,
telling the host what changed), so wiring the keys is one call per action.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ccgtui.safe_text import clean, clean_id, clean_line
from ccgtui.tui.errors import Guarded
from ccgtui.tui.navigation import open_screen
from ccgtui.userdata import Bookmark, Note, UserDataError, normalise_tag

if TYPE_CHECKING:
    from textual.dom import DOMNode

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


class DeleteNote:
    """What :class:`NoteScreen` dismisses with when the user deleted the note."""

    def __repr__(self) -> str:
        return "DELETE"


DELETE = DeleteNote()
NoteResult = str | DeleteNote | None


class ConfirmScreen(Guarded, ModalScreen[bool]):
    """Ask before something that cannot be undone here; ``y`` yes, ``n``/escape no.

    The safe answer has the focus, so a stray enter keeps things as they are.
    """

    DEFAULT_CSS = (
        _DIALOG_CSS.format(name="ConfirmScreen")
        + """
    ConfirmScreen > Vertical { width: 76; }
    /* The question is the point of the dialog: never cut (issue 12). */
    ConfirmScreen .dialog-title { max-height: 100%; }
    ConfirmScreen #confirm-buttons { height: auto; margin: 1 0 0 0; }
    ConfirmScreen Button { margin: 0 2 0 0; }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, question: str, detail: str = "", *, yes: str = "Delete") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(Content(clean_line(self.question)), classes="dialog-title")
            if self.detail:
                yield Static(Content(clean(self.detail)), id="confirm-detail")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes} (y)", variant="error", id="confirm-yes-button")
                yield Button("Keep (n)", id="confirm-no-button")

    def on_mount(self) -> None:
        self.query_one("#confirm-no-button", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes-button")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class NoteScreen(Guarded, ModalScreen[NoteResult]):
    """Write, edit or delete one note.

    Dismisses with the text, :data:`DELETE` (after a confirmation), or ``None``
    on escape.  ``note_id`` is the note being edited (``None``: a new note).
    With ``reading=True`` the dialog opens empty and :meth:`load` brings the
    stored note in later; anything typed meanwhile is kept after it.
    """

    DEFAULT_CSS = (
        _DIALOG_CSS.format(name="NoteScreen")
        + """
    NoteScreen #note-text { height: 12; }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="note-save"),
        # priority: the TextArea would take ctrl+d as "delete right".
        Binding("ctrl+d", "delete", "Delete note", priority=True, id="note-delete"),
        Binding("escape", "cancel", "Cancel", priority=True, id="note-cancel"),
    ]

    def __init__(
        self,
        target: str,
        existing_text: str = "",
        *,
        title: str | None = None,
        note_id: int | None = None,
        reading: bool = False,
    ) -> None:
        super().__init__()
        self.target = target
        self.existing_text = clean(existing_text)  # may be from someone else's notes file
        self.note_id = note_id
        self.heading = clean_id(title or target)
        self.reading = reading
        self._pending: str | None = None  # "save" / "delete" pressed while loading
        self.finished = False

    @property
    def editing(self) -> bool:
        """Is this an existing note (which ctrl+d can delete)?"""
        return self.note_id is not None or bool(self.existing_text)

    def _title(self) -> Content:
        if self.reading:
            return Content(f"Note on {self.heading} (reading…)")
        verb = "Edit note" if self.editing else "New note"
        number = f" #{self.note_id}" if self.note_id is not None and self.editing else ""
        return Content(f"{verb}{number} on {self.heading}")

    def _hint(self) -> str:
        delete = " · ctrl+d delete" if self.editing else ""
        return f"ctrl+s save{delete} · escape cancel"

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Static(self._title(), classes="dialog-title", id="note-title")
            yield TextArea(self.existing_text, id="note-text", soft_wrap=True)
            yield Static(self._hint(), classes="dialog-hint", id="note-hint", markup=False)
            yield Footer()

    def on_mount(self) -> None:
        area = self.query_one("#note-text", TextArea)
        area.cursor_blink = getattr(self.app, "cursor_blink", True)
        area.move_cursor(area.document.end)
        area.focus()

    def on_key(self, event: events.Key) -> None:
        """Keys typed in the same burst as ``n`` reach the dialog before its text area
        has the focus: they are text for the note, not keys for the screen."""
        area = self.query_one("#note-text", TextArea)
        if area.has_focus:
            return
        if event.key == "enter":
            area.insert("\n")
        elif event.is_printable and event.character:
            area.insert(event.character)
        else:
            return
        event.stop()
        event.prevent_default()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete":
            return self.editing or self.reading
        return True

    def load(self, existing_text: str, note_id: int | None) -> None:
        """The stored note (``""``/``None``: there is none), read after the dialog opened."""
        if self.finished or not self.reading:
            return
        self.reading = False
        existing_text = self.existing_text = clean(existing_text)
        self.note_id = note_id
        areas = self.query("#note-text").results(TextArea)
        area = next(areas, None)
        if area is not None:  # composed: keep what was typed, after the stored text
            typed = area.text
            if existing_text:
                area.text = existing_text + typed
                area.move_cursor(area.document.end)
            self.query_one("#note-title", Static).update(self._title())
            self.query_one("#note-hint", Static).update(self._hint())
        self.refresh_bindings()
        pending, self._pending = self._pending, None
        if pending == "save":
            self.action_save()
        elif pending == "delete":
            self.action_delete()

    def _finish(self, result: NoteResult) -> None:
        self.finished = True
        self.dismiss(result)

    def action_save(self) -> None:
        if self.reading:
            self._pending = "save"  # saved as soon as the stored note is in
            return
        # ctrl+s is a priority key, run when it is read: keys typed just before it may
        # still be waiting in the text area's queue.  Save after them.
        self.query_one("#note-text", TextArea).call_later(self._save_now)

    def _save_now(self) -> None:
        if self.finished:
            return
        text = self.query_one("#note-text", TextArea).text.strip()
        if not text:
            if self.editing:
                self.action_delete()  # an emptied note: delete it, if the user agrees
                return
            self.notify("A note needs some text (escape cancels)", severity="warning")
            return
        self._finish(text)

    def action_delete(self) -> None:
        if self.reading:
            self._pending = "delete"
            return
        if not self.editing:
            self.notify("This note is not saved yet (escape discards it)", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._finish(DELETE)

        number = f" #{self.note_id}" if self.note_id is not None else ""
        open_screen(
            self.app,
            ConfirmScreen(
                f"Delete note{number} on {self.heading}?",
                "Until five more changes, a backup in ccgtui.backups/ still holds it "
                "(ccgtui db restore FILE brings a backup back).",
            ),
            answered,
        )

    def action_cancel(self) -> None:
        self._finish(None)


MAX_TAG = 80  # characters in a tag typed in the explorer


class TagScreen(Guarded, ModalScreen[list[str] | None]):
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


# -- glue for a host screen -------------------------------------------------------------


class UserLayer:
    """Runs the dialogs above for a host screen, with every read/write in a thread worker.

    ``store`` and ``dataset`` are callables so the host can swap them on reload.
    ``on_change(target)`` is called (on the UI thread) after any change to a note
    or to tags, with the target it was on (``case:<id>`` for tags), e.g. to
    refresh a list of notes.
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

    def _run(
        self,
        job: Callable[[Store], Any],
        done: Callable[[Any], Any] | None = None,
        failed: Callable[[], Any] | None = None,
    ) -> bool:
        """``job(store)`` in a thread; ``done(result)`` back on the UI thread, or on an
        error (shown as a notification) ``failed()``.

        ``False`` (and a warning) when there is no store yet.
        """
        store = self.store()
        if store is None:
            self.host.app.notify("The data is still loading", severity="warning")
            return False
        app = self.host.app

        def work() -> None:
            try:
                result = job(store)
            except Exception as exc:  # shown, never raised into the UI
                app.call_from_thread(app.notify, str(exc), severity="error", markup=False)
                if failed is not None:
                    app.call_from_thread(failed)
                return
            if done is not None:
                app.call_from_thread(done, result)

        self.host.run_worker(work, thread=True, group="userdata", exit_on_error=False)
        return True

    def _changed(self, target: str | None, message: str) -> None:
        self.host.app.notify(message, markup=False)
        if target and self.on_change is not None:
            self.on_change(target)

    def _title(self, target: str) -> str | None:
        from ccgtui import userdata as ud

        dataset = self.dataset()
        return ud.resolve_safe(target, dataset) if dataset else None

    def note(self, target: str) -> None:
        """Edit the newest note on ``target``, or add one if it has none.

        The dialog opens at once; the note is read in a worker and brought in
        when it arrives (see :meth:`NoteScreen.load`).
        """
        from ccgtui import userdata as ud

        if self.store() is None:
            self.host.app.notify("The data is still loading", severity="warning")
            return
        dataset = self.dataset()
        screen = NoteScreen(target, title=self._title(target), reading=True)

        def loaded(notes: list[Note]) -> None:
            # Not a note orphaned on this partner position: it is about another partner.
            mine = [
                n
                for n in notes
                if n.target == target and (dataset is None or n.name(dataset) is not None)
            ]
            existing = mine[-1] if mine else None
            screen.load(existing.text if existing else "", existing.id if existing else None)

        open_screen(self.host.app, screen, lambda result: self._apply(screen, result))
        # If the notes cannot be read, what is typed can still be added as a new note.
        if not self._run(
            lambda s: ud.list_notes(s, target), loaded, failed=lambda: screen.load("", None)
        ):
            screen.load("", None)

    def edit(self, note: Note) -> None:
        """Open ``note`` (e.g. from a list of notes) to edit or delete it."""
        dataset = self.dataset()
        screen = NoteScreen(note.target, note.text, title=note.title(dataset), note_id=note.id)
        open_screen(self.host.app, screen, lambda result: self._apply(screen, result))

    def _apply(self, screen: NoteScreen, result: NoteResult) -> None:
        """Store what the note dialog was closed with."""
        from ccgtui import userdata as ud

        target, note_id, dataset = screen.target, screen.note_id, self.dataset()
        if result is None or (note_id is not None and result == screen.existing_text):
            return
        if isinstance(result, DeleteNote):
            if note_id is not None:
                self._run(
                    lambda s: ud.remove_note(s, note_id),
                    lambda n: self._changed(n.target, f"Note {n.id} deleted"),
                )
            return
        text = result
        if note_id is None:
            self._run(
                lambda s: ud.add_note(s, target, text, dataset=dataset),
                lambda n: self._changed(n.target, f"Note {n.id} saved"),
            )
        else:
            self._run(
                lambda s: ud.edit_note(s, note_id, text),
                lambda n: self._changed(n.target, f"Note {n.id} updated"),
            )

    def delete(self, note: Note) -> None:
        """Ask, then delete ``note`` (e.g. ``d`` in a list of notes)."""
        from ccgtui import userdata as ud

        dataset = self.dataset()

        def answered(yes: bool | None) -> None:
            if yes:
                self._run(
                    lambda s: ud.remove_note(s, note.id),
                    lambda n: self._changed(n.target, f"Note {n.id} deleted"),
                )

        first_line = note.text.splitlines()[0] if note.text else ""
        open_screen(
            self.host.app,
            ConfirmScreen(
                f"Delete note #{note.id} on {note.title(dataset)}?",
                f"“{first_line[:60]}{'…' if len(first_line) > 60 else ''}”\n"
                "Until five more changes, a backup in ccgtui.backups/ still holds it "
                "(ccgtui db restore FILE brings a backup back).",
            ),
            answered,
        )

    def tags(self, case_id: str) -> None:
        """The case's tags; the dialog opens at once and the stored tags follow."""
        from ccgtui import userdata as ud

        if self.store() is None:
            self.host.app.notify("The data is still loading", severity="warning")
            return
        screen = TagScreen(case_id, reading=True)

        def save(new: list[str] | None) -> None:
            if new is None:
                return
            self._run(
                lambda s: ud.set_tags(s, case_id, new),
                lambda t: self._changed(ud.case_target(case_id), f"Tags: {', '.join(t) or 'none'}"),
            )

        open_screen(self.host.app, screen, save)
        self._run(
            lambda s: ud.list_tags(s, case_id),
            lambda tags: screen.load(tags.get(case_id, [])),
            # Saving replaces the case's tags: without the stored ones it would drop them.
            failed=lambda: None if screen.finished else screen.action_cancel(),
        )

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

            open_screen(self.host.app, BookmarksScreen(marks, names), done)

        self._run(ud.list_bookmarks, loaded)

    def load_notes(self, targets: Sequence[str] | None, done: Callable[[list[Note]], Any]) -> None:
        """The notes on ``targets`` (and inside them; ``None``: every note), read in a
        worker; ``done(notes)`` on the UI thread."""
        from ccgtui import userdata as ud

        wanted = None if targets is None else list(targets)
        self._run(lambda s: ud.notes_about(s, wanted), done)
