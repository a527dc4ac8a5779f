"""The main screen: case list on the left, the chosen case in tabs on the right."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static, TabbedContent

from ccgtui.model import Case, Dataset
from ccgtui.query import Hit
from ccgtui.tui import render
from ccgtui.tui.errors import Guarded
from ccgtui.tui.navigation import open_screen
from ccgtui.tui.widgets.case_detail import TABS, CaseDetail, pane_id
from ccgtui.tui.widgets.case_list import CaseList
from ccgtui.tui.widgets.key_hints import KeyHints
from ccgtui.tui.widgets.note_list import NoteList
from ccgtui.tui.widgets.source_list import SourceList

if TYPE_CHECKING:
    from ccgtui.tui.app import CcgApp
    from ccgtui.tui.screens.notes import UserLayer
    from ccgtui.userdata import Note

DEBOUNCE_ABOVE = 2000  # cases; below this the filter follows every key press
DEBOUNCE_S = 0.15
MAX_QUERY = 200  # characters in the case filter

_TAB_KEYS = [
    Binding(str(n), f"show_tab('{tab}')", title, show=False, id=f"tab-{tab}")
    for n, (tab, title) in enumerate(TABS, 1)
]


class MainScreen(Guarded, Screen[None]):
    """Owns the case list, the detail tabs and the history of visited cases."""

    AUTO_FOCUS = "#case-list"

    # The footer shows the keys a meeting needs (issue 18), in short words so they fit
    # two rows at 80 columns; the help screen (?) gives every key in full.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "focus_filter", "Filter", show=False, id="focus-filter"),
        Binding("slash", "search", "Search", id="search"),
        Binding("m", "matrix", "Matrix", id="open-matrix"),
        Binding(
            "space", "mark", "Mark", id="mark-case", key_display="␣", tooltip="Mark for compare"
        ),
        Binding(
            "equals_sign",
            "compare",
            "Compare",
            id="compare",
            key_display="=",
            tooltip="Compare marked",
        ),
        Binding("y", "copy", "Copy", id="copy-section", tooltip="Copy section as text"),
        Binding("n", "note", "Note", id="add-note"),
        Binding("t", "tag", "Tag", id="add-tag"),
        Binding("b", "bookmark", "Bmark", id="bookmark", tooltip="Bookmark"),
        Binding("B", "bookmarks", "Bmarks", id="bookmarks", tooltip="Bookmarks"),
        Binding("N", "all_notes", "Notes", id="all-notes", tooltip="All notes"),
        Binding("s", "study", "Study", show=False, id="open-study"),
        Binding(
            "ctrl+b",
            "toggle_case_list",
            "List",
            id="toggle-case-list",
            tooltip="Hide or show the case list",
        ),
        Binding("backspace,alt+left,ctrl+o", "back", "Back", id="history-back", key_display="⌫"),
        *_TAB_KEYS,
        Binding("left_square_bracket", "cycle_tab(-1)", "Prev tab", show=False, id="prev-tab"),
        Binding("right_square_bracket", "cycle_tab(1)", "Next tab", show=False, id="next-tab"),
        Binding("alt+right,ctrl+n", "forward", "Forward", show=False, id="history-forward"),
        Binding("escape", "to_list", "Case list", show=False, id="focus-list"),
        Binding("P", "toggle_present", "Big-screen mode", show=False, id="present"),
    ]

    class CaseShown(Message):
        """The detail now shows ``case_id`` (hook for notes, tags, bookmarks)."""

        def __init__(self, case_id: str) -> None:
            super().__init__()
            self.case_id = case_id

    def __init__(self, dataset: Dataset) -> None:
        super().__init__(id="main")
        self.dataset = dataset
        self.current_case: str | None = None
        self._layer: UserLayer | None = None
        self._filter_timer: Timer | None = None
        self._notes_for: str | None = None  # the case whose notes the Notes tab shows
        self._note_counts: tuple[str | None, dict[str, int]] = (None, {})  # for ✎ markers
        self._tags: tuple[str | None, list[str]] = (None, [])  # the user's tags, on Overview
        self.back_stack: list[str] = []
        self._passed_over = False  # the case shown was only passed over by the list cursor
        self.forward_stack: list[str] = []

    @property
    def ccg_app(self) -> CcgApp:
        from ccgtui.tui.app import CcgApp

        assert isinstance(self.app, CcgApp)
        return self.app

    def compose(self) -> ComposeResult:
        with Horizontal(id="main-body"):
            with Vertical(id="case-pane"):
                yield Input(
                    placeholder="Filter cases (f)",
                    id="case-filter",
                    max_length=MAX_QUERY,  # a 100 kB paste must not refilter per key
                    select_on_focus=False,
                )
                yield CaseList(id="case-list")
                yield Static("", id="case-count", markup=False)
            yield CaseDetail(id="case-detail")
        yield KeyHints(id="main-footer")

    def on_mount(self) -> None:
        self.query_one("#case-filter", Input).cursor_blink = self.ccg_app.cursor_blink
        # The Notes tab: its list of notes takes the focus, not the pane around it.
        pane = self.query_one("#notes-pane")
        pane.can_focus = False
        pane.mount(NoteList(id="case-notes"))
        self.query_one("#notes-empty", Static).update(
            "No notes yet on this case, its stages, arenas and partners, or the sources it "
            "cites (n adds one)"
        )
        self.detail.decorate = self._mark_notes
        self.set_dataset(self.dataset)

    # -- data ----------------------------------------------------------------

    def _case(self, case_id: str | None) -> Case | None:
        """A case by id; the store's lazy view reads just that one, so never scan them all."""
        return self.dataset.case(case_id) if case_id else None

    @property
    def case_list(self) -> CaseList:
        return self.query_one("#case-list", CaseList)

    @property
    def detail(self) -> CaseDetail:
        return self.query_one("#case-detail", CaseDetail)

    def set_dataset(self, dataset: Dataset) -> None:
        """Show (new) data, keeping the current case if it still exists."""
        self.dataset = dataset
        keep = self.current_case if self._case(self.current_case) is not None else None
        self.current_case = None
        self._notes_for = None
        self.case_list.set_dataset(dataset)
        self._update_count()
        target = keep or self.case_list.current_id
        if target is not None:
            self.show_case(target, record=False)

    def _update_count(self) -> None:
        shown = self.case_list.match_count
        total = len(self.dataset.cases)
        from ccgtui.wording import plural

        text = f"{shown} of {plural(total, 'case')}" if shown != total else plural(total, "case")
        if self.case_list.filter_error:
            text = self.case_list.filter_error  # e.g. "filter sector: needs a value"
        self.query_one("#case-count", Static).update(text)

    # -- showing a case and history ------------------------------------------

    def show_case(self, case_id: str, *, record: bool = True, browsing: bool = False) -> bool:
        """Show a case in the detail; ``record`` adds the previous one to history.

        History records visits, not cursor moves: a case the list cursor only passed
        over (``browsing``) is not recorded when the cursor leaves it, unless the reader
        used it (a tab, Enter, a mark, a note, a copy...).  The case a run of cursor moves
        started from is recorded, so Back returns there.
        """
        case = self._case(case_id)
        if case is None:
            return False
        if case_id == self.current_case:
            return True
        if record and self.current_case is not None and not self._passed_over:
            self.back_stack.append(self.current_case)
            self.forward_stack.clear()
        self._passed_over = browsing
        self.current_case = case_id
        if not self.case_list.select_id(case_id):
            # The filter hides it: clear the filter so the list and detail agree.
            self.query_one("#case-filter", Input).value = ""
            self.case_list.refilter("", keep=case_id)
            self._update_count()
        self.detail.show_case(case, self.dataset)
        self.post_message(self.CaseShown(case_id))
        return True

    @on(OptionList.OptionHighlighted, "#case-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # The case the list is on *now*: after a burst of j/k the messages arrive late,
        # and showing each one's case would move the cursor back to it (and back...).
        case_id = self.case_list.current_id
        if case_id is not None:
            self.show_case(case_id, browsing=True)

    @on(OptionList.OptionSelected, "#case-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.show_case(event.option.id)
        self._passed_over = False
        self.focus_content()

    def focus_content(self) -> None:
        """Focus what is inside the visible tab; on the Notes tab, the list of notes."""
        if self.detail.active_tab == "notes":
            notes = self.query_one("#case-notes", NoteList)
            if notes.display:
                notes.focus()
            return
        self.detail.focus_content()

    def _sync_with_list(self) -> str | None:
        """The case the list cursor is on, shown now if it is not yet.

        Keys typed in a burst (``j`` then ``space``) arrive before the list's
        highlight message: acting on ``current_case`` would act on the case the
        cursor just left.  With no highlighted case (nothing matches the filter),
        the case still shown.
        """
        listed = self.case_list.current_id
        if listed is not None and listed != self.current_case:
            self.show_case(listed, browsing=True)
        self._passed_over = False  # acted on: a visit
        return self.current_case

    def action_copy(self) -> None:
        """Copy the section shown (or the statement a search jumped to) as plain text."""
        from ccgtui.tui.copy_text import section_text

        case = self._case(self._sync_with_list() or "")
        if case is None:
            return
        tab = self.detail.active_tab
        marked = self.detail.marked
        path = marked.path if marked is not None and marked.tab == tab else None
        text = section_text(case, self.dataset, tab, dict(TABS)[tab], path)
        if text is None:
            self.notify("Nothing to copy on this tab (n adds a note)", severity="warning")
            return
        self.app.copy_to_clipboard(text)
        what = "statement" if path else f"{dict(TABS)[tab]} section"
        self.notify(f"Copied the {what} of {case.id} with its sources", markup=False)

    def action_back(self) -> None:
        if not self.back_stack:
            self.notify("No earlier case in history", severity="warning")
            return
        if self.current_case is not None:
            self.forward_stack.append(self.current_case)
        self.show_case(self.back_stack.pop(), record=False)

    def action_forward(self) -> None:
        if not self.forward_stack:
            self.notify("No later case in history", severity="warning")
            return
        if self.current_case is not None:
            self.back_stack.append(self.current_case)
        self.show_case(self.forward_stack.pop(), record=False)

    # -- filter ----------------------------------------------------------------

    @on(Input.Changed, "#case-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        if len(self.dataset.cases) > DEBOUNCE_ABOVE:
            # Many cases: wait for a pause in typing instead of refiltering per key.
            value = event.value
            self._filter_timer = self.set_timer(DEBOUNCE_S, lambda: self._apply_filter(value))
        else:
            self._apply_filter(event.value)

    def _apply_filter(self, text: str) -> None:
        self._filter_timer = None
        self.case_list.refilter(text)
        self._update_count()
        if "tag:" in text:
            self._load_tags_for_filter(text)

    @work(thread=True, exclusive=True, group="filter-tags", exit_on_error=False)
    def _load_tags_for_filter(self, text: str) -> None:
        """``tag:`` filters need the user's tags, read off the UI thread."""
        from ccgtui.userdata import list_tags

        store = self.ccg_app.store
        if store is not None:
            tags = list_tags(store)
            self.app.call_from_thread(self._tags_loaded, tags, text)

    def _tags_loaded(self, tags: dict[str, list[str]], text: str) -> None:
        self.case_list.tags = tags
        if self.case_list.filter_text == text:
            self.case_list.refilter(text)
            self._update_count()

    @on(Input.Submitted, "#case-filter")
    def _filter_submitted(self) -> None:
        self.case_list.focus()

    def action_focus_filter(self) -> None:
        self.query_one("#case-filter", Input).focus()

    def action_to_list(self) -> None:
        if self.case_list_hidden:
            self.set_case_list_hidden(False)
        self.case_list.focus()

    # -- case list shown or hidden ----------------------------------------------

    @property
    def case_list_hidden(self) -> bool:
        return not self.query_one("#case-pane").display

    def set_case_list_hidden(self, hidden: bool) -> None:
        """Hide the case list (the case gets the whole width) or show it again."""
        pane = self.query_one("#case-pane")
        pane.display = not hidden
        if hidden and pane.has_focus_within:
            self.focus_content()
        self.ccg_app.remembered.update(case_list_hidden=hidden)

    def action_toggle_case_list(self) -> None:
        self.set_case_list_hidden(not self.case_list_hidden)

    # -- big-screen mode -------------------------------------------------------

    @property
    def presenting(self) -> bool:
        return self.has_class("-present")

    def set_present(self, on: bool) -> None:
        """Big-screen mode: high contrast, no case list, one section at a time."""
        from ccgtui.tui.present import THEME

        remembered = self.ccg_app.remembered
        if on == self.presenting:
            return
        if on:
            self._before_present = (self.app.theme, self.case_list_hidden)
            remembered.frozen = {"theme", "case_list_hidden"}  # the presenter's own stay
            self.set_case_list_hidden(True)
            self.app.theme = THEME.name
        else:
            theme, hidden = getattr(self, "_before_present", (self.app.theme, False))
            self.app.theme = theme
            remembered.frozen = set()
            self.set_case_list_hidden(hidden)
        self.set_class(on, "-present")
        self.focus_content()

    def action_toggle_present(self) -> None:
        self.set_present(not self.presenting)

    # -- tabs ------------------------------------------------------------------

    @on(TabbedContent.TabActivated, "#case-tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._passed_over = False  # reading a tab of it: a visit
        self.ccg_app.remembered.update(last_tab=self.detail.active_tab)

    def action_show_tab(self, tab: str) -> None:
        self.detail.tabs.active = pane_id(tab)

    def action_cycle_tab(self, step: int) -> None:
        names = [t for t, _ in TABS]
        index = names.index(self.detail.active_tab)
        self.action_show_tab(names[(index + step) % len(names)])

    # -- other screens ---------------------------------------------------------

    def action_study(self) -> None:
        from ccgtui.tui.screens.study import StudyScreen

        case = self.dataset.case(self.current_case) if self.current_case else None
        open_screen(self.app, StudyScreen(self.dataset, case.study if case else None))

    @on(SourceList.Open)
    def _open_source(self, event: SourceList.Open) -> None:
        self.ccg_app.open_source(event.source_id)

    def action_search(self) -> None:
        from ccgtui.tui.screens.search import SearchScreen

        open_screen(
            self.app, SearchScreen(self.dataset, store=self.ccg_app.store), self._jump_to_hit
        )

    def _jump_to_hit(self, hit: Hit | None) -> None:
        """Show where a search result lives: its case, tab and statement (highlighted and
        scrolled into view), the study, or the source."""
        if hit is None:
            return
        if hit.case_id is not None and self.show_case(hit.case_id):
            tab = hit.tab if hit.tab in dict(TABS) else "overview"
            self.action_show_tab(tab)
            self.detail.mark(tab, hit.path)
            self.focus_content()
        elif hit.tab == "study":
            from ccgtui.tui.screens.study import StudyScreen

            open_screen(self.app, StudyScreen(self.dataset, hit.study_id, mark=hit.path))
        elif hit.path.startswith("source:"):
            self.ccg_app.open_source(hit.path.removeprefix("source:"))

    def action_matrix(self, by: str = "sectors") -> None:
        from ccgtui.tui.screens.matrix import MatrixScreen

        open_screen(self.app, MatrixScreen(self.dataset, by))

    def action_compare(self) -> None:
        marked = [c for c in self.case_list.case_ids if c in self.case_list.marked]
        marked += sorted(self.case_list.marked - set(marked))
        if len(marked) < 2:
            self.notify("Mark two or more cases with space first", severity="warning")
            return
        self.open_compare(marked)

    def open_compare(self, case_ids: list[str]) -> None:
        from ccgtui.tui.screens.compare import CompareScreen

        open_screen(self.app, CompareScreen(self.dataset, case_ids))

    def action_mark(self) -> None:
        case_id = self._sync_with_list()
        if case_id is None:
            return
        marked = self.case_list.toggle_mark(case_id)
        self.notify(
            f"{'Marked' if marked else 'Unmarked'} {case_id} "
            f"({len(self.case_list.marked)} marked; = compares)",
            markup=False,
        )

    # -- notes, tags, bookmarks (ccgtui.tui.screens.notes does the I/O in workers) --

    def _user_layer(self) -> UserLayer:
        from ccgtui.tui.screens.notes import UserLayer

        if self._layer is None:
            self._layer = UserLayer(
                self, lambda: self.ccg_app.store, lambda: self.dataset, self._notes_changed
            )
        return self._layer

    def _notes_changed(self, target: str) -> None:
        """After a note/tag change: refresh the Notes tab now (a source note shows there
        too, so whatever the target)."""
        self._refresh_notes(self.current_case, force=True)

    def _refresh_notes(self, case_id: str | None, *, force: bool = False) -> None:
        """Fill the Notes tab for the case now shown (a small read, in a thread)."""
        if case_id is None or case_id != self.current_case:
            return
        if case_id == self._notes_for and not force:
            return
        self._notes_for = case_id
        self._load_notes(case_id)

    def on_main_screen_case_shown(self, event: CaseShown) -> None:
        self._refresh_notes(event.case_id)
        self.ccg_app.remembered.update(last_case=event.case_id)

    def notes_targets(self, case_id: str) -> list[str]:
        """What the case's Notes tab covers: the case (with its stages, arenas and
        partners) and every source it cites."""
        from ccgtui import userdata
        from ccgtui.describe import cited_source_ids

        case = self._case(case_id)
        sources = cited_source_ids(case) if case is not None else []
        return [userdata.case_target(case_id), *map(userdata.source_target, sources)]

    @work(thread=True, exclusive=True, group="notes-pane", exit_on_error=False)
    def _load_notes(self, case_id: str) -> None:
        from ccgtui import userdata

        store = self.ccg_app.store
        if store is not None:
            notes = userdata.notes_about(store, self.notes_targets(case_id))
            tags = userdata.list_tags(store, case_id).get(case_id, [])
            self.app.call_from_thread(self._fill_notes, case_id, notes, tags)

    def _fill_notes(self, case_id: str, notes: list[Note], tags: list[str] | None = None) -> None:
        """Show the case's notes in the Notes tab (and its tags on the Overview)."""
        if case_id != self.current_case:
            return  # a slower read for a case the user has already left
        before = self._tags
        self._tags = (case_id, tags or [])
        if self._tags != before and (before[1] or tags):
            self.detail.redraw()
        listing = self.query_one("#case-notes", NoteList)
        case = self._case(case_id)
        listing.show(notes, self.dataset, trim=f"{case.label} › " if case else "")
        listing.display = bool(notes)
        self.query_one("#notes-empty", Static).display = not notes
        if not notes and listing.has_focus:
            self.case_list.focus()
        self._show_note_marks(case_id, notes)

    def _show_note_marks(self, case_id: str, notes: list[Note]) -> None:
        """``✎ n`` after the items with notes, on every tab (drawn again only if changed)."""
        from ccgtui.tui.note_marks import note_counts, source_counts

        counts = note_counts(notes, self.dataset)
        before = self._note_counts[1] if self._note_counts[0] == case_id else {}
        self._note_counts = (case_id, counts)
        self.query_one(SourceList).set_note_counts(source_counts(counts))
        if counts != before:
            self.detail.redraw()

    def _mark_notes(self, tab: str, case: Case, lines: list[render.Line]) -> list[render.Line]:
        """CaseDetail's ``decorate``: the note markers of the case shown."""
        from ccgtui.tui.note_marks import decorate

        case_id, counts = self._note_counts
        lines = decorate(tab, case, lines, counts) if case_id == case.id else lines
        tagged_case, tags = self._tags
        if tab == "overview" and tags and tagged_case == case.id:
            lines = render.with_user_tags(lines, tags)
        return lines

    @on(NoteList.Edit)
    def _edit_note(self, event: NoteList.Edit) -> None:
        self._user_layer().edit(event.note)

    @on(NoteList.Delete)
    def _delete_note(self, event: NoteList.Delete) -> None:
        self._user_layer().delete(event.note)

    def action_note(self) -> None:
        self._pick_target("Note", lambda target: self._user_layer().note(target))

    def _pick_target(self, verb: str, then: Callable[[str], object]) -> None:
        """On the Story, Arenas, Partners or Sources tab, ask which item; else the case."""
        case = self._case(self._sync_with_list() or "")
        if case is None:
            return
        from ccgtui.tui.screens.target import TargetScreen, target_choices

        # A tab opened by the key just before (``7 n`` typed fast) is drawn on its
        # activation message, which may not have arrived yet: draw it now (a no-op if it is).
        self.detail.render_tab(self.detail.active_tab)
        source = self.query_one(SourceList).current_id
        choices = target_choices(case, self.detail.active_tab, source)
        if len(choices) == 1:
            then(choices[0][0])
            return

        def chosen(target: str | None) -> None:
            if target:
                then(target)

        open_screen(self.app, TargetScreen(verb, choices), chosen)

    def action_tag(self) -> None:
        case_id = self._sync_with_list()
        if case_id is not None:
            self._user_layer().tags(case_id)

    def action_bookmark(self) -> None:
        self._pick_target("Bookmark", lambda target: self._user_layer().bookmark(target))

    def action_all_notes(self) -> None:
        from ccgtui.tui.screens.all_notes import AllNotesScreen

        open_screen(self.app, AllNotesScreen())

    def action_bookmarks(self) -> None:
        def open_target(target: str) -> None:
            case_id = target.partition(":")[2].split("/")[0]
            if not target.startswith(("study:", "source:")) and not self.show_case(case_id):
                self.notify(f"{target} is no longer in the case files", markup=False)

        self._user_layer().bookmarks(open_target)
