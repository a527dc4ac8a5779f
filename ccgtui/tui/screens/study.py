"""The study screen: objectives, phases timeline, team, surveys, concepts, findings.

Opened from a search result with ``mark=hit.path``, it highlights that statement
(as the case tabs do) and scrolls it into view; showing another study clears it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static, Tab, Tabs

from ccgtui.model import Dataset, Study
from ccgtui.tui import render
from ccgtui.tui.errors import Guarded
from ccgtui.tui.hanging import HangingStatic, HangingText, scroll_to_lines
from ccgtui.tui.keys import SCROLL, vim_keys
from ccgtui.tui.widgets.note_list import NoteList

if TYPE_CHECKING:
    from ccgtui.store import Store
    from ccgtui.tui.dialogs.user_layer import UserLayer
    from ccgtui.userdata import Note

# Sections in the left / right column when the screen is wide.
LEFT = ("objectives", "phases", "team", "participants")
WIDE_AT = 140


class StudyScreen(Guarded, Screen[None]):
    """One study; ``n`` adds or edits a note on it, listed under "Your notes" at the end."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,s", "app.pop_screen", "Back", id="close-study"),
        *vim_keys("study", SCROLL),
        Binding("left_square_bracket", "cycle_study(-1)", "Prev study", id="prev-study"),
        Binding("right_square_bracket", "cycle_study(1)", "Next study", id="next-study"),
        Binding("n", "note", "Note", id="study-note"),
    ]

    _layer: UserLayer | None = None
    notes: tuple[Note, ...] = ()  # the notes on the study shown, once read

    def __init__(
        self,
        dataset: Dataset,
        study_id: str | None = None,
        mark: str | None = None,
        store: Store | None = None,
    ) -> None:
        super().__init__()
        self.dataset = dataset
        self.store = store  # where the notes on the study are read and written
        ids = [s.id for s in dataset.studies]
        self.study_id = study_id if study_id in ids else (ids[0] if ids else None)
        # (study, statement path) to highlight, and (section, path, (first, end) rows in the
        # section) once drawn and measured.
        self._mark = (self.study_id, mark) if mark and self.study_id else None
        self.marked: tuple[str, str, tuple[int, int] | None] | None = None
        self._show_notes_when_loaded = False  # scroll to "Your notes" after the next read

    def compose(self) -> ComposeResult:
        yield Tabs(
            *[Tab(s.short_title or s.id, id=f"study-tab-{s.id}") for s in self.dataset.studies],
            id="study-tabs",
        )
        with VerticalScroll(id="study-body"):
            yield Static(id="study-title", markup=False)
            if not self.dataset.studies:
                yield Static("No study in this case folder.", id="study-empty", markup=False)
            with Vertical(id="study-columns"):
                for column, names in (("left", LEFT), ("right", None)):
                    with Vertical(id=f"study-col-{column}", classes="study-column"):
                        for sid, title, _ in render.study_sections(_EMPTY, self.dataset):
                            if (names is None) == (sid in LEFT):
                                continue
                            with Vertical(classes="study-section", id=f"section-{sid}"):
                                yield Static(title, classes="section-title", markup=False)
                                yield HangingStatic(id=f"study-{sid}")
            with Vertical(classes="study-section", id="section-notes"):
                yield Static("Your notes", classes="section-title", markup=False)
                yield NoteList("No notes on this study yet (n adds one)", id="study-notes")
        yield Footer()

    def on_mount(self) -> None:
        tabs = self.query_one("#study-tabs", Tabs)
        tabs.display = len(self.dataset.studies) > 1
        if self.study_id:
            tabs.active = f"study-tab-{self.study_id}"
            self.show_study(self.study_id)
        self.query_one("#study-body").focus()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width >= WIDE_AT, "-wide")

    @property
    def study(self) -> Study | None:
        return self.dataset.study(self.study_id) if self.study_id else None

    def show_study(self, study_id: str) -> None:
        study = self.dataset.study(study_id)
        if study is None:
            return
        self.study_id = study_id
        if self._mark is not None and self._mark[0] != study_id:
            self._mark = None  # the reader moved to another study
        path = self._mark[1] if self._mark is not None else None
        title = render.study_title(study)
        if path == "title":
            title = title.stylize_before(render.MARKED, 0, len(title))
        self.query_one("#study-title", Static).update(title)
        self.marked = ("title", "title", (0, 1)) if path == "title" else None
        for sid, _, lines in render.study_section_lines(study, self.dataset):
            content, span = render.mark(lines, path) if path else (render.join_tagged(lines), None)
            # Wrapped rows keep their indent, as in the case tabs (issue 12).
            self.query_one(f"#study-{sid}", Static).update(HangingText(content.split("\n")))
            if path and span is not None:
                self.marked = (sid, path, None)
                self.call_after_refresh(self._scroll_to_mark, sid, path, lines, span)
        self.query_one("#study-body", VerticalScroll).scroll_home(animate=False)
        self.load_notes()

    def _scroll_to_mark(
        self,
        sid: str,
        path: str,
        lines: list[render.Line],
        span: tuple[int, int],
        tries: int = 5,
    ) -> None:
        """Scroll the marked statement into view once its section is laid out."""
        if self.marked is None or self.marked[:2] != (sid, path):
            return
        static = self.query_one(f"#study-{sid}", Static)
        body = self.query_one("#study-body", VerticalScroll)
        drawn = [line for line, _ in lines]
        rows = scroll_to_lines(static, body, drawn, span, force=not tries)
        if rows is None:
            if tries:
                self.call_after_refresh(self._scroll_to_mark, sid, path, lines, span, tries - 1)
            return
        self.marked = (sid, path, rows)

    @on(Tabs.TabActivated, "#study-tabs")
    def _tab(self, event: Tabs.TabActivated) -> None:
        if not event.tab.id or event.tab.id != self.query_one("#study-tabs", Tabs).active:
            return  # stale: e.g. the first tab's activation on mount, before ours
        study_id = event.tab.id.removeprefix("study-tab-")
        if study_id != self.study_id:
            self.show_study(study_id)

    def action_cycle_study(self, step: int) -> None:
        ids = [s.id for s in self.dataset.studies]
        if len(ids) < 2 or self.study_id is None:
            return
        target = ids[(ids.index(self.study_id) + step) % len(ids)]
        self.query_one("#study-tabs", Tabs).active = f"study-tab-{target}"

    def action_scroll(self, where: str) -> None:
        body = self.query_one("#study-body", VerticalScroll)
        if where == "down":
            body.scroll_down()
        elif where == "up":
            body.scroll_up()
        elif where == "home":
            body.scroll_home(animate=False)
        else:
            body.scroll_end(animate=False)

    # -- notes on the study (read and written in workers by UserLayer) --------------

    def user_layer(self) -> UserLayer:
        from ccgtui.tui.dialogs.user_layer import UserLayer

        if self._layer is None:
            self._layer = UserLayer(
                self, lambda: self.store, lambda: self.dataset, self._notes_changed
            )
        return self._layer

    def load_notes(self, *, then_show: bool = False) -> None:
        """Read the notes on the study shown, then list them under "Your notes"."""
        from ccgtui import userdata as ud

        study_id = self.study_id
        if study_id is None or self.store is None:
            return
        # Sticky: a later plain reload (e.g. on showing the study) may replace this
        # read before it lands, and must still bring the new note into view.
        self._show_notes_when_loaded |= then_show

        def loaded(notes: list[Note]) -> None:
            if study_id != self.study_id:
                return  # the reader has moved to another study
            self.notes = tuple(notes)
            self.query_one("#study-notes", NoteList).show(notes, self.dataset)
            if self._show_notes_when_loaded:
                self._show_notes_when_loaded = False
                section = self.query_one("#section-notes")
                self.call_after_refresh(section.scroll_visible, animate=False)

        self.user_layer().load_notes([ud.study_target(study_id)], loaded)

    def _notes_changed(self, target: str) -> None:
        self.load_notes(then_show=True)

    def action_note(self) -> None:
        from ccgtui import userdata as ud

        if self.study_id is not None:
            self.user_layer().note(ud.study_target(self.study_id))

    @on(NoteList.Edit, "#study-notes")
    def _edit_note(self, event: NoteList.Edit) -> None:
        self.user_layer().edit(event.note)

    @on(NoteList.Delete, "#study-notes")
    def _delete_note(self, event: NoteList.Delete) -> None:
        self.user_layer().delete(event.note)


_EMPTY = Study(id="empty", title="")
