"""The glue between a host screen and the note, tag and bookmark dialogs.

The dialogs do no I/O; :class:`UserLayer` opens them for a host screen and does
every read and write through :mod:`ccgtui.userdata` in a thread worker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ccgtui.tui.dialogs.bookmarks import BookmarksResult, BookmarksScreen
from ccgtui.tui.dialogs.confirm import ConfirmScreen
from ccgtui.tui.dialogs.note import DeleteNote, NoteResult, NoteScreen
from ccgtui.tui.dialogs.tags import TagScreen
from ccgtui.tui.navigation import open_screen
from ccgtui.userdata import Bookmark, Note

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from ccgtui.model import Dataset
    from ccgtui.store import Store


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
