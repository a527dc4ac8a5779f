"""Every note, grouped by what it is about, orphans last and flagged (``N``, or the palette).

The one place in the explorer where a note whose target has gone from the case
files (an *orphan*, see :mod:`ccgtui.userdata`) can be read, edited or deleted:
the Notes tab of a case only shows notes on things that case still has.
``enter``/``e`` edits, ``d`` deletes (after a confirmation), ``o`` goes to the
note's case, tab, study or source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from ccgtui import userdata as ud
from ccgtui.tui.errors import Guarded
from ccgtui.tui.widgets.note_list import NoteList

if TYPE_CHECKING:
    from ccgtui.model import Dataset
    from ccgtui.tui.dialogs.user_layer import UserLayer
    from ccgtui.tui.navigation import Navigator


def summary(notes: list[ud.Note], dataset: Dataset | None) -> str:
    if not notes:
        return "No notes yet."
    targets = {n.target for n in notes}
    lost = ud.orphaned(notes, dataset) if dataset is not None else []
    text = f"{len(notes)} note{'s' * (len(notes) != 1)} on {len(targets)} "
    text += "target" if len(targets) == 1 else "targets"
    if lost:
        text += (
            f" · {len(lost)} orphaned (⚠: no longer in the case files; kept here, and "
            "`ccgtui note edit ID --target KIND:ID` moves one)"
        )
    clashing = {n.uid for n in ud.conflicts(notes)}
    if clashing:
        text += (
            f" · {len(clashing)} note{'s' * (len(clashing) != 1)} in conflict (⚠: a merge "
            "kept both versions; `ccgtui note resolve ID` keeps one)"
        )
    return text


class AllNotesScreen(Guarded, Screen[None]):
    """Every note in the store, grouped by target (see the module docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,N", "app.pop_screen", "Back", id="close-all-notes"),
        Binding("o", "open_target", "Go to", id="all-notes-open"),
    ]

    def __init__(self, nav: Navigator) -> None:
        super().__init__()
        self.nav = nav
        self._layer: UserLayer | None = None
        self.loaded = False

    @property
    def dataset(self) -> Dataset | None:
        return self.nav.dataset

    def compose(self) -> ComposeResult:
        yield Static("All notes", id="all-notes-title", markup=False)
        yield Static("Reading your notes…", id="all-notes-summary", markup=False)
        yield NoteList(
            "No notes yet: n on a case, a stage, an arena, a partner, a source or the study "
            "adds one.",
            id="all-notes",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#all-notes", NoteList).focus()
        self.reload()

    def user_layer(self) -> UserLayer:
        from ccgtui.tui.dialogs.user_layer import UserLayer

        if self._layer is None:
            self._layer = UserLayer(
                self, lambda: self.nav.store, lambda: self.dataset, lambda _: self.reload()
            )
        return self._layer

    def reload(self) -> None:
        self.user_layer().load_notes(None, self._show)

    def _show(self, notes: list[ud.Note]) -> None:
        self.loaded = True
        self.query_one("#all-notes", NoteList).show(notes, self.dataset)
        self.query_one("#all-notes-summary", Static).update(Content(summary(notes, self.dataset)))

    @on(NoteList.Edit)
    def _edit(self, event: NoteList.Edit) -> None:
        self.user_layer().edit(event.note)

    @on(NoteList.Delete)
    def _delete(self, event: NoteList.Delete) -> None:
        self.user_layer().delete(event.note)

    def action_open_target(self) -> None:
        """Go to where the highlighted note is: its case and tab, the study, the source."""
        note = self.query_one("#all-notes", NoteList).current_note
        dataset = self.dataset
        if note is None or dataset is None:
            return
        if note.name(dataset) is None:
            where = note.moved_to(dataset)
            hint = f"; that partner is now {where}" if where else ""
            self.notify(
                f"Note {note.id}'s target is no longer in the case files{hint}",
                severity="warning",
                markup=False,
            )
            return
        self.nav.open_target(note.target, case_tab="notes")
