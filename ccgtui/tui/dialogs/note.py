"""Write, edit or delete one note (``n``); see :mod:`ccgtui.tui.dialogs` for the contract."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from ccgtui.safe_text import clean, clean_id
from ccgtui.tui.dialogs.confirm import ConfirmScreen
from ccgtui.tui.errors import Guarded
from ccgtui.tui.navigation import open_screen


class DeleteNote:
    """What :class:`NoteScreen` dismisses with when the user deleted the note."""

    def __repr__(self) -> str:
        return "DELETE"


DELETE = DeleteNote()
NoteResult = str | DeleteNote | None


class NoteScreen(Guarded, ModalScreen[NoteResult]):
    """Write, edit or delete one note.

    Dismisses with the text, :data:`DELETE` (after a confirmation), or ``None``
    on escape.  ``note_id`` is the note being edited (``None``: a new note).
    With ``reading=True`` the dialog opens empty and :meth:`load` brings the
    stored note in later; anything typed meanwhile is kept after it.
    """

    CSS_PATH = "dialogs.tcss"  # shared by the dialogs here
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
